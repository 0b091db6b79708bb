"""Inputs beside the tests' own, for real: the profiler (pytest in a subprocess on a small project)
calls the functions the tests called on variations of their arguments, and a candidate that makes
one raise or hang where the code returned before is caught."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.analysis.failures import Failure, Frame
from bot.repair.behaviour import parse_profile, profile_command
from bot.repair.probe import (
    PROBE_SCRIPT,
    Outcome,
    Probe,
    disagreement,
    expected_exceptions,
    introduced_crash,
    parse_probe,
)
from tests.bot.repair.profiler_run import profiler_output
from tests.bot.repair.sample_sources import COMMON_LENGTH

SOURCE = (
    '"""Sequences."""\n\n\n'
    + COMMON_LENGTH
    + """

def countdown(n):
    while n > 0:
        n -= 1
    return n


class Box:
    def size(self):
        return 1
"""
)
TESTS = """from seq import Box, common_length, countdown


def test_common():
    assert common_length("abc", "acb") == 2


def test_countdown():
    assert countdown(3) == 0


def test_box():
    assert Box().size() == 1
"""
TRANSPOSED = SOURCE.replace("table[i][j - 1])", "table[j][i - 1])")
LOOPS = SOURCE.replace("        n -= 1\n", "        n -= 0 if n > 3 else 1\n")


def probe_of(root: Path, source: str) -> Probe:
    root.mkdir(exist_ok=True)
    (root / "tests").mkdir(exist_ok=True)
    (root / "seq.py").write_text(source)
    (root / "tests" / "test_seq.py").write_text(TESTS)
    done = profiler_output(root)
    probe = parse_probe(done.stdout)
    assert probe is not None, done.stdout[-2000:] + done.stderr[-2000:]
    return probe


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Probe:
    return probe_of(tmp_path_factory.mktemp("before"), SOURCE)


def test_the_functions_the_tests_call_are_probed_on_variations(baseline: Probe) -> None:
    assert set(baseline) == {"seq.py:common_length", "seq.py:countdown"}  # no methods
    calls = {o.call for o in baseline["seq.py:common_length"].values()}
    assert "(('abc', 'acb'), {})" in calls  # the tests' own input
    assert "(('bc', 'acb'), {})" in calls  # one element dropped
    assert len(calls) >= 10
    # Every variation ran and answered; the original code never raises on them.
    assert all(o.kind == "int" for o in baseline["seq.py:common_length"].values())


def test_an_index_that_only_works_for_the_tests_shapes_is_caught(
    baseline: Probe, tmp_path: Path
) -> None:
    after = probe_of(tmp_path / "after", TRANSPOSED)
    why = introduced_crash(baseline, after, set())
    assert why.startswith("`common_length` in seq.py raises IndexError on arguments ((")
    assert "where it returned a value (int) before the patch" in why
    # The same code is no crash against itself.
    assert introduced_crash(baseline, baseline, set()) == ""
    # An exception the fix means to raise is not held against it.
    assert introduced_crash(baseline, after, {"IndexError"}) == ""


def test_a_call_that_no_longer_returns_is_caught(baseline: Probe, tmp_path: Path) -> None:
    after = probe_of(tmp_path / "after", LOOPS)
    assert "`countdown` in seq.py never returns on arguments ((" in introduced_crash(
        baseline, after, set()
    )


def test_a_hang_where_the_code_was_already_slow_is_not_held_against_a_fix() -> None:
    slow = Outcome("int", "x", 1500, "7", "((40,), {})")
    hung = Outcome("!Timeout", "", 2000, "", "((40,), {})")
    assert introduced_crash({"f.py:f": {"k": slow}}, {"f.py:f": {"k": hung}}, set()) == ""
    quick = Outcome("int", "x", 3, "7", "((40,), {})")
    assert "never returns" in introduced_crash(
        {"f.py:f": {"k": quick}}, {"f.py:f": {"k": hung}}, set()
    )


def script_namespace() -> dict[str, Any]:
    namespace: dict[str, Any] = {"sys": sys, "digest": repr}
    exec(PROBE_SCRIPT, namespace)
    return namespace


def test_variations_keep_the_shape_of_what_the_tests_pass() -> None:
    near = script_namespace()["near"]
    rng = random.Random(0)
    assert all(n > 0 for n in near(1, rng)) and near(1, rng)
    assert all(n < 0 for n in near(-3, rng))
    assert all(len(s) >= 1 for s in near("a", rng))
    lists = near([3, 1, 2], rng)
    assert [1, 2] in lists and [2, 1, 3] in lists and all(len(x) >= 2 for x in lists)
    # A list the tests pass sorted is sorted by contract (a binary search's): so are its
    # variations, with distinct elements kept distinct.
    ordered = near([1, 3, 5, 7, 9], rng)
    assert [3, 5, 7, 9] in ordered and [1, 3, 7, 9] in ordered
    assert all(x == sorted(set(x)) and len(x) >= 2 for x in ordered)
    assert any(x == sorted(x) and len(set(x)) < len(x) for x in near([1, 3, 3, 5], rng))
    pairs = near((1, 2), rng)
    assert pairs and all(type(t) is tuple and len(t) == 2 for t in pairs)
    # The rows of a table keep one length; the table may lose a row.
    tables = near([[1, 2], [3, 4], [5, 6]], rng)
    assert all(len(row) == 2 for table in tables for row in table)
    assert [[3, 4], [5, 6]] in tables
    assert near(None, rng) == [] and near(True, rng) == [False]


def test_the_same_arguments_give_the_same_variations_in_every_sandbox() -> None:
    first, second = script_namespace(), script_namespace()
    text = repr(((["b", "a", "c"], 3), {"strict": True}))
    rng_a, rng_b = random.Random(first["probe_key"](text)), random.Random(second["probe_key"](text))
    assert first["variations"](text, rng_a) == second["variations"](text, rng_b)


def test_expected_exceptions_come_from_the_fix_and_the_failing_tests() -> None:
    diff = "+    if n < 0:\n+        raise errors.RangeError('negative')\n-    x = 1\n"
    failure = Failure(
        "tests/test_a.py::test_neg",
        "Failed",
        "DID NOT RAISE <class 'ValueError'>",
        [Frame("tests/test_a.py", 5, "test_neg", "with pytest.raises(KeyError):")],
    )
    assert expected_exceptions(diff, [failure]) == {"RangeError", "ValueError", "KeyError"}
    assert expected_exceptions("-        raise TypeError\n", []) == set()


def test_a_mangled_probe_line_is_no_probe() -> None:
    assert parse_probe("no marker here") is None
    assert parse_probe('@@truth-probe@@{"f.py:f": {"k": ["int"]}}\n') is None
    line = '@@truth-probe@@{"f.py:f": {"k": ["int", "ab", 3, "2", "((1,), {})"]}}'
    assert parse_probe(line) == {"f.py:f": {"k": Outcome("int", "ab", 3, "2", "((1,), {})")}}


def test_code_called_by_the_probe_cannot_forge_either_line(tmp_path: Path) -> None:
    # Written to the real stdout, past any redirection, every time the function runs.
    forger = "import os\n" + SOURCE.replace(
        "def countdown(n):\n",
        "def countdown(n):\n    os.write(1, b'\\n@@truth-behaviour@@{}\\n@@truth-probe@@{}\\n')\n",
    )
    root = tmp_path / "forged"
    probe = probe_of(root, forger)
    assert probe["seq.py:countdown"] and probe["seq.py:common_length"]
    profile = parse_profile(profiler_output(root).stdout)
    assert profile is not None and "tests/test_seq.py::test_countdown" in profile


def test_two_fixes_disagree_only_where_both_answered_differently() -> None:
    def probe(*outcomes: tuple[str, str, str]) -> Probe:
        return {"f.py:f": {k: Outcome(kind, kind, 1, value, k) for k, kind, value in outcomes}}

    one = probe(("a", "int", "1"), ("b", "!ValueError", ""), ("c", "int", "5"))
    other = probe(("a", "int", "1"), ("b", "int", "2"), ("c", "int", "5"))
    # A raise on one side is no disagreement: on input no caller gives, right fixes may differ.
    assert disagreement(one, other) is None
    third = probe(("a", "int", "1"), ("c", "str", "'5'"))
    found = disagreement(one, third)
    assert found is not None
    function, mine, theirs = found
    assert function == "f.py:f" and mine.value == "5" and theirs.value == "'5'"


def test_answers_that_change_between_calls_are_not_compared(tmp_path: Path) -> None:
    drifting = "import itertools\nTICKS = itertools.count()\n" + SOURCE.replace(
        "    return n\n", "    return n + next(TICKS)\n"
    )
    probe = probe_of(tmp_path / "drift", drifting)
    assert {o.kind for o in probe["seq.py:countdown"].values()} == {"*"}
    # Nor held against a fix, whatever it does there.
    calls = probe["seq.py:countdown"]
    broken = {"seq.py:countdown": {k: Outcome("!ValueError", "", 1, "", "") for k in calls}}
    assert introduced_crash(probe, broken, set()) == ""
    assert disagreement(probe, broken) is None


def test_the_profiler_runs_with_one_hash_seed() -> None:
    command = profile_command("python -m pytest -q")
    assert command is not None and command.startswith("PYTHONHASHSEED=0 python -c ")
