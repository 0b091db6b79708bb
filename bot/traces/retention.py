"""Retention: traces older than Settings.trace_retention_days (90 by default) are purged."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from db.engine import session_scope
from db.traces import TraceChunkRow, TraceEventRow, TraceRecord

DEFAULT_RETENTION_DAYS = 90


def purge_expired(
    engine: Engine, now: datetime, retention_days: int = DEFAULT_RETENTION_DAYS
) -> int:
    """Delete traces created before `now - retention_days`, with their events and chunks."""
    if retention_days < 1:
        raise ValueError(
            f"trace retention must be at least 1 day, got {retention_days}; "
            "fix TRUTH_TRACE_RETENTION_DAYS"
        )
    cutoff = now - timedelta(days=retention_days)
    with session_scope(engine) as session:
        doomed = list(
            session.exec(select(TraceRecord.id).where(col(TraceRecord.created_at) < cutoff)).all()
        )
        if not doomed:
            return 0
        # Explicit child deletes: SQLite only cascades when foreign keys are switched on.
        session.execute(delete(TraceEventRow).where(col(TraceEventRow.trace_id).in_(doomed)))
        session.execute(delete(TraceChunkRow).where(col(TraceChunkRow.trace_id).in_(doomed)))
        session.execute(delete(TraceRecord).where(col(TraceRecord.id).in_(doomed)))
        return len(doomed)


async def purge_job(ctx: dict[str, Any]) -> int:
    """For the worker's cron list: purge with the worker's engine and settings, off the loop."""
    worker = ctx["worker"]
    return await asyncio.to_thread(
        purge_expired, worker.db, datetime.now(UTC), worker.settings.trace_retention_days
    )
