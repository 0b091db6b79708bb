"""The classic-bug templates, the nonsense filter, AST de-duplication and same-line pairs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.analysis.failures import Category, Failure, Frame
from bot.repair.base import RepairContext
from bot.repair.diffs import apply_diff_in_memory
from bot.repair.rules.engine import RuleEngine
from bot.repair.rules.filters import nonsense, normalised
from bot.repair.spectrum import Spectrum

MODULE = "algo.py"


def _failure(message: str = "assert 1 == 2", exc: str = "AssertionError") -> Failure:
    frames = [Frame("tests/test_algo.py", 5, "test_it", "assert f(x) == expected")]
    return Failure("tests/test_algo.py::test_it", exc, message, frames)


def _candidates(tmp_path: Path, source: str, failure: Failure, limit: int = 40) -> list[str]:
    (tmp_path / MODULE).write_text(source)
    lines = len(source.splitlines())
    # every line ran in the one failing test and in no passing one
    spectrum = Spectrum({(MODULE, n): (1, 0) for n in range(1, lines + 1)}, ["t"], 0)
    ctx = RepairContext(tmp_path, [failure], "pytest", Category.UNKNOWN, "", spectrum=spectrum)
    return [
        apply_diff_in_memory({MODULE: source}, c.diff)[MODULE]
        for c in RuleEngine().propose(ctx, limit)
    ]


CASES = [
    pytest.param(
        "def run_length(text):\n"
        "    runs = []\n"
        "    current, count = text[0], 1\n"
        "    for ch in text[1:]:\n"
        "        if ch == current:\n"
        "            count += 1\n"
        "        else:\n"
        "            runs.append((current, count))\n"
        "            current, count = ch, 1\n"
        "    return runs\n",
        "    runs.append((current, count))\n    return runs\n",
        id="append_after_loop",
    ),
    pytest.param(
        "def merge(a, b):\n"
        "    out = []\n"
        "    i = j = 0\n"
        "    while i < len(a) and j < len(b):\n"
        "        if a[i] <= b[j]:\n"
        "            out.append(a[i])\n"
        "            i += 1\n"
        "        else:\n"
        "            out.append(b[j])\n"
        "            j += 1\n"
        "    out.extend(a[i:])\n"
        "    return out\n",
        "    out.extend(a[i:])\n    out.extend(b[j:])\n",
        id="twin_statement",
    ),
    pytest.param(
        "def unique(items):\n"
        "    seen = set()\n"
        "    out = []\n"
        "    for item in items:\n"
        "        if item not in seen:\n"
        "            out.append(item)\n"
        "    return out\n",
        "            seen.add(item)\n            out.append(item)\n",
        id="seen_set_never_filled",
    ),
    pytest.param(
        "def count(text):\n"
        "    n = 0\n"
        "    for ch in text:\n"
        "        if not ch.isalpha():\n"
        "            break\n"
        "        n += 1\n"
        "    return n\n",
        "            continue\n",
        id="break_for_continue",
    ),
    pytest.param(
        "def add(tag, tags=[]):\n    tags.append(tag)\n    return tags\n",
        "def add(tag, tags=None):\n    if tags is None:\n        tags = []\n",
        id="mutable_default",
    ),
    pytest.param(
        "def with_row(matrix, row):\n"
        "    result = matrix\n"
        "    result.append(row)\n"
        "    return result\n",
        "    result = list(matrix)\n",
        id="alias_copy",
    ),
    pytest.param(
        "def flatten(items):\n"
        "    out = []\n"
        "    for item in items:\n"
        "        if isinstance(item, list):\n"
        "            out.extend(item)\n"
        "        else:\n"
        "            out.append(item)\n"
        "    return out\n",
        "            out.extend(flatten(item))\n",
        id="missing_recursion",
    ),
    pytest.param(
        "def best_sum(nums):\n"
        "    best = 0\n"
        "    current = 0\n"
        "    for x in nums:\n"
        "        current = max(x, current + x)\n"
        "        best = max(best, current)\n"
        "    return best\n",
        "    best = nums[0]\n",
        id="initial_value_of_a_max",
    ),
    pytest.param(
        "def reverse_words(s):\n"
        "    words = s.split()\n"
        "    words.sort()\n"
        "    return ' '.join(words)\n",
        "    words.reverse()\n",
        id="container_method",
    ),
    pytest.param(
        "def to_binary(n):\n"
        "    digits = []\n"
        "    while n > 0:\n"
        "        digits.append(str(n % 2))\n"
        "        n //= 2\n"
        "    return ''.join(digits)\n",
        "    return ''.join(digits[::-1])\n",
        id="reversed_result",
    ),
    pytest.param(
        "def transpose(m):\n"
        "    return [[m[j][i] for i in range(len(m))] for j in range(len(m[0]))]\n",
        "m[i][j]",
        id="swapped_indexes",
    ),
    pytest.param(
        "def rotate(xs, k):\n    k %= len(xs)\n    return xs[k:] + xs[:k]\n",
        "    return xs[-k:] + xs[:-k]\n",
        id="two_edits_on_one_line",
    ),
    pytest.param(
        "def window(text, start, size):\n    return text[start:size]\n",
        "    return text[start:start + size]\n",
        id="slice_end_read_as_a_length",
    ),
    pytest.param(
        "def window(text, start, end):\n    return text[start:start + end]\n",
        "    return text[start:end]\n",
        id="slice_length_read_as_an_end",
    ),
    pytest.param(
        "def grid(width, height):\n"
        "    cells = [[0] * width] * height\n"
        "    cells[0][0] = 1\n"
        "    return cells\n",
        "    cells = [[0] * width for _ in range(height)]\n",
        id="one_row_repeated",
    ),
    pytest.param(
        "def buckets(n):\n    groups = n * [[]]\n    groups[0].append(1)\n    return groups\n",
        "    groups = [[] for _ in range(n)]\n",
        id="one_list_repeated",
    ),
]


@pytest.mark.parametrize(("source", "fixed"), CASES)
def test_each_classic_bug_kind_gets_its_fix_among_the_candidates(
    tmp_path: Path, source: str, fixed: str
) -> None:
    candidates = _candidates(tmp_path, source, _failure())
    assert any(fixed in after for after in candidates), candidates[:5]


def test_none_for_minus_one_takes_the_literal_the_test_expected(tmp_path: Path) -> None:
    source = (
        "def find(items, target):\n"
        "    for i, item in enumerate(items):\n"
        "        if item == target:\n"
        "            return i\n"
        "    return None\n"
    )
    failure = Failure(
        "tests/test_algo.py::test_it",
        "AssertionError",
        "assert None == -1",
        [Frame("tests/test_algo.py", 5, "test_it", "assert find([1], 5) == -1")],
    )
    candidates = _candidates(tmp_path, source, failure)
    assert "    return -1\n" in candidates[0]


def test_a_loop_that_never_advances_gets_its_step_when_the_test_hung(tmp_path: Path) -> None:
    source = (
        "def first_negative(values):\n"
        "    i = 0\n"
        "    while i < len(values):\n"
        "        if values[i] < 0:\n"
        "            return i\n"
        "    return -1\n"
    )
    candidates = _candidates(tmp_path, source, _failure("hung", "Timeout"), limit=5)
    assert any("            return i\n        i += 1\n" in after for after in candidates)


def test_candidates_are_distinct_programs_not_distinct_texts(tmp_path: Path) -> None:
    source = "def f(a, b):\n    if a < b:\n        return a - b\n    return b\n"
    candidates = _candidates(tmp_path, source, _failure(), limit=200)
    dumps = [normalised(ast.parse(after)) for after in candidates]
    assert len(dumps) == len(set(dumps))
    assert normalised(ast.parse(source)) not in dumps


@pytest.mark.parametrize(
    ("before", "after", "why"),
    [
        ("import re\n\nx = re\n", "import re\n\nx = not re\n", "applies `Not` to `re`"),
        ("import re\n\ny = 1\n", "import re\n\nre = 1\n", "assigns to the imported module"),
        ("x = n + 1\n", "x = n * 1\n", "changes nothing"),
        ("def f():\n    a = b\n", "def f():\n    a = a\n", "assigns a name to itself"),
        ("x = y - 1\n", "x = None - 1\n", "arithmetic on `None`"),
        (
            "for i in range(1, n):\n    t[i] = t[i - 1]\n",
            "for i in range(1, n):\n    t[i] = t[i - 2]\n",
            "`i - 2`, which is -1 on the loop's first pass",
        ),
        (
            "for i in range(2, n):\n    t[i] = t[i]\n",
            "for i in range(2, n):\n    t[i] = t[i - 3]\n",
            "`i - 3`, which is -1 on the loop's first pass",
        ),
        ("row = [0] * (n + 1)\n", "row = [0] / (n + 1)\n", "`Div` arithmetic on `[0]`"),
        ("row = [0] * (n + 1)\n", "row = [0] + (n + 1)\n", "`Add` arithmetic on `[0]`"),
        ("xs = ys + [1]\n", "xs = ys - [1]\n", "`Sub` arithmetic on `[1]`"),
    ],
)
def test_nonsense_edits_are_refused_with_a_reason(before: str, after: str, why: str) -> None:
    line = len(before.splitlines())
    assert why in nonsense(ast.parse(before), ast.parse(after), line)


def test_sensible_edits_pass_the_filter() -> None:
    before, after = "import re\n\nx = n + 1\n", "import re\n\nx = n - 1\n"
    assert nonsense(ast.parse(before), ast.parse(after), 3) == ""
    # An index that stays inside the list from the loop's first pass on.
    before = "for i in range(1, n):\n    t[i] = t[i]\n"
    assert nonsense(ast.parse(before), ast.parse(before.replace("t[i]\n", "t[i - 1]\n")), 2) == ""
    # A loop from 0 may wrap on purpose, around a polygon or a ring.
    before = "for i in range(n):\n    t[i] = t[i]\n"
    assert nonsense(ast.parse(before), ast.parse(before.replace("t[i]\n", "t[i - 1]\n")), 2) == ""
    # A list repeated, joined, or a tuple filling a format string.
    for before, after in [
        ("row = [0] * n\n", "row = [0] * (n + 1)\n"),
        ("xs = ys + [1]\n", "xs = [1] + ys\n"),
        ("s = '%d-%d' % (a, b)\n", "s = '%d-%d' % (b, a)\n"),
    ]:
        assert nonsense(ast.parse(before), ast.parse(after), 1) == "", after
    # A start that is not a literal says nothing about the first pass.
    before = "for i in range(k, n):\n    t[i] = t[i]\n"
    assert nonsense(ast.parse(before), ast.parse(before.replace("t[i]\n", "t[i - 5]\n")), 2) == ""
