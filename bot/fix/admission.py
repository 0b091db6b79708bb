"""Before a fix session starts and before it posts: which PR, whether to run, whether it's stale.

- The PR: from the job, or found from the head commit for a fork's PR (payloads carry
  `pull_requests: []` for forks; the ingress asks GitHub nothing, so the worker does).
- Whether to run: a `truth:skip` label stops automatic runs (commands still work); only
  failing checks that ran tests start a sandbox (`bot/analysis/test_runs`).
- Stale: a head that moved while the session ran means nothing is posted on the old commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from githubkit.exception import RequestFailed

from bot.fix.job import FixJob, Trigger
from bot.github import comments
from bot.github.client import split_repo
from bot.github.commands import SKIP_LABEL
from bot.github.pulls import PullRef, head_moved, pull_ref, resolve_pull
from bot.github.report import LiveCheckRun, upsert_status

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Admitted:
    pull: PullRef | None
    reason: str = ""  # why not, when `pull` is None


async def admit(gh: Any, job: FixJob) -> Admitted:
    """The open PR at the job's head, or why the job does nothing."""
    if job.pull_number is None:
        pull = await resolve_pull(
            gh,
            job.repository,
            job.head_sha,
            head_branch=job.head_branch,
            head_repository=job.head_repository,
        )
        if pull is None:
            return Admitted(None, f"no open pull request has {job.head_sha[:7]} as its head")
    else:
        owner, name = split_repo(job.repository)
        try:
            found = (await gh.rest.pulls.async_get(owner, name, job.pull_number)).parsed_data
        except RequestFailed as exc:
            if exc.response.status_code != 404:
                raise
            return Admitted(None, f"{job.repository}#{job.pull_number} does not exist")
        if found.state != "open":
            return Admitted(None, f"{job.repository}#{job.pull_number} is closed")
        pull = pull_ref(job.repository, found)
    if pull.head_sha != job.head_sha:
        return Admitted(None, f"#{pull.number} is no longer at {job.head_sha[:7]}")
    if job.trigger is Trigger.CI and SKIP_LABEL in pull.labels:
        return Admitted(None, f"#{pull.number} has the {SKIP_LABEL} label")
    return Admitted(pull)


async def end_if_superseded(gh: Any, job: FixJob, number: int, check: LiveCheckRun) -> str | None:
    """If the PR moved on, close the session as superseded (posting nothing) and say so."""
    moved = await head_moved(gh, job.repository, number, job.head_sha)
    if moved is None:
        return None
    where = "the pull request was closed" if moved == "closed" else f"it is now at `{moved[:7]}`"
    detail = (
        f"The fix for `{job.head_sha[:7]}` was not posted: {where}, and a fix verified on the "
        "old commit could be wrong for the new one. A failing check on the new head starts "
        "a new session; `/truth fix` starts one now."
    )
    await check.finish("neutral", {"title": "Superseded by a newer push", "summary": detail})
    await upsert_status(gh, job.repository, number, comments.status_comment("superseded", detail))
    log.info("%s#%s superseded at %s", job.repository, number, job.head_sha[:7])
    return f"superseded: {moved[:7]}"
