"""Each rule template on a one-file repository: the expected fix is proposed early, minimally."""

from pathlib import Path

import pytest

from bot.analysis.failures import Category, Failure, Frame
from bot.repair.base import RepairContext
from bot.repair.diffs import apply_diff_in_memory, changed_lines
from bot.repair.rules.engine import RuleEngine


def propose(
    tmp_path: Path, source: str, failure: Failure, limit: int = 10
) -> list[tuple[str, str]]:
    (tmp_path / "pkg").mkdir(exist_ok=True)
    (tmp_path / "pkg" / "mod.py").write_text(source)
    ctx = RepairContext(tmp_path, [failure], "pytest", Category.UNKNOWN, "")
    results = []
    for candidate in RuleEngine().propose(ctx, limit):
        after = apply_diff_in_memory({"pkg/mod.py": source}, candidate.diff)["pkg/mod.py"]
        results.append((candidate.meta["template"], after))
    return results


def crash(line: int, exc: str, message: str, code: str = "", function: str = "f") -> Failure:
    frames = [
        Frame("tests/test_mod.py", 3, "test_f", "assert f() == 1"),
        Frame("pkg/mod.py", line, function, code),
    ]
    return Failure("tests/test_mod.py::test_f", exc, message, frames)


CASES = [
    pytest.param(
        "def f(xs):\n    return [xs[i + 1] for i in range(len(xs))]\n",
        crash(2, "IndexError", "list index out of range"),
        "def f(xs):\n    return [xs[i + 1] for i in range(len(xs) - 1)]\n",
        id="off_by_one_range",
    ),
    pytest.param(
        "def f(xs):\n    return xs[len(xs)]\n",
        crash(2, "IndexError", "list index out of range"),
        "def f(xs):\n    return xs[len(xs) - 1]\n",
        id="off_by_one_index",
    ),
    pytest.param(
        "def f(a, b):\n    return a - b\n",
        crash(2, "AssertionError", "assert -1 == 5"),
        "def f(a, b):\n    return a + b\n",
        id="arithmetic",
    ),
    pytest.param(
        "def f(a, b):\n    if a and b:\n        return 1\n    return 0\n",
        crash(2, "AssertionError", "assert 0 == 1"),
        "def f(a, b):\n    if a or b:\n        return 1\n    return 0\n",
        id="and_or",
    ),
    pytest.param(
        "def f(x):\n    if x:\n        return 1\n    return 0\n",
        crash(2, "AssertionError", "assert 0 == 1"),
        "def f(x):\n    if not x:\n        return 1\n    return 0\n",
        id="negation",
    ),
    pytest.param(
        "def f(x):\n    if x is 'a':\n        return 1\n    return 0\n",
        crash(2, "AssertionError", "assert 0 == 1"),
        "def f(x):\n    if x == 'a':\n        return 1\n    return 0\n",
        id="is_vs_eq",
    ),
    pytest.param(
        "def f(total, count):\n    return divmod(count, total)\n",
        crash(2, "TypeError", "unsupported operand"),
        "def f(total, count):\n    return divmod(total, count)\n",
        id="swap_args",
    ),
    pytest.param(
        "def f(value):\n    return valeu * 2\n",
        crash(2, "NameError", "name 'valeu' is not defined"),
        "def f(value):\n    return value * 2\n",
        id="rename_name",
    ),
    pytest.param(
        "import math\n\n\ndef f(x):\n    return sqrt(x)\n",
        crash(5, "NameError", "name 'sqrt' is not defined"),
        "import math\nfrom math import sqrt\n\n\ndef f(x):\n    return sqrt(x)\n",
        id="import_well_known_name",
    ),
    pytest.param(
        "def f(text):\n    return text.uper()\n",
        crash(2, "AttributeError", "'str' object has no attribute 'uper'. Did you mean: 'upper'?"),
        "def f(text):\n    return text.upper()\n",
        id="attribute_suggestion",
    ),
    pytest.param(
        "def f(xs):\n    total = sum(xs)\n",
        crash(2, "AssertionError", "assert None == 6"),
        "def f(xs):\n    total = sum(xs)\n    return total\n",
        id="missing_return",
    ),
    pytest.param(
        "def f(n):\n    return n * f(n - 1)\n",
        crash(2, "RecursionError", "maximum recursion depth exceeded"),
        "def f(n):\n    if n <= 1:\n        return 1\n    return n * f(n - 1)\n",
        id="base_case",
    ),
    pytest.param(
        "def f(xs):\n    return sum(xs) / len(xs)\n",
        crash(2, "ZeroDivisionError", "division by zero"),
        "def f(xs):\n    if not xs:\n        return 0\n    return sum(xs) / len(xs)\n",
        id="empty_guard",
    ),
    pytest.param(
        "def f(retries):\n    return retries > 3\n",
        crash(2, "AssertionError", "assert False == True"),
        "def f(retries):\n    return retries >= 3\n",
        id="comparison",
    ),
]


@pytest.mark.parametrize(("source", "failure", "fixed"), CASES)
def test_expected_fix_is_among_the_first_candidates(tmp_path, source, failure, fixed):
    results = propose(tmp_path, source, failure)
    assert fixed in [after for _, after in results], [after for _, after in results]


def test_edits_keep_formatting_and_touch_only_the_buggy_line(tmp_path):
    source = (
        "def f(xs):  # keep this comment\n"
        "    out = []\n"
        "    for i in range( len(xs) ):\n"
        "        out.append(xs[i+1])\n"
        "    return out\n"
    )
    failure = crash(4, "IndexError", "list index out of range")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text(source)
    ctx = RepairContext(tmp_path, [failure], "pytest", Category.UNKNOWN, "")
    candidates = list(RuleEngine().propose(ctx, 20))
    assert all(
        changed_lines(c.diff) == 2 for c in candidates if c.meta["template"] != "empty_guard"
    )
    fixed = "    for i in range( len(xs) - 1 ):\n"
    assert any(f"+{fixed}" in c.diff for c in candidates)


def test_test_files_are_never_edited_and_limit_is_respected(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_mod.py").write_text("def test_f():\n    assert 1 < 0\n")
    failure = Failure(
        "tests/test_mod.py::test_f",
        "AssertionError",
        "assert 1 < 0",
        [Frame("tests/test_mod.py", 2, "test_f", "assert 1 < 0")],
    )
    ctx = RepairContext(tmp_path, [failure], "pytest", Category.UNKNOWN, "")
    assert list(RuleEngine().propose(ctx, 5)) == []
    results = propose(
        tmp_path,
        "def f(a, b):\n    return a - b + 1 * 2\n",
        crash(2, "AssertionError", "x"),
        limit=3,
    )
    assert len(results) == 3


def test_every_candidate_parses_and_none_repeats(tmp_path):
    source = "def f(a, b):\n    return (a < b) and a % 2 == 0 or b[0] > a\n"
    results = propose(tmp_path, source, crash(2, "AssertionError", "assert False"), limit=50)
    afters = [after for _, after in results]
    assert len(afters) == len(set(afters)) > 10
    for after in afters:
        compile(after, "mod.py", "exec")
