"""Event routing: each feature module registers pure route functions per (event, action).

A route function turns a delivery's payload into the job to enqueue (or a reason to skip).
It runs in the webhook process, so it must stay pure: no I/O, no GitHub calls. Each
registration names the job it may start (`runs=`), so one grep for an event shows the
function that ends up running, and the worker's function list is built from the same names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from bot.settings import Settings
from bot.worker.job import Enqueue, Job

Payload = dict[str, Any]


@dataclass(frozen=True)
class Skip:
    """Nothing to do for this delivery; `reason` is logged and returned to GitHub."""

    reason: str


RouteResult = Enqueue[Any] | Skip
RouteFunction = Callable[[Payload, Settings], RouteResult]


class Router:
    """Maps (event, action) to route functions; `action` None matches events without one."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str | None], list[RouteFunction]] = {}
        self.jobs: dict[str, Job[Any]] = {}

    def on(
        self, event: str, *actions: str, runs: Job[Any] | None = None
    ) -> Callable[[RouteFunction], RouteFunction]:
        """Register a route; `runs` is the job it enqueues (None: it only ever skips)."""

        def register(function: RouteFunction) -> RouteFunction:
            for action in actions or (None,):
                self.routes.setdefault((event, action), []).append(function)
            if runs is not None:
                self.jobs[runs.name] = runs
            return function

        return register

    def also_runs(self, *jobs: Job[Any]) -> None:
        """Jobs that no route starts directly (a command's follow-up) but the worker must know."""
        for job in jobs:
            self.jobs[job.name] = job

    @classmethod
    def combine(cls, routers: Iterable[Router]) -> Router:
        combined = cls()
        for router in routers:
            for key, functions in router.routes.items():
                combined.routes.setdefault(key, []).extend(functions)
            combined.jobs.update(router.jobs)
        return combined

    def knows_event(self, event: str) -> bool:
        return any(known == event for known, _ in self.routes)

    def dispatch(self, event: str, payload: Payload, settings: Settings) -> list[RouteResult]:
        action = payload.get("action")
        functions = self.routes.get((event, action if isinstance(action, str) else None), [])
        return [function(payload, settings) for function in functions]


def installation_id_of(payload: Payload) -> int | None:
    installation = payload.get("installation")
    found = installation.get("id") if isinstance(installation, dict) else None
    return found if isinstance(found, int) else None


def repository_of(payload: Payload) -> str | None:
    repository = payload.get("repository")
    found = repository.get("full_name") if isinstance(repository, dict) else None
    return found if isinstance(found, str) else None
