"""Reading stored traces: one trace, a filtered list, and the JSONL export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.traces.ingest import IngestError
from db.engine import session_scope
from db.traces import TraceRecord, TraceStatus

MAX_PAGE = 200


def summary(record: TraceRecord) -> dict[str, Any]:
    return {
        "trace_id": record.id,
        "repo": record.repo,
        "status": record.status,
        "next_seq": record.next_seq,
        "tests_passed": record.tests_passed,
        "judge_overall": record.judge_overall,
        "chain_head": record.chain_head,
        "created_at": record.created_at.isoformat(),
        "finalized_at": record.finalized_at.isoformat() if record.finalized_at else None,
    }


def get_record(engine: Engine, trace_id: str, installation_id: int) -> TraceRecord:
    with session_scope(engine) as session:
        record = session.get(TraceRecord, trace_id)
        if record is None or record.installation_id != installation_id:
            raise IngestError(
                404, "not_found", f"no trace {trace_id} for this token's installation"
            )
        return record


def document_text(record: TraceRecord) -> str:
    """The sealed trace exactly as stored (re-serializing could change the signed bytes)."""
    if record.status != TraceStatus.FINALIZED or not record.document_json:
        raise IngestError(
            409, "not_finalized", f"trace {record.id} is still open; finalize it first"
        )
    return record.document_json


def list_traces(
    engine: Engine,
    installation_id: int,
    repo: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    query = select(TraceRecord).where(TraceRecord.installation_id == installation_id)
    if repo:
        query = query.where(TraceRecord.repo == repo)
    if status:
        query = query.where(TraceRecord.status == status)
    query = query.order_by(col(TraceRecord.created_at).desc(), col(TraceRecord.id))
    query = query.offset(max(0, offset)).limit(min(max(1, limit), MAX_PAGE))
    with session_scope(engine) as session:
        return [summary(r) for r in session.exec(query).all()]


def export_jsonl(document_json: str) -> Iterator[str]:
    """Line 1: the trace without its events (integrity included); then one line per event,
    byte-for-byte the object the chain and signature were computed over."""
    document = json.loads(document_json)
    events = document.pop("events")
    yield json.dumps({"record": "trace", **document}, ensure_ascii=False) + "\n"
    for event in events:
        yield json.dumps(event, ensure_ascii=False) + "\n"
