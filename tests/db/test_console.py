"""The live console lines of a session, run against SQLite and a real PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from db import queries
from db.console import add_console_line, console_lines
from db.engine import session_scope


def test_console_lines_are_numbered_per_session_and_streamable(db_engine: Engine) -> None:
    with session_scope(db_engine) as db:
        first = queries.create_session(db).id
        second = queries.create_session(db).id
        seqs = [
            add_console_line(db, first, "analyzing", "Analyzing failure…"),
            add_console_line(db, first, "reproducing", "Reproducing in sandbox…"),
            add_console_line(db, second, "analyzing", "Analyzing failure…"),
        ]
    assert seqs == [1, 2, 1]
    with session_scope(db_engine) as db:
        newer = console_lines(db, first, after_seq=1)
    assert [(line.seq, line.message) for line in newer] == [(2, "Reproducing in sandbox…")]


def test_console_lines_from_parallel_writers_get_distinct_numbers(db_engine: Engine) -> None:
    with session_scope(db_engine) as db:
        session_id = queries.create_session(db).id

    def write(worker: int) -> list[int]:
        seqs = []
        for line in range(5):
            with session_scope(db_engine) as db:
                seqs.append(add_console_line(db, session_id, "candidate", f"{worker}.{line}"))
        return seqs

    with ThreadPoolExecutor(max_workers=4) as pool:
        numbers = [seq for seqs in pool.map(write, range(4)) for seq in seqs]
    assert sorted(numbers) == list(range(1, 21))


def test_child_rows_need_an_existing_session(db_engine: Engine) -> None:
    with pytest.raises(IntegrityError), session_scope(db_engine) as db:
        add_console_line(db, "missing", "analyzing", "x")
