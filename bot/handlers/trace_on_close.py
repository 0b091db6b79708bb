"""A closed or merged PR → rebuild its telemetry trace from its commits (job `build_trace`)."""

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


@router.on("pull_request", "closed")
def on_pull_closed(payload: Payload, settings: Settings) -> RouteResult:
    pull = payload.get("pull_request") or {}
    installation_id = installation_id_of(payload)
    repository = repository_of(payload)
    if installation_id is None or repository is None or not isinstance(pull.get("number"), int):
        return Skip("no installation, repository or PR number in the payload")
    head_sha = (pull.get("head") or {}).get("sha")
    return JobRequest(
        function="build_trace",
        job_id=f"trace:{repository}:{pull['number']}:{head_sha}",
        kwargs={
            "installation_id": installation_id,
            "repository": repository,
            "pull_number": pull["number"],
        },
    )


async def build_trace(
    ctx: dict[str, Any],
    *,
    installation_id: int,
    repository: str,
    pull_number: int,
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
    )
    return f"trace built: {result.trace_id}"
