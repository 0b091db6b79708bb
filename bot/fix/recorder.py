"""The database listener: turns a session's events into its record, one short transaction each,
so the dashboard (which reads the record) follows the session live."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from bot.fix.events import (
    CandidateJudged,
    Classified,
    Crashed,
    Decided,
    FixEvent,
    Reproduced,
    RunFinished,
    SessionStarted,
)
from db import queries
from db.console import add_console_line
from db.engine import session_scope
from db.fix_sessions import SessionSource


class SessionRecorder:
    """Writes every event of the sessions it hears to the database."""

    def __init__(self, db: Engine) -> None:
        self._db = db

    def __call__(self, event: FixEvent) -> None:
        with session_scope(self._db) as s:
            sid = event.session_id
            if isinstance(event, SessionStarted) and event.request is not None:
                origin = event.request.origin
                queries.create_session(
                    s,
                    session_id=sid,
                    source=SessionSource.GITHUB if origin else SessionSource.CLI,
                    repo_path=str(event.request.repo_root),
                    test_command=event.test_command,
                    repository=origin.repository if origin else None,
                    head_sha=origin.head_sha if origin else None,
                    pull_number=origin.pull_number if origin else None,
                    installation_id=origin.installation_id if origin else None,
                )
            if event.message:
                stage = "error" if isinstance(event, Crashed) else event.stage
                add_console_line(s, sid, stage, event.message)
            if isinstance(event, RunFinished) and event.result is not None:
                queries.record_run(s, sid, event.result, event.candidate_id)
            elif isinstance(event, Reproduced):
                queries.record_failures(s, sid, event.failures)
            elif isinstance(event, Classified):
                queries.record_analysis(
                    s,
                    sid,
                    error_type=event.error_type,
                    category=event.category,
                    signature=event.signature or None,
                    libraries=event.libraries,
                )
            elif isinstance(event, CandidateJudged) and event.result is not None:
                queries.record_candidate(s, sid, event.result)
                if event.proof is not None:
                    queries.record_proof(
                        s, sid, event.result.id, dict(event.proof), event.proof_text_path or ""
                    )
            elif isinstance(event, Decided) and event.outcome is not None:
                outcome, usage = event.outcome, event.usage
                for result in outcome.candidates:
                    queries.record_candidate(s, sid, result)
                queries.finish_session(
                    s,
                    sid,
                    outcome.status.value,
                    outcome.message,
                    winner_candidate_id=outcome.winner.id if outcome.winner else None,
                    tokens_in=usage.tokens_in if usage else 0,
                    tokens_out=usage.tokens_out if usage else 0,
                    cost_usd=usage.cost_usd if usage else 0.0,
                )
            elif isinstance(event, Crashed):
                usage = event.usage
                queries.finish_session(
                    s,
                    sid,
                    "error",
                    event.message,
                    tokens_in=usage.tokens_in if usage else 0,
                    tokens_out=usage.tokens_out if usage else 0,
                    cost_usd=usage.cost_usd if usage else 0.0,
                )
