"""Re-runs that make a verdict stable, and a choice among verified fixes that is not noise.

- `reproduce_baseline`: the failure must show the same way twice before anything is fixed.
- `confirm`: a winner is re-run K times in fresh containers, in parallel; any red run: flaky.
- `choose` / `alternatives_note`: the smallest change wins (changed tokens, then the fewest
  changed results on the passing tests' inputs, then engine order, never run time), and
  several different verified fixes are reported as such.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from runner.gate import screen
from runner.results import RunEnd, RunResult, Verdict, Verification
from runner.snapshot import RepoSnapshot
from runner.verify import Runs, decide

DEFAULT_CONFIRMATIONS = 3
TOKEN = re.compile(r"\w+|[^\w\s]")
T = TypeVar("T")


def _parallel(jobs: list[Callable[[], RunResult]], parallelism: int | None) -> list[RunResult]:
    with ThreadPoolExecutor(max_workers=max(1, parallelism or len(jobs))) as pool:
        return [f.result() for f in [pool.submit(job) for job in jobs]]


def _shape(run: RunResult) -> tuple[object, ...]:
    return (run.end, run.passed, tuple(run.failing_tests()))


def _describe(run: RunResult) -> str:
    if run.end is RunEnd.TIMEOUT:
        return f"hung in {run.hung_test or 'an unknown test'}"
    if run.passed:
        return "passed"
    failing = run.failing_tests()
    shown = ", ".join(failing[:3]) + (f" and {len(failing) - 3} more" if len(failing) > 3 else "")
    return f"failed ({shown or f'exit {run.exit_code}'})"


def reproduce_baseline(
    sandbox: Runs,
    snapshot: RepoSnapshot,
    command: str | None = None,
    *,
    base_patch: str | None = None,
    times: int = 2,
    parallelism: int | None = None,
) -> tuple[RunResult, str]:
    """The baseline run and "" when `times` fresh runs agree; else the first run and a
    one-line `flaky: …` reason (a run that could not start is returned for the caller)."""
    jobs: list[Callable[[], RunResult]] = [
        lambda: sandbox.run(snapshot, command, base_patch) for _ in range(max(1, times))
    ]
    runs = _parallel(jobs, parallelism)
    for run in runs:
        if run.end is RunEnd.ERROR:
            return run, ""
    first = runs[0]
    for number, run in enumerate(runs[1:], 2):
        if _shape(run) != _shape(first):
            return first, (
                "flaky: the failure does not reproduce; run 1 "
                f"{_describe(first)}, run {number} {_describe(run)}. Nothing was changed."
            )
    return first, ""


def confirm(
    sandbox: Runs,
    snapshot: RepoSnapshot,
    patch: str,
    verification: Verification,
    command: str | None = None,
    *,
    times: int = DEFAULT_CONFIRMATIONS,
    target_tests: list[str] | None = None,
    base_patch: str = "",
    allow_dangerous: bool = False,
    parallelism: int | None = None,
) -> Verification:
    """`verification` again, re-run `times` times in fresh containers in parallel: still
    verified only if every re-run is, else `flaky` naming the first red re-run."""
    baseline = verification.baseline
    if not verification.verified or baseline is None or times <= 0:
        return verification
    allowed = verification.test_changes_allowed
    frozen = frozen_for(snapshot, patch, verification, base_patch, allow_dangerous)
    jobs: list[Callable[[], RunResult]] = [
        lambda: sandbox.run(snapshot, command, base_patch + patch, frozen) for _ in range(times)
    ]
    runs = _parallel(jobs, parallelism)
    verification.reruns = runs
    for number, run in enumerate(runs, 1):
        verdict, reason = decide(baseline, run, target_tests, allowed)
        if verdict is not Verdict.VERIFIED:
            verification.verdict = Verdict.FLAKY
            verification.reason = (
                f"flaky: verified once, then {verdict} in re-run {number} of {times}: {reason}"
            )
            return verification
    verification.reason += f"; confirmed by {times} re-run(s) in fresh containers"
    return verification


def frozen_for(
    snapshot: RepoSnapshot,
    patch: str,
    verification: Verification,
    base_patch: str = "",
    allow_dangerous: bool = False,
) -> dict[str, bytes | None]:
    """The baseline's measurement files to put back after `patch`, as its verification did."""
    return screen(
        snapshot,
        patch,
        allow_test_changes=verification.test_changes_allowed,
        allow_dangerous=allow_dangerous,
        base_patch=base_patch,
    ).frozen


def changed_tokens(diff: str) -> int:
    """How many tokens the diff removes or adds (a rename of one name counts 2)."""
    removed: Counter[str] = Counter()
    added: Counter[str] = Counter()
    for line in diff.splitlines():
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("-"):
            removed.update(TOKEN.findall(line[1:]))
        elif line.startswith("+"):
            added.update(TOKEN.findall(line[1:]))
    return sum(((removed - added) + (added - removed)).values())


def choose(
    candidates: Sequence[T],
    diff_of: Callable[[T], str],
    rank_of: Callable[[T], int],
    changes_of: Callable[[T], int] = lambda _: 0,
) -> T:
    """The verified candidate to post: fewest changed tokens, then the fewest changed results
    on the inputs the passing tests exercise (`changes_of`), then the earlier engine, then the
    earlier candidate; never the run time, which is noise."""
    if not candidates:
        raise ValueError("choose() needs at least one verified candidate")
    order = {id(c): i for i, c in enumerate(candidates)}
    return min(
        candidates,
        key=lambda c: (changed_tokens(diff_of(c)), changes_of(c), rank_of(c), order[id(c)]),
    )


def alternatives_note(diffs: Sequence[str]) -> str:
    """Said when the tests accept several different fixes, so a reviewer knows they do not pin
    the behaviour down; "" for one fix."""
    distinct = {
        "\n".join(
            line
            for line in diff.splitlines()
            if line[:1] in "+-" and not line.startswith(("---", "+++"))
        )
        for diff in diffs
    }
    if len(distinct) < 2:
        return ""
    return (
        f"the tests accept {len(distinct)} different fixes; they do not pin the behaviour down, "
        "so compare the alternatives before merging"
    )
