"""`installation` and `installation_repositories` events keep our installation records."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from bot.handlers.router import Payload, Router, RouteResult, Skip
from bot.settings import Settings
from bot.worker.context import WorkerContext
from bot.worker.job import Enqueue, Job

router = Router()


@dataclass(frozen=True)
class InstallationChange:
    installation_id: int
    action: str | None
    account: str | None
    repositories: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def job_id(self) -> None:
        return None  # every change is its own fact: keyed by delivery id


async def sync_installation(worker: WorkerContext, job: InstallationChange) -> str:
    from db.engine import session_scope
    from db.github import apply_installation_event

    def write() -> None:
        with session_scope(worker.db) as session:
            apply_installation_event(
                session, job.installation_id, job.action, job.account, job.repositories, job.removed
            )

    await asyncio.to_thread(write)
    return f"installation {job.installation_id} {job.action}"


SYNC_JOB = Job(sync_installation, InstallationChange)


def _names(repositories: object) -> list[str]:
    if not isinstance(repositories, list):
        return []
    return [r["full_name"] for r in repositories if isinstance(r, dict) and "full_name" in r]


@router.on(
    "installation",
    "created",
    "deleted",
    "suspend",
    "unsuspend",
    "new_permissions_accepted",
    runs=SYNC_JOB,
)
@router.on("installation_repositories", "added", "removed", runs=SYNC_JOB)
def on_installation_change(payload: Payload, settings: Settings) -> RouteResult:
    installation = payload.get("installation") or {}
    if not isinstance(installation.get("id"), int):
        return Skip("no installation id in the payload")
    account = installation.get("account") or {}
    return Enqueue(
        SYNC_JOB,
        InstallationChange(
            installation_id=installation["id"],
            action=payload.get("action"),
            account=account.get("login"),
            repositories=_names(payload.get("repositories"))
            + _names(payload.get("repositories_added")),
            removed=_names(payload.get("repositories_removed")),
        ),
    )
