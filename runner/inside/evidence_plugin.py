"""Pytest plugin loaded into the test process: streams each test's report to the supervisor.

It runs beside the code under test, so it holds nothing secret; what it buys is timing. Each
record leaves the process the moment pytest produces it, so a later rewrite, early exit or
crash cannot take back what was already seen. Stdlib + pytest only; Python 3.9 compatible.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

_FD = int(os.environ.pop("TRUTH_EVIDENCE_FD", "-1") or -1)
MESSAGE_CHARS = 2000


def _send(record: dict[str, Any]) -> None:
    if _FD < 0:
        return
    data = (json.dumps(record, default=str) + "\n").encode("utf-8", "replace")
    view = memoryview(data)
    while view:
        written = os.write(_FD, view)
        view = view[written:]


def _message(report: Any) -> str:
    if not report.failed and not report.skipped:
        return ""
    crash = getattr(report.longrepr, "reprcrash", None)
    crash_message = str(getattr(crash, "message", "") or "")
    if crash_message:
        return crash_message[:MESSAGE_CHARS]
    text = str(getattr(report, "longreprtext", "") or report.longrepr or "")
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return (lines[-1] if lines else "")[:MESSAGE_CHARS]


def pytest_configure(config: Any) -> None:
    if _FD >= 0:
        # Subprocesses the tests start must not inherit the channel.
        os.set_inheritable(_FD, False)
    _send({"t": "session", "pid": os.getpid()})


def pytest_collectreport(report: Any) -> None:
    if report.failed:
        _send({"t": "collect_error", "id": report.nodeid, "msg": _message(report)})
    elif report.skipped:
        _send({"t": "collect_skip", "id": report.nodeid})


def pytest_collection_finish(session: Any) -> None:
    _send({"t": "collected", "ids": [item.nodeid for item in session.items]})


def pytest_runtest_logstart(nodeid: str, location: Any) -> None:
    _send({"t": "start", "id": nodeid})


def pytest_runtest_logreport(report: Any) -> None:
    _send(
        {
            "t": "report",
            "id": report.nodeid,
            "when": report.when,
            "outcome": report.outcome,
            "xfail": hasattr(report, "wasxfail"),
            "ms": round(float(report.duration) * 1000.0, 3),
            "msg": _message(report),
        }
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_sessionfinish(session: Any, exitstatus: Any) -> Any:
    yield
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    stats = getattr(reporter, "stats", {}) if reporter is not None else {}
    counts = {str(key): len(value) for key, value in stats.items() if key}
    _send({"t": "finish", "exit": int(session.exitstatus), "counts": counts})
