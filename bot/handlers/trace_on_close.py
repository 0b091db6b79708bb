"""PR telemetry traces from commits (job `build_trace`): snapshots while open, sealed on close.

Squash merges and force-pushes lose commits, so every push to an open PR captures the
history as it stands (no sandbox validation, not published); closing or merging the PR
builds the validated trace and publishes its chain head.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.handlers.router import (
    Payload,
    Router,
    RouteResult,
    Skip,
    installation_id_of,
    repository_of,
)
from bot.settings import Settings
from bot.worker.context import WorkerContext
from bot.worker.job import Enqueue, Job

router = Router()


@dataclass(frozen=True)
class TraceJob:
    installation_id: int
    repository: str
    pull_number: int
    snapshot: bool = False  # a push to an open PR: store the history, validate and publish nothing
    key: str = ""  # what asked: "<head sha>:<snapshot|final>", or the command's comment id

    @property
    def job_id(self) -> str:
        return f"trace:{self.repository}:{self.pull_number}:{self.key}"


async def build_trace(worker: WorkerContext, job: TraceJob) -> str:
    """The one call site of the traces feature for GitHub PRs (bot/traces owns the work)."""
    from bot.traces.github_source import capture_pr_trace

    result = await capture_pr_trace(
        worker.github(job.installation_id),
        worker.settings,
        worker.db,
        repository=job.repository,
        pull_number=job.pull_number,
        installation_id=job.installation_id,
        validate=not job.snapshot,
        publish=not job.snapshot,
    )
    return f"trace {'snapshot' if job.snapshot else 'built'}: {result.trace_id}"


TRACE_JOB = Job(build_trace, TraceJob, per_installation=True)


def _trace_job(payload: Payload, *, snapshot: bool) -> RouteResult:
    pull = payload.get("pull_request") or {}
    installation_id = installation_id_of(payload)
    repository = repository_of(payload)
    if installation_id is None or repository is None or not isinstance(pull.get("number"), int):
        return Skip("no installation, repository or PR number in the payload")
    head_sha = (pull.get("head") or {}).get("sha")
    kind = "snapshot" if snapshot else "final"
    return Enqueue(
        TRACE_JOB,
        TraceJob(installation_id, repository, pull["number"], snapshot, f"{head_sha}:{kind}"),
    )


@router.on("pull_request", "closed", runs=TRACE_JOB)
def on_pull_closed(payload: Payload, settings: Settings) -> RouteResult:
    return _trace_job(payload, snapshot=False)


@router.on("pull_request", "opened", "synchronize", "reopened", runs=TRACE_JOB)
def on_pull_pushed(payload: Payload, settings: Settings) -> RouteResult:
    return _trace_job(payload, snapshot=True)
