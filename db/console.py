"""A fix session's live console: numbered lines that workers append and dashboards stream."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db.fix_sessions import ConsoleLine, FixSession

CONSOLE_SEQ_ATTEMPTS = 20


def add_console_line(session: Session, session_id: str, stage: str, message: str) -> int:
    """Append a line to the session's live console and return its sequence number (from 1)."""
    for _ in range(CONSOLE_SEQ_ATTEMPTS):
        last = session.exec(
            select(func.max(ConsoleLine.seq)).where(ConsoleLine.session_id == session_id)
        ).one()
        seq = (last or 0) + 1
        try:
            # Parallel candidate runs log at once; a lost race on the unique seq just retries.
            with session.begin_nested():
                session.add(
                    ConsoleLine(session_id=session_id, seq=seq, stage=stage, message=message)
                )
            return seq
        except IntegrityError:
            if session.get(FixSession, session_id) is None:
                raise
    raise RuntimeError(f"could not number a console line for session {session_id} in time")


def console_lines(session: Session, session_id: str, after_seq: int = 0) -> list[ConsoleLine]:
    """Console lines newer than `after_seq`, oldest first, for streaming to a dashboard."""
    query = (
        select(ConsoleLine)
        .where(ConsoleLine.session_id == session_id, ConsoleLine.seq > after_seq)
        .order_by(col(ConsoleLine.seq))
    )
    return list(session.exec(query).all())
