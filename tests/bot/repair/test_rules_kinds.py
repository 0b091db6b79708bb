"""Kinds of locals: a wrong-variable candidate that can only raise TypeError is never proposed."""

import ast
from pathlib import Path

from bot.analysis.failures import Failure, Frame
from bot.repair.rules.kinds import local_kinds
from tests.bot.repair.test_rules_variables import ranked_fixes

TABLE = """def common(a, b):
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    size = len(a)
    label = "x"
    for i in range(1, size + 1):
        for j in range(1, len(b) + 1):
            table[i][j] = table[i - 1][j] + 1
    return table[size][len(b)]
"""


def kinds_of(source: str) -> dict[str, str]:
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.FunctionDef)
    return local_kinds(function)


def wrong_answer(line: int, function: str) -> Failure:
    frames = [Frame("tests/test_mod.py", 3, "test_f"), Frame("pkg/mod.py", line, function)]
    return Failure("tests/test_mod.py::test_f", "AssertionError", "assert 3 == 4", frames)


def test_kinds_come_from_every_binding_of_a_local() -> None:
    assert kinds_of(TABLE) == {
        "table": "collection",
        "size": "number",
        "label": "text",
        "i": "number",
        "j": "number",
    }


def test_a_local_bound_to_two_kinds_or_from_a_parameter_has_none() -> None:
    source = (
        "def f(xs, n):\n"
        "    best = 0\n"
        "    if n:\n"
        "        best = []\n"
        "    for item in xs:\n"
        "        best += item\n"
        "    first, last = xs[0], xs[-1]\n"
        "    return best\n"
    )
    assert kinds_of(source) == {}


def test_no_candidate_subscripts_a_counter_or_indexes_with_a_table(tmp_path: Path) -> None:
    fixes = ranked_fixes(tmp_path, TABLE, wrong_answer(7, "common"), limit=400)
    lines = [fix.splitlines()[6] for fix in fixes]
    assert any("table[i - 1][j - 1]" in line for line in lines)  # other templates still run
    for counter in ("i", "j", "size"):
        assert not any(f" {counter}[" in line or f"({counter}[" in line for line in lines)
    assert not any("[table]" in line for line in lines)
    assert any("table[j - 1][j]" in line or "table[i - 1][i]" in line for line in lines)


def test_a_number_is_never_what_max_or_sum_iterate(tmp_path: Path) -> None:
    source = (
        "def spread(values):\n"
        "    total = sum(values)\n"
        "    largest = max(values)\n"
        "    count = len(values)\n"
        "    return largest - min(values) + total / count\n"
    )
    fixes = ranked_fixes(tmp_path, source, wrong_answer(3, "spread"), limit=400)
    changed = {line for fix in fixes for line in fix.splitlines()} - set(source.splitlines())
    assert any("largest = max(" in line for line in changed)  # other templates still run
    for number in ("total", "count"):  # `sum()` and `len()` give numbers; `max()` need not
        for call in ("max", "min", "sum"):
            assert f"{call}({number})" not in "".join(changed)
