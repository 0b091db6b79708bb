"""The candidate search: pull patches from engines cheapest first, screen them, merge duplicates.

Pure apart from the engines it is handed; verification happens in the pipeline.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

from bot.fix.types import CandidateResult
from bot.repair.base import CandidatePatch, RepairContext, RepairEngine
from bot.repair.diffs import changed_lines
from bot.repair.sanitize import check_patch
from runner.results import Verification


@dataclass
class ScreenedCandidate:
    """A unique diff, the engines that proposed it, and whether sanitization let it through."""

    id: str
    patch: CandidatePatch
    votes: int = 1
    engines: list[str] = field(default_factory=list)
    rejected_reason: str = ""

    @property
    def changed_lines(self) -> int:
        return changed_lines(self.patch.diff)


def _normalized(diff: str) -> str:
    # Headers and hunk offsets differ between engines for the same change.
    body = [
        line.rstrip()
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    return "\n".join(body)


class CandidateStream:
    """Yields screened, de-duplicated candidates in engine order, within a count and time budget."""

    def __init__(
        self,
        engines: Sequence[RepairEngine],
        ctx: RepairContext,
        *,
        max_candidates: int,
        time_budget_s: float,
        allow_dangerous: bool,
    ) -> None:
        self._engines = engines
        self._ctx = ctx
        self._max = max_candidates
        self._deadline = time.monotonic() + time_budget_s
        self._allow_dangerous = allow_dangerous
        self._seen: dict[str, ScreenedCandidate] = {}
        self.engine_errors: list[str] = []
        self._emitted = 0
        self._iter = self._generate()

    def _generate(self) -> Iterator[ScreenedCandidate]:
        for engine in self._engines:
            try:
                # Drain the engine before verifying anything: engines budget their own time
                # on the wall clock, and a lazy generator would also be charged for the
                # minutes its first candidates spend in sandboxes.
                remaining = self._max - self._emitted
                proposals = list(islice(engine.propose(self._ctx, remaining), remaining))
            except Exception as exc:  # one engine's failure must not end the search
                self.engine_errors.append(f"{engine.name}: {type(exc).__name__}: {exc}")
                continue
            for patch in proposals:
                if self._emitted >= self._max or self.out_of_time():
                    return
                candidate = self._screen(engine.name, patch)
                if candidate is not None:
                    yield candidate

    def _screen(self, engine: str, patch: CandidatePatch) -> ScreenedCandidate | None:
        """A new screened candidate, or None for a duplicate (counted as a vote)."""
        key = _normalized(patch.diff)
        if key in self._seen:
            duplicate = self._seen[key]
            duplicate.votes += 1
            duplicate.engines.append(engine)
            return None
        self._emitted += 1
        candidate = ScreenedCandidate(id=f"c{self._emitted}", patch=patch, engines=[engine])
        verdict = check_patch(
            self._ctx.repo_root,
            patch.diff,
            allow_dangerous=self._allow_dangerous,
            protected_paths=self._ctx.protected_paths,
        )
        if not verdict.ok:
            candidate.rejected_reason = verdict.reason
        self._seen[key] = candidate
        return candidate

    def _follow_ups(self) -> list[ScreenedCandidate]:
        """Once every candidate so far was judged (into ctx.feedback): conversational engines
        (the model) are told how their last ones failed and answer again."""
        batch: list[ScreenedCandidate] = []
        for engine in self._engines:
            follow_up = getattr(engine, "follow_up", None)
            remaining = self._max - self._emitted
            if follow_up is None or remaining <= 0 or self.out_of_time():
                continue
            try:
                patches = list(follow_up(self._ctx, remaining))
            except Exception as exc:  # as for propose: skip the engine, keep the search
                self.engine_errors.append(f"{engine.name}: {type(exc).__name__}: {exc}")
                continue
            for patch in patches[:remaining]:
                candidate = self._screen(engine.name, patch)
                if candidate is not None:
                    batch.append(candidate)
        return batch

    def out_of_time(self) -> bool:
        return time.monotonic() > self._deadline

    def next_batch(self, size: int) -> list[ScreenedCandidate]:
        batch: list[ScreenedCandidate] = []
        for candidate in self._iter:
            batch.append(candidate)
            if len(batch) >= size:
                break
        return batch or self._follow_ups()


def candidate_result(
    candidate: ScreenedCandidate, verification: Verification | None
) -> CandidateResult:
    patch = candidate.patch
    if verification is None:
        return CandidateResult(
            id=candidate.id,
            engine="+".join(candidate.engines),
            description=patch.description,
            diff=patch.diff,
            status="rejected",
            reason=candidate.rejected_reason,
            duration_ms=0.0,
            changed_lines=candidate.changed_lines,
            votes=candidate.votes,
        )
    duration = verification.patched.duration_ms if verification.patched else 0.0
    return CandidateResult(
        id=candidate.id,
        engine="+".join(candidate.engines),
        description=patch.description,
        diff=patch.diff,
        status=verification.verdict.value,
        reason=verification.reason,
        duration_ms=duration,
        changed_lines=candidate.changed_lines,
        votes=candidate.votes,
        verification=verification,
    )


def candidate_number(candidate_id: str) -> int:
    """The n of a candidate id `c<n>`: the order in which the search produced it."""
    return int(candidate_id.removeprefix("c") or 0)
