"""The candidate search: engine order, duplicate merging, sanitization, budgets, winner choice."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from bot.analysis.failures import Category
from bot.fix.candidates import second_opinion_size
from bot.fix.search import CandidateStream
from bot.repair.base import CandidatePatch, RepairContext
from bot.repair.diffs import make_diff

ORIGINAL = "def add(a, b):\n    return a - b\n"


class ListEngine:
    def __init__(self, name: str, diffs: list[str]) -> None:
        self.name = name
        self._diffs = diffs

    def propose(self, ctx: RepairContext, limit: int) -> Iterable[CandidatePatch]:
        for diff in self._diffs[:limit]:
            yield CandidatePatch(engine=self.name, diff=diff, description=self.name)


class BrokenEngine:
    name = "broken"

    def propose(self, ctx: RepairContext, limit: int) -> Iterable[CandidatePatch]:
        raise RuntimeError("provider exploded")


@pytest.fixture
def ctx(tmp_path: Path) -> RepairContext:
    (tmp_path / "calc.py").write_text(ORIGINAL)
    return RepairContext(
        repo_root=tmp_path,
        failures=[],
        test_command="pytest",
        category=Category.ASSERTION,
        signature="sig",
    )


def edit(new_body: str) -> str:
    return make_diff("calc.py", ORIGINAL, f"def add(a, b):\n    {new_body}\n")


def stream(engines: list, ctx: RepairContext, **kw: object) -> CandidateStream:
    options: dict = {"max_candidates": 10, "time_budget_s": 60.0, "allow_dangerous": False}
    options.update(kw)
    return CandidateStream(engines, ctx, **options)


def test_engines_are_drained_in_order_and_identical_diffs_become_votes(ctx: RepairContext) -> None:
    plus, times = edit("return a + b"), edit("return a * b")
    s = stream([ListEngine("cache", [plus]), ListEngine("rules", [times, plus])], ctx)

    batch = s.next_batch(5)

    assert [c.patch.diff for c in batch] == [plus, times]
    assert (batch[0].votes, batch[0].engines) == (2, ["cache", "rules"])
    assert [c.id for c in batch] == ["c1", "c2"]


def test_dangerous_candidate_is_kept_but_marked_rejected(ctx: RepairContext) -> None:
    evil = edit("return eval('a + b')")
    batch = stream([ListEngine("model", [evil])], ctx).next_batch(3)

    assert len(batch) == 1
    assert "eval" in batch[0].rejected_reason


def test_a_failing_engine_is_recorded_and_the_next_engine_still_runs(ctx: RepairContext) -> None:
    s = stream([BrokenEngine(), ListEngine("rules", [edit("return a + b")])], ctx)

    assert len(s.next_batch(3)) == 1
    assert s.engine_errors == ["broken: RuntimeError: provider exploded"]


def test_candidate_budget_caps_the_search(ctx: RepairContext) -> None:
    diffs = [edit(f"return a + b + {n}") for n in range(10)]
    s = stream([ListEngine("rules", diffs)], ctx, max_candidates=4)

    assert len(s.next_batch(3)) == 3
    assert len(s.next_batch(3)) == 1
    assert s.next_batch(3) == []


class ClockedEngine:
    """Like the rule engine: stops yielding once its own wall-clock budget is spent."""

    name = "clocked"

    def __init__(self, diffs: list[str]) -> None:
        self._diffs = diffs
        self.finished = False

    def propose(self, ctx: RepairContext, limit: int) -> Iterable[CandidatePatch]:
        yield from (CandidatePatch("clocked", d, "") for d in self._diffs[:limit])
        self.finished = True


def test_each_engine_is_drained_before_its_first_candidate_is_verified(
    ctx: RepairContext,
) -> None:
    engine = ClockedEngine([edit(f"return a + b + {n}") for n in range(5)])
    s = stream([engine], ctx)

    first = s.next_batch(1)

    # Verification time between batches must not count against the engine's own budget.
    assert len(first) == 1 and engine.finished
    assert len(s.next_batch(10)) == 4


def test_the_second_opinion_grows_with_the_search_that_found_the_fix() -> None:
    assert second_opinion_size(3, tried=1) == 3
    assert second_opinion_size(3, tried=9) == 18
    assert second_opinion_size(0, tried=9) == 0  # off
