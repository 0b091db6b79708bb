"""Conversational engines: once their candidates are judged, the stream asks them to follow up."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bot.analysis.failures import Category
from bot.fix.search import CandidateStream
from bot.repair.base import CandidateFeedback, CandidatePatch, RepairContext
from bot.repair.diffs import make_diff

ORIGINAL = "def add(a, b):\n    return a - b\n"
FIRST = make_diff("calc.py", ORIGINAL, ORIGINAL.replace("a - b", "a * b"))
SECOND = make_diff("calc.py", ORIGINAL, ORIGINAL.replace("a - b", "a + b"))


class TalkingEngine:
    """Proposes FIRST; told that FIRST failed, proposes SECOND; then has nothing more."""

    name = "model"

    def __init__(self) -> None:
        self.told: list[CandidateFeedback] = []

    def propose(self, ctx: RepairContext, limit: int) -> Iterable[CandidatePatch]:
        yield CandidatePatch(self.name, FIRST, "multiply")

    def follow_up(self, ctx: RepairContext, limit: int) -> list[CandidatePatch]:
        failed = [f for f in ctx.feedback if f.diff == FIRST and f.status == "failed"]
        if not failed or self.told:
            return []
        self.told = failed
        return [CandidatePatch(self.name, SECOND, "add")]


def test_the_next_round_comes_only_after_the_last_one_was_judged(tmp_path: Path) -> None:
    (tmp_path / "calc.py").write_text(ORIGINAL)
    ctx = RepairContext(tmp_path, [], "pytest", Category.UNKNOWN, "")
    engine = TalkingEngine()
    stream = CandidateStream(
        [engine], ctx, max_candidates=5, time_budget_s=60, allow_dangerous=False
    )

    first = stream.next_batch(3)
    assert [c.patch.description for c in first] == ["multiply"]
    assert stream.next_batch(3) == []  # not judged yet: no follow-up

    ctx.feedback.append(CandidateFeedback(FIRST, "failed", "still failing", "assert -1 == 3"))
    second = stream.next_batch(3)
    assert [(c.id, c.patch.description) for c in second] == [("c2", "add")]
    assert engine.told[0].output == "assert -1 == 3"
    assert stream.next_batch(3) == []
