"""Pure parsing of CI check-run output and annotations into test counts and failing tests."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# pytest's summary line ("3 failed, 12 passed, 1 skipped in 0.52s") and the common
# "Tests: 2 failed, 10 passed" forms (jest) share the "<n> <word>" shape.
_COUNT = re.compile(r"\b(\d+)\s+(passed|failed|errors?|skipped|xfailed|xpassed)\b", re.I)
_FAILED_ID = re.compile(r"^(?:FAILED|ERROR)\s+(\S+::\S+)", re.M)
_TEST_ID = re.compile(r"(\S+\.py::[\w\[\]\-.:]+)")


@dataclass
class CiTests:
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    failed_tests: list[str] = field(default_factory=list)
    found: bool = False


def parse_check_output(text: str, annotations: list[dict[str, Any]] | None = None) -> CiTests:
    """Counts from the output's last tally line, failing ids from FAILED lines or annotations."""
    result = CiTests()
    # Titles and summaries repeat the same tally, so only the last line with counts is read
    # (pytest prints its totals last).
    tallies = [line for line in (text or "").splitlines() if _COUNT.search(line)]
    for number, word in _COUNT.findall(tallies[-1] if tallies else ""):
        count, word = int(number), word.lower()
        if word == "passed" or word == "xpassed":
            result.passed += count
        elif word in ("failed", "error", "errors"):
            result.failed += count
        else:
            result.skipped += count
        result.found = True
    names = dict.fromkeys(_FAILED_ID.findall(text or ""))
    for note in annotations or []:
        if note.get("annotation_level") != "failure":
            continue
        title = str(note.get("title") or "")
        match = _TEST_ID.search(title) or _TEST_ID.search(str(note.get("message") or ""))
        if match:
            names.setdefault(match.group(1))
        elif title:
            names.setdefault(f"{note.get('path', '')}::{title}".lstrip(":"))
    result.failed_tests = list(names)
    if result.failed_tests:
        result.found = True
        result.failed = max(result.failed, len(result.failed_tests))
    return result


def check_exit_code(conclusion: str | None) -> int | None:
    """A CI job's verdict as a command exit code: 0 success, 1 failure, None when unknown."""
    if conclusion in ("success", "neutral", "skipped"):
        return 0
    if conclusion in ("failure", "timed_out", "cancelled", "action_required", "startup_failure"):
        return 1
    return None
