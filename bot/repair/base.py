"""The interface every repair engine implements, and the context it is given."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from bot.analysis.failures import Category, Failure


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
