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
# Framework functions whose replacement would let code under test rewrite outcomes. Their
# identity is noted before any test module is imported and checked after each test.
WATCHED = (
    ("_pytest.reports", "TestReport", "from_item_and_call"),
    ("_pytest.reports", "TestReport", "_to_json"),
    ("_pytest.runner", "", "call_and_report"),
    ("_pytest.runner", "", "call_runtest_hook"),
    ("_pytest.runner", "", "runtestprotocol"),
    ("_pytest.runner", "", "check_interactive_exception"),
    ("_pytest.runner", "CallInfo", "from_call"),
    ("_pytest.python", "Function", "runtest"),
    ("_pytest.python", "", "pytest_pyfunc_call"),
    ("_pytest.main", "Session", "pytest_runtest_logreport"),
    ("_pytest.terminal", "TerminalReporter", "pytest_runtest_logreport"),
    ("_pytest.unittest", "TestCaseFunction", "runtest"),
    ("_pytest.outcomes", "", "fail"),
    ("_pytest.outcomes", "", "skip"),
    ("unittest.case", "TestCase", "run"),
    ("unittest.result", "TestResult", "addFailure"),
    ("unittest.result", "TestResult", "addError"),
    ("builtins", "", "AssertionError"),
    ("builtins", "", "isinstance"),
    ("builtins", "", "__import__"),
)
_seen: dict[str, int] = {}
_reported_tampering = False


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


def _watched() -> dict[str, int]:
    import importlib

    found: dict[str, int] = {}
    for module_name, owner, attribute in WATCHED:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        holder = getattr(module, owner, None) if owner else module
        namespace = getattr(holder, "__dict__", {})
        if attribute in namespace:
            found[".".join(p for p in (module_name, owner, attribute) if p)] = id(
                namespace[attribute]
            )
    return found


def _check_framework() -> None:
    global _reported_tampering
    if _reported_tampering:
        return
    now = _watched()
    changed = sorted(name for name, ident in _seen.items() if now.get(name) != ident)
    if changed:
        _reported_tampering = True
        _send({"t": "tampered", "names": changed})


def pytest_configure(config: Any) -> None:
    _seen.update(_watched())
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


_xdist_collected = False


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: Any, ids: list[str]) -> None:
    """Under pytest-xdist the workers collect; every worker collects the same ids."""
    global _xdist_collected
    if not _xdist_collected:
        _xdist_collected = True
        _send({"t": "collected", "ids": list(ids)})


def pytest_runtest_logstart(nodeid: str, location: Any) -> None:
    _send({"t": "start", "id": nodeid})


def pytest_runtest_logreport(report: Any) -> None:
    if report.when == "teardown":
        # After teardown, so a test's own monkeypatching (undone by then) is not counted.
        _check_framework()
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
    _check_framework()
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    stats = getattr(reporter, "stats", {}) if reporter is not None else {}
    counts = {str(key): len(value) for key, value in stats.items() if key}
    _send({"t": "finish", "exit": int(session.exitstatus), "counts": counts})
