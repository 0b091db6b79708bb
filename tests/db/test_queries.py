"""The session queries, run against SQLite and a real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from bot.analysis.failures import Category, Failure, Frame
from bot.fix.types import CandidateResult
from db import queries
from db.engine import session_scope
from db.fix_sessions import OUTPUT_CAP_CHARS, FixSession, SessionStatus
from runner.results import RunEnd, RunResult
from runner.results import TestOutcome as Outcome
from runner.results import TestStatus as OutcomeStatus


def _run(stdout: str = "1 failed", exit_code: int = 1) -> RunResult:
    return RunResult(
        command="python -m pytest tests/test_a.py",
        image_id="sha256:abc",
        end=RunEnd.EXITED,
        exit_code=exit_code,
        started_at="2026-11-22T01:00:00+00:00",
        finished_at="2026-11-22T01:00:01+00:00",
        duration_ms=812.5,
        stdout=stdout,
        stderr="",
        tests={
            "tests/test_a.py::test_one": Outcome(
                "tests/test_a.py::test_one", OutcomeStatus.FAILED, 3.0, "boom"
            )
        },
    )


def _candidate(status: str = "pending", votes: int = 1) -> CandidateResult:
    return CandidateResult(
        id="c1",
        engine="rules",
        description="swap < for <=",
        diff="--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a < b\n+a <= b\n",
        status=status,
        reason="",
        duration_ms=12.0,
        changed_lines=2,
        votes=votes,
    )


def test_a_session_round_trips_with_everything_recorded(db_engine: Engine) -> None:
    with session_scope(db_engine) as db:
        created = queries.create_session(
            db,
            source="github",
            repository="octo/app",
            pull_number=7,
            installation_id=42,
            head_sha="f" * 40,
            test_command="pytest",
        )
        session_id = created.id
        queries.record_analysis(
            db,
            session_id,
            error_type="IndexError",
            category="index_key",
            signature="sig-1",
            libraries={"requests": "2.31", "numpy": None},
        )
        failure = Failure(
            "tests/test_a.py::test_one",
            "IndexError",
            "list index out of range",
            frames=[Frame("tests/test_a.py", 4, "test_one"), Frame("pkg/a.py", 12, "pick")],
            category=Category.INDEX_KEY,
        )
        queries.record_failures(db, session_id, [failure])
        queries.record_run(db, session_id, _run())
        queries.record_candidate(db, session_id, _candidate())
        queries.record_candidate(db, session_id, _candidate(status="verified", votes=2))
        queries.record_run(db, session_id, _run("1 passed", 0), candidate_id="c1")
        queries.record_proof(
            db, session_id, "c1", {"verdict": "verified", "runs": [1, 2]}, "/p.txt"
        )
        queries.finish_session(
            db,
            session_id,
            "verified",
            "fixed",
            winner_candidate_id="c1",
            tokens_in=100,
            tokens_out=20,
            cost_usd=0.5,
        )

    with session_scope(db_engine) as db:
        detail = queries.get_session_detail(db, session_id)
        assert detail is not None
        stored = detail.session
        assert (stored.status, stored.winner_candidate_id, stored.message) == (
            "verified",
            "c1",
            "fixed",
        )
        assert (stored.tokens_in, stored.tokens_out, stored.cost_usd) == (100, 20, 0.5)
        assert stored.libraries == {"requests": "2.31", "numpy": None}
        assert stored.created_at.tzinfo is not None
        assert stored.updated_at >= stored.created_at
        assert [(f.file, f.line, f.category) for f in detail.failures] == [
            ("pkg/a.py", 12, "index_key")
        ]
        # Recording the same candidate twice updates it instead of duplicating it.
        assert [(c.candidate_id, c.status, c.votes) for c in detail.candidates] == [
            ("c1", "verified", 2)
        ]
        assert [r.candidate_id for r in detail.runs] == [None, "c1"]
        assert detail.runs[0].tests["tests/test_a.py::test_one"]["status"] == "failed"
        assert detail.proofs[0].proof == {"verdict": "verified", "runs": [1, 2]}
        assert detail.proofs[0].sha256 == queries.proof_sha256(
            {"runs": [1, 2], "verdict": "verified"}
        )


def test_long_output_keeps_the_tail_and_is_marked_truncated(db_engine: Engine) -> None:
    huge = "x" * (OUTPUT_CAP_CHARS + 500) + "\nFAILED tests/test_a.py::test_one"
    with session_scope(db_engine) as db:
        session_id = queries.create_session(db).id
        record = queries.record_run(db, session_id, _run(huge))
    assert record.stdout_truncated
    assert record.stdout.endswith("FAILED tests/test_a.py::test_one")
    assert len(record.stdout) < OUTPUT_CAP_CHARS + 100


def test_list_sessions_filters_and_pages_newest_first(db_engine: Engine) -> None:
    base = datetime(2026, 11, 1, 12, tzinfo=UTC)
    rows = [
        ("a", "octo/app", "IndexError", "verified", 0),
        ("b", "octo/app", "KeyError", "no_fix", 1),
        ("c", "octo/lib", "IndexError", "verified", 2),
        ("d", "octo/app", "IndexError", "error", 3),
    ]
    with session_scope(db_engine) as db:
        for sid, repo, error, status, days in rows:
            db.add(
                FixSession(
                    id=sid,
                    repository=repo,
                    error_type=error,
                    status=status,
                    installation_id=1 if repo == "octo/app" else 2,
                    created_at=base + timedelta(days=days),
                )
            )

    def ids(**filters: object) -> list[str]:
        with session_scope(db_engine) as db:
            return [s.id for s in queries.list_sessions(db, **filters)]  # type: ignore[arg-type]

    assert ids() == ["d", "c", "b", "a"]
    assert ids(error_type="IndexError") == ["d", "c", "a"]
    assert ids(repository="octo/app", status="verified") == ["a"]
    assert ids(since=base + timedelta(days=1), until=base + timedelta(days=3)) == ["c", "b"]
    # A naive bound is read as UTC.
    assert ids(since=datetime(2026, 11, 3, 12)) == ["d", "c"]
    assert ids(installation_ids=[2]) == ["c"]
    assert ids(limit=2, offset=1) == ["c", "b"]
    with pytest.raises(ValueError):
        ids(status="bogus")


def test_sessions_for_pr_counts_only_that_pull_request(db_engine: Engine) -> None:
    with session_scope(db_engine) as db:
        for repo, number in [("octo/app", 7), ("octo/app", 7), ("octo/app", 8), ("octo/lib", 7)]:
            queries.create_session(db, source="github", repository=repo, pull_number=number)
    with session_scope(db_engine) as db:
        assert queries.sessions_for_pr(db, "octo/app", 7) == 2
        assert queries.sessions_for_pr(db, "octo/app", 9) == 0


def test_unknown_session_and_running_as_final_status_are_refused(db_engine: Engine) -> None:
    with session_scope(db_engine) as db:
        with pytest.raises(queries.UnknownSessionError, match="nope"):
            queries.finish_session(db, "nope", SessionStatus.NO_FIX, "x")
        session_id = queries.create_session(db).id
        with pytest.raises(ValueError, match="final status"):
            queries.finish_session(db, session_id, "running", "x")
        assert queries.get_session(db, "nope") is None
