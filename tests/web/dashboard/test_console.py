"""The live console: Server-Sent Events of console lines, live while connected, ending at finish."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
from sqlalchemy.engine import Engine

from bot.settings import Settings
from tests.web.dashboard.app import serve
from tests.web.dashboard.seed import append_console, finish, seed_session
from tests.web.dashboard.server import running
from web.app import create_app
from web.dashboard.console import resume_point

WAIT = 10.0


async def next_line(lines: AsyncIterator[str], candidates: list[dict[str, str]]) -> dict[str, str]:
    """The next line or end event; candidate events on the way are kept in `candidates`."""
    while True:
        event = await next_event(lines)
        if event["event"] != "candidate":
            return event
        candidates.append(json.loads(event["data"]))


async def next_event(lines: AsyncIterator[str]) -> dict[str, str]:
    """Fields of the next SSE message that has an event name (comments and retry skipped)."""
    fields: dict[str, str] = {}
    async for line in lines:
        if line == "":
            if "event" in fields:
                return fields
            fields = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(": ")
            fields[name] = value
    raise AssertionError(f"the stream ended before an event; had {fields}")


def test_resume_prefers_last_event_id_and_ignores_junk() -> None:
    assert resume_point("7", "3") == 7
    assert resume_point(None, "3") == 3
    assert resume_point("x", None) == 0 and resume_point(None, None) == 0
    # Digits Python's int() refuses, or too large for the database, are junk too.
    assert resume_point("\u00b2", "\u0663") == 0
    assert resume_point("9" * 30, None) == 0


async def test_lines_appended_while_connected_arrive_and_the_stream_ends_at_finish(
    local_settings: Settings, db_engine: Engine
) -> None:
    seeded = seed_session(db_engine, installation_id=None, finished=False, console=("one",))
    with running(create_app(local_settings)) as base:
        async with (
            httpx.AsyncClient(base_url=base, timeout=WAIT) as client,
            client.stream("GET", f"/sessions/{seeded.session_id}/console") as stream,
        ):
            assert stream.headers["content-type"].startswith("text/event-stream")
            lines = stream.aiter_lines()
            rows: list[dict[str, str]] = []
            first = await asyncio.wait_for(next_line(lines, rows), WAIT)
            assert (first["event"], first["id"]) == ("line", "1")

            # Written after the client connected: it must arrive on the open stream.
            seq = await asyncio.to_thread(append_console, db_engine, seeded.session_id, "two")
            live = await asyncio.wait_for(next_line(lines, rows), WAIT)
            assert live["id"] == str(seq) == "2"
            assert json.loads(live["data"])["message"] == "two"

            await asyncio.to_thread(append_console, db_engine, seeded.session_id, "three")
            await asyncio.to_thread(finish, db_engine, seeded.session_id)
            last_line = await asyncio.wait_for(next_line(lines, rows), WAIT)
            end = await asyncio.wait_for(next_line(lines, rows), WAIT)
            assert json.loads(last_line["data"])["message"] == "three"
            assert end["event"] == "end" and json.loads(end["data"]) == {"status": "verified"}
            # The candidate table's rows came on the same stream, once each, in plain words.
            assert [(r["id"], r["verdict"]) for r in rows] == [
                ("cand-1", "passed"),
                ("cand-2", "failed"),
            ]
            rest = [line async for line in lines]
            assert rest == []  # the server closed the stream


async def test_a_reconnect_resumes_after_last_event_id(
    local_settings: Settings, db_engine: Engine
) -> None:
    seeded = seed_session(db_engine, installation_id=None, console=("a", "b", "c"))
    async with serve(local_settings) as client:
        answer = await client.get(
            f"/sessions/{seeded.session_id}/console", headers={"Last-Event-ID": "1"}
        )
    ids = [line.removeprefix("id: ") for line in answer.text.splitlines() if line.startswith("id:")]
    assert ids == ["2", "3"]
    assert answer.text.rstrip().endswith('event: end\ndata: {"status": "verified"}')


def judge(engine: Engine, session_id: str, status: str, message: str) -> None:
    """A candidate judged the way the recorder stores one: its run, then its verdict."""
    from bot.fix.types import CandidateResult
    from db import queries
    from db.engine import session_scope
    from runner.results import TestStatus
    from tests.web.dashboard.seed import LOSER_DIFF, TEST_ID, _run

    run = _run(1, TestStatus.FAILED)
    run.tests[TEST_ID] = replace(run.tests[TEST_ID], message=message)
    with session_scope(engine) as db:
        queries.record_run(db, session_id, run, "c3")
        queries.record_candidate(
            db, session_id,
            CandidateResult("c3", "rules", "`+ 1` → `- 1` on line 2 in calc.py", LOSER_DIFF,
                            status, "dropped at the first red target", 900.0, 2),
        )  # fmt: skip


async def test_a_candidate_judged_while_connected_arrives_as_a_row_and_again_when_it_changes(
    local_settings: Settings, db_engine: Engine
) -> None:
    seeded = seed_session(db_engine, installation_id=None, finished=False, console=("one",))
    with running(create_app(local_settings)) as base:
        async with (
            httpx.AsyncClient(base_url=base, timeout=WAIT) as client,
            client.stream("GET", f"/sessions/{seeded.session_id}/console") as stream,
        ):
            lines = stream.aiter_lines()
            rows: list[dict[str, str]] = []
            await asyncio.wait_for(next_line(lines, rows), WAIT)
            message = "assert [0, 0, 0] == [3, 5, 7]\n  At index 0 diff: 0 != 3"
            await asyncio.to_thread(judge, db_engine, seeded.session_id, "failed", message)
            while not any(r["id"] == "c3" for r in rows):
                event = await asyncio.wait_for(next_event(lines), WAIT)
                if event["event"] == "candidate":
                    rows.append(json.loads(event["data"]))
            await asyncio.to_thread(judge, db_engine, seeded.session_id, "timeout", message)
            await asyncio.to_thread(finish, db_engine, seeded.session_id)
            while (await asyncio.wait_for(next_line(lines, rows), WAIT))["event"] != "end":
                pass

    judged = [r for r in rows if r["id"] == "c3"]
    assert [r["verdict"] for r in judged] == ["failed", "ran out of time"]
    first = judged[0]
    assert first["number"] == "3" and first["edit"] == "`+ 1` → `- 1` on line 2 in calc.py"
    # The whole test id and the first line of the assertion, nothing cut.
    assert first["outcome"] == (
        "still fails tests/test_calc.py::test_last: assert [0, 0, 0] == [3, 5, 7]"
    )
