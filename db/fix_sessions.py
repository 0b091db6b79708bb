"""Tables for fix sessions: the session, its failures, candidates, runs, proofs, console, quota."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Dialect, Index, Text, TypeDecorator, UniqueConstraint
from sqlmodel import Field, SQLModel

# Stored output is capped so a chatty test suite cannot bloat the database; the full logs
# live in the proof files.
OUTPUT_CAP_CHARS = 64 * 1024


def new_session_id() -> str:
    """A short, URL-friendly id for permalinks."""
    return uuid.uuid4().hex[:16]


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend: SQLite drops the zone, PostgreSQL keeps it."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class SessionStatus(StrEnum):
    RUNNING = "running"
    VERIFIED = "verified"
    NO_FIX = "no_fix"
    NOTHING_TO_FIX = "nothing_to_fix"
    ENVIRONMENT_ERROR = "environment_error"  # the tests cannot run as the repository declares
    FLAKY = "flaky"  # the baseline failure did not reproduce the same way twice
    ERROR = "error"


class SessionSource(StrEnum):
    CLI = "cli"
    GITHUB = "github"
    PASTE = "paste"  # the dashboard's paste-a-bug page


def _session_fk() -> Any:
    return Field(foreign_key="fix_sessions.id", ondelete="CASCADE", index=True, max_length=32)


class FixSession(SQLModel, table=True):
    __tablename__ = "fix_sessions"
    __table_args__ = (Index("ix_fix_sessions_repository_pull", "repository", "pull_number"),)

    id: str = Field(default_factory=new_session_id, primary_key=True, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, index=True, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    status: str = Field(default=SessionStatus.RUNNING.value, index=True, max_length=20)
    source: str = Field(default=SessionSource.CLI.value, max_length=20)
    repository: str | None = Field(default=None, index=True, max_length=200)
    head_sha: str | None = Field(default=None, max_length=64)
    pull_number: int | None = None
    installation_id: int | None = Field(default=None, index=True)
    repo_path: str | None = Field(default=None, sa_type=Text)
    test_command: str | None = Field(default=None, sa_type=Text)
    error_type: str | None = Field(default=None, index=True, max_length=200)
    category: str | None = Field(default=None, max_length=40)
    signature: str | None = Field(default=None, index=True, max_length=128)
    libraries: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict)
    )
    message: str = Field(default="", sa_type=Text)
    winner_candidate_id: str | None = Field(default=None, max_length=64)
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    # The owner agreed that this session's verified diff may seed the cache shared across
    # repositories; without it, cached fixes stay scoped to the same repository.
    consent: bool = False


class FailureRecord(SQLModel, table=True):
    __tablename__ = "failure_records"

    id: int | None = Field(default=None, primary_key=True)
    session_id: str = _session_fk()
    test_id: str | None = Field(default=None, sa_type=Text)
    exc_type: str = Field(index=True, max_length=200)
    message: str = Field(default="", sa_type=Text)
    file: str | None = Field(default=None, sa_type=Text)
    line: int | None = None
    category: str = Field(default="unknown", max_length=40)


class CandidateRecord(SQLModel, table=True):
    __tablename__ = "candidate_records"
    __table_args__ = (UniqueConstraint("session_id", "candidate_id"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: str = _session_fk()
    candidate_id: str = Field(max_length=64)
    engine: str = Field(max_length=40)
    description: str = Field(default="", sa_type=Text)
    diff: str = Field(default="", sa_type=Text)
    status: str = Field(max_length=40)
    reason: str = Field(default="", sa_type=Text)
    duration_ms: float = 0.0
    changed_lines: int = 0
    votes: int = 1


class RunRecord(SQLModel, table=True):
    __tablename__ = "run_records"

    id: int | None = Field(default=None, primary_key=True)
    session_id: str = _session_fk()
    candidate_id: str | None = Field(default=None, max_length=64)  # None: the baseline run
    command: str = Field(sa_type=Text)
    image_id: str = Field(default="", max_length=200)
    exit_code: int | None = None
    end: str = Field(max_length=40)
    reason: str = Field(default="", sa_type=Text)
    started_at: str = Field(default="", max_length=64)  # ISO timestamps, as the runner gives
    finished_at: str = Field(default="", max_length=64)
    duration_ms: float = 0.0
    stdout: str = Field(default="", sa_type=Text)
    stderr: str = Field(default="", sa_type=Text)
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    tests: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict)
    )


class ProofRecord(SQLModel, table=True):
    __tablename__ = "proof_records"

    id: int | None = Field(default=None, primary_key=True)
    session_id: str = _session_fk()
    candidate_id: str | None = Field(default=None, max_length=64)
    proof: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict)
    )
    sha256: str = Field(max_length=64)
    text_path: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class FixCacheEntry(SQLModel, table=True):
    __tablename__ = "fix_cache"
    __table_args__ = (Index("ix_fix_cache_signature_diff", "signature", "diff_sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    signature: str = Field(index=True, max_length=128)
    diff: str = Field(sa_type=Text)
    diff_sha256: str = Field(max_length=64)
    repository: str | None = Field(default=None, max_length=200)  # None: shared by consent
    verified_count: int = 1
    last_verified_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ConsoleLine(SQLModel, table=True):
    __tablename__ = "console_lines"
    __table_args__ = (UniqueConstraint("session_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: str = _session_fk()
    seq: int
    stage: str = Field(max_length=40)
    message: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class QuotaUsage(SQLModel, table=True):
    __tablename__ = "quota_usage"

    installation_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    day: date = Field(primary_key=True)
    verifications: int = 0
