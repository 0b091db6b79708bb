"""The candidate search and the choice of a winner: verify candidates batch by batch (tiered,
in sandboxes) until one is verified and survives the behaviour check, plus more for a second
opinion (the later the fix was found, the more), or the budget is spent; then confirm the best
in fresh re-runs, unless another verified fix answers differently. Every verdict is an event;
what the tests said goes back to conversational engines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.fix.behaviour_check import MAX_PROFILED, BehaviourReport, compare_behaviour, refuse
from bot.fix.events import RunFinished
from bot.fix.run import FixRun
from bot.fix.search import (
    CandidateStream,
    ScreenedCandidate,
    candidate_number,
    candidate_result,
)
from bot.fix.types import CandidateResult
from bot.fix.wording import plural, shown_number, status_words
from bot.repair.base import CandidateFeedback, RepairContext
from bot.service.metrics import worker_metrics
from runner.decision import alternatives_note, changed_tokens, choose, confirm
from runner.results import RunResult, Verification
from runner.sandbox import Sandbox
from runner.session import Ready
from runner.snapshot import RepoSnapshot
from runner.tiered import verify_many_tiered

SECOND_OPINION_GROWTH = 2  # candidates of the second opinion per candidate before the fix


@dataclass(frozen=True)
class Decision:
    winner: CandidateResult | None
    note: str  # the tests accept several different fixes
    undecided: str = ""  # two verified fixes disagree beside the tests' inputs: which, where


def confirmed_winner(
    run: FixRun,
    ctx: RepairContext,
    snapshot: RepoSnapshot,
    sandbox: Sandbox,
    command: str,
    base_patch: str,
    results: list[CandidateResult],
    behaviour: BehaviourReport,
) -> Decision:
    """The verified candidate with the fewest changed tokens (then the fewest changed results
    on the passing tests' inputs, then the earliest) that stays green when re-run in fresh
    containers; one that turns red is marked flaky and the next is tried. None when two
    verified fixes answer differently beside the tests' inputs: the tests cannot tell which is
    right, and posting either would pass a guess off as verified. Also the note when the tests
    accept several different fixes."""
    verified = [r for r in results if r.status == "verified" and r.verification is not None]
    for candidate in verified:
        candidate.behaviour_changes = behaviour.changes.get(candidate.id)
    note = alternatives_note([r.diff for r in verified])
    settings = run.deps.settings
    while verified:
        best = choose(
            verified,
            lambda r: r.diff,
            lambda r: candidate_number(r.id),
            behaviour.changes_of,
        )
        verified.remove(best)
        undecided = behaviour.undecided(best.id, [r.id for r in verified])
        if undecided:
            run.say("deciding", f"The tests do not decide between the fixes found: {undecided}")
            return Decision(None, note, undecided)
        run.say(
            "deciding",
            f"Re-running candidate {shown_number(best.id)} "
            f"{plural(settings.confirm_runs, 'time')} in fresh containers…",
        )
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
            if best.behaviour_changes is not None:
                best.reason += (
                    f"; {best.behaviour_changes} result(s) of calls the passing tests make "
                    "differ from before the patch"
                )
            return Decision(best, note)
        best.status = checked.verdict.value
        run.say(
            "deciding",
            f"Candidate {shown_number(best.id)} turned {status_words(best.status)} when re-run: "
            f"{checked.reason}",
        )
    return Decision(None, note)


def search(
    run: FixRun,
    ctx: RepairContext,
    snapshot: RepoSnapshot,
    ready: Ready,
    baseline: RunResult,
    base_patch: str = "",
) -> tuple[list[CandidateResult], BehaviourReport]:
    """Verify candidates batch by batch until one is verified and not refused by the behaviour
    check (then more, for a second opinion), or the budget is spent; also what that
    check found."""
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
    behaviour = BehaviourReport()
    profiled_baselines: dict[str, RunResult] = {}
    batch_size = max(1, request.candidates)
    # Once a fix survives, more candidates are tried for a second opinion: a verified fix that
    # answers differently beside the tests' inputs shows the tests do not decide.
    second_opinion: int | None = None
    # The stream owns the search's one time budget.
    while not stream.out_of_time():
        size = batch_size if second_opinion is None else min(batch_size, second_opinion)
        if size <= 0:
            break
        run.say(
            "generating",
            "Generating candidates…"
            if second_opinion is None
            else "Looking for another fix the tests accept, for a second opinion…",
        )
        batch = stream.next_batch(size)
        if not batch:
            break
        if second_opinion is not None:
            second_opinion -= len(batch)
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
        verified = [
            candidate_result(c, verifications[c.id])
            for c in runnable
            if verifications[c.id].verified
        ]
        if verified:
            behaviour.merge(
                refuse_implausible(
                    run, ctx, snapshot, ready, base_patch, verified, profiled_baselines
                )
            )
        if second_opinion is None:
            found_at = first_fix_at(verifications.get(c.id) for c in screened)
            if found_at:
                second_opinion = second_opinion_size(settings.second_opinion_candidates, found_at)
    for error in stream.engine_errors:
        run.say("generating", f"Engine error (skipped): {error}")
    results = [candidate_result(c, verifications.get(c.id)) for c in screened]
    return results, behaviour


def first_fix_at(verifications: Iterable[Verification | None]) -> int:
    """Where the first fix that passed and was not refused was found, counting from 1, given
    each candidate's verification in search order; 0 while none has."""
    for number, verification in enumerate(verifications, 1):
        if verification is not None and verification.verified:
            return number
    return 0


def second_opinion_size(least: int, tried: int) -> int:
    """Candidates tried after the first fix that survives, looking for one that answers
    differently: at least `least` (0: none), and twice as many as it took to find the fix. A
    fix found after many failed candidates is weaker evidence, since the more candidates are
    tried, the likelier one passes weak tests by coincidence."""
    return max(least, SECOND_OPINION_GROWTH * tried) if least else 0


def second_opinion_summary(results: list[CandidateResult]) -> str:
    """How far the search went past the first fix that passed, for the verified report: the
    fewer candidates after it, the more the tests alone vouch for the fix."""
    found_at = first_fix_at(r.verification for r in results)
    after = len(results) - found_at if found_at else 0
    if not after:
        return (
            "No candidate was tried after it for a second opinion (no engine had another, the "
            "candidate cap or the time budget ran out, or TRUTH_SECOND_OPINION_CANDIDATES is 0)."
        )
    return (
        f"{plural(after, 'more candidate')} {'was' if after == 1 else 'were'} tried after the "
        "first fix that passed, for a second opinion, and none left it in doubt (a fix the "
        "tests accept that answers differently beside their inputs would have)."
    )


def refuse_implausible(
    run: FixRun,
    ctx: RepairContext,
    snapshot: RepoSnapshot,
    ready: Ready,
    base_patch: str,
    verified: list[CandidateResult],
    baselines: dict[str, RunResult],
) -> BehaviourReport:
    """Profile the newly verified candidates and refuse those that only look like fixes (their
    verification turns rejected, so the search goes on). The new verdict reaches the dashboard
    (the proof of the passing run stays as written: the tests did pass) and goes back to
    conversational engines."""
    report = BehaviourReport()
    # The smallest first, a few at a time; larger ones are checked only if all of those fell.
    pending = sorted(verified, key=lambda r: changed_tokens(r.diff))
    while pending:
        part, pending = pending[:MAX_PROFILED], pending[MAX_PROFILED:]
        sandbox, command = ready.sandbox, ready.command.command
        report.merge(
            compare_behaviour(run, ctx, snapshot, sandbox, command, base_patch, part, baselines)
        )
        if any(c.id not in report.refused for c in part):
            break
    for candidate in verified:
        why = report.refused.get(candidate.id)
        if why is None:
            continue
        refuse(candidate, why)
        run.say(
            "deciding",
            f"Candidate {shown_number(candidate.id)} passed the tests but is refused: "
            f"{candidate.reason}",
        )
        run.judged(candidate, None, base_patch + candidate.diff)
        ctx.feedback.append(CandidateFeedback(candidate.diff, candidate.status, candidate.reason))
    return report
