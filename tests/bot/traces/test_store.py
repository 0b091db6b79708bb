"""Trace tables: the migration matches the models; retention purges old traces only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.traces.retention import purge_expired
from db.models import metadata
from db.traces import TraceChunkRow, TraceEventRow, TraceRecord

TRACE_TABLES = ("trace_records", "trace_events", "trace_chunks", "api_tokens")


def test_traces_migration_matches_the_models(db_engine: Engine) -> None:
    with db_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    ours = [d for d in differences if any(t in repr(d) for t in TRACE_TABLES)]
    assert ours == []


def _trace(engine: Engine, trace_id: str, created_at: datetime) -> None:
    with Session(engine) as session:
        session.add(TraceRecord(id=trace_id, installation_id=1, repo="r", header_json="{}",
                                created_at=created_at))  # fmt: skip
        session.commit()
        session.add(TraceEventRow(trace_id=trace_id, seq=0, event_json="{}"))
        session.add(TraceChunkRow(trace_id=trace_id, idempotency_key="k", request_sha256="0" * 64,
                                  first_seq=0, last_seq=0))  # fmt: skip
        session.commit()


def test_purge_removes_traces_older_than_the_retention_with_their_rows(db_engine: Engine):
    now = datetime(2026, 6, 1, tzinfo=UTC)
    _trace(db_engine, "old", now - timedelta(days=91))
    _trace(db_engine, "edge", now - timedelta(days=89, hours=23))
    _trace(db_engine, "new", now - timedelta(days=1))
    assert purge_expired(db_engine, now) == 1
    with Session(db_engine) as session:
        assert sorted(session.exec(select(TraceRecord.id)).all()) == ["edge", "new"]
        assert sorted(session.exec(select(TraceEventRow.trace_id)).all()) == ["edge", "new"]
        assert sorted(session.exec(select(TraceChunkRow.trace_id)).all()) == ["edge", "new"]
    assert purge_expired(db_engine, now, retention_days=30) == 1
    assert purge_expired(db_engine, now) == 0


async def test_purge_job_uses_the_workers_engine_and_retention_setting(db_engine: Engine):
    from bot.settings import Settings
    from bot.traces.retention import purge_job

    _trace(db_engine, "month-old", datetime.now(UTC) - timedelta(days=31))
    _trace(db_engine, "fresh", datetime.now(UTC))
    worker = SimpleNamespace(db=db_engine, settings=Settings(trace_retention_days=30))  # type: ignore[call-arg]
    ctx = {"worker": worker}
    assert await purge_job(ctx) == 1
    with Session(db_engine) as session:
        assert session.exec(select(TraceRecord.id)).all() == ["fresh"]
