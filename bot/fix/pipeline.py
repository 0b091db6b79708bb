"""The fix pipeline: reproduce, generate candidates, verify them in sandboxes, decide.

Shared by `truth fix` and the GitHub worker; both hand it a FixRequest and their listeners.
It writes nothing itself but proofs: every step is an event (bot/fix/events.py), and the
session record, the terminal and the check run are listeners.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.analysis.failures import Category
from bot.analysis.libraries import detect_libraries
from bot.analysis.signature import signature
from bot.constants import DEFAULT_TEST_COMMAND
from bot.fix.candidates import confirmed_winner, search, second_opinion_summary
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
from bot.fix.reproduce import (
    ci_failing_tests,
    failures_from,
    model_engine_of,
    reproduce_unnamed_failure,
)
from bot.fix.run import FixRun, PipelineDeps
from bot.fix.types import FixOutcome, FixRequest, FixStatus
from bot.fix.wording import plural, shown_number
from bot.repair.base import RepairContext
from bot.repair.coverage import collect_spectrum
from bot.repair.fix_cache import remember_fix
from bot.repair.model_categorizer import refine_category
from bot.service.logs import log_context
from bot.settings import Settings
from runner.decision import reproduce_baseline
from runner.results import RunEnd
from runner.sandbox import Sandbox
from runner.session import Options, make_ready
from runner.snapshot import RepoSnapshot
from runner.tiered import environment_verdict


def test_command_for(request: FixRequest) -> str:
    command = request.test_command or DEFAULT_TEST_COMMAND
    if request.test_selector:
        command = f"{command} {request.test_selector}"
    return command


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
        return run.outcome(FixStatus.FLAKY, message, baseline, [], [], libraries)
    stopped = environment_verdict(baseline, ready.context)
    if stopped is not None:  # not a bug to fix: say exactly what stops the tests
        return run.outcome(FixStatus.ENVIRONMENT_ERROR, stopped.reason, baseline, [], [], libraries)
    base_patch = ""
    if baseline.passed and request.failure_log and not ci_failing_tests(request):
        reproduced = reproduce_unnamed_failure(run, snapshot, sandbox, command)
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

    failures = failures_from(baseline, request)
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
        f"Reproduced: {plural(len(failing), 'failing test') if failing else 'the failure'}"
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
    # Per-test line coverage (one more sandbox run) ranks statements for the rule engine;
    # not after a hung baseline, whose traced run would only hang again.
    if baseline.end is not RunEnd.TIMEOUT:
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

    results, behaviour = search(run, ctx, snapshot, ready, baseline, base_patch)
    decision = confirmed_winner(
        run, ctx, snapshot, sandbox, command, base_patch, results, behaviour
    )
    winner, note = decision.winner, decision.note
    if decision.undecided:
        message = (
            f"No verified fix: the tests do not decide between the fixes found; "
            f"{decision.undecided}. Add a test that pins down the right answer for such "
            "input, then ask again; the candidate table shows every fix that passed."
        )
        return run.outcome(FixStatus.NO_FIX, message, baseline, results, failures, libraries)
    if winner is None:
        tried = len(results)
        refused = sum(1 for r in results if r.id in behaviour.refused)
        message = (
            f"No verified fix: {plural(tried, 'candidate')} tried, none made the failing "
            "tests pass without breaking others"
            + (
                f" ({refused} passed them but {'was' if refused == 1 else 'were'} refused as no "
                "fix: they break the code on inputs beside the tests' own, or return None for "
                "a value)"
                if refused
                else ""
            )
            + "."
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
        f"Verified fix found: candidate {shown_number(winner.id)} ({winner.engine}), "
        f"{plural(winner.changed_lines, 'changed line')}, tests green in "
        f"{winner.duration_ms:.0f} ms and in {plural(deps.settings.confirm_runs, 're-run')} in "
        "fresh containers. " + second_opinion_summary(results) + (f" Note: {note}." if note else "")
    )
    return run.outcome(FixStatus.VERIFIED, message, baseline, results, failures, libraries, winner)


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
