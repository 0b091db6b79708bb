"""Records one fix session as it runs: console lines, runs, candidates, proofs, verdict."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.engine import Engine

from bot.analysis.failures import Failure
from bot.pipeline_types import CandidateResult, FixOutcome, FixRequest, ProgressEvent
from bot.repair.base import RepairContext
from bot.usage import Usage
from db import queries
from db.console import add_console_line
from db.engine import session_scope
from db.sessions import SessionSource
from runner.results import RunResult


class SessionRecorder:
    """Thin I/O: each call is one short transaction, so the dashboard sees progress live."""

    def __init__(self, db: Engine, session_id: str) -> None:
        self._db = db
        self.session_id = session_id

    def start(self, request: FixRequest, test_command: str) -> None:
        with session_scope(self._db) as s:
            queries.create_session(
                s,
                session_id=self.session_id,
                source=SessionSource.GITHUB if request.repository else SessionSource.CLI,
                repo_path=str(request.repo_root),
                test_command=test_command,
                repository=request.repository,
                head_sha=request.head_sha,
                pull_number=request.pull_number,
                installation_id=request.installation_id,
            )

    def console(self, event: ProgressEvent) -> None:
        with session_scope(self._db) as s:
            add_console_line(s, self.session_id, event.stage, event.message)

    def run(self, candidate_id: str | None, result: RunResult) -> None:
        with session_scope(self._db) as s:
            queries.record_run(s, self.session_id, result, candidate_id)

    def failures(self, failures: Sequence[Failure]) -> None:
        with session_scope(self._db) as s:
            queries.record_failures(s, self.session_id, failures)

    def classify(self, ctx: RepairContext, first: Failure | None) -> None:
        with session_scope(self._db) as s:
            queries.record_analysis(
                s,
                self.session_id,
                error_type=first.exc_type if first else None,
                category=ctx.category.value,
                signature=ctx.signature or None,
                libraries=ctx.libraries,
            )

    def candidates(self, results: Sequence[CandidateResult]) -> None:
        with session_scope(self._db) as s:
            for result in results:
                queries.record_candidate(s, self.session_id, result)

    def proof(self, candidate_id: str | None, proof: dict[str, object], text_path: str) -> None:
        with session_scope(self._db) as s:
            queries.record_proof(s, self.session_id, candidate_id, dict(proof), text_path)

    def finish(self, outcome: FixOutcome, usage: Usage) -> None:
        with session_scope(self._db) as s:
            queries.finish_session(
                s,
                self.session_id,
                outcome.status.value,
                outcome.message,
                winner_candidate_id=outcome.winner.id if outcome.winner else None,
                tokens_in=usage.tokens_in,
                tokens_out=usage.tokens_out,
                cost_usd=usage.cost_usd,
            )

    def fail(self, message: str, usage: Usage) -> None:
        with session_scope(self._db) as s:
            add_console_line(s, self.session_id, "error", message)
            queries.finish_session(
                s,
                self.session_id,
                "error",
                message,
                tokens_in=usage.tokens_in,
                tokens_out=usage.tokens_out,
                cost_usd=usage.cost_usd,
            )
