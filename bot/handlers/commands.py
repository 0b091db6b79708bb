"""`/truth …` comment commands on pull requests: parse (pure), route, and run in the worker."""

from __future__ import annotations

import re
from dataclasses import dataclass
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

KNOWN_COMMANDS = ("fix", "trace", "retry", "help")
_COMMAND_LINE = re.compile(r"^\s*/truth(?:\s+(?P<name>\S+))?(?:\s+(?P<args>.*?))?\s*$", re.M)


@dataclass(frozen=True)
class Command:
    name: str  # one of KNOWN_COMMANDS, or what the user typed when unknown
    argument: str | None = None

    @property
    def known(self) -> bool:
        return self.name in KNOWN_COMMANDS


def parse_command(body: str) -> Command | None:
    """The first `/truth …` line of a comment; None when there is none. Bare `/truth` is help."""
    found = _COMMAND_LINE.search(body or "")
    if found is None:
        return None
    name = (found.group("name") or "help").lower()
    return Command(name=name, argument=(found.group("args") or None))


@router.on("issue_comment", "created")
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
    if installation_id is None or repository is None:
        return Skip("no installation or repository in the payload")
    return JobRequest(
        function="run_command",
        job_id=f"command:{repository}:{comment.get('id')}",
        kwargs={
            "installation_id": installation_id,
            "repository": repository,
            "pull_number": issue.get("number"),
            "comment_id": comment.get("id"),
            "author": (comment.get("user") or {}).get("login"),
            "command": command.name,
            "argument": command.argument,
        },
    )


WRITE_PERMISSIONS = frozenset({"admin", "maintain", "write"})


async def run_command(
    ctx: dict[str, Any],
    *,
    installation_id: int,
    repository: str,
    pull_number: int,
    comment_id: int,
    author: str,
    command: str,
    argument: str | None = None,
    delivery: str | None = None,
) -> str:
    """Acknowledge with 👀, check the author's write access, then do (or queue) the command."""
    from bot.github import comments
    from bot.github.client import split_repo

    gh = ctx["github"](installation_id)
    owner, name = split_repo(repository)
    await gh.rest.reactions.async_create_for_issue_comment(
        owner, name, comment_id, data={"content": "eyes"}
    )
    permission = (
        await gh.rest.repos.async_get_collaborator_permission_level(owner, name, author)
    ).parsed_data.permission
    if permission not in WRITE_PERMISSIONS:
        await gh.rest.issues.async_create_comment(
            owner, name, pull_number, data={"body": comments.refusal(author, command)}
        )
        return f"refused: {author} has {permission} access"
    if command == "help" or command not in KNOWN_COMMANDS:
        body = comments.HELP if command == "help" else comments.unknown_command(command)
        await gh.rest.issues.async_create_comment(owner, name, pull_number, data={"body": body})
        return f"help ({command})"
    if command == "trace":
        await ctx["redis"].enqueue_job(
            "build_trace",
            _job_id=f"trace:{repository}:{pull_number}:{comment_id}",
            installation_id=installation_id,
            repository=repository,
            pull_number=pull_number,
        )
        return "trace queued"
    head_sha = (await gh.rest.pulls.async_get(owner, name, pull_number)).parsed_data.head.sha
    await ctx["redis"].enqueue_job(
        "fix_failure",
        _job_id=f"fixcmd:{repository}:{comment_id}",
        installation_id=installation_id,
        repository=repository,
        pull_number=pull_number,
        head_sha=head_sha,
        check_name=f"command:{comment_id}",
        trigger="command",
        test_selector=argument if command == "fix" else None,
    )
    return f"{command} queued at {head_sha[:7]}"
