"""The wrong-variable template's evidence: twin names, a name used twice in one operation, and
names that cannot be read yet where a substitute would put them."""

from __future__ import annotations

import ast

import pytest

from bot.repair.rules.edits import Source
from bot.repair.rules.twins import (
    makes_repeat,
    named_twins,
    repeated_operand,
    unbound_at,
    words,
)
from bot.repair.rules.variables import TWIN_PRIOR, variable_alternatives, wrong_variable_edits


def _function(source: str) -> ast.FunctionDef:
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.FunctionDef)
    return node


def _name_at(function: ast.FunctionDef, name: str, line: int, nth: int = 0) -> ast.Name:
    found = [
        n
        for n in ast.walk(function)
        if isinstance(n, ast.Name) and n.id == name and n.lineno == line
    ]
    return sorted(found, key=lambda n: n.col_offset)[nth]


def _parents(function: ast.FunctionDef) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(function) for child in ast.iter_child_nodes(node)}


def test_words_split_snake_camel_and_numbers() -> None:
    assert words("left_max") == ["left", "max"]
    assert words("leftMax") == ["left", "max"]
    assert words("row2") == ["row", "2"]
    assert words("HTTPServer") == ["http", "server"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("left", "right"),
        ("left_max", "right_max"),
        ("letters_a", "letters_b"),
        ("row1", "row2"),
        ("point_x", "point_y"),
        ("lo", "hi"),
        ("startIndex", "endIndex"),
    ],
)
def test_siblings_are_twins(old: str, new: str) -> None:
    assert named_twins(old, new)
    assert named_twins(new, old)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("items", "mid"),  # two unrelated words
        ("max_len", "max_start"),  # one word differs, but not a sibling of the other
        ("left", "left"),
        ("left_max", "right_min"),  # two words differ
        ("i", "index"),
        ("i", "j"),  # bare letters are everyone's siblings: being twins would say nothing
        ("a", "b"),
    ],
)
def test_unrelated_names_are_not_twins(old: str, new: str) -> None:
    assert not named_twins(old, new)


def test_a_name_twice_in_one_operation_is_suspect_the_later_most() -> None:
    function = _function("def f(a, b):\n    return g(a, a) + (b * b) + (a - b)\n")
    parents = _parents(function)
    first, second = _name_at(function, "a", 2, 0), _name_at(function, "a", 2, 1)
    assert repeated_operand(first, parents[first]) == "earlier"
    assert repeated_operand(second, parents[second]) == "later"
    square = _name_at(function, "b", 2, 0)
    assert repeated_operand(square, parents[square]) == ""  # `b * b` is a square, not a slip
    difference = _name_at(function, "b", 2, 2)
    assert repeated_operand(difference, parents[difference]) == ""
    assert makes_repeat(difference, parents[difference], "a")  # `a - a`
    assert not makes_repeat(difference, parents[difference], "c")


def test_a_name_bound_later_outside_any_loop_cannot_be_read_yet() -> None:
    function = _function(
        "def f(items):\n"
        "    size = len(items)\n"  # 2
        "    total = 0\n"  # 3
        "    for x in items:\n"  # 4
        "        total += x + carry\n"  # 5
        "        carry = x\n"  # 6
        "    last = items[-1]\n"  # 7
        "    return total / size\n"  # 8
    )
    size = _name_at(function, "size", 2)
    assert "last" in unbound_at(function, size)
    assert "total" in unbound_at(function, size)
    assert "items" not in unbound_at(function, size)  # a parameter is always bound
    in_loop = _name_at(function, "x", 5)
    assert "carry" not in unbound_at(function, in_loop)  # bound by an earlier turn of the loop
    after = _name_at(function, "size", 8)
    assert "last" not in unbound_at(function, after)
    alternatives = variable_alternatives(function, size)
    assert "last" not in alternatives and "total" not in alternatives


def test_an_unread_twin_comes_first_among_alternatives() -> None:
    function = _function(
        "def f(items):\n"
        "    mid = len(items) // 2\n"
        "    left = sorted(items[:mid])\n"
        "    right = sorted(items[mid:])\n"
        "    total = len(items)\n"
        "    return join(left, left, total)\n"
    )
    second = _name_at(function, "left", 6, 1)
    assert variable_alternatives(function, second)[0] == "right"


def test_a_twin_weighs_more_only_where_the_line_reads_one_of_the_two() -> None:
    source = (
        "def f(left, right, k):\n"
        "    product = left[k] * right[k]\n"  # reads both: already tells them apart
        "    total = left[k] + left[0]\n"  # reads one: `right` may be what was meant
        "    return product + total\n"
    )
    function = _function(source)
    weights = {}
    for statement in function.body[:2]:
        for edit in wrong_variable_edits(Source(source), statement, function, "wrong_variable", 1):
            weights.setdefault(edit.description, edit.prior)
    both = weights["variable `left` → `right` on line 2"]
    lone = weights["variable `left` → `right` on line 3"]
    assert lone == pytest.approx(both * TWIN_PRIOR)
