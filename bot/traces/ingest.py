"""Client-captured traces: create, idempotent chunk upload with seq checks, finalize."""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.settings import Settings
from bot.traces.build import complete
from bot.traces.schema import (
    ArtifactRef,
    Environment,
    Event,
    Repo,
    Task,
    Trace,
    new_id,
)
from bot.traces.schema import Session as TraceSession
from bot.traces.service import judge_and_seal
from bot.traces.validate import Validator
from db.engine import session_scope
from db.fix_sessions import utcnow
from db.traces import TraceChunkRow, TraceEventRow, TraceRecord, TraceStatus
from runner.redact import redact_tree

MAX_EVENTS_PER_CHUNK = 1000
MAX_REPO_NAME = 200  # the trace_records.repo column
EVENT_ADAPTER: TypeAdapter[Any] = TypeAdapter(Event)


class IngestError(Exception):
    """A request the API must refuse; carries the HTTP status and a stable error code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class TraceHeader(BaseModel):
    """Body of POST /v1/traces: everything but events, QA and integrity."""

    model_config = ConfigDict(extra="forbid")

    session: TraceSession
    task: Task = Field(default_factory=Task)
    repo: Repo
    environment: Environment = Field(default_factory=Environment)
    artifacts: dict[str, ArtifactRef] = Field(default_factory=dict)


def _owned(session: Session, trace_id: str, installation_id: int) -> TraceRecord:
    record = session.get(TraceRecord, trace_id)
    # Another installation's trace is reported as missing, so ids cannot be probed.
    if record is None or record.installation_id != installation_id:
        raise IngestError(404, "not_found", f"no trace {trace_id} for this token's installation")
    return record


def create_trace(engine: Engine, installation_id: int, body: Any) -> TraceRecord:
    try:
        header = TraceHeader.model_validate(body)
    except ValidationError as exc:
        raise IngestError(422, "invalid_trace", f"invalid trace header: {exc}") from exc
    name = header.repo.name
    if not name or len(name) > MAX_REPO_NAME or "\x00" in name:
        raise IngestError(
            422, "invalid_trace",
            f"repo.name must be 1 to {MAX_REPO_NAME} characters without NUL, not {name[:40]!r}",
        )  # fmt: skip
    if not header.session.consent:
        raise IngestError(
            422, "consent_required",
            "session.consent is false: traces are stored only with the developer's consent",
        )  # fmt: skip
    cleaned, redactions = redact_tree(header.model_dump(mode="json"))
    record = TraceRecord(
        id=new_id("trace"),
        installation_id=installation_id,
        repo=header.repo.name,
        header_json=json.dumps({"header": cleaned, "redactions": redactions}),
    )
    with session_scope(engine) as session:
        session.add(record)
    return record


def _parse_chunk(raw: bytes) -> list[dict[str, Any]]:
    try:
        body = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise IngestError(400, "bad_json", f"chunk body is not JSON: {exc}") from exc
    events = body.get("events") if isinstance(body, dict) else None
    if not isinstance(events, list) or not events:
        raise IngestError(422, "no_events", 'send {"events": [...]} with at least one event')
    if len(events) > MAX_EVENTS_PER_CHUNK:
        raise IngestError(
            413, "chunk_too_large",
            f"{len(events)} events in one chunk; send at most {MAX_EVENTS_PER_CHUNK} per chunk",
        )  # fmt: skip
    if not all(isinstance(e, dict) for e in events):
        raise IngestError(422, "invalid_event", "every event must be a JSON object")
    return events


def _check_seqs(events: list[dict[str, Any]], next_seq: int) -> None:
    seqs = [e.get("seq") for e in events]
    first = seqs[0]
    if not isinstance(first, int) or isinstance(first, bool):
        raise IngestError(
            422, "invalid_event", f"event 0 of the chunk has no integer seq: {first!r}"
        )
    if first < next_seq:
        raise IngestError(
            409, "duplicate_seq",
            f"seq {first} is already stored (next expected seq is {next_seq}); send only new "
            "events, or repeat the original request with its Idempotency-Key to get its answer",
        )  # fmt: skip
    if first > next_seq:
        raise IngestError(
            409, "seq_gap",
            f"seq gap: expected seq {next_seq}, got {first}; upload events {next_seq}.."
            f"{first - 1} first",
        )  # fmt: skip
    for offset, seq in enumerate(seqs):
        if seq != first + offset:
            raise IngestError(
                422, "seq_gap",
                f"seqs inside the chunk must be consecutive: position {offset} has {seq!r}, "
                f"expected {first + offset}",
            )  # fmt: skip


def _stamp(events: list[dict[str, Any]], now: float) -> tuple[list[str], int]:
    """Validate, set the server timestamp, redact; return stored JSON texts and redactions."""
    texts, redactions = [], 0
    for event in events:
        event = {**event, "ts_server": now}
        try:
            model = EVENT_ADAPTER.validate_python(event)
        except ValidationError as exc:
            seq = event.get("seq")
            raise IngestError(422, "invalid_event", f"event seq {seq} is invalid: {exc}") from exc
        cleaned, count = redact_tree(model.model_dump(mode="json"))
        redactions += count
        texts.append(json.dumps(cleaned, separators=(",", ":")))
    return texts, redactions


def request_digest(raw: bytes) -> str:
    """SHA-256 of the chunk's canonical JSON (sorted keys, no blanks), so a retry that
    re-serializes the same events differently is still the same request; raw bytes if not JSON."""
    try:
        canonical = json.dumps(
            json.loads(raw), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        canonical = raw
    return hashlib.sha256(canonical).hexdigest()


def _replay(
    session: Session, record: TraceRecord, idempotency_key: str, digest: str
) -> dict[str, Any] | None:
    seen = session.get(TraceChunkRow, (record.id, idempotency_key))
    if seen is None:
        return None
    if seen.request_sha256 != digest:
        raise IngestError(
            422, "idempotency_conflict",
            f"Idempotency-Key {idempotency_key!r} was used for a different chunk; "
            "use a new key for new content",
        )  # fmt: skip
    # The first answer again: its next_seq, not the trace's now (a racing read can be stale).
    answer = _answer(record, seen.first_seq, seen.last_seq, seen.redactions, True)
    return answer | {"next_seq": seen.last_seq + 1}


class _Raced(Exception):
    """Another upload stored these seqs between our read and our write."""


def add_chunk(
    engine: Engine, trace_id: str, installation_id: int, raw: bytes, idempotency_key: str | None
) -> dict[str, Any]:
    """Store a chunk; a retry with the same Idempotency-Key (even one racing the first upload)
    gets the first answer back with replayed=true."""
    digest = request_digest(raw)
    try:
        return _store_chunk(engine, trace_id, installation_id, raw, idempotency_key, digest)
    except _Raced:
        if idempotency_key:
            # The winner has committed by now (its insert held the key we collided on).
            with session_scope(engine) as session:
                record = _owned(session, trace_id, installation_id)
                replayed = _replay(session, record, idempotency_key, digest)
                if replayed is not None:
                    return replayed
        raise IngestError(
            409, "duplicate_seq",
            "another upload stored these seqs at the same moment; fetch the trace and "
            "continue from its next_seq",
        ) from None  # fmt: skip


def _store_chunk(
    engine: Engine,
    trace_id: str,
    installation_id: int,
    raw: bytes,
    idempotency_key: str | None,
    digest: str,
) -> dict[str, Any]:
    with session_scope(engine) as session:
        record = _owned(session, trace_id, installation_id)
        if idempotency_key:
            replayed = _replay(session, record, idempotency_key, digest)
            if replayed is not None:
                return replayed
        if record.status != TraceStatus.OPEN:
            raise IngestError(409, "finalized", f"trace {trace_id} is finalized; start a new one")
        events = _parse_chunk(raw)
        _check_seqs(events, record.next_seq)
        texts, redactions = _stamp(events, time.time())
        first = record.next_seq
        for offset, text in enumerate(texts):
            session.add(TraceEventRow(trace_id=trace_id, seq=first + offset, event_json=text))
        record.next_seq = first + len(texts)
        record.redactions += redactions
        session.add(record)
        if idempotency_key:
            session.add(TraceChunkRow(
                trace_id=trace_id, idempotency_key=idempotency_key, request_sha256=digest,
                first_seq=first, last_seq=record.next_seq - 1, redactions=redactions,
            ))  # fmt: skip
        try:
            session.flush()
        except IntegrityError as exc:
            raise _Raced from exc
        return _answer(record, first, record.next_seq - 1, redactions, False)


def _answer(
    record: TraceRecord, first: int, last: int, redactions: int, replayed: bool
) -> dict[str, Any]:
    return {
        "trace_id": record.id, "accepted": last - first + 1, "first_seq": first,
        "last_seq": last, "next_seq": record.next_seq, "redactions": redactions,
        "replayed": replayed,
    }  # fmt: skip


def assemble(session: Session, record: TraceRecord) -> Trace:
    stored = json.loads(record.header_json)
    rows = session.exec(
        select(TraceEventRow).where(TraceEventRow.trace_id == record.id).order_by(
            col(TraceEventRow.seq))
    ).all()  # fmt: skip
    trace = Trace.model_validate({
        **stored["header"], "trace_id": record.id, "created_at": record.created_at,
        "events": [json.loads(r.event_json) for r in rows],
    })  # fmt: skip
    trace.metrics.redactions = stored["redactions"] + record.redactions
    return trace


def finalize(
    engine: Engine, trace_id: str, installation_id: int, settings: Settings, validator: Validator
) -> Trace:
    """Assemble the events, run QA, seal and store; finalizing twice returns the same trace."""
    with session_scope(engine) as session:
        record = _owned(session, trace_id, installation_id)
        if record.status == TraceStatus.FINALIZED and record.document_json:
            return Trace.model_validate_json(record.document_json)
        if record.next_seq == 0:
            raise IngestError(409, "no_events", "upload at least one chunk before finalizing")
        trace = complete(assemble(session, record))
    sealed = judge_and_seal(trace, settings, validator(trace))
    with session_scope(engine) as session:
        record = _owned(session, trace_id, installation_id)
        record.document_json = sealed.model_dump_json()
        record.status = TraceStatus.FINALIZED
        record.finalized_at = utcnow()
        record.tests_passed = sealed.qa.validation.tests_passed if sealed.qa.validation else None
        record.judge_overall = sealed.qa.judge.scores.overall if sealed.qa.judge else None
        record.chain_head = sealed.integrity.event_hash_chain if sealed.integrity else None
        session.add(record)
        # The sealed document now holds every event; the staging rows are no longer needed.
        session.execute(delete(TraceEventRow).where(col(TraceEventRow.trace_id) == trace_id))
    return sealed


def store_sealed(engine: Engine, installation_id: int, trace: Trace) -> None:
    """Keep a trace sealed elsewhere (a PR reconstruction) so the API serves it like any other."""
    with session_scope(engine) as session:
        record = session.get(TraceRecord, trace.trace_id) or TraceRecord(
            id=trace.trace_id,
            installation_id=installation_id,
            repo=trace.repo.name,
            header_json=json.dumps({"header": {}, "redactions": trace.metrics.redactions}),
        )
        record.status = TraceStatus.FINALIZED
        record.document_json = trace.model_dump_json()
        record.next_seq = len(trace.events)
        record.finalized_at = utcnow()
        record.tests_passed = trace.qa.validation.tests_passed if trace.qa.validation else None
        record.judge_overall = trace.qa.judge.scores.overall if trace.qa.judge else None
        record.chain_head = trace.integrity.event_hash_chain if trace.integrity else None
        session.add(record)
