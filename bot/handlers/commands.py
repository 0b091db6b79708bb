"""`/truth …` comment commands on pull requests: parse (pure), route, and run in the worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.fix.github_job import FIX_JOB
from bot.fix.job import FixJob, Trigger
from bot.github.commands import SKIP_LABEL, Command, CommandRejected, parse_command
from bot.handlers.router import (
    Payload,
    Router,
    RouteResult,
    Skip,
    installation_id_of,
    repository_of,
)
from bot.handlers.trace_on_close import TRACE_JOB, TraceJob
from bot.settings import Settings
from bot.worker.context import WorkerContext
from bot.worker.job import Enqueue, Job

router = Router()


@dataclass(frozen=True)
class CommandJob:
    installation_id: int
    repository: str
    pull_number: int
    comment_id: int
    author: str
    command: str
    argument: str | None = None

    @property
    def job_id(self) -> str:
        return f"command:{self.repository}:{self.comment_id}"


WRITE_PERMISSIONS = frozenset({"admin", "maintain", "write"})


async def run_command(worker: WorkerContext, job: CommandJob) -> str:
    """Acknowledge with 👀; help for anyone; the rest after checking the author's write access."""
    from bot.github import comments
    from bot.github.client import split_repo

    gh = worker.github(job.installation_id)
    owner, name = split_repo(job.repository)
    await gh.rest.reactions.async_create_for_issue_comment(
        owner, name, job.comment_id, data={"content": "eyes"}
    )
    command = Command(job.command, job.argument)
    if not command.needs_write_access:
        body = comments.HELP if job.command == "help" else comments.unknown_command(job.command)
        await gh.rest.issues.async_create_comment(owner, name, job.pull_number, data={"body": body})
        return f"help ({job.command})"
    permission = (
        await gh.rest.repos.async_get_collaborator_permission_level(owner, name, job.author)
    ).parsed_data.permission
    if permission not in WRITE_PERMISSIONS:
        await gh.rest.issues.async_create_comment(
            owner, name, job.pull_number, data={"body": comments.refusal(job.author, job.command)}
        )
        return f"refused: {job.author} has {permission} access"
    if job.command == "skip":
        labels: Any = {"labels": [SKIP_LABEL]}
        await gh.rest.issues.async_add_labels(owner, name, job.pull_number, data=labels)
        await gh.rest.issues.async_create_comment(
            owner, name, job.pull_number, data={"body": comments.SKIPPED}
        )
        return "skip: labelled"
    try:
        selector = command.test_selector()
    except CommandRejected as exc:
        reply: Any = {"body": str(exc)}
        await gh.rest.issues.async_create_comment(owner, name, job.pull_number, data=reply)
        return f"rejected: {exc}"
    if job.command == "trace":
        trace = TraceJob(
            job.installation_id, job.repository, job.pull_number, False, str(job.comment_id)
        )
        await worker.queue.follow_up([Enqueue(TRACE_JOB, trace)], delivery=None)
        return "trace queued"
    head_sha = (await gh.rest.pulls.async_get(owner, name, job.pull_number)).parsed_data.head.sha
    fix = FixJob(
        installation_id=job.installation_id,
        repository=job.repository,
        pull_number=job.pull_number,
        head_sha=head_sha,
        trigger=Trigger.COMMAND,
        check_name=f"command:{job.comment_id}",
        test_selector=selector,
        comment_id=job.comment_id,
    )
    await worker.queue.follow_up([Enqueue(FIX_JOB, fix)], delivery=None)
    return f"{job.command} queued at {head_sha[:7]}"


COMMAND_JOB = Job(run_command, CommandJob)


@router.on("issue_comment", "created", runs=COMMAND_JOB)
def on_comment_created(payload: Payload, settings: Settings) -> RouteResult:
    comment = payload.get("comment") or {}
    issue = payload.get("issue") or {}
    if not issue.get("pull_request"):
        return Skip("comment on an issue, not a pull request")
    if (comment.get("user") or {}).get("type") == "Bot":
        return Skip("comments by bots never run commands")
    command = parse_command(comment.get("body") or "")
    if command is None:
        return Skip("no /truth command in the comment")
    installation_id = installation_id_of(payload)
    repository = repository_of(payload)
    number, comment_id = issue.get("number"), comment.get("id")
    author = (comment.get("user") or {}).get("login")
    if installation_id is None or repository is None:
        return Skip("no installation or repository in the payload")
    if not (isinstance(number, int) and isinstance(comment_id, int) and isinstance(author, str)):
        return Skip("the comment has no PR number, comment id or author")
    return Enqueue(
        COMMAND_JOB,
        CommandJob(
            installation_id=installation_id,
            repository=repository,
            pull_number=number,
            comment_id=comment_id,
            author=author,
            command=command.name,
            argument=command.argument,
        ),
    )


# Follow-ups a command queues; the fix and trace routes register them too.
router.also_runs(FIX_JOB, TRACE_JOB)
