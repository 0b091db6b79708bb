"""`/truth …` comment commands on pull requests: parse (pure), route, and run in the worker."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
