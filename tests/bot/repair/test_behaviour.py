"""The behaviour profiler run for real (pytest in a subprocess on a small project), and the
comparisons the choice among verified fixes is built on."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.analysis.failures import Failure, Frame
from bot.repair.behaviour import (
    CallProfile,
    Profile,
    behaviour_changes,
    expects_none,
    none_for_a_value,
    parse_profile,
    profile_command,
)
from tests.bot.repair.profiler_run import profiler_output

SOURCE = '''"""Order checks."""


def is_sorted(items):
    for a, b in zip(items, items[1:]):
        if a > b:
            return True
    return True


def label(items):
    return "sorted" if is_sorted(items) else "unsorted"


def pairs(items):
    for a, b in zip(items, items[1:]):
        yield a, b


def boom(items):
    raise ValueError("no")
'''
TESTS = """import pytest
from order import is_sorted, label, pairs, boom


def test_sorted():
    assert is_sorted([1, 2, 3])


def test_unsorted():
    assert not is_sorted([2, 1])


def test_label():
    assert label([1, 2])


def test_pairs_and_raises():
    assert list(pairs([1, 2])) == [(1, 2)]
    with pytest.raises(ValueError):
        boom([1])
"""


def profile_of(root: Path, source: str) -> Profile:
    (root / "order.py").write_text(source)
    done = profiler_output(root)
    profile = parse_profile(done.stdout)
    assert profile is not None, done.stdout[-2000:] + done.stderr[-2000:]
    return profile


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_order.py").write_text(TESTS)
    return tmp_path


def test_the_profile_records_each_call_of_the_code_under_test_per_test(project: Path) -> None:
    profile = profile_of(project, SOURCE)

    assert set(profile) == {
        "tests/test_order.py::test_sorted",
        "tests/test_order.py::test_unsorted",
        "tests/test_order.py::test_label",
        "tests/test_order.py::test_pairs_and_raises",
    }
    assert profile["tests/test_order.py::test_unsorted"].passed is False
    assert profile["tests/test_order.py::test_sorted"].passed is True
    label_calls = profile["tests/test_order.py::test_label"].calls
    # label and the is_sorted it calls; keyed by file, qualified name and an argument digest
    assert sorted(key.split(":")[1] for key in label_calls) == ["is_sorted", "label"]
    assert {kind for kind, _ in label_calls.values()} == {"bool", "str"}
    raised = profile["tests/test_order.py::test_pairs_and_raises"].calls
    # the generator is skipped (its "returns" are yields); the raise is recorded as such
    assert [value[0] for key, value in raised.items()] == ["!ValueError"]
    # the test files' own functions are never profiled
    assert not any(key.startswith("tests/") for t in profile.values() for key in t.calls)


def test_returning_none_where_the_code_returned_a_value_is_named(project: Path) -> None:
    before = profile_of(project, SOURCE)
    after = profile_of(project, SOURCE.replace("            return True\n", "            return\n"))

    why = none_for_a_value(before, after)

    assert "`is_sorted` in order.py returns None" in why
    assert "returned a bool" in why and "test_unsorted" in why
    right = profile_of(
        project, SOURCE.replace("            return True\n", "            return False\n")
    )
    assert none_for_a_value(before, right) == ""


def test_behaviour_changes_count_only_calls_of_tests_that_passed_before(project: Path) -> None:
    before = profile_of(project, SOURCE)
    # The right fix changes is_sorted([2, 1]) only, a call of the test that failed.
    right = profile_of(
        project, SOURCE.replace("            return True\n", "            return False\n")
    )
    # This one also changes what label() says for a sorted list, which test_label does not check.
    wider = profile_of(
        project,
        SOURCE.replace("            return True\n", "            return False\n").replace(
            '"sorted" if', '"in order" if'
        ),
    )

    assert behaviour_changes(before, right) == 0
    assert behaviour_changes(before, wider) == 1
    assert behaviour_changes(before, before) == 0


def test_calls_with_two_different_answers_are_not_compared() -> None:
    before: Profile = {"t": CallProfile(True, {"m.py:f:1": ("*", ""), "m.py:g:1": ("int", "a")})}
    after: Profile = {"t": CallProfile(True, {"m.py:f:1": ("int", "b"), "m.py:g:1": ("int", "b")})}

    assert behaviour_changes(before, after) == 1
    assert none_for_a_value(before, {"t": CallProfile(True, {"m.py:f:1": ("NoneType", "")})}) == ""


def test_a_failing_assertion_about_none_allows_returning_it() -> None:
    def failure(message: str, code: str) -> Failure:
        return Failure(
            "tests/test_m.py::test_f",
            "AssertionError",
            message,
            frames=[Frame("tests/test_m.py", 3, "test_f", code)],
        )

    assert expects_none([failure("assert -1 is None", "assert find([], 1) is None")])
    assert expects_none([failure("assert -1", "assert find([], 1) == None")])
    assert not expects_none([failure("assert not True", "assert not is_sorted([2, 1])")])


@pytest.mark.parametrize(
    "command",
    ["make test", "pytest -q && echo done", "python -m unittest", "tox -e py311"],
)
def test_only_plain_pytest_commands_are_profiled(command: str) -> None:
    assert profile_command(command) is None


def test_a_mangled_profile_line_is_no_profile() -> None:
    assert parse_profile("no marker here") is None
    assert parse_profile("@@truth-behaviour@@{not json") is None
    assert parse_profile('@@truth-behaviour@@{"t": {"calls": {}}}') is None


def test_code_under_test_cannot_print_a_profile_after_the_real_one(project: Path) -> None:
    # An atexit hook would print after the profiler's line and be read as the profile.
    forger = (
        "import atexit\n"
        "atexit.register(lambda: print('@@truth-behaviour@@{}', flush=True))\n" + SOURCE
    )

    profile = profile_of(project, forger)

    assert "tests/test_order.py::test_unsorted" in profile
    assert profile["tests/test_order.py::test_unsorted"].calls
