"""Pure parser of pytest JUnit XML into `{test_id: TestOutcome}` (ids `tests/t.py::test`)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from runner.results import TestOutcome, TestStatus

MAX_MESSAGE_CHARS = 2000


def _module_path(dotted: str, known_files: frozenset[str]) -> tuple[str, list[str]]:
    """Split `pkg.test_mod.TestClass` into (`pkg/test_mod.py`, [`TestClass`])."""
    parts = [p for p in dotted.split(".") if p]
    for cut in range(len(parts), 0, -1):
        candidate = "/".join(parts[:cut]) + ".py"
        if candidate in known_files:
            return candidate, parts[cut:]
    # Without the file list, class segments are the ones that look like classes.
    cut = len(parts)
    while cut > 1 and parts[cut - 1][:1].isupper():
        cut -= 1
    return "/".join(parts[:cut]) + ".py", parts[cut:]


def _test_id(case: ET.Element, known_files: frozenset[str]) -> str:
    name = case.get("name", "")
    classname = case.get("classname", "")
    file_attr = case.get("file")
    if not classname:
        # Collection errors: pytest reports the module path, dotted, as the name.
        path, rest = _module_path(name, known_files)
        return "::".join([path, *rest])
    path, classes = _module_path(classname, known_files)
    if file_attr and file_attr.endswith(".py"):
        path = file_attr.replace("\\", "/")
    return "::".join([path, *classes, name])


def _outcome(case: ET.Element) -> tuple[TestStatus, str]:
    for tag, status in (
        ("failure", TestStatus.FAILED),
        ("error", TestStatus.ERROR),
        ("skipped", TestStatus.SKIPPED),
    ):
        child = case.find(tag)
        if child is not None:
            message = child.get("message") or (child.text or "").strip().splitlines()[-1:]
            text = message if isinstance(message, str) else "".join(message)
            return status, text[:MAX_MESSAGE_CHARS]
    return TestStatus.PASSED, ""


def _merge(previous: TestOutcome | None, new: TestOutcome) -> TestOutcome:
    # A test that passed its call but errored in teardown appears twice; the worse one wins.
    rank = {TestStatus.ERROR: 3, TestStatus.FAILED: 2, TestStatus.PASSED: 1, TestStatus.SKIPPED: 0}
    if previous is None or rank[new.status] > rank[previous.status]:
        return new
    return previous


def parse_junit(xml_text: str | bytes, known_files: Iterable[str] = ()) -> dict[str, TestOutcome]:
    """Outcomes from a JUnit XML report; raises ValueError when the text is not such a report."""
    try:
        root = ET.fromstring(xml_text)
    except ET.ParseError as exc:
        raise ValueError(f"not a JUnit XML report: {exc}") from exc
    if root.tag not in ("testsuites", "testsuite"):
        raise ValueError(f"not a JUnit XML report: root element is <{root.tag}>")
    files = frozenset(known_files)
    outcomes: dict[str, TestOutcome] = {}
    for case in root.iter("testcase"):
        test_id = _test_id(case, files)
        status, message = _outcome(case)
        try:
            duration_ms = float(case.get("time", "0") or 0) * 1000.0
        except ValueError:
            duration_ms = 0.0
        outcome = TestOutcome(test_id, status, round(duration_ms, 3), message)
        outcomes[test_id] = _merge(outcomes.get(test_id), outcome)
    return outcomes
