"""Plausible is not correct: as soon as candidates verify, the baseline and the smallest of them run
once more under the behaviour profiler (in parallel, in fresh sandboxes). A fix is refused when it
only passes because the tests accept `None` where the code returned a value, or when it makes the
code raise or hang on variations of the tests' own inputs where it returned before (the search then
goes on); among fixes of one size the one that changes the fewest results on the passing tests'
inputs wins. Without a tie only the failing tests are profiled: the whole suite runs only to break
one."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bot.fix.run import FixRun
from bot.fix.types import CandidateResult
from bot.fix.wording import plural
from bot.repair.base import RepairContext
from bot.repair.behaviour import (
    behaviour_changes,
    expects_none,
    none_for_a_value,
    parse_profile,
    profile_command,
)
from bot.repair.probe import (
    Probe,
    disagreement,
    expected_exceptions,
    introduced_crash,
    parse_probe,
)
from runner.decision import changed_tokens, frozen_for
from runner.results import RunResult, Verdict
from runner.sandbox import Sandbox
from runner.snapshot import RepoSnapshot
from runner.test_command import with_targets

log = logging.getLogger(__name__)

MAX_PROFILED = 4  # the smallest verified fixes; larger ones lose on size anyway
UNPROFILED = 10**9  # ranks a fix whose profile is missing behind profiled ones of its size


@dataclass
class BehaviourReport:
    changes: dict[str, int] = field(default_factory=dict)  # candidate id -> changed results
    refused: dict[str, str] = field(default_factory=dict)  # candidate id -> why it is no fix
    probes: dict[str, Probe] = field(default_factory=dict)  # candidate id -> beside the tests

    def changes_of(self, candidate: CandidateResult) -> int:
        return self.changes.get(candidate.id, UNPROFILED)

    def merge(self, other: BehaviourReport) -> None:
        self.changes.update(other.changes)
        self.refused.update(other.refused)
        self.probes.update(other.probes)

    def undecided(self, best: str, others: list[str]) -> str:
        """Another fix that answers differently from `best` on an input beside the tests' own,
        described; "" when they agree wherever both were probed. The tests cannot tell which is
        right. One that changes more of what the passing tests' calls return is no rival: the
        passing tests already speak against it."""
        mine = self.probes.get(best)
        if mine is None:
            return ""
        for other in others:
            theirs = self.probes.get(other)
            if theirs is None or self.changes.get(other, 0) > self.changes.get(best, 0):
                continue
            found = disagreement(mine, theirs)
            if found is None:
                continue
            function, ours, rival = found
            file, name = function.rsplit(":", 1)
            return (
                f"candidates {best} and {other} both pass them, but on arguments {ours.call} "
                f"`{name}` in {file} returns {ours.value} under {best} and {rival.value} "
                f"under {other}"
            )
        return ""


def compare_behaviour(
    run: FixRun,
    ctx: RepairContext,
    snapshot: RepoSnapshot,
    sandbox: Sandbox,
    command: str,
    base_patch: str,
    verified: list[CandidateResult],
    baselines: dict[str, RunResult],
) -> BehaviourReport:
    """Profile the baseline and up to MAX_PROFILED verified candidates; an empty report when
    the test command cannot be profiled or the baseline's profile is missing. `baselines` keeps
    the baseline's profiled run per command for the whole search: it does not change between
    batches, so it runs once."""
    report = BehaviourReport()
    if not verified:
        return report
    smallest = sorted(verified, key=lambda r: changed_tokens(r.diff))[:MAX_PROFILED]
    # The whole suite only when fixes of one size need the tie broken; otherwise the failing
    # tests, where a None-for-a-value shows, so a long suite is not run twice more.
    tie = len(smallest) > 1 and changed_tokens(smallest[0].diff) == changed_tokens(smallest[1].diff)
    scope = (
        command
        if tie or not ctx.failing_tests
        else with_targets(command, ctx.failing_tests, stop_first=False)
    )
    profiled_command = profile_command(scope)
    if profiled_command is None:
        return report
    run.say(
        "deciding",
        "Comparing what the code returns before and after "
        f"{plural(len(smallest), 'verified fix', 'verified fixes')} "
        + ("on the whole suite…" if scope == command else "on the failing tests…"),
    )
    allow_dangerous = run.request.allow_dangerous_calls

    def profiled(patch: str, frozen: dict[str, bytes | None] | None) -> Callable[[], RunResult]:
        return lambda: sandbox.run(snapshot, profiled_command, patch or None, frozen)

    known = baselines.get(profiled_command)
    jobs = [] if known is not None else [profiled(base_patch, None)]
    for candidate in smallest:
        assert candidate.verification is not None
        frozen = frozen_for(
            snapshot, candidate.diff, candidate.verification, base_patch, allow_dangerous
        )
        jobs.append(profiled(base_patch + candidate.diff, frozen))
    parallelism = run.deps.settings.sandbox_parallelism or len(jobs)
    try:
        with ThreadPoolExecutor(max_workers=max(1, parallelism)) as pool:
            runs = [f.result() for f in [pool.submit(job) for job in jobs]]
    except Exception as exc:  # the profile only ranks and refuses; never fatal
        log.warning("behaviour profile failed: %s: %s", type(exc).__name__, exc)
        return report
    if known is None:
        known = baselines[profiled_command] = runs.pop(0)
    baseline = parse_profile(known.stdout)
    if baseline is None:
        log.info("no behaviour profile of the baseline; choosing by size alone")
        return report
    none_expected = expects_none(ctx.failures)
    baseline_probe = parse_probe(known.stdout)
    for candidate, result in zip(smallest, runs, strict=True):
        profile = parse_profile(result.stdout)
        if profile is None:
            continue
        why = "" if none_expected else none_for_a_value(baseline, profile)
        probe = parse_probe(result.stdout)
        if not why and baseline_probe is not None and probe is not None:
            expected = expected_exceptions(candidate.diff, ctx.failures)
            why = introduced_crash(baseline_probe, probe, expected)
        if why:
            report.refused[candidate.id] = why
            continue
        if probe is not None:
            report.probes[candidate.id] = probe
        if scope == command:  # the passing tests ran too
            report.changes[candidate.id] = behaviour_changes(baseline, profile)
    return report


def refuse(candidate: CandidateResult, why: str) -> None:
    """Mark a verified candidate as no fix, with the reason the reviewer sees."""
    candidate.status = Verdict.REJECTED.value
    candidate.reason = f"passes the tests but is not a fix: {why}"
    if candidate.verification is not None:
        candidate.verification.verdict = Verdict.REJECTED
        candidate.verification.reason = candidate.reason
