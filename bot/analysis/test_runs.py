"""Which failing checks are test runs the sandbox can reproduce, and which are lint, build, deploy…

A check qualifies when its log or annotations show a test run (a pytest or unittest summary, or
failing test ids), or when its name matches one of the repository's `checks:` globs. Anything
else (ruff, mypy, a Docker build, a deploy, CodeQL) is skipped with the reason said.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from bot.analysis.actions import clean_actions_log, is_actions_log, strip_ansi
from bot.analysis.logs import parse_failures
from bot.analysis.pytest_log import looks_like_pytest

PYTEST_TALLY = re.compile(
    r"^={3,} .*?\b\d+ (?:failed|passed|errors?)\b.*\bin [\d.]+s(?: \([\d:]+\))? ={3,}$", re.M
)
UNITTEST_TALLY = re.compile(r"^Ran \d+ tests? in [\d.]+s$", re.M)
UNITTEST_VERDICT = re.compile(r"^FAILED \((?:failures|errors)=\d+", re.M)
UNITTEST_HEADER = re.compile(r"^(?:FAIL|ERROR): (\w+) \(([\w.]+)\)$", re.M)
# A pytest node id on a line of its own, as pytest's summary and many CI annotations print it.
NODE_ID_LINE = re.compile(r"^(?:FAILED|ERROR) (?P<node>[\w./-]+\.py::\S+?)(?: - .*)?$", re.M)


@dataclass(frozen=True)
class CheckEvidence:
    """What GitHub tells about one failing check: its name, log text and annotation messages."""

    name: str
    log: str = ""
    annotations: Sequence[str] = ()


@dataclass(frozen=True)
class Verdict:
    name: str
    is_test_run: bool
    reason: str
    failing_tests: tuple[str, ...] = ()


@dataclass
class Triage:
    """The failing checks of one head SHA, sorted into test runs and the rest."""

    tests: list[Verdict] = field(default_factory=list)
    skipped: list[Verdict] = field(default_factory=list)

    @property
    def failing_tests(self) -> list[str]:
        """Every test id the qualifying checks name, merged in order and without repeats."""
        return list(dict.fromkeys(t for v in self.tests for t in v.failing_tests))

    def skipped_message(self) -> str:
        names = ", ".join(f"`{v.name}`" for v in self.skipped) or "none"
        return f"the failing checks are not test runs: {names}"


def _clean(text: str) -> str:
    return clean_actions_log(text) if is_actions_log(text) else strip_ansi(text)


def _unittest_ids(text: str) -> list[str]:
    return [f"{module}.{test}" for test, module in UNITTEST_HEADER.findall(text)]


def judge(check: CheckEvidence, globs: Iterable[str] = ()) -> Verdict:
    """Is this failing check a test run? Says why either way."""
    text = _clean("\n".join([check.log, *check.annotations]))
    tests = tuple(dict.fromkeys(f.test_id for f in parse_failures(text) if f.test_id))
    named = [m.group("node") for m in NODE_ID_LINE.finditer(text)] + _unittest_ids(text)
    tests += tuple(t for t in dict.fromkeys(named) if t not in tests)
    matched = next((g for g in globs if fnmatchcase(check.name, g)), None)
    if matched is not None:
        return Verdict(check.name, True, f"its name matches `checks: {matched}`", tests)
    if tests:
        return Verdict(check.name, True, f"its log names {len(tests)} failing test(s)", tests)
    if PYTEST_TALLY.search(text) or looks_like_pytest(text):
        return Verdict(check.name, True, "its log holds a pytest session", tests)
    if UNITTEST_TALLY.search(text) and UNITTEST_VERDICT.search(text):
        return Verdict(check.name, True, "its log holds a failing unittest run", tests)
    return Verdict(
        check.name,
        False,
        "neither its log nor its annotations show a test run (no pytest or unittest summary, "
        "no failing test ids); add its name to `checks:` in .github/truth.yml if it runs tests",
    )


def triage(checks: Iterable[CheckEvidence], globs: Iterable[str] = ()) -> Triage:
    patterns = list(globs)
    sorted_out = Triage()
    for check in checks:
        verdict = judge(check, patterns)
        (sorted_out.tests if verdict.is_test_run else sorted_out.skipped).append(verdict)
    return sorted_out
