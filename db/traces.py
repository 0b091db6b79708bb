"""Tables for PR telemetry traces: traces, their ingested events and chunks, and API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Text
from sqlmodel import Field, SQLModel

from db.fix_sessions import UTCDateTime, utcnow


class TraceStatus:
    OPEN = "open"
    FINALIZED = "finalized"


class TraceRecord(SQLModel, table=True):
    """One trace: its header while open, the sealed document once finalized."""

    __tablename__ = "trace_records"

    id: str = Field(primary_key=True, max_length=64)
    installation_id: int = Field(index=True)
    repo: str = Field(index=True, max_length=200)
    status: str = Field(default=TraceStatus.OPEN, index=True, max_length=20)
    header_json: str = Field(sa_column=Column(Text, nullable=False))
    document_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    next_seq: int = 0
    redactions: int = 0
    tests_passed: bool | None = None
    judge_overall: float | None = None
    chain_head: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False, index=True)
    )
    finalized_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class TraceEventRow(SQLModel, table=True):
    """An ingested event, kept as sent (after redaction) until the trace is finalized."""

    __tablename__ = "trace_events"

    trace_id: str = Field(
        sa_column=Column(
            String(64), ForeignKey("trace_records.id", ondelete="CASCADE"), primary_key=True
        )
    )
    seq: int = Field(primary_key=True)
    event_json: str = Field(sa_column=Column(Text, nullable=False))


class TraceChunkRow(SQLModel, table=True):
    """An accepted chunk, remembered by Idempotency-Key so a retry gets the same answer."""

    __tablename__ = "trace_chunks"

    trace_id: str = Field(
        sa_column=Column(
            String(64), ForeignKey("trace_records.id", ondelete="CASCADE"), primary_key=True
        )
    )
    idempotency_key: str = Field(primary_key=True, max_length=200)
    request_sha256: str = Field(max_length=64)
    first_seq: int
    last_seq: int
    redactions: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime))


class ApiToken(SQLModel, table=True):
    """A bearer token for the /v1 API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    token_hash: str = Field(primary_key=True, max_length=64)
    installation_id: int = Field(index=True)
    label: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
