"""A session that is running while a page watches it, advanced step by step the way the
pipeline's recorder writes one: console lines, each candidate's run and verdict, the end."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.engine import Engine

from bot.fix.types import CandidateResult
from db import queries
from db.console import add_console_line
from db.engine import session_scope
from db.fix_sessions import SessionSource, SessionStatus
from runner.results import TestStatus
from tests.web.dashboard.seed import LOSER_DIFF, TEST_ID, WINNER_DIFF, _run, verified_proof


@dataclass
class LiveSession:
    engine: Engine
    session_id: str

    @classmethod
    def start(cls, engine: Engine) -> LiveSession:
        with session_scope(engine) as db:
            record = queries.create_session(
                db, source=SessionSource.CLI, repo_path="/home/ada/calc",
                test_command="python -m pytest -q",
            )  # fmt: skip
            baseline = _run(1, TestStatus.FAILED)
            queries.record_run(db, record.id, baseline)
            for line in ("Analyzing failure…", "Reproduced: 1 failing test"):
                add_console_line(db, record.id, "analyzing", line)
            return cls(engine, record.id)

    def say(self, message: str) -> None:
        with session_scope(self.engine) as db:
            add_console_line(db, self.session_id, "candidate", message)

    def judge(self, candidate_id: str, status: str, message: str) -> None:
        verified = status == "verified"
        run = _run(0 if verified else 1, TestStatus.PASSED if verified else TestStatus.FAILED)
        run.tests[TEST_ID] = replace(run.tests[TEST_ID], message=message)
        diff = WINNER_DIFF if verified else LOSER_DIFF
        edit = "index `len(items)` → `len(items) - 1` on line 2 in calc.py"
        with session_scope(self.engine) as db:
            queries.record_run(db, self.session_id, run, candidate_id)
            queries.record_candidate(
                db, self.session_id,
                CandidateResult(candidate_id, "rules", edit if verified else "copy the list",
                                diff, status, "", 412.0, 2),
            )  # fmt: skip
            if verified:
                queries.record_proof(db, self.session_id, candidate_id, verified_proof(diff))

    def finish(self, winner: str) -> None:
        with session_scope(self.engine) as db:
            message = "Verified fix found: candidate 2 (rules)."
            add_console_line(db, self.session_id, "done", message)
            queries.finish_session(
                db, self.session_id, SessionStatus.VERIFIED, message, winner_candidate_id=winner
            )
