"""`installation` and `installation_repositories` events keep our installation records."""

from __future__ import annotations

from typing import Any

from bot.handlers.router import JobRequest, Payload, Router, RouteResult, Skip
from bot.settings import Settings

router = Router()


def _names(repositories: object) -> list[str]:
    if not isinstance(repositories, list):
        return []
    return [r["full_name"] for r in repositories if isinstance(r, dict) and "full_name" in r]


@router.on("installation", "created", "deleted", "suspend", "unsuspend", "new_permissions_accepted")
@router.on("installation_repositories", "added", "removed")
def on_installation_change(payload: Payload, settings: Settings) -> RouteResult:
    installation = payload.get("installation") or {}
    if not isinstance(installation.get("id"), int):
        return Skip("no installation id in the payload")
    account = installation.get("account") or {}
    return JobRequest(
        function="sync_installation",
        job_id=None,  # every change is its own fact: keyed by delivery id
        kwargs={
            "installation_id": installation["id"],
            "action": payload.get("action"),
            "account": account.get("login"),
            "repositories": _names(payload.get("repositories"))
            + _names(payload.get("repositories_added")),
            "removed": _names(payload.get("repositories_removed")),
        },
    )


async def sync_installation(
    ctx: dict[str, Any],
    *,
    installation_id: int,
    action: str | None,
    account: str | None,
    repositories: list[str],
    removed: list[str],
    delivery: str | None = None,
) -> str:
    import asyncio

    from db.engine import session_scope
    from db.github import apply_installation_event

    def write() -> None:
        with session_scope(ctx["db"]) as session:
            apply_installation_event(
                session, installation_id, action, account, repositories, removed
            )

    await asyncio.to_thread(write)
    return f"installation {installation_id} {action}"
