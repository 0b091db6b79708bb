"""Tiered verification: each candidate first runs only its target tests (dropped at the first red
one), survivors run the full suite once; candidates' time limits come from the baseline's time."""

from __future__ import annotations

import copy
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from runner.environment import Context, classify, same_collection_errors
from runner.limits import SandboxLimits, candidate_limits, far_above
from runner.results import RunEnd, RunResult, TestStatus, Verdict, Verification
from runner.snapshot import RepoSnapshot
from runner.test_command import TestCommand, with_targets, with_xdist
from runner.verify import Runs, targets_of, verify

log = logging.getLogger(__name__)
SHOWN = 3


def limited(sandbox: Runs, limits: SandboxLimits) -> Runs:
    """The same sandbox (image, labels, client) under other limits."""
    twin = copy.copy(sandbox)
    twin.limits = limits  # type: ignore[attr-defined]
    return twin


def explain_timeout(run: RunResult, limits: SandboxLimits, baseline_ms: float | None) -> None:
    """Say which limit stopped the run, its value and how to raise it; call a stuck test an
    endless loop only when the limit was far above the baseline's own time."""
    if run.end is not RunEnd.TIMEOUT:
        return
    hung = str(getattr(run, "hung_test", "") or "")
    reason = limits.stopped_reason()
    if hung and (baseline_ms is None or far_above(limits, baseline_ms)):
        reason += f"; {hung} was still running: an endless loop or a wait that never ends"
    elif baseline_ms is not None:
        reason += "; the suite ran slower than the baseline (not judged an endless loop)"
    run.reason = reason


def environment_verdict(baseline: RunResult, ctx: Context) -> Verification | None:
    """An `environment_error` verification when the baseline shows the tests cannot run."""
    problem = classify(baseline, ctx)
    if problem is None:
        return None
    return Verification(Verdict.ENVIRONMENT_ERROR, problem.text(), baseline, None)


def _names(ids: list[str]) -> str:
    more = f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else ""
    return ", ".join(ids[:SHOWN]) + more


def _quick(
    sandbox: Runs,
    snapshot: RepoSnapshot,
    patch: str,
    command: TestCommand,
    targets: list[str],
    baseline: RunResult,
) -> Verification | None:
    """The targets-only run: a verdict when it drops the candidate, None when it survives."""
    quick = sandbox.run(snapshot, with_targets(command.command, targets), patch)
    limits: SandboxLimits = sandbox.limits  # type: ignore[attr-defined]
    explain_timeout(quick, limits, baseline.duration_ms)
    if quick.end is RunEnd.PATCH_FAILED:
        return Verification(Verdict.PATCH_FAILED, quick.reason, baseline, quick)
    if quick.end is RunEnd.TIMEOUT:
        return Verification(Verdict.TIMEOUT, f"targets-only run {quick.reason}", baseline, quick)
    red = [
        t for t in targets if t in quick.tests and quick.tests[t].status is not TestStatus.PASSED
    ]
    if red:
        seconds = quick.duration_ms / 1000.0
        return Verification(
            Verdict.FAILED,
            f"dropped at the first red target after {seconds:.1f} s (targets only, -x): "
            f"still failing: {_names(red)}",
            baseline,
            quick,
        )
    return None


def verify_tiered(
    sandbox: Runs,
    snapshot: RepoSnapshot,
    patch: str,
    command: TestCommand,
    baseline: RunResult,
    target_tests: list[str] | None,
    ctx: Context,
    baseline_limit: float,
    **verify_options: Any,
) -> Verification:
    """Targets first, then (only for survivors) the full suite; never raises for a candidate."""
    limits = candidate_limits(sandbox.limits, baseline.duration_ms, baseline_limit)  # type: ignore[attr-defined]
    candidate = limited(sandbox, limits)
    try:
        targets = targets_of(baseline, target_tests)
        # A reproduction test (base_patch) is part of every tree; the quick tier cannot add it.
        if command.runs_pytest and targets and not verify_options.get("base_patch"):
            dropped = _quick(candidate, snapshot, patch, command, targets, baseline)
            if dropped is not None:
                return dropped
        full = with_xdist(command.command, ctx.declared) if command.runs_pytest else command.command
        verification = verify(
            candidate, snapshot, patch, full, baseline, target_tests, **verify_options
        )
    except Exception as exc:  # one candidate's crash must not take the others down
        log.exception("tiered verification crashed")
        return Verification(
            Verdict.ERROR, f"verification crashed: {type(exc).__name__}: {exc}", baseline, None
        )
    patched = verification.patched
    if patched is not None:
        explain_timeout(patched, limits, baseline.duration_ms)
        if verification.verdict is Verdict.TIMEOUT:
            verification.reason = patched.reason
        same = same_collection_errors(baseline, patched)
        problem = classify(patched, ctx) if same else None
        if problem and verification.verdict is Verdict.FAILED:
            verification.verdict = Verdict.ENVIRONMENT_ERROR
            verification.reason = f"{problem.text()} (the same before and after the patch)"
        _accept_pre_existing(verification, targets_of(baseline, target_tests))
    return verification


def _accept_pre_existing(verification: Verification, targets: list[str]) -> None:
    """Named targets all pass and nothing regressed: tests that failed before and still fail
    are pre-existing failures, listed, and do not fail the patch."""
    baseline, patched = verification.baseline, verification.patched
    if verification.verdict is not Verdict.FAILED or baseline is None or patched is None:
        return
    if not targets or verification.regressions:
        return
    after = set(patched.failing_tests())
    passed = all(
        t in patched.tests and patched.tests[t].status is TestStatus.PASSED for t in targets
    )
    if passed and after and after <= set(baseline.failing_tests()) - set(targets):
        verification.verdict = Verdict.VERIFIED
        verification.fixed_tests = sorted(targets)
        verification.reason = (
            f"{len(targets)} target test(s) pass after the patch, no regressions; "
            "pre-existing failures (failing before and after, not targets): "
            f"{_names(sorted(after))}"
        )


def verify_many_tiered(
    sandbox: Runs,
    snapshot: RepoSnapshot,
    patches: list[str],
    command: TestCommand,
    baseline: RunResult,
    target_tests: list[str] | None,
    ctx: Context,
    baseline_limit: float,
    parallelism: int | None = None,
    **verify_options: Any,
) -> list[Verification]:
    """Every patch against one shared baseline; an environment problem stops them all at once."""
    if not patches:
        return []
    stopped = environment_verdict(baseline, ctx)
    if stopped is not None:
        return [stopped for _ in patches]
    workers = max(1, min(parallelism or os.cpu_count() or 1, len(patches)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="truth-tiered") as pool:
        futures = [
            pool.submit(
                verify_tiered,
                sandbox,
                snapshot,
                patch,
                command,
                baseline,
                target_tests,
                ctx,
                baseline_limit,
                **verify_options,
            )
            for patch in patches
        ]
        return [future.result() for future in futures]
