"""Choosing among verified fixes in real sandboxes: a fix that passes only because the tests accept
None is refused, so is one that breaks the code on inputs beside the tests' own (and the search goes
on past it), and of two fixes of one size the one that keeps what the passing tests' calls returned
wins, whatever order the engines proposed them in."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest

from bot.fix.pipeline import build_deps, run_fix
from bot.fix.types import FixOutcome, FixRequest, FixStatus
from bot.repair.base import CandidatePatch, RepairContext
from bot.repair.diffs import make_diff
from bot.settings import load_settings
from tests.bot.repair.sample_sources import COMMON_LENGTH

pytestmark = [pytest.mark.docker, pytest.mark.slow]

ORDER = '''"""Order checks."""


def is_sorted(items):
    for a, b in zip(items, items[1:]):
        if a > b:
            return True
    return True
'''
ORDER_TESTS = """from order import is_sorted


def test_sorted():
    assert is_sorted([1, 2, 3])


def test_unsorted():
    assert not is_sorted([3, 1, 2])
"""
# One token: the tests accept None for False, but the code no longer answers.
RETURNS_NONE = ORDER.replace("            return True\n", "            return\n")
RETURNS_FALSE = ORDER.replace("            return True\n", "            return False\n")

SHAPES = '''"""Rectangles."""

PADDING = 1


def area(width, height):
    return width * height + PADDING


def label(width, height):
    return f"{width}x{height}" + "-" * PADDING
'''
SHAPES_TESTS = """from shapes import area, label


def test_area():
    assert area(2, 3) == 6


def test_label():
    assert label(2, 3).startswith("2x3")
"""
# Both change two tokens and pass; only the second leaves label(2, 3) as it was.
GLOBAL_CHANGE = SHAPES.replace("PADDING = 1", "PADDING = 0")
LOCAL_CHANGE = SHAPES.replace("width * height + PADDING", "width * height + 0")


# The else line reads its own, still empty, cell: the bug.
TABLE = '"""Longest common subsequence."""\n\n\n' + COMMON_LENGTH.replace(
    "table[i][j - 1])\n", "table[i][j])\n"
)
TABLE_TESTS = """from table import common_length


def test_same_length():
    assert common_length("abc", "acb") == 2


def test_empty():
    assert common_length("", "ab") == 0
"""
# Passes: the tests' strings have one length, so the transposed index stays inside the table.
TRANSPOSED = TABLE.replace("table[i][j])\n", "table[j][i - 1])\n")
RIGHT = TABLE.replace("table[i][j])\n", "table[i][j - 1])\n")


LARGEST = '''"""Maxima."""


def largest(items):
    best = 0
    for item in items:
        if item > best:
            best = item
    return best
'''
LARGEST_TESTS = """from maxima import largest


def test_positive():
    assert largest([1, 3, 2]) == 3


def test_negative():
    assert largest([-3, -1, -2]) == -1
"""
# Both pass; only the second is right, and they part ways on [-3, -2].
GUESSED = LARGEST.replace("best = 0", "best = -1")
FIRST_ITEM = LARGEST.replace("best = 0", "best = items[0]")


class FixedEngine:
    def __init__(self, path: str, original: str, *sources: str) -> None:
        self.name = "fixed"
        self._path, self._original, self._sources = path, original, sources

    def propose(self, ctx: RepairContext, limit: int) -> Iterable[CandidatePatch]:
        for source in self._sources[:limit]:
            yield CandidatePatch("fixed", make_diff(self._path, self._original, source), "hand")


def project(root: Path, module: str, source: str, tests: str) -> Path:
    (root / "tests").mkdir(parents=True)
    (root / f"{module}.py").write_text(source)
    (root / "tests" / f"test_{module}.py").write_text(tests)
    return root


def fix(deps, repo: Path, engine: FixedEngine, candidates: int) -> tuple[FixOutcome, list[str]]:
    """run_fix with only `engine`, `candidates` per batch; the outcome and what it said."""
    deps.engines = [engine]
    said: list[str] = []
    outcome = run_fix(
        FixRequest(repo_root=repo, candidates=candidates), deps, lambda e: said.append(e.message)
    )
    return outcome, said


@pytest.fixture
def deps(tmp_path: Path, sandbox_image: str):
    settings = load_settings(
        state_dir=tmp_path / "state", sandbox_image=sandbox_image, database_url=""
    )
    return build_deps(settings)


def test_a_fix_that_returns_none_for_false_is_refused(deps, tmp_path: Path) -> None:
    repo = project(tmp_path / "repo", "order", ORDER, ORDER_TESTS)

    outcome, said = fix(
        deps, repo, FixedEngine("order.py", ORDER, RETURNS_NONE, RETURNS_FALSE), candidates=2
    )

    by_id = {c.id: c for c in outcome.candidates}
    assert by_id["c1"].status == "rejected"
    assert "`is_sorted` in order.py returns None" in by_id["c1"].reason
    assert "returned a bool" in by_id["c1"].reason
    assert outcome.status is FixStatus.VERIFIED and outcome.winner is not None
    assert outcome.winner.id == "c2"
    # The refused one is no alternative the tests accept.
    assert "different fixes" not in outcome.message
    # No tie on size: only the failing tests ran under the profiler.
    assert any(re.search(r"verified fix(es)? on the failing tests", m) for m in said)


def test_of_two_fixes_of_one_size_the_one_keeping_passing_behaviour_wins(
    deps, tmp_path: Path
) -> None:
    repo = project(tmp_path / "repo", "shapes", SHAPES, SHAPES_TESTS)

    outcome, said = fix(
        deps, repo, FixedEngine("shapes.py", SHAPES, GLOBAL_CHANGE, LOCAL_CHANGE), candidates=2
    )

    assert [c.status for c in outcome.candidates] == ["verified", "verified"]
    assert outcome.winner is not None and outcome.winner.id == "c2"
    assert "0 result(s) of calls the passing tests make differ" in outcome.winner.reason
    assert "the tests accept 2 different fixes" in outcome.message
    assert "1 more candidate was tried after the first fix that passed" in outcome.message
    assert any(re.search(r"verified fix(es)? on the whole suite", m) for m in said)


def test_a_fix_that_breaks_beside_the_tests_inputs_is_refused_and_the_search_goes_on(
    deps, tmp_path: Path
) -> None:
    repo = project(tmp_path / "repo", "table", TABLE, TABLE_TESTS)

    # One candidate per batch: the refused one must not end the search.
    outcome, said = fix(deps, repo, FixedEngine("table.py", TABLE, TRANSPOSED, RIGHT), candidates=1)

    by_id = {c.id: c for c in outcome.candidates}
    assert by_id["c1"].status == "rejected"
    assert "`common_length` in table.py raises IndexError on arguments" in by_id["c1"].reason
    assert "returned a value (int) before the patch" in by_id["c1"].reason
    assert outcome.status is FixStatus.VERIFIED and outcome.winner is not None
    assert outcome.winner.id == "c2"
    assert any(
        "Candidate 1 passed the tests but is refused: passes the tests but is not a fix" in m
        for m in said
    )


def test_when_every_passing_candidate_is_refused_the_outcome_says_so(deps, tmp_path: Path) -> None:
    repo = project(tmp_path / "repo", "table", TABLE, TABLE_TESTS)

    outcome, _ = fix(deps, repo, FixedEngine("table.py", TABLE, TRANSPOSED), candidates=1)

    assert outcome.status is FixStatus.NO_FIX and outcome.winner is None
    assert "1 candidate tried" in outcome.message
    assert "1 passed them but was refused as no fix" in outcome.message


def test_when_the_smallest_verified_fixes_are_all_refused_the_larger_ones_are_checked_too(
    deps, tmp_path: Path
) -> None:
    repo = project(tmp_path / "repo", "order", ORDER, ORDER_TESTS)
    nones = ["return", "return None", "return print()", "return {}.get(0)"]
    sources = [ORDER.replace("            return True\n", f"            {n}\n") for n in nones]
    # A fifth None-returner, larger than those four, must not win unchecked over the right fix,
    # larger still.
    sneaky = ORDER.replace("            return True\n", "            return dict(a=a).get(b)\n")
    right = ORDER.replace(
        "            return True\n", "            return a > b and a < b and len(items) < 0 < a\n"
    )

    outcome, _ = fix(
        deps, repo, FixedEngine("order.py", ORDER, *sources, sneaky, right), candidates=6
    )

    statuses = {c.id: c.status for c in outcome.candidates}
    assert [statuses[f"c{n}"] for n in range(1, 6)] == ["rejected"] * 5, statuses
    assert outcome.status is FixStatus.VERIFIED and outcome.winner is not None
    assert outcome.winner.id == "c6"


def test_two_fixes_that_answer_differently_beside_the_tests_inputs_leave_it_undecided(
    deps, tmp_path: Path
) -> None:
    repo = project(tmp_path / "repo", "maxima", LARGEST, LARGEST_TESTS)

    # One per batch: the second is only tried as a second opinion on the first.
    outcome, said = fix(
        deps, repo, FixedEngine("maxima.py", LARGEST, GUESSED, FIRST_ITEM), candidates=1
    )

    assert [c.status for c in outcome.candidates] == ["verified", "verified"]
    assert outcome.status is FixStatus.NO_FIX and outcome.winner is None
    assert "the tests do not decide between the fixes found" in outcome.message
    assert "candidates c1 and c2 both pass them, but on arguments (([" in outcome.message
    assert "`largest` in maxima.py returns -1 under c1 and " in outcome.message
    assert "Add a test that pins down the right answer" in outcome.message
    assert any("for a second opinion" in m for m in said)


def test_without_a_second_opinion_the_first_fix_found_is_posted(deps, tmp_path: Path) -> None:
    repo = project(tmp_path / "repo", "maxima", LARGEST, LARGEST_TESTS)
    deps.settings = deps.settings.model_copy(update={"second_opinion_candidates": 0})

    outcome, _ = fix(
        deps, repo, FixedEngine("maxima.py", LARGEST, GUESSED, FIRST_ITEM), candidates=1
    )

    assert [c.id for c in outcome.candidates] == ["c1"]
    assert outcome.status is FixStatus.VERIFIED and outcome.winner is not None
    assert "No candidate was tried after it for a second opinion" in outcome.message


def test_a_fix_found_late_gets_a_longer_second_opinion(deps, tmp_path: Path) -> None:
    repo = project(tmp_path / "repo", "maxima", LARGEST, LARGEST_TESTS)
    deps.settings = deps.settings.model_copy(update={"second_opinion_candidates": 1})
    wrong = [
        LARGEST.replace("best = item", "best = -item"),
        LARGEST.replace("return best", "return best + 1"),
        LARGEST.replace("item > best", "item < best"),
        LARGEST.replace("best = 0", "best = 100"),
    ]
    # The guess is found third, after two failures; the right fix three candidates later,
    # beyond a second opinion of 1 but within twice the three it took to find the guess.
    engine = FixedEngine("maxima.py", LARGEST, *wrong[:2], GUESSED, *wrong[2:], FIRST_ITEM)

    outcome, _ = fix(deps, repo, engine, candidates=1)

    statuses = [c.status for c in outcome.candidates]
    assert statuses == ["failed", "failed", "verified", "failed", "failed", "verified"], statuses
    assert outcome.status is FixStatus.NO_FIX and outcome.winner is None
    assert "candidates c3 and c6 both pass them" in outcome.message
