"""Token and cost accounting for one session's model calls, safe to share between threads."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class ModelUsage:
    calls: int = 0
    failures: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0


@dataclass
class Usage:
    """Totals for a session; `by_model` breaks them down per model name."""

    by_model: dict[str, ModelUsage] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def record(self, model: str, tokens_in: int, tokens_out: int, cost_usd: float) -> None:
        with self._lock:
            entry = self.by_model.setdefault(model, ModelUsage())
            entry.calls += 1
            entry.tokens_in += max(tokens_in, 0)
            entry.tokens_out += max(tokens_out, 0)
            entry.cost_usd += max(cost_usd, 0.0)

    def record_failure(self, model: str) -> None:
        with self._lock:
            self.by_model.setdefault(model, ModelUsage()).failures += 1

    @property
    def tokens_in(self) -> int:
        return sum(entry.tokens_in for entry in self.by_model.values())

    @property
    def tokens_out(self) -> int:
        return sum(entry.tokens_out for entry in self.by_model.values())

    @property
    def cost_usd(self) -> float:
        return sum(entry.cost_usd for entry in self.by_model.values())

    @property
    def calls(self) -> int:
        return sum(entry.calls for entry in self.by_model.values())
