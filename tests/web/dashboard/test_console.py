"""The live console: Server-Sent Events of console lines, live while connected, ending at finish."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
from sqlalchemy.engine import Engine

from bot.settings import Settings
from tests.web.dashboard.app import serve
from tests.web.dashboard.seed import append_console, finish, seed_session
from tests.web.dashboard.server import running
from web.app import create_app
from web.dashboard.console import resume_point

WAIT = 10.0


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
            first = await asyncio.wait_for(next_event(lines), WAIT)
            assert (first["event"], first["id"]) == ("line", "1")

            # Written after the client connected: it must arrive on the open stream.
            seq = await asyncio.to_thread(append_console, db_engine, seeded.session_id, "two")
            live = await asyncio.wait_for(next_event(lines), WAIT)
            assert live["id"] == str(seq) == "2"
            assert json.loads(live["data"])["message"] == "two"

            await asyncio.to_thread(append_console, db_engine, seeded.session_id, "three")
            await asyncio.to_thread(finish, db_engine, seeded.session_id)
            last_line = await asyncio.wait_for(next_event(lines), WAIT)
            end = await asyncio.wait_for(next_event(lines), WAIT)
            assert json.loads(last_line["data"])["message"] == "three"
            assert end["event"] == "end" and json.loads(end["data"]) == {"status": "verified"}
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
