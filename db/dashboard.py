"""Small reads the dashboard makes while a session page is open: candidates as they are judged,
the tests each one left red, the baseline's failing tests; the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as columns
from sqlmodel import Session, col, select

from db.fix_sessions import CandidateRecord, FixSession, RunRecord


@dataclass(frozen=True)
class CandidateState:
    """A candidate's columns that change while it is judged (no diff: it is sent once)."""

    candidate_id: str
    engine: str
    description: str
    status: str
    reason: str
    duration_ms: float
    changed_lines: int
    votes: int
    has_diff: bool

    @property
    def version(self) -> tuple[str, str, float]:
        return (self.status, self.reason, self.duration_ms)


def candidate_states(session: Session, session_id: str) -> list[CandidateState]:
    query = (
        columns(
            col(CandidateRecord.candidate_id),
            col(CandidateRecord.engine),
            col(CandidateRecord.description),
            col(CandidateRecord.status),
            col(CandidateRecord.reason),
            col(CandidateRecord.duration_ms),
            col(CandidateRecord.changed_lines),
            col(CandidateRecord.votes),
            func.length(CandidateRecord.diff) > 0,
        )
        .where(col(CandidateRecord.session_id) == session_id)
        .order_by(col(CandidateRecord.id))
    )
    return [CandidateState(*row) for row in session.execute(query).all()]


def candidate_tests(
    session: Session, session_id: str, candidate_ids: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """Each candidate's last recorded run: per-test {"status", "message"} (in run order)."""
    wanted = list(candidate_ids)
    if not wanted:
        return {}
    query = (
        select(RunRecord.candidate_id, RunRecord.tests)
        .where(RunRecord.session_id == session_id, col(RunRecord.candidate_id).in_(wanted))
        .order_by(col(RunRecord.id))
    )
    found: dict[str, dict[str, Any]] = {}
    for candidate_id, tests in session.exec(query).all():
        found[str(candidate_id)] = dict(tests or {})
    return found


def baseline_failing(session: Session, session_id: str) -> list[str]:
    """The tests that failed in the session's first baseline run."""
    query = (
        select(RunRecord.tests)
        .where(RunRecord.session_id == session_id, col(RunRecord.candidate_id).is_(None))
        .order_by(col(RunRecord.id))
        .limit(1)
    )
    tests = session.exec(query).first() or {}
    return [t for t, o in tests.items() if str(o.get("status")) in ("failed", "error")]


def local_sessions_today(session: Session, now: datetime | None = None) -> int:
    """Sessions started since 00:00 UTC that belong to no installation (this machine's)."""
    now = now or datetime.now(UTC)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    query: Any = (
        select(func.count())
        .select_from(FixSession)
        .where(col(FixSession.installation_id).is_(None), FixSession.created_at >= midnight)
    )
    return int(session.exec(query).one())


def trace_for_pull(
    session: Session, repository: str, pull_number: int, installation_id: int | None
) -> str | None:
    """The newest trace recorded for a pull request, by the PR number in its task."""
    from db.traces import TraceRecord

    query = select(TraceRecord.id, TraceRecord.header_json, TraceRecord.document_json).where(
        TraceRecord.repo == repository
    )
    if installation_id is not None:
        query = query.where(TraceRecord.installation_id == installation_id)
    query = query.order_by(col(TraceRecord.created_at).desc()).limit(100)
    for trace_id, header, document in session.exec(query).all():
        if _pull_of(header, "header") == pull_number or _pull_of(document, None) == pull_number:
            return str(trace_id)
    return None


def _pull_of(text: str | None, wrapper: str | None) -> object:
    """The task's pull_request number in a stored header (under `wrapper`) or document."""
    import json

    try:
        data = json.loads(text or "{}")
        data = data.get(wrapper) or {} if wrapper else data
        return (data.get("task") or {}).get("pull_request")
    except (ValueError, AttributeError):
        return None


def trace_rows(session: Session, installation_ids: list[int] | None, limit: int = 100) -> list[Any]:
    """Traces newest first, without their documents; `installation_ids` None: every trace."""
    from db.traces import TraceRecord

    query = columns(
        col(TraceRecord.id),
        col(TraceRecord.repo),
        col(TraceRecord.status),
        col(TraceRecord.tests_passed),
        col(TraceRecord.judge_overall),
        col(TraceRecord.created_at),
        col(TraceRecord.installation_id),
    )
    if installation_ids is not None:
        query = query.where(col(TraceRecord.installation_id).in_(installation_ids))
    query = query.order_by(col(TraceRecord.created_at).desc()).limit(limit)
    return list(session.execute(query).all())
