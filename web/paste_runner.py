"""Runs the paste page's fix sessions beside the web process, never inside it.

Each session is one child process (`python -m bot.cli.paste_run`) that runs the same pipeline
as `truth fix` on the pasted project and records the session in the database, where the page
streams it from. The web process imports none of the pipeline, the runner or Docker; the child
gets the settings on its stdin (never argv or a file, so secrets stay out of `ps` and the disk).
Sessions wait their turn (PASTE_PARALLELISM at once); a child that dies leaves its session
ended with what happened, not "running" forever; shutting down stops the children.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from bot.settings import Settings
from db import queries
from db.console import add_console_line
from db.engine import session_scope
from db.fix_sessions import FixSession, SessionStatus

log = logging.getLogger(__name__)

PASTE_PARALLELISM = 1  # each session already runs its candidates in parallel sandboxes
CHILD_SLACK_S = 900.0  # beyond the search budget and the baseline's limit: install, re-runs
STDERR_TAIL = 4000
CLOSE_WAIT_S = 15.0


def settings_payload(settings: Settings) -> dict[str, Any]:
    """The settings as plain JSON for the child, secrets in clear (they travel on a pipe)."""
    data: dict[str, Any] = {}
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        elif isinstance(value, Path):
            value = str(value)
        data[name] = value
    return data


class PasteRunner:
    """Starts paste sessions in child processes, in turn, and ends them cleanly."""

    def __init__(self, settings: Settings, engine: Any) -> None:
        self._settings = settings
        self._engine = engine  # () -> Engine, connected on first use
        self._turn = asyncio.Semaphore(PASTE_PARALLELISM)
        self._children: dict[str, asyncio.subprocess.Process] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._waiting = 0
        self._closing = False

    def start(self, session_id: str, root: Path) -> None:
        """Queue the session; it runs as soon as a turn is free."""
        task = asyncio.get_running_loop().create_task(self._run(session_id, root))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, session_id: str, root: Path) -> None:
        engine: Engine = self._engine()
        if self._turn.locked():
            ahead = self._waiting + PASTE_PARALLELISM
            await run_in_threadpool(
                _say, engine, session_id,
                f"Waiting for the sandbox: {ahead} pasted bug{'s' if ahead > 1 else ''} "
                "ahead of this one…",
            )  # fmt: skip
        self._waiting += 1
        try:
            async with self._turn:
                self._waiting -= 1
                if self._closing:
                    raise RuntimeError("the server is shutting down")
                await self._child(engine, session_id, root)
        except Exception:  # the session must still end visibly
            log.exception("paste session %s: the runner failed", session_id)
            await run_in_threadpool(
                _end, engine, session_id, "The server could not start this session; try again."
            )

    async def _child(self, engine: Engine, session_id: str, root: Path) -> None:
        spec = {
            "settings": settings_payload(self._settings),
            "session_id": session_id,
            "root": str(root),
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli.paste_run",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        self._children[session_id] = process
        limit = (
            self._settings.repair_time_budget_seconds
            + self._settings.sandbox_timeout_seconds
            + CHILD_SLACK_S
        )
        try:
            _, stderr = await asyncio.wait_for(
                process.communicate(json.dumps(spec).encode()), timeout=limit
            )
        except TimeoutError:
            _kill(process)
            await process.wait()
            stderr, why = b"", f"it ran past the server's limit of {limit:.0f} s"
        else:
            why = f"its process stopped (exit {process.returncode})"
        finally:
            self._children.pop(session_id, None)
        if process.returncode != 0:
            tail = stderr.decode("utf-8", "replace")[-STDERR_TAIL:]
            log.warning("paste session %s: %s\n%s", session_id, why, tail)
            await run_in_threadpool(
                _end, engine, session_id,
                f"The session ended early: {why}. Try again; if it keeps happening, the "
                "server's log has the details.",
            )  # fmt: skip

    async def close(self) -> None:
        """Stop every child (its sandboxes are removed by their own cleanup) and the queue."""
        self._closing = True
        for process in list(self._children.values()):
            _kill(process)
        if self._tasks:  # a stopped child's task ends by itself, its pipes read and closed
            await asyncio.wait(list(self._tasks), timeout=CLOSE_WAIT_S)
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


def _kill(process: asyncio.subprocess.Process) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)


def _say(engine: Engine, session_id: str, message: str) -> None:
    with session_scope(engine) as db:
        add_console_line(db, session_id, "preparing", message)


def _end(engine: Engine, session_id: str, message: str) -> None:
    """End a session its child left running; a session that ended on its own is kept."""
    with session_scope(engine) as db:
        record = db.get(FixSession, session_id)
        if record is None or record.status != SessionStatus.RUNNING.value:
            return
        add_console_line(db, session_id, "error", message)
        queries.finish_session(db, session_id, SessionStatus.ERROR, message)
