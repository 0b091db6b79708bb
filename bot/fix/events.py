"""The typed events a fix session emits, and the listeners that hear them.

The pipeline only emits; the database recorder, the terminal, the check-run console and the
dashboard feed (console lines in the database) are listeners. Every event carries a console
`message` ("" for events that only carry data) and its `stage`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from runner.results import RunResult

if TYPE_CHECKING:
    from bot.analysis.failures import Failure
    from bot.fix.types import CandidateResult, FixOutcome, FixRequest
    from bot.repair.usage import Usage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FixEvent:
    """A step of one session; `stage` is analyzing | preparing | reproducing | generating |
    candidate | done | error."""

    session_id: str
    stage: str
    message: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SessionStarted(FixEvent):
    request: FixRequest | None = None
    test_command: str = ""


@dataclass(frozen=True)
class RunFinished(FixEvent):
    """A sandbox run ended: the baseline (candidate_id None), a reproduction, or a candidate's."""

    candidate_id: str | None = None
    result: RunResult | None = None


@dataclass(frozen=True)
class Reproduced(FixEvent):
    failures: Sequence[Failure] = ()
    failing_tests: Sequence[str] = ()


@dataclass(frozen=True)
class Classified(FixEvent):
    error_type: str | None = None
    category: str = ""
    signature: str = ""
    libraries: dict[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class CandidateJudged(FixEvent):
    """A candidate's verdict, with its proof once it ran (None when it was rejected unrun)."""

    result: CandidateResult | None = None
    proof: dict[str, Any] | None = None
    proof_text_path: str | None = None


@dataclass(frozen=True)
class Decided(FixEvent):
    outcome: FixOutcome | None = None
    usage: Usage | None = None


@dataclass(frozen=True)
class Crashed(FixEvent):
    """The session stopped on an exception; `message` says what the user is told."""

    usage: Usage | None = None


Listener = Callable[[FixEvent], None]


class Broadcast:
    """Hands each event to every listener in order; one listener's failure spares the others."""

    def __init__(self, listeners: Sequence[Listener]) -> None:
        self._listeners = list(listeners)

    def __call__(self, event: FixEvent) -> None:
        for listener in self._listeners:
            try:
                listener(event)
            except Exception:
                log.exception("listener %r failed on %s", listener, type(event).__name__)


class LoopBridge:
    """Carries events from the pipeline's worker thread to an asyncio consumer, in order.

    `__call__` may be called from any thread; `events()` is consumed on the loop it was made on.
    """

    _END = object()

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._queue: asyncio.Queue[Any] = asyncio.Queue()

    def __call__(self, event: FixEvent) -> None:
        self._loop.call_soon_threadsafe(self._queue.put_nowait, event)

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._queue.put_nowait, self._END)

    async def next_batch(self) -> list[FixEvent] | None:
        """Every event available now (waiting for at least one); None once closed and drained."""
        first = await self._queue.get()
        if first is self._END:
            return None
        batch = [first]
        while not self._queue.empty():
            item = self._queue.get_nowait()
            if item is self._END:
                self._queue.put_nowait(item)  # seen again by the next call
                break
            batch.append(item)
        return batch
