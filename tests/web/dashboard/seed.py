"""Seed sessions the way the pipeline stores them, for dashboard and API tests."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

from bot.analysis.failures import Failure
from bot.fix.types import CandidateResult
from bot.repair.diffs import make_diff
from db import queries
from db.console import add_console_line
from db.engine import session_scope
from db.fix_sessions import SessionSource, SessionStatus
from runner.proof import proof_record
from runner.results import RunEnd, RunResult, TestOutcome, TestStatus, Verdict, Verification

BEFORE = (
    "def last(items):\n    return items[len(items)]\n\n\ndef first(items):\n    return items[0]\n"
)
WINNER_DIFF = make_diff("calc.py", BEFORE, BEFORE.replace("[len(items)]", "[len(items) - 1]"))
LOSER_DIFF = make_diff(
    "calc.py",
    BEFORE,
    BEFORE.replace("    return items[len", "    items = list(items)\n    return items[len"),
)
TEST_ID = "tests/test_calc.py::test_last"


def _run(exit_code: int, status: TestStatus) -> RunResult:
    return RunResult(
        command="python -m pytest -q tests/test_calc.py",
        image_id="sha256:" + "ab" * 32,
        end=RunEnd.EXITED,
        exit_code=exit_code,
        started_at="2024-05-01T10:00:00Z",
        finished_at="2024-05-01T10:00:01Z",
        duration_ms=412.0,
        stdout=f"tests/test_calc.py::test_last {status.value.upper()}\n",
        stderr="",
        tests={TEST_ID: TestOutcome(TEST_ID, status)},
    )


def verified_proof(diff: str) -> dict[str, object]:
    verification = Verification(
        verdict=Verdict.VERIFIED,
        reason="the failing test passes and nothing regressed",
        baseline=_run(1, TestStatus.FAILED),
        patched=_run(0, TestStatus.PASSED),
        fixed_tests=[TEST_ID],
    )
    return proof_record(verification, "fix.patch", diff)


@dataclass
class Seeded:
    session_id: str
    winner: str = "cand-1"
    loser: str = "cand-2"


def seed_session(
    engine: Engine,
    *,
    installation_id: int | None,
    repository: str | None = "acme/widgets",
    error_type: str = "IndexError",
    finished: bool = True,
    repo_path: str | None = None,
    console: tuple[str, ...] = ("Analyzing failure…", "Reproducing in sandbox…"),
) -> Seeded:
    """A GitHub (or, with installation_id None, CLI) session with two judged candidates."""
    with session_scope(engine) as db:
        source = SessionSource.GITHUB if installation_id is not None else SessionSource.CLI
        record = queries.create_session(
            db, source=source, repository=repository, head_sha="e" * 40 if repository else None,
            pull_number=7 if repository else None, installation_id=installation_id,
            repo_path=repo_path, test_command="python -m pytest -q",
        )  # fmt: skip
        seeded = Seeded(record.id)
        queries.record_analysis(
            db, record.id, error_type=error_type, category="off_by_one",
            signature=f"sig-{error_type}",
        )  # fmt: skip
        failure = Failure(
            test_id=TEST_ID, exc_type=error_type,
            message="list index out of range",
        )  # fmt: skip
        queries.record_failures(db, record.id, [failure])
        for stage_message in console:
            add_console_line(db, record.id, "analyze", stage_message)
        queries.record_candidate(
            db, record.id,
            CandidateResult(seeded.winner, "rules", "index fix", WINNER_DIFF,
                            Verdict.VERIFIED.value, "all tests pass", 412.0, 2),
        )  # fmt: skip
        queries.record_candidate(
            db, record.id,
            CandidateResult(seeded.loser, "model", "copy list", LOSER_DIFF,
                            Verdict.FAILED.value, "IndexError still raised", 380.0, 1),
        )  # fmt: skip
        queries.record_proof(db, record.id, seeded.winner, verified_proof(WINNER_DIFF))
        if finished:
            queries.finish_session(
                db, record.id, SessionStatus.VERIFIED, "verified fix found",
                winner_candidate_id=seeded.winner,
            )  # fmt: skip
    return seeded


def append_console(engine: Engine, session_id: str, message: str) -> int:
    with session_scope(engine) as db:
        return add_console_line(db, session_id, "verify", message)


def finish(engine: Engine, session_id: str) -> None:
    with session_scope(engine) as db:
        queries.finish_session(
            db, session_id, SessionStatus.VERIFIED, "verified fix found",
            winner_candidate_id="cand-1",
        )  # fmt: skip
