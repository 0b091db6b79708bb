"""PR telemetry traces from commits (job `build_trace`): snapshots while open, sealed on close.

Squash merges and force-pushes lose commits, so every push to an open PR captures the
history as it stands (no sandbox validation, not published); closing or merging the PR
builds the validated trace and publishes its chain head.
"""

from __future__ import annotations

from typing import Any

from bot.handlers.router import (
    JobRequest,
    Payload,
    Router,
    RouteResult,
    Skip,
    installation_id_of,
    repository_of,
)
from bot.settings import Settings

router = Router()


def _trace_job(payload: Payload, *, snapshot: bool) -> RouteResult:
    pull = payload.get("pull_request") or {}
    installation_id = installation_id_of(payload)
    repository = repository_of(payload)
    if installation_id is None or repository is None or not isinstance(pull.get("number"), int):
        return Skip("no installation, repository or PR number in the payload")
    head_sha = (pull.get("head") or {}).get("sha")
    kind = "snapshot" if snapshot else "final"
    return JobRequest(
        function="build_trace",
        job_id=f"trace:{repository}:{pull['number']}:{head_sha}:{kind}",
        kwargs={
            "installation_id": installation_id,
            "repository": repository,
            "pull_number": pull["number"],
            "snapshot": snapshot,
        },
    )


@router.on("pull_request", "closed")
def on_pull_closed(payload: Payload, settings: Settings) -> RouteResult:
    return _trace_job(payload, snapshot=False)


@router.on("pull_request", "opened", "synchronize", "reopened")
def on_pull_pushed(payload: Payload, settings: Settings) -> RouteResult:
    return _trace_job(payload, snapshot=True)


async def build_trace(
    ctx: dict[str, Any],
    *,
    installation_id: int,
    repository: str,
    pull_number: int,
    snapshot: bool = False,
    delivery: str | None = None,
) -> str:
    """The one call site of the traces feature for GitHub PRs (bot/traces owns the work)."""
    from bot.traces.github_source import capture_pr_trace

    result = await capture_pr_trace(
        ctx["github"](installation_id),
        ctx["settings"],
        ctx["db"],
        repository=repository,
        pull_number=pull_number,
        installation_id=installation_id,
        validate=not snapshot,
        publish=not snapshot,
    )
    return f"trace {'snapshot' if snapshot else 'built'}: {result.trace_id}"
