"""The live console as Server-Sent Events: console lines after a sequence number, until the end."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable

from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from db.console import console_lines
from db.engine import session_scope
from db.fix_sessions import ConsoleLine, FixSession, SessionStatus

POLL_SECONDS = 0.5
MAX_SEQ_DIGITS = 18  # below PostgreSQL's BIGINT limit
KEEPALIVE_POLLS = 30  # a comment every ~15 s keeps proxies from closing an idle stream
MAX_STREAM_SECONDS = 3600.0  # a session stuck in "running" must not hold a connection forever


def line_event(line: ConsoleLine) -> str:
    """One SSE message; the id lets EventSource resume with Last-Event-ID after a drop (pure)."""
    data = json.dumps(
        {"seq": line.seq, "stage": line.stage, "message": line.message,
         "at": line.created_at.isoformat()}
    )  # fmt: skip
    return f"id: {line.seq}\nevent: line\ndata: {data}\n\n"


def end_event(status: str) -> str:
    return f"event: end\ndata: {json.dumps({'status': status})}\n\n"


def resume_point(last_event_id: str | None, after: str | None) -> int:
    """Where to resume: the browser's Last-Event-ID wins over ?after=; bad values mean 0."""
    for value in (last_event_id, after):
        raw = (value or "").strip()
        # ASCII digits only: "²".isdigit() is true but int("²") fails; bounded to BIGINT.
        if raw.isascii() and raw.isdigit() and len(raw) <= MAX_SEQ_DIGITS:
            return int(raw)
    return 0


def _poll(engine: Engine, session_id: str, after: int) -> tuple[list[ConsoleLine], str]:
    with session_scope(engine) as db:
        record = db.get(FixSession, session_id)
        status = record.status if record else SessionStatus.ERROR.value
        return console_lines(db, session_id, after), status


async def stream(
    engine: Callable[[], Engine],
    session_id: str,
    after: int,
    *,
    poll_seconds: float = POLL_SECONDS,
    max_seconds: float = MAX_STREAM_SECONDS,
) -> AsyncIterator[str]:
    """Yield new lines as they are stored; end once the session has finished and is drained."""
    yield f"retry: {int(poll_seconds * 4000)}\n\n"
    idle = 0
    loop = asyncio.get_running_loop()
    deadline = loop.time() + max_seconds
    while True:
        # Status is read with the lines in one transaction: a line written just before the
        # session finished is therefore always sent before the end event.
        lines, status = await run_in_threadpool(_poll, engine(), session_id, after)
        for line in lines:
            after = line.seq
            yield line_event(line)
        if status != SessionStatus.RUNNING.value:
            yield end_event(status)
            return
        if loop.time() >= deadline:
            yield end_event("still running; reload the page to keep watching")
            return
        idle = 0 if lines else idle + 1
        if idle >= KEEPALIVE_POLLS:
            idle = 0
            yield ": keep-alive\n\n"
        await asyncio.sleep(poll_seconds)
