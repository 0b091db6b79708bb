"""Reproduction helpers: which tests CI named, the failures a run shows, and, when CI's log names
no test, a model-written test that fails on the unpatched code (kept only if it does)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.analysis.categorize import categorize
from bot.analysis.failures import Category, Failure
from bot.analysis.logs import parse_failures
from bot.fix.run import FixRun
from bot.fix.types import FixRequest
from bot.repair.base import RepairContext, RepairEngine
from bot.repair.model_engine import ModelEngine
from bot.repair.repro_script import reproduction_diff, write_reproduction
from runner.results import RunEnd, RunResult
from runner.sandbox import Sandbox
from runner.snapshot import RepoSnapshot

LOG_EXCERPT_CHARS = 20_000


def model_engine_of(engines: Sequence[RepairEngine]) -> ModelEngine | None:
    return next((e for e in engines if isinstance(e, ModelEngine)), None)


def reproduce_from_log(
    model: ModelEngine,
    ctx: RepairContext,
    failure_log: str,
    snapshot: RepoSnapshot,
    sandbox: Sandbox,
    command: str,
) -> tuple[str, RunResult] | None:
    """The reproduction test as a diff plus its failing baseline run, or None if it is no use."""
    code = write_reproduction(model, ctx, log_excerpt=failure_log[-LOG_EXCERPT_CHARS:])
    if code is None:
        return None
    diff = reproduction_diff(code)
    baseline = sandbox.run(snapshot, command, patch=diff)
    # A reproduction that passes on the unpatched code proves nothing about the bug.
    if baseline.passed or baseline.end in (RunEnd.PATCH_FAILED, RunEnd.ERROR):
        return None
    return diff, baseline


def ci_failing_tests(request: FixRequest) -> list[str]:
    """Test ids CI's log names as failing; empty for local runs or logs that name none."""
    if not request.failure_log:
        return []
    parsed = parse_failures(request.failure_log, repo_root=request.repo_root)
    return sorted({f.test_id for f in parsed if f.test_id})


def reproduce_unnamed_failure(
    run: FixRun, snapshot: RepoSnapshot, sandbox: Sandbox, command: str
) -> tuple[str, RunResult] | None:
    """CI failed but named no test and the suite passes here: ask the model for a test."""
    model = model_engine_of(run.engines)
    log_text = run.request.failure_log or ""
    if model is None:
        return None
    run.say("reproducing", "CI's log names no test: asking the model for a reproduction test…")
    failures = parse_failures(log_text, repo_root=run.request.repo_root)
    for failure in failures:
        failure.category = categorize(failure)
    ctx = RepairContext(
        repo_root=run.request.repo_root,
        failures=failures,
        test_command=command,
        category=failures[0].category if failures else Category.UNKNOWN,
        signature="",
    )
    reproduced = reproduce_from_log(model, ctx, log_text, snapshot, sandbox, command)
    run.say(
        "reproducing",
        "The reproduction test fails on the unpatched code; it joins every candidate's run."
        if reproduced
        else "No usable reproduction test (none was written, or it did not fail).",
    )
    return reproduced


def failures_from(baseline: RunResult, request: FixRequest) -> list[Failure]:
    """Structured failures from the sandbox run, enriched by CI's log when there is one."""
    text = baseline.stdout + "\n" + baseline.stderr
    failures = parse_failures(text, repo_root=request.repo_root)
    if request.failure_log:
        seen = {f.test_id for f in failures}
        for failure in parse_failures(request.failure_log, repo_root=request.repo_root):
            if failure.test_id not in seen:
                failures.append(failure)
    # A run stopped at its time limit prints no failure summary: tests that failed before the
    # stop are known only from the per-test evidence, and are kept.
    seen = {f.test_id for f in failures}
    stopped = baseline.end is not RunEnd.EXITED
    for test_id, outcome in baseline.tests.items() if stopped else ():
        if test_id not in seen and outcome.status.value in ("failed", "error"):
            exc_type, _, message = outcome.message.partition(": ")
            if outcome.message.startswith("assert") or not exc_type.isidentifier():
                exc_type, message = "AssertionError", outcome.message
            failures.append(Failure(test_id, exc_type, message))
    for failure in failures:
        failure.category = categorize(failure)
    return failures
