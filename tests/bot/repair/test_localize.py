"""Tests for fault localization from traceback frames and failing tests' callees."""

from bot.analysis.failures import Failure, Frame
from bot.repair.localize import rank_locations

SOURCE = (
    "def helper(xs):\n"
    "    return xs[0]\n"
    "\n"
    "\n"
    "def compute(xs):\n"
    "    for x in xs:\n"
    "        total = helper(x)\n"
    "    return total\n"
)


def write_repo(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "calc.py").write_text(SOURCE)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_calc.py").write_text(
        "from pkg.calc import compute\n\n\ndef test_compute():\n    assert compute([[1]]) == 2\n"
    )
    return tmp_path


def crash(test_id="tests/test_calc.py::test_compute"):
    return Failure(
        test_id,
        "IndexError",
        "list index out of range",
        [
            Frame("tests/test_calc.py", 5, "test_compute"),
            Frame("pkg/calc.py", 7, "compute"),
            Frame("pkg/calc.py", 2, "helper"),
            Frame("/usr/lib/python3.11/x.py", 9, "lib", in_repo=False),
        ],
    )


def test_innermost_repo_frame_first_then_callers_and_enclosing_loop(tmp_path):
    ranked = rank_locations([crash()], write_repo(tmp_path))
    assert [(loc.file, loc.line) for loc in ranked] == [
        ("pkg/calc.py", 2),
        ("pkg/calc.py", 7),
        ("pkg/calc.py", 6),
    ]
    assert ranked[0].function == "helper"
    assert ranked[0].score > ranked[1].score > ranked[2].score


def test_more_failing_tests_through_a_line_raise_its_score(tmp_path):
    root = write_repo(tmp_path)
    once = rank_locations([crash()], root)[0].score
    twice = rank_locations([crash(), crash("tests/test_calc.py::test_other")], root)[0].score
    assert twice == 2 * once


def test_assertion_in_a_test_makes_the_called_function_suspicious(tmp_path):
    root = write_repo(tmp_path)
    failure = Failure(
        "tests/test_calc.py::test_compute",
        "AssertionError",
        "assert 1 == 2",
        [Frame("tests/test_calc.py", 5, "test_compute", "assert compute([[1]]) == 2")],
    )
    ranked = rank_locations([failure], root)
    assert {(loc.file, loc.line) for loc in ranked} == {
        ("pkg/calc.py", 6),
        ("pkg/calc.py", 7),
        ("pkg/calc.py", 8),
    }
    assert all(loc.function == "compute" for loc in ranked)


def test_test_files_and_outside_frames_are_never_locations(tmp_path):
    ranked = rank_locations([crash()], write_repo(tmp_path))
    assert not any(loc.file.startswith(("tests/", "/usr")) for loc in ranked)
