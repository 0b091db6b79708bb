"""Tests that each mutation kind splices one statement of a module and keeps its formatting."""

import pytest

from bench.mutations import apply, mutations

SOURCE = """def walk(items, limit):
    total = 0
    for index in range(len(items)):
        if items[index] < limit and index > 0:
            total += scale(items[index], limit)
    return total


def countdown(n):
    if n <= 0:
        return 0
    return countdown(n - 1)
"""


def mutated_lines(kind: str) -> set[str]:
    """The changed text of every mutation of one kind (removed lines shown as '<removed>')."""
    found = set()
    for mutation in mutations(SOURCE):
        if mutation.kind == kind:
            found.add("\n".join(mutation.lines) or "<removed>")
            assert apply(SOURCE, mutation) != SOURCE
    return found


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("comparison", "        if items[index] <= limit and index > 0:"),
        ("comparison", "    if n < 0:"),
        ("arithmetic", "            total -= scale(items[index], limit)"),
        ("arithmetic", "    return countdown(n + 1)"),
        ("off_by_one", "    for index in range(len(items) + 1):"),
        ("off_by_one", "        if items[index - 1] < limit and index > 0:"),
        ("negation", "        if not (items[index] < limit and index > 0):"),
        ("and_or", "        if items[index] < limit or index > 0:"),
        ("wrong_name", "            total += scale(items[index], index)"),
        ("constant", "    total = 1"),
        ("removed_return", "    total"),
        ("swapped_args", "            total += scale(limit, items[index])"),
        ("base_case", "<removed>"),
    ],
)
def test_mutations_splice_one_statement_keeping_its_formatting(kind, expected):
    assert expected in mutated_lines(kind)


def test_base_case_removal_drops_the_guard_of_the_recursive_function_only():
    [removal] = [m for m in mutations(SOURCE) if m.kind == "base_case"]
    assert "if n <= 0" not in apply(SOURCE, removal)
    assert "return countdown(n - 1)" in apply(SOURCE, removal)
