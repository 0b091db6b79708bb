"""The child process of one paste-page session: the `truth fix` pipeline on the pasted project.

Started by web/paste_runner.py with a JSON spec on stdin: {"settings", "session_id", "root"}.
It records the session in the database like any session (its record was made by the page);
whatever stops it early is written to the session, so the page never waits for nothing.
"""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from bot.settings import Settings

PASTE_TEST_COMMAND = "python -m pytest -q"


def _stop(signum: int, frame: FrameType | None) -> None:
    # SIGTERM from the server: unwind, so every sandbox's cleanup runs.
    raise KeyboardInterrupt(f"stopped by signal {signum}")


def _record_stop(settings: Settings, session_id: str, message: str) -> None:
    from db import queries
    from db.console import add_console_line
    from db.engine import init_db, session_scope
    from db.fix_sessions import FixSession, SessionStatus

    engine = init_db(settings.database_url)
    with session_scope(engine) as db:
        record = db.get(FixSession, session_id)
        if record is not None and record.status == SessionStatus.RUNNING.value:
            add_console_line(db, session_id, "error", message)
            queries.finish_session(db, session_id, SessionStatus.ERROR, message)
    engine.dispose()


def run(spec: dict[str, Any]) -> int:
    from bot.fix.pipeline import build_deps, run_fix
    from bot.fix.types import FixRequest
    from bot.service.logs import configure_logging
    from bot.service.process_secrets import secure_process_settings
    from runner.errors import RunnerError

    settings = secure_process_settings(Settings(**spec["settings"]))
    configure_logging(settings.log_format)
    session_id = str(spec["session_id"])
    request = FixRequest(
        repo_root=Path(spec["root"]),
        test_command=PASTE_TEST_COMMAND,
        candidates=settings.candidates,
        session_id=session_id,
    )
    try:
        run_fix(request, build_deps(settings))
    except RunnerError as exc:
        _record_stop(settings, session_id, f"The sandbox could not run: {exc}")
        return 2
    except KeyboardInterrupt:
        _record_stop(settings, session_id, "The server stopped this session (it shut down).")
        return 3
    return 0


def main() -> None:
    signal.signal(signal.SIGTERM, _stop)
    sys.exit(run(json.loads(sys.stdin.read())))


if __name__ == "__main__":
    main()
