"""The JUnit parser on reports written by real pytest runs (tests/data/runner/junit)."""

from pathlib import Path

import pytest

from runner.junit import parse_junit
from runner.results import TestStatus as Status

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "runner" / "junit"
FILES = ["tests/__init__.py", "tests/test_sample.py"]

EXPECTED = {
    "tests/test_sample.py::test_ok": Status.PASSED,
    "tests/test_sample.py::test_fail": Status.FAILED,
    "tests/test_sample.py::test_raises": Status.FAILED,
    "tests/test_sample.py::test_skipped": Status.SKIPPED,
    "tests/test_sample.py::test_xfail": Status.SKIPPED,
    "tests/test_sample.py::test_param[1]": Status.PASSED,
    "tests/test_sample.py::test_param[2]": Status.FAILED,
    "tests/test_sample.py::TestGroup::test_in_class": Status.PASSED,
    "tests/test_sample.py::test_teardown_error": Status.ERROR,
}


@pytest.mark.parametrize("sample", ["pytest-xunit1.xml", "pytest-xunit2.xml"])
def test_statuses_and_ids_match_pytest_node_ids(sample: str) -> None:
    outcomes = parse_junit((SAMPLES / sample).read_bytes(), FILES)
    assert {k: v.status for k, v in outcomes.items()} == EXPECTED


def test_ids_without_a_file_list_still_find_classes() -> None:
    outcomes = parse_junit((SAMPLES / "pytest-xunit2.xml").read_bytes())
    assert "tests/test_sample.py::TestGroup::test_in_class" in outcomes
    assert "tests/test_sample.py::test_ok" in outcomes


def test_failure_message_and_duration_are_kept() -> None:
    outcomes = parse_junit((SAMPLES / "pytest-xunit1.xml").read_bytes(), FILES)
    failed = outcomes["tests/test_sample.py::test_fail"]
    assert "one is not two" in failed.message
    assert "KeyError" in outcomes["tests/test_sample.py::test_raises"].message
    assert outcomes["tests/test_sample.py::test_ok"].duration_ms == pytest.approx(9.0)
    assert outcomes["tests/test_sample.py::test_skipped"].message == "not today"


def test_collection_error_is_reported_against_the_module() -> None:
    outcomes = parse_junit(
        (SAMPLES / "collection-error.xml").read_bytes(), ["tests/test_broken_import.py"]
    )
    broken = outcomes["tests/test_broken_import.py"]
    assert broken.status is Status.ERROR
    assert broken.message == "collection failure"


@pytest.mark.parametrize("text", ["", "not xml", "<html><body/></html>"])
def test_non_reports_are_rejected_with_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="not a JUnit XML report"):
        parse_junit(text)
