"""The fix pipeline: reproduce, generate candidates, verify them in sandboxes, decide, record.

Shared by `truth fix` and the GitHub worker; both hand it a FixRequest and a progress sink.
"""

from __future__ import annotations

import time
from pathlib import Path

from bot.analysis.categorize import categorize
from bot.analysis.failures import Category, Failure
from bot.analysis.libraries import detect_libraries
from bot.analysis.logs import parse_failures
from bot.analysis.signature import signature
from bot.pipeline_session import PipelineDeps, SessionRun, candidate_result, describe
from bot.pipeline_types import (
    CandidateResult,
    FixOutcome,
    FixRequest,
    FixStatus,
    ProgressEvent,
    ProgressSink,
)
from bot.repair.base import RepairContext
from bot.repair.fix_cache import remember_fix
from bot.repair.model_categorizer import refine_category
from bot.reproduce import model_engine_of, reproduce_from_log
from bot.search import CandidateStream, ScreenedCandidate, pick_winner
from bot.settings import Settings
from runner.deps import dependency_spec
from runner.results import RunResult, Verification
from runner.sandbox import Sandbox
from runner.snapshot import RepoSnapshot
from runner.verify import verify_many

DEFAULT_TEST_COMMAND = "python -m pytest -q"
MAX_CANDIDATES = 40
SEARCH_TIME_BUDGET_S = 300.0


def test_command_for(request: FixRequest) -> str:
    command = request.test_command or DEFAULT_TEST_COMMAND
    if request.test_selector:
        command = f"{command} {request.test_selector}"
    return command


def ci_failing_tests(request: FixRequest) -> list[str]:
    """Test ids CI's log names as failing; empty for local runs or logs that name none."""
    if not request.failure_log:
        return []
    parsed = parse_failures(request.failure_log, repo_root=request.repo_root)
    return sorted({f.test_id for f in parsed if f.test_id})


def _reproduce_unnamed_failure(
    run: SessionRun, snapshot: RepoSnapshot, sandbox: Sandbox, command: str
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


def _failures_from(baseline: RunResult, request: FixRequest) -> list[Failure]:
    """Structured failures from the sandbox run, enriched by CI's log when there is one."""
    text = baseline.stdout + "\n" + baseline.stderr
    failures = parse_failures(text, repo_root=request.repo_root)
    if request.failure_log:
        seen = {f.test_id for f in failures}
        for failure in parse_failures(request.failure_log, repo_root=request.repo_root):
            if failure.test_id not in seen:
                failures.append(failure)
    for failure in failures:
        failure.category = categorize(failure)
    return failures


def run_fix(request: FixRequest, deps: PipelineDeps, progress: ProgressSink) -> FixOutcome:
    """Run one whole fix session and return its outcome; every step is reported to `progress`."""
    run = SessionRun(request, deps, progress)
    command = test_command_for(request)
    run.recorder.start(request, command)
    try:
        return _steps(run, command)
    except Exception as exc:
        # The session must not stay "running" forever on the dashboard.
        run.recorder.fail(f"{type(exc).__name__}: {exc}", run.usage)
        raise


def _steps(run: SessionRun, command: str) -> FixOutcome:
    request, deps = run.request, run.deps
    run.say("analyzing", "Analyzing failure…")
    libraries = detect_libraries(request.repo_root)
    if libraries:
        listed = ", ".join(f"{name}{spec or ''}" for name, spec in list(libraries.items())[:12])
        run.say("analyzing", f"Libraries: {listed}", libraries=libraries)
    snapshot = RepoSnapshot.from_path(request.repo_root)
    sandbox = deps.sandbox
    if dependency_spec(snapshot) or request.install_command:
        run.say("preparing", "Installing dependencies (cached by their hash)…")
        sandbox = sandbox.prepare(
            snapshot,
            ca_bundle=deps.settings.ca_bundle_path,
            install_command=request.install_command,
        )

    run.say("reproducing", "Reproducing in sandbox…")
    baseline = sandbox.run(snapshot, command)
    run.recorder.run(None, baseline)
    base_patch = ""
    if baseline.passed and request.failure_log and not ci_failing_tests(request):
        reproduced = _reproduce_unnamed_failure(run, snapshot, sandbox, command)
        if reproduced is not None:
            base_patch, baseline = reproduced
            run.recorder.run("reproduction", baseline)
    if baseline.passed:
        why = "The tests pass in a clean sandbox, so there is nothing to fix" + (
            " (the CI failure looks flaky or infrastructure-related)."
            if request.failure_log
            else "."
        )
        return run.outcome(FixStatus.NOTHING_TO_FIX, why, baseline, [], [], libraries)

    failures = _failures_from(baseline, request)
    run.recorder.failures(failures)
    failing = baseline.failing_tests()
    ci_named = ci_failing_tests(request)
    if ci_named and baseline.tests and not set(ci_named) & set(failing):
        return run.outcome(
            FixStatus.NOTHING_TO_FIX,
            "The tests CI reported as failing ("
            + ", ".join(ci_named[:5])
            + ") pass in a clean sandbox: the CI failure looks flaky, so nothing was changed. "
            "Re-run CI; if it fails again, comment `/truth fix` with the test selector.",
            baseline,
            [],
            failures,
            libraries,
        )
    first = failures[0] if failures else None
    run.say(
        "analyzing",
        f"Reproduced: {len(failing) or 'the'} failing test(s)"
        + (f", {first.exc_type}: {first.message[:120]}" if first else ""),
        failing_tests=failing,
    )
    ctx = RepairContext(
        repo_root=request.repo_root,
        failures=failures,
        test_command=command,
        # The rule category picks the model's prompt strategy; a configured model may refine it.
        category=refine_category(
            model_engine_of(run.engines),
            failures,
            first.category if first else Category.UNKNOWN,
        ),
        signature=signature(first) if first else "",
        failing_tests=failing,
        passing_tests=baseline.passing_tests(),
        libraries=libraries,
        protected_paths=request.protected_paths,
        baseline_output=baseline.stdout[-20_000:],
    )
    run.recorder.classify(ctx, first)

    results = _search(run, ctx, snapshot, sandbox, baseline, command, base_patch)
    winner = pick_winner(results)
    if winner is None:
        tried = len(results)
        message = (
            f"No verified fix: {tried} candidate(s) tried, none made the failing tests pass "
            "without breaking others. See the candidate table for what each one did."
            if tried
            else "No verified fix: no repair engine could propose a candidate for this failure."
        )
        return run.outcome(FixStatus.NO_FIX, message, baseline, results, failures, libraries)

    remember_fix(deps.db, ctx.signature, winner.diff, request.repository)
    message = (
        f"Verified fix found: candidate {winner.id} ({winner.engine}), "
        f"{winner.changed_lines} changed line(s), tests green in {winner.duration_ms:.0f} ms."
    )
    return run.outcome(FixStatus.VERIFIED, message, baseline, results, failures, libraries, winner)


def _search(
    run: SessionRun,
    ctx: RepairContext,
    snapshot: RepoSnapshot,
    sandbox: Sandbox,
    baseline: RunResult,
    command: str,
    base_patch: str = "",
) -> list[CandidateResult]:
    """Verify candidates batch by batch until one is verified or the budget is spent."""
    request, settings = run.request, run.deps.settings
    stream = CandidateStream(
        run.engines,
        ctx,
        max_candidates=MAX_CANDIDATES,
        time_budget_s=SEARCH_TIME_BUDGET_S,
        allow_dangerous=request.allow_dangerous_calls,
    )
    screened: list[ScreenedCandidate] = []
    verifications: dict[str, Verification] = {}
    batch_size = max(1, request.candidates)
    started = time.monotonic()
    while time.monotonic() - started < SEARCH_TIME_BUDGET_S:
        run.say("generating", "Generating candidates…")
        batch = stream.next_batch(batch_size)
        if not batch:
            break
        screened.extend(batch)
        runnable = [c for c in batch if not c.rejected_reason]
        for candidate in batch:
            if candidate.rejected_reason:
                run.say(
                    "candidate",
                    f"Candidate {candidate.id[1:]}: REJECTED ({candidate.rejected_reason})",
                    candidate_id=candidate.id,
                )
        checked = verify_many(
            sandbox,
            snapshot,
            # A reproduction test written from the log is part of every candidate's tree.
            [base_patch + c.patch.diff for c in runnable],
            command,
            baseline=baseline,
            target_tests=ctx.failing_tests or None,
            parallelism=settings.sandbox_parallelism or None,
        )
        for candidate, verification in zip(runnable, checked, strict=True):
            verifications[candidate.id] = verification
            if verification.patched is not None:
                run.recorder.run(candidate.id, verification.patched)
            run.prove(candidate.id, verification, base_patch + candidate.patch.diff)
            result = candidate_result(candidate, verification)
            # Stored as judged, so the dashboard's candidate table fills in while the session runs.
            run.recorder.candidates([result])
            run.say("candidate", describe(result), candidate_id=candidate.id, status=result.status)
        if any(v.verified for v in verifications.values()):
            break
    for error in stream.engine_errors:
        run.say("generating", f"Engine error (skipped): {error}")
    results = [candidate_result(c, verifications.get(c.id)) for c in screened]
    run.recorder.candidates(results)
    return results


def build_deps(settings: Settings, *, progress: ProgressSink | None = None) -> PipelineDeps:
    """Connect to Docker, make sure the sandbox image exists, open the database, pick engines."""
    from db.engine import init_db
    from runner.docker_client import connect
    from runner.images import ensure_image

    client = connect(settings.docker_host)
    if progress is not None:
        progress(ProgressEvent("preparing", "Checking the sandbox image (built on first use)…"))
    image = ensure_image(client, settings.sandbox_image)
    db = init_db(settings.database_url)
    sandbox = Sandbox(client, image, settings.sandbox_limits)
    return PipelineDeps(settings=settings, sandbox=sandbox, db=db)


def repo_root_of(path: str | Path) -> Path:
    return Path(path).expanduser().resolve()
