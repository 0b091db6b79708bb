"""Tests for fault localization from traceback frames and failing tests' callees."""

from pathlib import Path

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


def write_repo(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "calc.py").write_text(SOURCE)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_calc.py").write_text(
        "from pkg.calc import compute\n\n\ndef test_compute():\n    assert compute([[1]]) == 2\n"
        "\n\ndef test_other():\n    assert compute([[2]]) == 3\n"
    )
    return tmp_path


def crash(test_id: str = "tests/test_calc.py::test_compute") -> Failure:
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


def test_innermost_repo_frame_first_then_callers_and_enclosing_loop(tmp_path: Path) -> None:
    ranked = rank_locations([crash()], write_repo(tmp_path))
    assert [(loc.file, loc.line) for loc in ranked[:3]] == [
        ("pkg/calc.py", 2),
        ("pkg/calc.py", 7),
        ("pkg/calc.py", 6),
    ]
    assert ranked[0].function == "helper"
    assert ranked[0].score > ranked[1].score > ranked[2].score > ranked[3].score


def test_more_failing_tests_through_a_line_raise_its_score(tmp_path: Path) -> None:
    root = write_repo(tmp_path)
    once = rank_locations([crash()], root)[0].score
    twice = rank_locations([crash(), crash("tests/test_calc.py::test_other")], root)[0].score
    assert twice == 2 * once


def test_assertion_in_a_test_makes_the_called_function_suspicious(tmp_path: Path) -> None:
    root = write_repo(tmp_path)
    failure = Failure(
        "tests/test_calc.py::test_compute",
        "AssertionError",
        "assert 1 == 2",
        [Frame("tests/test_calc.py", 5, "test_compute", "assert compute([[1]]) == 2")],
    )
    ranked = rank_locations([failure], root)
    assert [(loc.line, loc.function) for loc in ranked] == [
        (6, "compute"),
        (7, "compute"),
        (8, "compute"),
        (2, "helper"),  # reached through compute: suspect, but less
    ]
    assert ranked[2].score > ranked[3].score


def test_test_files_and_outside_frames_are_never_locations(tmp_path: Path) -> None:
    ranked = rank_locations([crash()], write_repo(tmp_path))
    assert not any(loc.file.startswith(("tests/", "/usr")) for loc in ranked)


def _assertion(test: str, line: int, code: str) -> Failure:
    return Failure(
        f"tests/test_lib.py::{test}",
        "AssertionError",
        "assert 0 == 2",
        [Frame("tests/test_lib.py", line, test, code)],
    )


def test_functions_that_passing_tests_also_reach_rank_lower(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "lib.py").write_text(
        "def parse(text):\n    return text.split()\n\n\n"
        "def count(words):\n    return sum(0 for w in words)\n"
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_lib.py").write_text(
        "from pkg.lib import count, parse\n\n\n"
        "def test_parse():\n    assert parse('a b') == ['a', 'b']\n\n\n"
        "def test_count():\n    assert count(parse('a b')) == 2\n"
    )
    ranked = rank_locations(
        [_assertion("test_count", 9, "assert count(parse('a b')) == 2")],
        tmp_path,
        failing_tests=["tests/test_lib.py::test_count"],
        passing_tests=["tests/test_lib.py::test_parse"],
    )
    assert [loc.function for loc in ranked] == ["count", "parse"]
    assert ranked[0].score > ranked[1].score


def test_calls_through_test_helpers_and_constructors_are_followed(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "stock.py").write_text(
        "class Item:\n    def __init__(self, name):\n        self.name = name\n\n\n"
        "class Stock:\n    def __init__(self):\n        self.items = []\n\n"
        "    def add(self, name):\n        self.items.append(Item(name))\n"
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_lib.py").write_text(
        "from pkg.stock import Stock\n\n\n"
        "def stocked():\n    stock = Stock()\n    stock.add('bolt')\n    return stock\n\n\n"
        "def test_names():\n    assert stocked().items[0].name == 'bolt'\n"
    )
    failure = _assertion("test_names", 11, "")
    ranked = {loc.line: loc for loc in rank_locations([failure], tmp_path)}
    assert set(ranked) == {3, 8, 11}
    assert ranked[11].function == "add"
    assert ranked[11].score == ranked[8].score > ranked[3].score  # Item() is one call further


def test_lines_that_set_the_attribute_a_failing_assertion_reads_rank_first(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "stats.py").write_text(
        "class Stats:\n"
        "    def __init__(self):\n"
        "        self.low = None\n"
        "        self.count = 0\n\n"
        "    def push(self, value):\n"
        "        self.count += 1\n"
        "        delta = value * 2\n"
        "        self.low = delta\n"
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_lib.py").write_text(
        "from pkg.stats import Stats\n\n\n"
        "def test_low():\n    s = Stats()\n    s.push(1)\n    assert s.low == 1\n"
    )
    ranked = rank_locations([_assertion("test_low", 7, "assert s.low == 1")], tmp_path)
    assert {loc.line for loc in ranked[:2]} == {3, 9}
    assert ranked[1].score > ranked[2].score
