"""What a job is: a frozen argument value plus the async function that runs it.

Routes return `Enqueue(job, args)`; the worker's function list is built from the same `Job`
objects, so the name a route enqueues and the function the worker runs cannot drift apart.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from bot.worker.context import WorkerContext


class JobArgs(Protocol):
    """A frozen dataclass of a job's arguments; `job_id` is its natural key (None: delivery id)."""

    @property
    def job_id(self) -> str | None: ...


A = TypeVar("A", bound=JobArgs)

JobFunction = Callable[["WorkerContext", A], Awaitable[str]]
GiveUpFunction = Callable[["WorkerContext", A, str], Awaitable[None]]


@dataclass(frozen=True)
class Job(Generic[A]):
    """A job function with its argument type and how the worker must treat it."""

    run: JobFunction[A]
    args: type[A]
    # Holds one of the installation's concurrency slots while it runs (sandboxes are costly).
    per_installation: bool = False
    # Called once when the job ends without a result (crash, timeout, last try), to tell people.
    give_up: GiveUpFunction[A] | None = None

    @property
    def name(self) -> str:
        return self.run.__name__

    def kwargs(self, args: A) -> dict[str, Any]:
        """The arguments as arq stores them: plain keyword values, readable in Redis."""
        return dataclasses.asdict(args)  # type: ignore[call-overload, no-any-return]

    def parse(self, kwargs: dict[str, Any]) -> A:
        """Rebuild the typed arguments from arq's keywords; unknown keys are a programming error."""
        return self.args(**kwargs)


@dataclass(frozen=True)
class Enqueue(Generic[A]):
    """A route's decision: run `job` with `args`."""

    job: Job[A]
    args: A

    @property
    def job_id(self) -> str | None:
        return self.args.job_id

    @property
    def function(self) -> str:
        return self.job.name

    @property
    def kwargs(self) -> dict[str, Any]:
        return self.job.kwargs(self.args)
