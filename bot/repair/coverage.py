"""Per-test line coverage collected inside the sandbox: the data spectrum ranking is built on."""

from __future__ import annotations

import json
import logging
import shlex
from typing import Any, Protocol

from bot.repair.spectrum import Spectrum
from runner.results import RunResult
from runner.snapshot import RepoSnapshot

log = logging.getLogger(__name__)

MARKER = "@@truth-spectrum@@"
SHELL_SYNTAX = ("&&", "||", ";", "|", ">", "<", "`", "$(")

# Runs pytest in-process with a plugin that records, for each test, the lines of the repository's
# non-test code it executed (sys.settrace, traced only inside the repository), then prints one
# compact line: per line [failing tests that ran it, passing tests that ran it]. Counts, not
# per-test sets, so a large suite still fits the sandbox's stdout cap.
# What every in-process tracer starts with: the repository root and which files are tests.
TRACER_PRELUDE = r"""
import json, os, sys, threading
import pytest
ROOT = os.getcwd() + os.sep
def is_test(rel):
    name = rel.rsplit("/", 1)[-1]
    return (name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"
            or rel.startswith("tests/") or "/tests/" in rel)
"""
TRACER = (
    TRACER_PRELUDE
    + r"""
class Spectrum:
    def __init__(self):
        self.current = None
        self.ran = {}
        self.outcome = {}
        self.foreign = set()
    def tracer(self, frame, event, arg):
        path = frame.f_code.co_filename
        if path in self.foreign:
            return None
        if not path.startswith(ROOT) or "-packages/" in path or is_test(path[len(ROOT):]):
            self.foreign.add(path)
            return None
        rel, lines = path[len(ROOT):], self.current
        if lines is None:
            return None
        def local(frame, event, arg):
            if event == "line":
                lines.add((rel, frame.f_lineno))
            return local
        return local
    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        self.current = set()
        threading.settrace(self.tracer)
        sys.settrace(self.tracer)
        try:
            yield
        finally:
            sys.settrace(None)
            threading.settrace(None)
            self.ran[item.nodeid], self.current = self.current, None
    def pytest_runtest_logreport(self, report):
        if report.failed:
            self.outcome[report.nodeid] = "failed"
        elif report.when == "call" and report.passed:
            self.outcome.setdefault(report.nodeid, "passed")
    def summary(self):
        counts = {}
        failed = sorted(t for t, o in self.outcome.items() if o == "failed")
        passed = [t for t, o in self.outcome.items() if o == "passed"]
        for test in failed + passed:
            column = 0 if self.outcome[test] == "failed" else 1
            for rel, line in self.ran.get(test, ()):
                counts.setdefault(rel, {}).setdefault(str(line), [0, 0])[column] += 1
        return {"failed": failed, "passed": len(passed), "lines": counts}
plugin = Spectrum()
code = pytest.main(sys.argv[1:], plugins=[plugin])
sys.stdout.write("\n" + MARKER + json.dumps(plugin.summary(), separators=(",", ":")) + "\n")
sys.exit(code)
"""
)


class Runs(Protocol):
    def run(
        self, snapshot: RepoSnapshot, command: str | None = None, patch: str | None = None
    ) -> RunResult: ...


def pytest_args(test_command: str) -> list[str] | None:
    """The arguments of a plain pytest call, or None for anything else (shell syntax, other
    runners), which an in-process tracer cannot wrap."""
    if any(token in test_command for token in SHELL_SYNTAX):
        return None
    try:
        words = shlex.split(test_command)
    except ValueError:
        return None
    if words[:1] in (["pytest"], ["py.test"]):
        return words[1:]
    if len(words) >= 3 and words[0] in ("python", "python3") and words[1:3] == ["-m", "pytest"]:
        return words[3:]
    return None


def traced_command(script: str, marker: str, test_command: str, *extra: str) -> str | None:
    """`test_command` run in-process by a tracer `script` that prints its result after
    `marker`; None when the command is not a plain pytest call."""
    args = pytest_args(test_command)
    if args is None:
        return None
    return shlex.join(["python", "-c", script.replace("MARKER", repr(marker)), *args, *extra])


def marked_json(stdout: str, marker: str) -> Any:
    """The JSON a tracer printed after `marker` (its last occurrence), or None."""
    at = stdout.rfind(marker)
    if at < 0:
        return None
    try:
        return json.loads(stdout[at + len(marker) :].split("\n", 1)[0])
    except ValueError:
        return None


def spectrum_command(test_command: str) -> str | None:
    """The test command run under the tracer, or None when it is not a plain pytest call."""
    return traced_command(TRACER, MARKER, test_command)


def parse_spectrum(stdout: str) -> Spectrum | None:
    """The tracer's summary line from a run's stdout; None when it is missing or mangled."""
    data = marked_json(stdout, MARKER)
    try:
        lines = {
            (file, int(number)): (int(counts[0]), int(counts[1]))
            for file, by_line in data["lines"].items()
            for number, counts in by_line.items()
        }
        return Spectrum(lines=lines, failed=list(data["failed"]), passed=int(data["passed"]))
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def collect_spectrum(
    sandbox: Runs, snapshot: RepoSnapshot, test_command: str, patch: str | None = None
) -> Spectrum | None:
    """Run the tests once more under the tracer in a sandbox; None when that cannot be done
    (not a pytest command, the traced run hung or crashed, or no test failed under it)."""
    command = spectrum_command(test_command)
    if command is None:
        return None
    try:
        result = sandbox.run(snapshot, command, patch or None)
    except Exception as exc:  # localisation falls back to the traceback; never fatal
        log.warning("coverage run failed: %s: %s", type(exc).__name__, exc)
        return None
    spectrum = parse_spectrum(result.stdout)
    if spectrum is None or not spectrum.failed:
        return None
    return spectrum
