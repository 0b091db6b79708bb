"""The fix pipeline: reproduce, generate candidates, verify them in sandboxes, decide.

Shared by `truth fix` and the GitHub worker; both hand it a FixRequest and their listeners.
It writes nothing itself but proofs: every step is an event (bot/fix/events.py), and the
session record, the terminal and the check run are listeners.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.analysis.categorize import categorize
from bot.analysis.failures import Category, Failure
from bot.analysis.libraries import detect_libraries
from bot.analysis.logs import parse_failures
from bot.analysis.signature import signature
from bot.constants import DEFAULT_TEST_COMMAND
from bot.fix.events import (
    Broadcast,
    Classified,
    Crashed,
    FixEvent,
    Listener,
    Reproduced,
    RunFinished,
    SessionStarted,
)
from bot.fix.recorder import SessionRecorder
from bot.fix.reproduce import model_engine_of, reproduce_from_log
from bot.fix.run import FixRun, PipelineDeps
from bot.fix.search import CandidateStream, ScreenedCandidate, candidate_result
from bot.fix.types import CandidateResult, FixOutcome, FixRequest, FixStatus
from bot.repair.base import CandidateFeedback, RepairContext
from bot.repair.coverage import collect_spectrum
from bot.repair.fix_cache import remember_fix
from bot.repair.model_categorizer import refine_category
from bot.service.logs import log_context
from bot.service.metrics import worker_metrics
from bot.settings import Settings
from runner.decision import alternatives_note, choose, confirm, reproduce_baseline
from runner.results import RunResult, Verification
from runner.sandbox import Sandbox
from runner.session import Options, Ready, make_ready
from runner.snapshot import RepoSnapshot
from runner.tiered import environment_verdict, verify_many_tiered


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


def run_fix(request: FixRequest, deps: PipelineDeps, *listeners: Listener) -> FixOutcome:
    """Run one whole fix session and return its outcome; every step is an event to `listeners`.

    The session's database record is always one of the listeners.
    """
    run = FixRun(request, deps, Broadcast([SessionRecorder(deps.db), *listeners]))
    command = test_command_for(request)
    run.emit(SessionStarted(run.session_id, "analyzing", request=request, test_command=command))
    try:
        # Log lines written on this thread during the session carry its id.
        with log_context(session_id=run.session_id):
            return _steps(run, command)
    except Exception as exc:
        # The session must not stay "running" forever on the dashboard.
        run.emit(Crashed(run.session_id, "error", f"{type(exc).__name__}: {exc}", usage=run.usage))
        raise


def _steps(run: FixRun, command: str) -> FixOutcome:
    request, deps = run.request, run.deps
    run.say("analyzing", "Analyzing failure…")
    libraries = detect_libraries(request.repo_root)
    if libraries:
        listed = ", ".join(f"{name}{spec or ''}" for name, spec in list(libraries.items())[:12])
        run.say("analyzing", f"Libraries: {listed}", libraries=libraries)
    snapshot = RepoSnapshot.from_path(request.repo_root)
    run.snapshot = snapshot
    # The repository's Python, its declared dependencies (cached by their files), its own
    # test command made runnable, and a baseline limit (runner/session.py).
    ready = make_ready(
        deps.sandbox.client,
        snapshot,
        deps.settings.sandbox_limits,
        Options(
            # None lets the repository's CI test command (or the default) be used.
            test_command=request.test_command,
            install_command=request.install_command,
            python=request.python,
            timeout=request.timeout or deps.settings.sandbox_timeout_seconds,
            env=request.env,
        ),
        lambda message: run.say("preparing", message),
        deps.settings.sandbox_image,
        deps.settings.ca_bundle_path,
        labels=deps.sandbox.labels,
        egress=deps.settings.egress_policy,
    )
    if request.test_selector:
        selected = f"{ready.command.command} {request.test_selector}"
        ready.command = replace(ready.command, command=selected)
    sandbox, command = ready.sandbox, ready.command.command

    # Twice, in parallel: a failure that does not show the same way both times is flaky.
    run.say("reproducing", "Reproducing in sandbox…")
    baseline, flaky = reproduce_baseline(
        sandbox, snapshot, command, parallelism=deps.settings.sandbox_parallelism or None
    )
    run.emit(RunFinished(run.session_id, "reproducing", result=baseline))
    if flaky:
        message = "Flaky" + flaky[len("flaky") :]
        return run.outcome(FixStatus.NOTHING_TO_FIX, message, baseline, [], [], libraries)
    stopped = environment_verdict(baseline, ready.context)
    if stopped is not None:  # not a bug to fix: say exactly what stops the tests
        return run.outcome(FixStatus.ENVIRONMENT_ERROR, stopped.reason, baseline, [], [], libraries)
    base_patch = ""
    if baseline.passed and request.failure_log and not ci_failing_tests(request):
        reproduced = _reproduce_unnamed_failure(run, snapshot, sandbox, command)
        if reproduced is not None:
            base_patch, baseline = reproduced
            run.emit(
                RunFinished(
                    run.session_id, "reproducing", candidate_id="reproduction", result=baseline
                )
            )
    if baseline.passed:
        why = "The tests pass in a clean sandbox, so there is nothing to fix" + (
            " (the CI failure looks flaky or infrastructure-related)."
            if request.failure_log
            else "."
        )
        return run.outcome(FixStatus.NOTHING_TO_FIX, why, baseline, [], [], libraries)

    failures = _failures_from(baseline, request)
    failing = baseline.failing_tests()
    run.emit(Reproduced(run.session_id, "analyzing", failures=failures, failing_tests=failing))
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
    # Per-test line coverage (one more sandbox run) ranks statements for the rule engine.
    ctx.spectrum = collect_spectrum(sandbox, snapshot, command, base_patch)
    run.emit(
        Classified(
            run.session_id,
            "analyzing",
            error_type=first.exc_type if first else None,
            category=ctx.category.value,
            signature=ctx.signature,
            libraries=ctx.libraries,
        )
    )

    results = _search(run, ctx, snapshot, ready, baseline, base_patch)
    winner, note = _confirmed_winner(run, ctx, snapshot, sandbox, command, base_patch, results)
    if winner is None:
        tried = len(results)
        message = (
            f"No verified fix: {tried} candidate(s) tried, none made the failing tests pass "
            "without breaking others. See the candidate table for what each one did."
            if tried
            else "No verified fix: no repair engine could propose a candidate for this failure."
        )
        return run.outcome(FixStatus.NO_FIX, message, baseline, results, failures, libraries)

    try:
        remember_fix(
            deps.db, ctx.signature, winner.diff, request.repository, repo_root=request.repo_root
        )
    except ValueError as exc:  # refused by the current policy: never cached
        run.say("deciding", f"Not cached: {exc}")
    message = (
        f"Verified fix found: candidate {winner.id} ({winner.engine}), "
        f"{winner.changed_lines} changed line(s), tests green in {winner.duration_ms:.0f} ms"
        f" and in {deps.settings.confirm_runs} re-run(s) in fresh containers."
        + (f" Note: {note}." if note else "")
    )
    return run.outcome(FixStatus.VERIFIED, message, baseline, results, failures, libraries, winner)


def _confirmed_winner(
    run: FixRun,
    ctx: RepairContext,
    snapshot: RepoSnapshot,
    sandbox: Sandbox,
    command: str,
    base_patch: str,
    results: list[CandidateResult],
) -> tuple[CandidateResult | None, str]:
    """The verified candidate with the fewest changed tokens (then the earliest engine) that
    stays green when re-run in fresh containers; one that turns red is marked flaky and the
    next is tried. Also the note when the tests accept several different fixes."""
    verified = [r for r in results if r.status == "verified" and r.verification is not None]
    note = alternatives_note([r.diff for r in verified])
    settings = run.deps.settings
    while verified:
        best = choose(verified, lambda r: r.diff, lambda r: int(r.id.lstrip("c") or 0))
        verified.remove(best)
        run.say("deciding", f"Re-running candidate {best.id} {settings.confirm_runs} times…")
        assert best.verification is not None
        checked = confirm(
            sandbox,
            snapshot,
            best.diff,
            best.verification,
            command,
            times=settings.confirm_runs,
            target_tests=ctx.failing_tests or None,
            base_patch=base_patch,
            allow_dangerous=run.request.allow_dangerous_calls,
            parallelism=settings.sandbox_parallelism or None,
        )
        best.reason = checked.reason
        if checked.verified:
            return best, note
        best.status = checked.verdict.value
        run.say("deciding", f"Candidate {best.id}: {best.status.upper()} ({checked.reason})")
    return None, note


def _search(
    run: FixRun,
    ctx: RepairContext,
    snapshot: RepoSnapshot,
    ready: Ready,
    baseline: RunResult,
    base_patch: str = "",
) -> list[CandidateResult]:
    """Verify candidates batch by batch until one is verified or the budget is spent."""
    request, settings = run.request, run.deps.settings
    stream = CandidateStream(
        run.engines,
        ctx,
        max_candidates=settings.max_repair_candidates,
        time_budget_s=settings.repair_time_budget_seconds,
        allow_dangerous=request.allow_dangerous_calls,
    )
    screened: list[ScreenedCandidate] = []
    verifications: dict[str, Verification] = {}
    batch_size = max(1, request.candidates)
    # The stream owns the search's one time budget.
    while not stream.out_of_time():
        run.say("generating", "Generating candidates…")
        batch = stream.next_batch(batch_size)
        if not batch:
            break
        screened.extend(batch)
        runnable = [c for c in batch if not c.rejected_reason]
        for candidate in batch:
            if candidate.rejected_reason:
                run.judged(candidate_result(candidate, None), None, candidate.patch.diff)
                reason = candidate.rejected_reason
                ctx.feedback.append(CandidateFeedback(candidate.patch.diff, "rejected", reason))
        # Tiered: each candidate's target tests first (-x), the full suite only for survivors.
        checked = verify_many_tiered(
            ready.sandbox,
            snapshot,
            [c.patch.diff for c in runnable],
            ready.command,
            baseline,
            request.targets or ctx.failing_tests or None,
            ready.context,
            ready.baseline_limit,
            parallelism=settings.sandbox_parallelism or None,
            allow_dangerous=request.allow_dangerous_calls,
            # A reproduction test written from the log is part of every candidate's tree.
            base_patch=base_patch,
        )
        for candidate, verification in zip(runnable, checked, strict=True):
            verifications[candidate.id] = verification
            worker_metrics().sandbox_run(verification.verdict.value)
            if verification.patched is not None:
                run.emit(
                    RunFinished(
                        run.session_id,
                        "candidate",
                        candidate_id=candidate.id,
                        result=verification.patched,
                    )
                )
            result = candidate_result(candidate, verification)
            # Judged one by one, so the dashboard's candidate table fills in while it runs.
            run.judged(result, verification, base_patch + candidate.patch.diff)
            # What the tests said goes back to conversational engines (their next round).
            output = verification.patched.stdout[-4000:] if verification.patched else ""
            ctx.feedback.append(
                CandidateFeedback(candidate.patch.diff, result.status, result.reason, output)
            )
        if any(v.verified for v in verifications.values()):
            break
    for error in stream.engine_errors:
        run.say("generating", f"Engine error (skipped): {error}")
    return [candidate_result(c, verifications.get(c.id)) for c in screened]


def build_deps(settings: Settings, *, progress: Listener | None = None) -> PipelineDeps:
    """Connect to Docker, make sure the sandbox image exists, open the database, pick engines."""
    from db.engine import init_db
    from runner.docker_client import connect
    from runner.images import ensure_image

    client = connect(settings.docker_host)
    if progress is not None:
        progress(FixEvent("", "preparing", "Checking the sandbox image (built on first use)…"))
    image = ensure_image(client, settings.sandbox_image)
    db = init_db(settings.database_url)
    sandbox = Sandbox(client, image, settings.sandbox_limits)
    return PipelineDeps(settings=settings, sandbox=sandbox, db=db)


def repo_root_of(path: str | Path) -> Path:
    return Path(path).expanduser().resolve()
