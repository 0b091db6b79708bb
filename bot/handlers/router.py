"""Event routing: each feature module registers pure route functions per (event, action).

A route function turns a delivery's payload into the job to enqueue (or a reason to skip).
It runs in the webhook process, so it must stay pure: no I/O, no GitHub calls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.settings import Settings

Payload = dict[str, Any]


@dataclass(frozen=True)
class JobRequest:
    """An arq job: `job_id` is a natural key so two deliveries of one fact make one job."""

    function: str
    job_id: str | None  # None: use the delivery id
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Skip:
    """Nothing to do for this delivery; `reason` is logged and returned to GitHub."""

    reason: str


RouteResult = JobRequest | Skip
RouteFunction = Callable[[Payload, Settings], RouteResult]


class Router:
    """Maps (event, action) to route functions; `action` None matches events without one."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str | None], list[RouteFunction]] = {}

    def on(self, event: str, *actions: str) -> Callable[[RouteFunction], RouteFunction]:
        def register(function: RouteFunction) -> RouteFunction:
            for action in actions or (None,):
                self.routes.setdefault((event, action), []).append(function)
            return function

        return register

    @classmethod
    def combine(cls, routers: Iterable[Router]) -> Router:
        combined = cls()
        for router in routers:
            for key, functions in router.routes.items():
                combined.routes.setdefault(key, []).extend(functions)
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
