"""Per-test evidence: the cross-checks between records, pytest's counts, its summary and the
exit code (pure; the real supervisor is exercised in test_integrity.py)."""

from __future__ import annotations

from typing import Any

from runner.evidence import read_evidence, summary_counts
from runner.results import TestStatus


def test_run(test_id: str, outcome: str = "passed", when: str = "call") -> list[dict[str, Any]]:
    phases = {"setup": "passed", "call": "passed", "teardown": "passed"}
    phases[when] = outcome
    if when == "setup" and outcome != "passed":
        phases.pop("call")
    return [{"t": "start", "id": test_id}] + [
        {"t": "report", "id": test_id, "when": w, "outcome": o, "ms": 1} for w, o in phases.items()
    ]


test_run.__test__ = False  # type: ignore[attr-defined]


def records(exit_code: int, counts: dict[str, int], *tests: list[dict[str, Any]]) -> list[Any]:
    ids = [t[0]["id"] for t in tests]
    body = [item for test in tests for item in test]
    finish = {"t": "finish", "exit": exit_code, "counts": counts}
    return [{"t": "session"}, {"t": "collected", "ids": ids}, *body, finish]


def test_consistent_records_give_outcomes_and_no_problem() -> None:
    stream = records(1, {"passed": 1, "failed": 1}, test_run("a"), test_run("b", "failed"))
    evidence = read_evidence(stream, 1, "1 failed, 1 passed in 0.10s\n", True)
    assert evidence.problem == ""
    assert evidence.tests["a"].status is TestStatus.PASSED and evidence.tests["a"].call_passed
    assert evidence.tests["b"].status is TestStatus.FAILED
    assert evidence.collected == ["a", "b"]


def test_exit_code_disagreeing_with_pytest_is_a_problem() -> None:
    stream = records(1, {"passed": 1, "failed": 1}, test_run("a"), test_run("b", "failed"))
    evidence = read_evidence(stream, 0, "", True)
    assert evidence.problem == "pytest ended with 1 but the process exited with 0"


def test_a_forged_second_report_is_a_problem() -> None:
    stream = records(0, {"passed": 1}, test_run("a", "failed"))
    stream.insert(-1, {"t": "report", "id": "a", "when": "call", "outcome": "passed"})
    assert read_evidence(stream, 0, "", True).problem.startswith("two call reports for a")


def test_a_report_for_a_test_that_never_started_is_a_problem() -> None:
    stream = records(0, {"passed": 0})
    stream.insert(2, {"t": "report", "id": "x", "when": "call", "outcome": "passed"})
    assert read_evidence(stream, 0, "", True).problem == "a report for x, which never started"


def test_counts_must_match_the_reports_and_the_printed_summary() -> None:
    stream = records(0, {"passed": 2}, test_run("a"))
    assert read_evidence(stream, 0, "", True).problem == (
        "pytest counted 2 passed but 1 were reported"
    )
    stream = records(0, {"passed": 1}, test_run("a"))
    assert read_evidence(stream, 0, "= 3 passed in 0.01s =", True).problem == (
        "pytest printed 3 passed, counted 1"
    )


def test_a_session_without_its_end_is_a_problem_unless_the_run_was_stopped() -> None:
    stream = records(0, {"passed": 1}, test_run("a"))[:-1]
    assert read_evidence(stream, 0, "", True).problem.startswith("pytest started 1 session")
    assert read_evidence(stream, None, "", False).problem == ""


def test_summary_lines_are_parsed_from_the_last_one() -> None:
    out = "fake: 9 passed in 0.01s\n== 1 failed, 2 passed, 1 error in 0.31s (0:00:01) =="
    assert summary_counts(out) == {"failed": 1, "passed": 2, "error": 1}
    assert summary_counts("no tests ran in 0.01s") == {}
    assert summary_counts("nothing") is None


def test_a_rerun_configured_by_the_repository_starts_the_test_afresh() -> None:
    rerun = {"t": "report", "id": "a", "when": "call", "outcome": "rerun", "ms": 1}
    first = [*test_run("a", "failed")[:2], rerun]
    stream = records(0, {"passed": 1, "rerun": 1}, first + test_run("a"))
    evidence = read_evidence(stream, 0, "1 passed, 1 rerun in 0.10s", True)
    assert evidence.problem == ""
    assert evidence.tests["a"].status is TestStatus.PASSED
