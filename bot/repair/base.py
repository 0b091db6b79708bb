"""The interface every repair engine implements, and the context it is given."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from bot.analysis.failures import Category, Failure

if TYPE_CHECKING:
    from bot.repair.spectrum import Spectrum


@dataclass(frozen=True)
class CandidateFeedback:
    """How a proposed candidate fared: conversational engines learn from the failed ones."""

    diff: str
    status: str  # a verdict: "verified", "failed", "timeout", "patch_failed", "rejected", …
    reason: str
    output: str = ""  # the tail of the patched run's test output


@dataclass
class RepairContext:
    """What an engine may look at: the checkout, the failures, and what is known about them."""

    repo_root: Path
    failures: list[Failure]
    test_command: str
    category: Category
    signature: str
    failing_tests: list[str] = field(default_factory=list)
    passing_tests: list[str] = field(default_factory=list)
    libraries: dict[str, str | None] = field(default_factory=dict)
    protected_paths: list[str] = field(default_factory=list)
    baseline_output: str = ""
    # Per-test line coverage of the baseline (bot.repair.coverage.collect_spectrum), if collected.
    spectrum: Spectrum | None = None
    # Appended by the pipeline as each candidate is judged, in order.
    feedback: list[CandidateFeedback] = field(default_factory=list)

    def read(self, relative_path: str) -> str:
        return (self.repo_root / relative_path).read_text(encoding="utf-8")


@dataclass
class CandidatePatch:
    """A proposed change as a unified diff (paths `a/...`, `b/...` relative to the repo root)."""

    engine: str
    diff: str
    description: str
    meta: dict[str, Any] = field(default_factory=dict)


class RepairEngine(Protocol):
    name: str

    def propose(self, ctx: RepairContext, limit: int) -> Iterable[CandidatePatch]:
        """Yield up to `limit` candidates, cheapest and most likely first."""
        ...
