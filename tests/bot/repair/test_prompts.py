"""Prompt building, as pure functions."""

from __future__ import annotations

from bot.analysis.failures import Category, Failure, Frame
from bot.repair.prompts import (
    MAX_SNIPPET_LINES,
    STRATEGIES,
    build_categorize_messages,
    build_repair_messages,
    enclosing_block,
    snippets_for,
    strategy_for,
)
from tests.bot.repair.sample_sources import FILES, MODULE


def _failure(*frames: Frame, category: Category = Category.NAME_ATTRIBUTE) -> Failure:
    return Failure(
        "tests/test_shape.py::test_area",
        "AttributeError",
        "'Shape' object has no attribute 'r'",
        frames=list(frames),
        category=category,
    )


def test_the_enclosing_function_is_the_innermost_block() -> None:
    assert enclosing_block(MODULE, 6) == (5, 6)
    assert enclosing_block(MODULE, 13) == (12, 13)
    assert enclosing_block(MODULE, 1) == (1, 11)  # module level: a window around the line


def test_a_huge_function_is_cut_to_a_window_around_the_line() -> None:
    body = "def big():\n" + "".join(f"    x{i} = {i}\n" for i in range(400))
    first, last = enclosing_block(body, 300)
    assert first <= 300 <= last
    assert last - first + 1 <= MAX_SNIPPET_LINES + 1


def test_unparsable_code_still_gets_a_window() -> None:
    assert enclosing_block("def broken(:\n    pass\n" * 30, 20) == (10, 30)


def test_snippets_merge_per_file_and_skip_frames_outside_the_repo() -> None:
    failure = _failure(
        Frame("tests/test_shape.py", 2, "test_area"),
        Frame("geo/shape.py", 9, "perimeter"),
        Frame("geo/shape.py", 6, "area"),
        Frame("/usr/lib/python3.11/math.py", 1, "x", in_repo=False),
    )
    snippets = snippets_for([failure], {**FILES, "/usr/lib/python3.11/math.py": "x = 1\n"})
    assert [(s.path, s.first_line, s.last_line) for s in snippets] == [
        ("geo/shape.py", 5, 9),
        ("tests/test_shape.py", 1, 2),
    ]
    assert snippets[0].text.splitlines()[0] == "    5 |     def area(self):"


def test_repair_messages_carry_everything_the_model_needs() -> None:
    failure = _failure(Frame("geo/shape.py", 6, "area", "return math.pi * self.r ** 2"))
    failure.output = "captured: radius missing"
    system, user = build_repair_messages(
        [failure],
        FILES,
        category=Category.NAME_ATTRIBUTE,
        failing_tests=["tests/test_shape.py::test_area"],
        libraries={"numpy": "1.26", "attrs": None},
        test_command="pytest -q",
        limit=3,
    )
    assert system["role"] == "system" and '"edits"' in system["content"]
    text = user["content"]
    for expected in (
        "Test command: pytest -q",
        "- tests/test_shape.py::test_area",
        "AttributeError: 'Shape' object has no attribute 'r'",
        'File "geo/shape.py", line 6, in area',
        "    6 |         return math.pi * self.r ** 2",
        "captured: radius missing",
        "numpy 1.26, attrs",
        STRATEGIES[Category.NAME_ATTRIBUTE],
        "up to 3 different fixes",
    ):
        assert expected in text


def test_every_category_has_its_own_strategy() -> None:
    assert {strategy_for(c) for c in Category} == set(STRATEGIES.values())
    assert len(set(STRATEGIES.values())) == len(Category)


def test_categorize_messages_list_every_category() -> None:
    system, user = build_categorize_messages([_failure()], Category.NAME_ATTRIBUTE)
    assert all(c.value in system["content"] for c in Category)
    assert "name_attribute" in user["content"]
