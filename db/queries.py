"""Small read/write functions over the session tables; the caller owns the transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from db.console import console_lines
from db.fix_sessions import (
    OUTPUT_CAP_CHARS,
    CandidateRecord,
    ConsoleLine,
    FailureRecord,
    FixSession,
    ProofRecord,
    RunRecord,
    SessionSource,
    SessionStatus,
    utcnow,
)
from runner.results import RunResult


# What the records need of the bot's values, stated here so the database layer stays below it.
class FrameLike(Protocol):
    @property
    def file(self) -> str: ...
    @property
    def line(self) -> int: ...


class FailureLike(Protocol):
    @property
    def test_id(self) -> str | None: ...
    @property
    def exc_type(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def category(self) -> object: ...
    @property
    def innermost_repo_frame(self) -> FrameLike | None: ...


class CandidateLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def engine(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def diff(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def duration_ms(self) -> float: ...
    @property
    def changed_lines(self) -> int: ...
    @property
    def votes(self) -> int: ...


class UnknownSessionError(LookupError):
    """No fix session has this id; it may have expired or the id is mistyped."""


def create_session(
    session: Session,
    *,
    source: SessionSource | str = SessionSource.CLI,
    repo_path: str | None = None,
    test_command: str | None = None,
    repository: str | None = None,
    head_sha: str | None = None,
    pull_number: int | None = None,
    installation_id: int | None = None,
    consent: bool = False,
    session_id: str | None = None,
) -> FixSession:
    """Start a session in the `running` state; its id is ready for permalinks at once. A
    `session_id` made earlier (the paste page shows its permalink before the session starts)
    is filled in, keeping where the session came from and whose it is."""
    if session_id is not None and (existing := session.get(FixSession, session_id)):
        existing.repo_path = repo_path or existing.repo_path
        existing.test_command = test_command or existing.test_command
        existing.repository = repository or existing.repository
        existing.head_sha = head_sha or existing.head_sha
        existing.pull_number = pull_number or existing.pull_number
        if existing.installation_id is None:
            existing.installation_id = installation_id
        existing.updated_at = utcnow()
        session.add(existing)
        session.flush()
        return existing
    record = FixSession(
        source=str(source),
        repo_path=repo_path,
        test_command=test_command,
        repository=repository,
        head_sha=head_sha,
        pull_number=pull_number,
        installation_id=installation_id,
        consent=consent,
    )
    if session_id is not None:
        record.id = session_id
    session.add(record)
    session.flush()
    return record


def _require(session: Session, session_id: str) -> FixSession:
    record = session.get(FixSession, session_id)
    if record is None:
        raise UnknownSessionError(f"no fix session {session_id!r}; check the id or permalink")
    return record


def record_analysis(
    session: Session,
    session_id: str,
    *,
    error_type: str | None,
    category: str | None,
    signature: str | None,
    libraries: dict[str, str | None] | None = None,
    test_command: str | None = None,
) -> FixSession:
    """Store what analysis found: the searchable error type, category and signature."""
    record = _require(session, session_id)
    record.error_type = error_type
    record.category = category
    record.signature = signature
    if libraries is not None:
        record.libraries = dict(libraries)
    if test_command is not None:
        record.test_command = test_command
    record.updated_at = utcnow()
    session.add(record)
    session.flush()
    return record


def finish_session(
    session: Session,
    session_id: str,
    status: SessionStatus | str,
    message: str,
    *,
    winner_candidate_id: str | None = None,
    tokens_in: int = 0,
    tokens_out: int = 0,
    cost_usd: float = 0.0,
) -> FixSession:
    """Close a session with its verdict, winner and the session's total model usage."""
    status = SessionStatus(status)
    if status is SessionStatus.RUNNING:
        raise ValueError("finish_session needs a final status, not 'running'")
    record = _require(session, session_id)
    record.status = status.value
    record.message = message
    record.winner_candidate_id = winner_candidate_id
    record.tokens_in = tokens_in
    record.tokens_out = tokens_out
    record.cost_usd = cost_usd
    record.updated_at = utcnow()
    session.add(record)
    session.flush()
    return record


def record_failures(
    session: Session, session_id: str, failures: Iterable[FailureLike]
) -> list[FailureRecord]:
    records = []
    for failure in failures:
        frame = failure.innermost_repo_frame
        record = FailureRecord(
            session_id=session_id,
            test_id=failure.test_id,
            exc_type=failure.exc_type,
            message=failure.message,
            file=frame.file if frame else None,
            line=frame.line if frame else None,
            category=str(failure.category),
        )
        session.add(record)
        records.append(record)
    session.flush()
    return records


def record_candidate(
    session: Session, session_id: str, candidate: CandidateLike
) -> CandidateRecord:
    """Insert or update a candidate: the pipeline records it when proposed and when judged."""
    record = session.exec(
        select(CandidateRecord).where(
            CandidateRecord.session_id == session_id,
            CandidateRecord.candidate_id == candidate.id,
        )
    ).first() or CandidateRecord(
        session_id=session_id, candidate_id=candidate.id, engine=candidate.engine, status=""
    )
    record.engine = candidate.engine
    record.description = candidate.description
    record.diff = candidate.diff
    record.status = candidate.status
    record.reason = candidate.reason
    record.duration_ms = candidate.duration_ms
    record.changed_lines = candidate.changed_lines
    record.votes = candidate.votes
    session.add(record)
    session.flush()
    return record


def _cap(text: str) -> tuple[str, bool]:
    # Keep the tail: pytest's summary and the traceback that matters come last.
    if len(text) <= OUTPUT_CAP_CHARS:
        return text, False
    return "[… earlier output cut …]\n" + text[-OUTPUT_CAP_CHARS:], True


def record_run(
    session: Session, session_id: str, run: RunResult, candidate_id: str | None = None
) -> RunRecord:
    """Store one sandboxed run; `candidate_id` None marks the baseline run."""
    stdout, stdout_cut = _cap(run.stdout)
    stderr, stderr_cut = _cap(run.stderr)
    record = RunRecord(
        session_id=session_id,
        candidate_id=candidate_id,
        command=run.command,
        image_id=run.image_id,
        exit_code=run.exit_code,
        end=str(run.end),
        reason=run.reason,
        started_at=run.started_at,
        finished_at=run.finished_at,
        duration_ms=run.duration_ms,
        stdout=stdout,
        stderr=stderr,
        stdout_truncated=run.stdout_truncated or stdout_cut,
        stderr_truncated=run.stderr_truncated or stderr_cut,
        tests=run.test_records(),
    )
    session.add(record)
    session.flush()
    return record


def proof_sha256(proof: dict[str, Any]) -> str:
    """Hash of the canonical JSON, so a downloaded proof can be checked against the record."""
    canonical = json.dumps(proof, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record_proof(
    session: Session,
    session_id: str,
    candidate_id: str | None,
    proof: dict[str, Any],
    text_path: str | None = None,
) -> ProofRecord:
    record = ProofRecord(
        session_id=session_id,
        candidate_id=candidate_id,
        proof=proof,
        sha256=proof_sha256(proof),
        text_path=text_path,
    )
    session.add(record)
    session.flush()
    return record


def get_session(session: Session, session_id: str) -> FixSession | None:
    return session.get(FixSession, session_id)


@dataclass
class SessionDetail:
    """Everything a session permalink page shows."""

    session: FixSession
    failures: list[FailureRecord]
    candidates: list[CandidateRecord]
    runs: list[RunRecord]
    proofs: list[ProofRecord]
    console: list[ConsoleLine]


def get_session_detail(session: Session, session_id: str) -> SessionDetail | None:
    record = session.get(FixSession, session_id)
    if record is None:
        return None

    def rows(model: Any) -> list[Any]:
        query = select(model).where(model.session_id == session_id).order_by(model.id)
        return list(session.exec(query).all())

    return SessionDetail(
        session=record,
        failures=rows(FailureRecord),
        candidates=rows(CandidateRecord),
        runs=rows(RunRecord),
        proofs=rows(ProofRecord),
        console=console_lines(session, session_id),
    )


def list_sessions(
    session: Session,
    *,
    error_type: str | None = None,
    repository: str | None = None,
    status: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    installation_ids: Sequence[int] | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[FixSession]:
    """Newest first; `since` is inclusive, `until` exclusive; naive datetimes are read as UTC."""
    query = select(FixSession)
    if error_type is not None:
        query = query.where(FixSession.error_type == error_type)
    if repository is not None:
        # A GitHub session by owner/name; a local one (no repository) by its checkout's path
        # or folder name, which is what the dashboard shows for it.
        folder = repository.strip("/")
        query = query.where(
            or_(
                col(FixSession.repository) == repository,
                col(FixSession.repo_path) == repository,
                col(FixSession.repo_path).endswith("/" + folder, autoescape=True),
            )
        )
    if status is not None:
        query = query.where(FixSession.status == SessionStatus(status).value)
    if since is not None:
        query = query.where(FixSession.created_at >= _as_utc(since))
    if until is not None:
        query = query.where(FixSession.created_at < _as_utc(until))
    if installation_ids is not None:
        query = query.where(col(FixSession.installation_id).in_(list(installation_ids)))
    query = query.order_by(col(FixSession.created_at).desc(), col(FixSession.id))
    return list(session.exec(query.offset(max(offset, 0)).limit(max(limit, 0))).all())


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def sessions_for_pr(session: Session, repository: str, pull_number: int) -> int:
    """How many sessions a pull request has had, to cap automatic runs per PR."""
    query = select(func.count()).where(
        FixSession.repository == repository, FixSession.pull_number == pull_number
    )
    return int(session.exec(query).one())
