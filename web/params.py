"""Checks for values taken from URLs and headers before they reach a query: NUL and control
characters, lengths, integer and date ranges. Each failure is a 400 that names the value.

SQLite stores a NUL or a 30-digit integer and PostgreSQL refuses both with a driver error;
checking here makes the answer the same 400 on both, before any SQL runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from urllib.parse import parse_qsl

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

MAX_TEXT = 200
MAX_ID = 128
MAX_QUERY_VALUE = 1000
FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(9999, 12, 31)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class BadParam(ValueError):
    """A URL or header value is malformed; the message names it and says what is expected."""


def _shown(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "…")


def text(value: str | None, name: str, max_chars: int = MAX_TEXT) -> str | None:
    """The stripped value (None when empty); refused with control characters or too long."""
    value = (value or "").strip()
    if not value:
        return None
    if _CONTROL.search(value):
        raise BadParam(f"{name} contains a NUL or control character; remove it")
    if len(value) > max_chars:
        raise BadParam(f"{name} is {len(value)} characters long; at most {max_chars} are allowed")
    return value


def identifier(value: str, name: str) -> str:
    """A path segment naming a record (a trace, a session, a candidate); kept as sent."""
    if not value:
        raise BadParam(f"{name} is empty")
    if _CONTROL.search(value):
        raise BadParam(f"{name} contains a NUL or control character; remove it")
    if len(value) > MAX_ID:
        raise BadParam(f"{name} is {len(value)} characters long; at most {MAX_ID} are allowed")
    return value


def _exact(value: str | None, name: str, max_chars: int) -> str:
    """The value exactly as sent ("" when absent): an empty form field means "not given"."""
    raw = value or ""
    if _CONTROL.search(raw):
        raise BadParam(f"{name} contains a NUL or control character; remove it")
    if len(raw) > max_chars:
        raise BadParam(f"{name} is {len(raw)} characters long; at most {max_chars} are allowed")
    return raw


def integer(value: str | None, name: str, default: int, low: int, high: int) -> int:
    """`default` when absent; an empty value is refused like any other non-number."""
    if value is None:
        return default
    raw = _exact(value, name, 20)
    if not re.fullmatch(r"-?[0-9]+", raw):
        raise BadParam(f"{name}={_shown(raw)} is not a whole number")
    number = int(raw)
    if not low <= number <= high:
        raise BadParam(f"{name} must be between {low} and {high}, not {number}")
    return number


def day(value: str | None, name: str) -> date | None:
    raw = _exact(value, name, 10)
    if not raw:
        return None
    try:
        found = (
            date.fromisoformat(raw) if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw) else None
        )
    except ValueError:
        found = None
    if found is None:
        raise BadParam(f"{name}={_shown(raw)} is not a date; use YYYY-MM-DD")
    if not FIRST_DAY <= found <= LAST_DAY:
        raise BadParam(f"{name} must be between {FIRST_DAY} and {LAST_DAY}, not {found}")
    return found


def choice(value: str | None, name: str, allowed: Iterable[str]) -> str | None:
    raw = _exact(value, name, MAX_TEXT)
    options = list(allowed)
    if raw and raw not in options:
        raise BadParam(f"{name}={_shown(raw)} is unknown; use one of {', '.join(options)}")
    return raw or None


def control_character_problem(path: str, query: bytes) -> str | None:
    """Why a request's decoded path or query cannot be served, or None."""
    if _CONTROL.search(path):
        return "The URL path contains a NUL or control character; remove it."
    try:
        pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    except ValueError:
        return "The query string cannot be parsed."
    for key, value in pairs:
        if _CONTROL.search(key) or _CONTROL.search(value):
            return f"The query parameter {_shown(key)} contains a NUL or control character."
        if len(value) > MAX_QUERY_VALUE:
            return f"The query parameter {_shown(key)} is longer than {MAX_QUERY_VALUE} characters."
    return None


class RefuseControlCharacters:
    """ASGI middleware: a 400 for any URL whose decoded path or query holds control characters,
    so no route ever passes a NUL to the database."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            problem = control_character_problem(scope["path"], scope.get("query_string", b""))
            if problem is not None:
                answer = JSONResponse({"error": "bad_request", "message": problem}, 400)
                await answer(scope, receive, send)
                return
        await self.app(scope, receive, send)
