"""Verdicts on patches: baseline vs patched run, decided by a pure function, many in parallel."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from runner.results import RunEnd, RunResult, TestStatus, Verdict, Verification
from runner.snapshot import RepoSnapshot

log = logging.getLogger(__name__)
SHOWN = 3  # test ids named in a one-line reason before "and N more"


class Runs(Protocol):
    def run(
        self, snapshot: RepoSnapshot, command: str | None = None, patch: str | None = None
    ) -> RunResult: ...


def _names(ids: list[str]) -> str:
    shown = ", ".join(ids[:SHOWN])
    return shown + (f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else "")


def _selected(tests: Iterable[str], selector: str) -> list[str]:
    """Test ids a selector names: an exact id, or every test under a file/class prefix."""
    selector = selector.strip()
    return sorted(t for t in tests if t == selector or t.startswith(selector + "::"))


def targets_of(baseline: RunResult, target_tests: list[str] | None) -> list[str]:
    """The tests a patch must fix: the named ones (expanded), else those failing in the baseline."""
    if not target_tests:
        return baseline.failing_tests()
    expanded: list[str] = []
    for selector in target_tests:
        expanded.extend(_selected(baseline.tests, selector) or [selector.strip()])
    return sorted(set(expanded))


def regressions_of(baseline: RunResult, patched: RunResult) -> list[str]:
    """Tests that passed before and did not pass after (failed, errored, skipped or vanished)."""
    after = patched.tests
    return [
        t
        for t in baseline.passing_tests()
        if t not in after or after[t].status is not TestStatus.PASSED
    ]


def fixed_of(targets: list[str], patched: RunResult) -> list[str]:
    return [
        t for t in targets if t in patched.tests and patched.tests[t].status is TestStatus.PASSED
    ]


def decide(
    baseline: RunResult, patched: RunResult, target_tests: list[str] | None = None
) -> tuple[Verdict, str]:
    """The verdict and a one-line reason for a patched run against its baseline (pure)."""
    if baseline.end is RunEnd.ERROR:
        return Verdict.ERROR, f"baseline run did not complete: {baseline.reason}"
    ends = {
        RunEnd.PATCH_FAILED: Verdict.PATCH_FAILED,
        RunEnd.TIMEOUT: Verdict.TIMEOUT,
        RunEnd.RESOURCE_LIMIT: Verdict.RESOURCE_LIMIT,
        RunEnd.ERROR: Verdict.ERROR,
    }
    if patched.end in ends:
        return ends[patched.end], patched.reason or f"patched run ended: {patched.end}"
    targets = targets_of(baseline, target_tests)
    baseline_completed = baseline.end is RunEnd.EXITED
    if baseline_completed and baseline.passed and not target_tests:
        return Verdict.BASELINE_PASSES, "the tests already pass without the patch; nothing to fix"
    if (
        baseline_completed
        and targets
        and all(
            t in baseline.tests and baseline.tests[t].status is TestStatus.PASSED for t in targets
        )
    ):
        return (
            Verdict.BASELINE_PASSES,
            f"target tests already pass without the patch: {_names(targets)}",
        )
    regressions = regressions_of(baseline, patched)
    unfixed = [t for t in targets if t not in fixed_of(targets, patched)]
    if unfixed:
        return Verdict.FAILED, f"still failing after the patch: {_names(unfixed)}"
    if regressions:
        return Verdict.FAILED, f"the patch breaks tests that passed before: {_names(regressions)}"
    if not patched.passed:
        failing = patched.failing_tests()
        detail = f": {_names(failing)}" if failing else ""
        return Verdict.FAILED, f"the patched run exits with code {patched.exit_code}{detail}"
    if targets:
        return Verdict.VERIFIED, (
            f"{len(targets)} failing test(s) pass after the patch, "
            f"{len(patched.passing_tests())} pass in all, no regressions"
        )
    if baseline.end is RunEnd.TIMEOUT:
        # Killed before any report: which tests failed is unknown, so only an all-green run counts.
        return Verdict.VERIFIED, (
            "the tests hung before the patch and all pass after it "
            f"({len(patched.passing_tests())} passed, exit 0)"
        )
    return Verdict.VERIFIED, "the test command fails before the patch and exits 0 after it"


def _judged(
    baseline: RunResult, patched: RunResult, target_tests: list[str] | None
) -> Verification:
    verdict, reason = decide(baseline, patched, target_tests)
    targets = targets_of(baseline, target_tests)
    return Verification(
        verdict,
        reason,
        baseline,
        patched,
        fixed_of(targets, patched),
        regressions_of(baseline, patched),
    )


def verify(
    sandbox: Runs,
    snapshot: RepoSnapshot,
    patch: str,
    test_command: str | None = None,
    baseline: RunResult | None = None,
    target_tests: list[str] | None = None,
) -> Verification:
    """Run the baseline (unless given) and the patched tree; never raises for a bad candidate."""
    try:
        if baseline is None:
            baseline = sandbox.run(snapshot, test_command)
        if baseline.end is RunEnd.ERROR:
            return Verification(
                Verdict.ERROR, f"baseline run did not complete: {baseline.reason}", baseline, None
            )
        if baseline.passed and not target_tests:
            verdict, reason = decide(baseline, baseline, None)
            return Verification(verdict, reason, baseline, None)
        patched = sandbox.run(snapshot, test_command, patch)
    except Exception as exc:  # one candidate's crash must not take the others down
        log.exception("verification crashed")
        return Verification(
            Verdict.ERROR, f"verification crashed: {type(exc).__name__}: {exc}", baseline, None
        )
    return _judged(baseline, patched, target_tests)


def verify_many(
    sandbox: Runs,
    snapshot: RepoSnapshot,
    patches: list[str],
    test_command: str | None = None,
    baseline: RunResult | None = None,
    target_tests: list[str] | None = None,
    parallelism: int | None = None,
) -> list[Verification]:
    """Verify every patch against one shared baseline, at most `parallelism` at a time, in order."""
    if not patches:
        return []
    if baseline is None:
        baseline = sandbox.run(snapshot, test_command)
    workers = max(1, min(parallelism or os.cpu_count() or 1, len(patches)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="truth-verify") as pool:
        futures = [
            pool.submit(verify, sandbox, snapshot, patch, test_command, baseline, target_tests)
            for patch in patches
        ]
        return [future.result() for future in futures]
