"""Per-test evidence from the supervisor's records, and every cross-check it must pass.

A record stream is judged consistent only when each test was started once, reported once per
phase and finished; the counts agree with pytest's own statistics, with the summary line pytest
printed and with the exit code the supervisor saw. Anything else is an inconsistency, which the
verdict turns into `error`, never `verified`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from runner.results import TestOutcome, TestStatus

SUMMARY = re.compile(r"^=*\s*((?:\d+ \w+(?:, )?)+) in [\d.]+s(?: \([^)]*\))?\s*=*\s*$")
COMPARED = ("passed", "failed", "error", "skipped", "xfailed", "xpassed")
SHOWN = 3


@dataclass
class _Test:
    started: int = 0
    phases: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Evidence:
    """What the records say, and the first problem found in them ("" when consistent)."""

    sessions: int = 0
    collected: list[str] = field(default_factory=list)
    collect_errors: dict[str, str] = field(default_factory=dict)
    tests: dict[str, TestOutcome] = field(default_factory=dict)
    problem: str = ""


def _status(phases: dict[str, dict[str, Any]]) -> tuple[TestStatus, str, bool]:
    setup, call, teardown = (phases.get(w, {}) for w in ("setup", "call", "teardown"))
    call_passed = call.get("outcome") == "passed"
    for phase, status in ((setup, TestStatus.ERROR), (call, TestStatus.FAILED)):
        if phase.get("outcome") == "failed":
            return status, str(phase.get("msg", "")), False
    if teardown.get("outcome") == "failed":
        return TestStatus.ERROR, str(teardown.get("msg", "")), call_passed
    for phase in (setup, call):
        if phase.get("outcome") == "skipped":
            return TestStatus.SKIPPED, str(phase.get("msg", "")), False
    if call_passed and teardown.get("outcome") == "passed":
        return TestStatus.PASSED, "", True
    return TestStatus.ERROR, "the test did not report all of its phases", False


def _category(record: dict[str, Any]) -> str:
    outcome, when, xfail = record.get("outcome"), record.get("when"), record.get("xfail")
    if outcome == "skipped":
        return "xfailed" if xfail else "skipped"
    if outcome == "failed":
        return "failed" if when == "call" else "error"
    if when == "call":
        return "xpassed" if xfail else "passed"
    return ""


def _names(ids: list[str]) -> str:
    return ", ".join(ids[:SHOWN]) + (f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else "")


def summary_counts(stdout: str) -> Counter[str] | None:
    """The counts of the last summary line pytest printed, or None when it printed none."""
    for line in reversed(stdout.splitlines()):
        found = SUMMARY.match(line.strip())
        if found:
            counts: Counter[str] = Counter()
            for part in found.group(1).split(", "):
                number, word = part.split(" ", 1)
                counts[{"errors": "error", "warnings": "warning"}.get(word, word)] += int(number)
            return counts
        if line.strip().startswith("no tests ran in "):
            return Counter()
    return None


class _Reader:
    def __init__(self) -> None:
        self.evidence = Evidence()
        self.tests: dict[str, _Test] = {}
        self.counts: Counter[str] = Counter()
        self.finishes: list[dict[str, Any]] = []
        self.problems: list[str] = []

    def feed(self, record: Any) -> None:
        if not isinstance(record, dict):
            self.problems.append("a record that is not an object")
            return
        kind, test_id = record.get("t"), str(record.get("id", ""))
        if kind == "session":
            self.evidence.sessions += 1
        elif kind == "collected" and isinstance(record.get("ids"), list):
            self.evidence.collected.extend(str(i) for i in record["ids"])
        elif kind == "collect_error":
            self.evidence.collect_errors[test_id] = str(record.get("msg", ""))
            self.counts["error"] += 1
        elif kind == "collect_skip":
            self.counts["skipped"] += 1
        elif kind == "start":
            test = self.tests.setdefault(test_id, _Test())
            test.started += 1
            if test.started > 1:
                self.problems.append(f"{test_id} was started twice")
        elif kind == "report":
            self._report(test_id, record)
        elif kind == "finish":
            self.finishes.append(record)
        elif kind == "tampered":
            names = ", ".join(str(n) for n in record.get("names", []))[:300]
            self.problems.append(f"the test framework was modified during the run: {names}")
        else:
            self.problems.append(f"an unknown record {str(kind)[:40]!r}")

    def _report(self, test_id: str, record: dict[str, Any]) -> None:
        test = self.tests.get(test_id)
        when = str(record.get("when"))
        if test is None or not test.started:
            self.problems.append(f"a report for {test_id}, which never started")
            return
        if record.get("outcome") == "rerun":
            # pytest-rerunfailures: the repository's own configuration runs it again from scratch
            test.started, test.phases = 0, {}
            return
        if when in test.phases:
            self.problems.append(f"two {when} reports for {test_id}")
            return
        if test.phases.get("teardown") is not None:
            self.problems.append(f"a {when} report for {test_id} after its teardown")
            return
        test.phases[when] = record
        self.counts[_category(record)] += 1


def read_evidence(
    records: list[Any], exit_code: int | None, stdout: str, completed: bool
) -> Evidence:
    """Per-test outcomes and the first inconsistency among records, summary and exit code.

    `completed` is False when the run was stopped (hung): then tests may lack a teardown and
    no session end is expected."""
    reader = _Reader()
    for record in records:
        reader.feed(record)
    evidence = reader.evidence
    for test_id, test in reader.tests.items():
        status, message, call_passed = _status(test.phases)
        duration = sum(float(p.get("ms", 0) or 0) for p in test.phases.values())
        evidence.tests[test_id] = TestOutcome(
            test_id, status, round(duration, 3), message[:2000], call_passed
        )
    problems = reader.problems
    if completed and evidence.sessions:
        problems += _completion_problems(reader, exit_code, stdout)
    evidence.problem = problems[0] if problems else ""
    return evidence


def _completion_problems(reader: _Reader, exit_code: int | None, stdout: str) -> list[str]:
    problems: list[str] = []
    unfinished = sorted(t for t, test in reader.tests.items() if "teardown" not in test.phases)
    if unfinished:
        problems.append(f"tests started but never finished: {_names(unfinished)}")
    if len(reader.finishes) != reader.evidence.sessions:
        problems.append(
            f"pytest started {reader.evidence.sessions} session(s) and finished "
            f"{len(reader.finishes)} (exit code {exit_code})"
        )
        return problems
    totals: Counter[str] = Counter()
    for finish in reader.finishes:
        counts = finish.get("counts")
        totals.update({str(k): int(v) for k, v in (counts or {}).items()})
    for key in COMPARED:
        if totals[key] != reader.counts[key]:
            problems.append(
                f"pytest counted {totals[key]} {key} but {reader.counts[key]} were reported"
            )
    printed = summary_counts(stdout)
    if printed is not None and len(reader.finishes) == 1:
        for key in COMPARED:
            if printed[key] != totals[key]:
                problems.append(f"pytest printed {printed[key]} {key}, counted {totals[key]}")
    exits = [int(f.get("exit", -1)) for f in reader.finishes]
    if len(exits) == 1 and exit_code != exits[0]:
        problems.append(f"pytest ended with {exits[0]} but the process exited with {exit_code}")
    elif (exit_code == 0) != all(code == 0 for code in exits):
        problems.append(f"pytest sessions ended with {exits}, the process with {exit_code}")
    bad = totals["failed"] + totals["error"]
    if bad and 0 in exits and len(exits) == 1:
        problems.append(f"{bad} test(s) failed yet pytest ended with exit code 0")
    return problems
