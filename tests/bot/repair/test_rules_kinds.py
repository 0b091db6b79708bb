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
    failure = Failure(
        "tests/test_mod.py::test_f",
        "AssertionError",
        "assert 3 == 4",
        [Frame("tests/test_mod.py", 3, "test_f"), Frame("pkg/mod.py", 7, "common")],
    )
    fixes = ranked_fixes(tmp_path, TABLE, failure, limit=400)
    lines = [fix.splitlines()[6] for fix in fixes]
    assert any("table[i - 1][j - 1]" in line for line in lines)  # other templates still run
    for counter in ("i", "j", "size"):
        assert not any(f" {counter}[" in line or f"({counter}[" in line for line in lines)
    assert not any("[table]" in line for line in lines)
    assert any("table[j - 1][j]" in line or "table[i - 1][i]" in line for line in lines)
