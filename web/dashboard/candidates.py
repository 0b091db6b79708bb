"""A session's candidates as the page shows them: one row each in plain words, outcomes grouped,
and the same rows as JSON for the live stream (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from bot.fix.wording import (
    Outcome,
    edit_text,
    group_outcomes,
    outcome,
    plural,
    red_tests,
    shown_number,
    status_words,
)
from db.dashboard import CandidateState

GROUPS_SHOWN = 6


@dataclass(frozen=True)
class CandidateRow:
    id: str
    number: str
    engine: str
    edit: str
    status: str
    verdict: str  # the status in plain words, for the badge
    outcome: str
    duration: str
    changed_lines: int
    engines_agreeing: int  # votes: how many engines proposed the same change
    has_diff: bool
    winner: bool = False

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def duration_text(duration_ms: float) -> str:
    if duration_ms <= 0:
        return "—"
    return f"{duration_ms:.0f} ms" if duration_ms < 1000 else f"{duration_ms / 1000:.1f} s"


def outcome_for(
    state: CandidateState, tests: Mapping[str, Any] | None, failing_before: Iterable[str]
) -> Outcome:
    return outcome(state.status, state.reason, red_tests(tests or {}), failing_before)


def row_for(
    state: CandidateState,
    tests: Mapping[str, Any] | None,
    failing_before: Iterable[str],
    winner_id: str | None = None,
) -> CandidateRow:
    result = outcome_for(state, tests, failing_before)
    text = result.text()
    if state.status == "verified" and state.reason:
        text = f"passed: {state.reason}"
    return CandidateRow(
        id=state.candidate_id,
        number=shown_number(state.candidate_id),
        engine=state.engine,
        edit=edit_text(state.description),
        status=state.status,
        # The outcome already says "still fails …": the badge only names the verdict.
        verdict="failed" if state.status == "failed" else status_words(state.status),
        outcome=text,
        duration=duration_text(state.duration_ms),
        changed_lines=state.changed_lines,
        engines_agreeing=state.votes,
        has_diff=state.has_diff,
        winner=state.candidate_id == winner_id,
    )


@dataclass(frozen=True)
class GroupRow:
    text: str
    count: int
    ids: list[str]


def grouped(
    states: list[CandidateState],
    tests: Mapping[str, Mapping[str, Any]],
    failing_before: list[str],
) -> tuple[list[GroupRow], int]:
    """How the candidates ended, the largest group first; and how many were left out."""
    groups = group_outcomes(
        (s.candidate_id, outcome_for(s, tests.get(s.candidate_id), failing_before)) for s in states
    )
    rows = [
        GroupRow(g.text().rsplit(" — ", 1)[0], len(g.ids), g.ids) for g in groups[:GROUPS_SHOWN]
    ]
    return rows, sum(len(g.ids) for g in groups[GROUPS_SHOWN:])


def ended_in_words(count: int) -> str:
    return f"How the {plural(count, 'candidate')} ended"
