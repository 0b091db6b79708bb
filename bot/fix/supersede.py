"""A push to a PR stops the session still working on its old head (arq's abort).

The aborted session posts nothing; this job completes its check run as superseded and says so
in the status comment. The new head gets its own session when its checks fail (its CI has not
run yet when the push arrives), within the same caps as any other.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from arq.jobs import Job as ArqJob
from arq.jobs import JobStatus

from bot.fix.job import FixJob
from bot.github import comments
from bot.github.report import LiveCheckRun, upsert_status
from bot.handlers.router import Payload, RouteResult, Skip, installation_id_of, repository_of
from bot.worker.context import WorkerContext
from bot.worker.job import Enqueue, Job

log = logging.getLogger(__name__)
ABORT_WAIT_S = 10.0


@dataclass(frozen=True)
class SupersedeJob:
    installation_id: int
    repository: str
    pull_number: int
    before: str  # the head the push replaced
    after: str

    @property
    def job_id(self) -> str:
        return f"supersede:{self.repository}:{self.before}:{self.after}"


async def supersede(worker: WorkerContext, job: SupersedeJob) -> str:
    old = FixJob(job.installation_id, job.repository, job.pull_number, job.before)
    running = ArqJob(old.job_id, worker.redis)
    if await running.status() not in (JobStatus.queued, JobStatus.deferred, JobStatus.in_progress):
        return f"nothing running on {job.before[:7]}"
    try:
        await running.abort(timeout=ABORT_WAIT_S)
    except TimeoutError:
        log.warning("session on %s did not stop within %.0f s", job.before[:7], ABORT_WAIT_S)
    gh = worker.github(job.installation_id)
    detail = (
        f"A push moved this pull request to `{job.after[:7]}`, so the session on "
        f"`{job.before[:7]}` was stopped and posted nothing. The new head gets its own session "
        "if its checks fail; `/truth fix` starts one now."
    )
    check = LiveCheckRun(gh, job.repository, job.before, external_id=old.check_key)
    if await check.find() is not None:
        await check.finish("neutral", {"title": "Superseded by a newer push", "summary": detail})
    await upsert_status(
        gh, job.repository, job.pull_number, comments.status_comment("superseded", detail)
    )
    return f"superseded {job.before[:7]} by {job.after[:7]}"


SUPERSEDE_JOB = Job(supersede, SupersedeJob)


def on_pull_pushed(payload: Payload) -> RouteResult:
    """pull_request.synchronize: `before` is the head the push replaced."""
    pull = payload.get("pull_request") or {}
    before, after = payload.get("before"), (pull.get("head") or {}).get("sha")
    installation_id, repository = installation_id_of(payload), repository_of(payload)
    number = pull.get("number")
    if installation_id is None or repository is None or not isinstance(number, int):
        return Skip("no installation, repository or PR number in the payload")
    if not (isinstance(before, str) and isinstance(after, str)):
        return Skip("no before/after heads in the payload")
    return Enqueue(SUPERSEDE_JOB, SupersedeJob(installation_id, repository, number, before, after))
