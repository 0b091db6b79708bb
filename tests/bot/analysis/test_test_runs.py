"""Only failing checks that ran tests start a sandbox session; lint, types and deploys do not."""

from __future__ import annotations

from bot.analysis.test_runs import CheckEvidence, judge, triage

TS = "2026-11-20T10:00:02.0000000Z"
RULE = "=" * 27
PYTEST_JOB = "".join(
    f"{TS} {line}\n"
    for line in (
        "##[group]Run pytest",
        f"{RULE} short test summary info {RULE}",
        "FAILED tests/test_a.py::test_one - AssertionError: 1 != 2",
        f"{RULE} 1 failed, 4 passed in 0.31s {RULE}",
        "##[error]Process completed with exit code 1.",
    )
)
UNITTEST_JOB = """\
F.
======================================================================
FAIL: test_total (tests.test_cart.CartTest)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/home/runner/work/shop/shop/tests/test_cart.py", line 9, in test_total
    self.assertEqual(total([1, 2]), 3)
AssertionError: 4 != 3

----------------------------------------------------------------------
Ran 2 tests in 0.001s

FAILED (failures=1)
"""
RUFF_JOB = f"{TS} ##[group]Run ruff check .\n{TS} src/app.py:3:1: F401 `os` imported but unused\n"
MYPY_JOB = 'src/app.py:12: error: Argument 1 to "f" has incompatible type "str"  [arg-type]\n'
DEPLOY_JOB = (
    "Traceback (most recent call last):\n"
    '  File "deploy/push.py", line 4, in <module>\n'
    "    raise SystemExit(requests.post(URL).status_code)\n"
    "ConnectionError: deploy target refused the connection\n"
)


def test_a_pytest_job_with_a_failing_test_qualifies() -> None:
    verdict = judge(CheckEvidence("tests (3.11)", PYTEST_JOB))
    assert verdict.is_test_run
    assert verdict.failing_tests == ("tests/test_a.py::test_one",)


def test_a_unittest_run_qualifies_with_its_test_ids() -> None:
    verdict = judge(CheckEvidence("unit", UNITTEST_JOB))
    assert verdict.is_test_run
    assert "tests.test_cart.CartTest.test_total" in verdict.failing_tests


def test_lint_types_deploy_and_security_checks_are_skipped_with_a_reason() -> None:
    for name, log in (("ruff", RUFF_JOB), ("mypy", MYPY_JOB), ("deploy", DEPLOY_JOB)):
        verdict = judge(CheckEvidence(name, log))
        assert not verdict.is_test_run, name
        assert "checks:" in verdict.reason
    codeql = CheckEvidence("CodeQL", "", annotations=["Clear-text logging of sensitive data"])
    assert not judge(codeql).is_test_run


def test_a_checks_glob_makes_a_check_qualify_whatever_its_log() -> None:
    verdict = judge(CheckEvidence("integration / linux", "exit 1"), ["integration*"])
    assert verdict.is_test_run and "integration*" in verdict.reason


def test_annotations_naming_tests_qualify_a_check_without_a_log() -> None:
    notes = ["FAILED tests/test_b.py::test_two - ValueError: bad"]
    assert judge(CheckEvidence("circleci: test", "", notes)).failing_tests == (
        "tests/test_b.py::test_two",
    )


def test_triage_merges_the_failing_tests_of_every_test_check_once() -> None:
    sorted_out = triage(
        [
            CheckEvidence("tests (3.11)", PYTEST_JOB),
            CheckEvidence("tests (3.12)", PYTEST_JOB.replace("test_one", "test_two")),
            CheckEvidence("again", PYTEST_JOB),
            CheckEvidence("lint", RUFF_JOB),
        ]
    )
    assert sorted_out.failing_tests == ["tests/test_a.py::test_one", "tests/test_a.py::test_two"]
    assert [v.name for v in sorted_out.skipped] == ["lint"]
    assert sorted_out.skipped_message() == "the failing checks are not test runs: `lint`"
