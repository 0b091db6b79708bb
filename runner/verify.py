"""Verdicts on patches: a gate before any run, then baseline vs patched run decided by a pure
function on per-test evidence, many in parallel. Nothing is `verified` on an exit code alone."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from runner.gate import screen
from runner.results import RunEnd, RunResult, TestStatus, Verdict, Verification
from runner.snapshot import RepoSnapshot

log = logging.getLogger(__name__)
SHOWN = 3  # test ids named in a one-line reason before "and N more"
NO_EVIDENCE = (
    "no per-test evidence: the test command did not run pytest, so no test was seen passing "
    "(run the tests through pytest, which also runs unittest cases)"
)


class Runs(Protocol):
    def run(
        self,
        snapshot: RepoSnapshot,
        command: str | None = None,
        patch: str | None = None,
        frozen: dict[str, bytes | None] | None = None,
    ) -> RunResult: ...


def _names(ids: Iterable[str]) -> str:
    listed = sorted(ids)
    shown = ", ".join(listed[:SHOWN])
    return shown + (f" and {len(listed) - SHOWN} more" if len(listed) > SHOWN else "")


def _under(tests: Iterable[str], selector: str) -> list[str]:
    """Test ids a selector names: an exact id, or every test under a file/class prefix."""
    selector = selector.strip()
    return sorted(t for t in tests if t == selector or t.startswith(selector + "::"))


def targets_of(
    baseline: RunResult, target_tests: list[str] | None, patched: RunResult | None = None
) -> list[str]:
    """The tests a patch must fix: the named ones (expanded), else those failing in the
    baseline; a file that failed to import stands for every test it holds after the patch."""
    selectors = list(target_tests or []) or baseline.failing_tests()
    if target_tests:
        selectors += [t for t in (baseline.hung_test, *baseline.collect_errors) if t]
    known = set(baseline.collected) | set(baseline.tests)
    expanded: set[str] = set()
    for selector in selectors:
        found = _under(known, selector)
        if selector.strip() in baseline.collect_errors and patched is not None:
            found = _under(patched.collected, selector)
        expanded.update(found or [selector.strip()])
    return sorted(expanded)


def regressions_of(baseline: RunResult, patched: RunResult) -> list[str]:
    """Tests that passed before and did not pass after (failed, errored, skipped or vanished)."""
    after = patched.tests
    return [
        t
        for t in baseline.passing_tests()
        if t not in after or after[t].status is not TestStatus.PASSED
    ]


def fixed_of(targets: list[str], patched: RunResult) -> list[str]:
    return [t for t in targets if patched.passed_call(t)]


def _id_set_problem(baseline: RunResult, patched: RunResult) -> str:
    """Nothing vanishes, nothing new counts (except tests of files that failed to import)."""
    before, after = set(baseline.collected), set(patched.collected)
    importable = [f for f in baseline.collect_errors]
    new = {t for t in after - before if not any(t.startswith(f + "::") for f in importable)}
    if before - after:
        return f"tests collected before the patch are gone after it: {_names(before - after)}"
    if new:
        return f"tests appear after the patch that were not there before: {_names(new)}"
    return ""


def _run_problem(baseline: RunResult, patched: RunResult) -> tuple[Verdict, str] | None:
    """A verdict when either run cannot be judged test by test."""
    if baseline.end is RunEnd.ERROR:
        return Verdict.ERROR, f"baseline run did not complete: {baseline.reason}"
    if baseline.evidence_problem:
        return Verdict.ERROR, f"inconsistent evidence in the baseline: {baseline.evidence_problem}"
    ends = {
        RunEnd.PATCH_FAILED: Verdict.PATCH_FAILED,
        RunEnd.TIMEOUT: Verdict.TIMEOUT,
        RunEnd.RESOURCE_LIMIT: Verdict.RESOURCE_LIMIT,
        RunEnd.ERROR: Verdict.ERROR,
    }
    if patched.end in ends:
        return ends[patched.end], patched.reason or f"patched run ended: {patched.end}"
    if patched.evidence_problem:
        return Verdict.ERROR, f"inconsistent evidence: {patched.evidence_problem}"
    for name, run in (("baseline", baseline), ("patched run", patched)):
        if not run.has_evidence and run.end is not RunEnd.EXITED:
            return Verdict.ERROR, f"no per-test evidence: the {name} ended ({run.end}) first"
    if not baseline.has_evidence or not patched.has_evidence:
        return Verdict.ERROR, NO_EVIDENCE
    return None


def decide(
    baseline: RunResult,
    patched: RunResult,
    target_tests: list[str] | None = None,
    test_changes_allowed: bool = False,
) -> tuple[Verdict, str]:
    """The verdict and a one-line reason for a patched run against its baseline (pure)."""
    problem = _run_problem(baseline, patched)
    if problem is not None:
        return problem
    targets = targets_of(baseline, target_tests, patched)
    completed = baseline.end is RunEnd.EXITED
    if completed and baseline.passed and not target_tests:
        return Verdict.BASELINE_PASSES, "the tests already pass without the patch; nothing to fix"
    if completed and targets and all(baseline.passed_call(t) for t in targets):
        return (
            Verdict.BASELINE_PASSES,
            f"target tests already pass without the patch: {_names(targets)}",
        )
    if not targets:
        return Verdict.ERROR, (
            f"no per-test evidence of the failure: the baseline exits {baseline.exit_code} "
            "but no test failed, hung or failed to import"
        )
    if not test_changes_allowed:
        mismatch = _id_set_problem(baseline, patched)
        if mismatch:
            return Verdict.ERROR, f"inconsistent evidence: {mismatch}"
    unfixed = [t for t in targets if not patched.passed_call(t)]
    if unfixed:
        return Verdict.FAILED, f"still failing after the patch: {_names(unfixed)}"
    regressions = regressions_of(baseline, patched)
    if regressions:
        return Verdict.FAILED, f"the patch breaks tests that passed before: {_names(regressions)}"
    if not patched.passed:
        detail = f": {_names(patched.failing_tests())}" if patched.failing_tests() else ""
        return Verdict.FAILED, f"the patched run exits with code {patched.exit_code}{detail}"
    hung = f" (including {baseline.hung_test}, which hung before)" if baseline.hung_test else ""
    allowed = "; test changes were allowed by the person verifying" if test_changes_allowed else ""
    return Verdict.VERIFIED, (
        f"{len(targets)} failing test(s) pass after the patch{hung}, "
        f"{len(patched.passing_tests())} pass in all, no regressions{allowed}"
    )


def judged(
    baseline: RunResult,
    patched: RunResult,
    target_tests: list[str] | None,
    test_changes_allowed: bool = False,
) -> Verification:
    verdict, reason = decide(baseline, patched, target_tests, test_changes_allowed)
    targets = targets_of(baseline, target_tests, patched)
    return Verification(
        verdict,
        reason,
        baseline,
        patched,
        fixed_of(targets, patched),
        regressions_of(baseline, patched),
        test_changes_allowed,
    )


def verify(
    sandbox: Runs,
    snapshot: RepoSnapshot,
    patch: str,
    test_command: str | None = None,
    baseline: RunResult | None = None,
    target_tests: list[str] | None = None,
    *,
    allow_test_changes: bool = False,
    allow_dangerous: bool = False,
    base_patch: str = "",
) -> Verification:
    """Screen the patch, run the baseline (unless given) and the patched tree; never raises
    for a bad candidate. `base_patch` (a reproduction test Truth Engine wrote) is part of the
    baseline tree, so the gate judges only what `patch` adds on top of it."""
    allowed = allow_test_changes
    try:
        screening = screen(
            snapshot,
            patch,
            allow_test_changes=allowed,
            allow_dangerous=allow_dangerous,
            base_patch=base_patch,
        )
        if screening.apply_error:
            return Verification(Verdict.PATCH_FAILED, screening.apply_error, baseline, None)
        if screening.findings:
            return Verification(Verdict.REJECTED, screening.reason, baseline, None)
        if baseline is None:
            baseline = sandbox.run(snapshot, test_command, base_patch or None)
        if baseline.end is RunEnd.ERROR:
            return Verification(
                Verdict.ERROR, f"baseline run did not complete: {baseline.reason}", baseline, None
            )
        if baseline.passed and not target_tests and not baseline.evidence_problem:
            verdict, reason = decide(baseline, baseline, None)
            return Verification(verdict, reason, baseline, None)
        patched = sandbox.run(snapshot, test_command, base_patch + patch, screening.frozen)
    except Exception as exc:  # one candidate's crash must not take the others down
        log.exception("verification crashed")
        return Verification(
            Verdict.ERROR, f"verification crashed: {type(exc).__name__}: {exc}", baseline, None
        )
    return judged(baseline, patched, target_tests, allowed)


def verify_many(
    sandbox: Runs,
    snapshot: RepoSnapshot,
    patches: list[str],
    test_command: str | None = None,
    baseline: RunResult | None = None,
    target_tests: list[str] | None = None,
    parallelism: int | None = None,
    *,
    allow_dangerous: bool = False,
    base_patch: str = "",
) -> list[Verification]:
    """Verify every patch against one shared baseline, at most `parallelism` at a time, in order.
    Test changes are never allowed here: this is the path of engines and the fix cache."""
    if not patches:
        return []
    if baseline is None:
        baseline = sandbox.run(snapshot, test_command, base_patch or None)
    workers = max(1, min(parallelism or os.cpu_count() or 1, len(patches)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="truth-verify") as pool:
        futures = [
            pool.submit(
                verify,
                sandbox,
                snapshot,
                patch,
                test_command,
                baseline,
                target_tests,
                allow_dangerous=allow_dangerous,
                base_patch=base_patch,
            )
            for patch in patches
        ]
        return [future.result() for future in futures]
