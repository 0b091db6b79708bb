"""A session's live stream as Server-Sent Events: console lines after a sequence number, and
each candidate's row whenever it is judged (so the page's table fills in), until the end."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from db.console import console_lines
from db.dashboard import CandidateState, baseline_failing, candidate_states, candidate_tests
from db.engine import session_scope
from db.fix_sessions import ConsoleLine, FixSession, SessionStatus
from web.dashboard.candidates import row_for

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


@dataclass
class _Seen:
    """What this stream has sent: the last line, each candidate's version, the baseline."""

    after: int
    versions: dict[str, tuple[str, str, float]] = field(default_factory=dict)
    failing_before: list[str] | None = None


@dataclass
class _Poll:
    lines: list[ConsoleLine]
    status: str
    candidates: list[str]  # candidate events, ready to send


def candidate_event(row: dict[str, object]) -> str:
    return f"event: candidate\ndata: {json.dumps(row)}\n\n"


def _poll(engine: Engine, session_id: str, seen: _Seen) -> _Poll:
    with session_scope(engine) as db:
        record = db.get(FixSession, session_id)
        status = record.status if record else SessionStatus.ERROR.value
        lines = console_lines(db, session_id, seen.after)
        changed = [s for s in candidate_states(db, session_id) if _is_new(s, seen)]
        if changed and not seen.failing_before:
            seen.failing_before = baseline_failing(db, session_id)
        tests = candidate_tests(db, session_id, [s.candidate_id for s in changed])
    events = []
    for state in changed:
        seen.versions[state.candidate_id] = state.version
        row = row_for(state, tests.get(state.candidate_id), seen.failing_before or [])
        events.append(candidate_event(row.as_json()))
    return _Poll(lines, status, events)


def _is_new(state: CandidateState, seen: _Seen) -> bool:
    return seen.versions.get(state.candidate_id) != state.version


async def stream(
    engine: Callable[[], Engine],
    session_id: str,
    after: int,
    *,
    poll_seconds: float = POLL_SECONDS,
    max_seconds: float = MAX_STREAM_SECONDS,
) -> AsyncIterator[str]:
    """Yield new lines and judged candidates as they are stored; end once the session has
    finished and is drained."""
    yield f"retry: {int(poll_seconds * 4000)}\n\n"
    idle = 0
    loop = asyncio.get_running_loop()
    deadline = loop.time() + max_seconds
    seen = _Seen(after)
    while True:
        # Status is read with the lines in one transaction: a line written just before the
        # session finished is therefore always sent before the end event.
        polled = await run_in_threadpool(_poll, engine(), session_id, seen)
        for line in polled.lines:
            seen.after = line.seq
            yield line_event(line)
        for event in polled.candidates:
            yield event
        if polled.status != SessionStatus.RUNNING.value:
            yield end_event(polled.status)
            return
        if loop.time() >= deadline:
            yield end_event("still running; reload the page to keep watching")
            return
        idle = 0 if polled.lines or polled.candidates else idle + 1
        if idle >= KEEPALIVE_POLLS:
            idle = 0
            yield ": keep-alive\n\n"
        await asyncio.sleep(poll_seconds)
