"""The fix job's arguments: which commit of which PR to fix, and what asked for it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Trigger(StrEnum):
    CI = "ci"  # a failing check run, check suite or workflow run
    COMMAND = "command"  # `/truth fix` or `/truth retry` in a PR comment


@dataclass(frozen=True)
class FixJob:
    """One fix session on a PR's head commit, as queued; the worker re-checks it is current."""

    installation_id: int
    repository: str  # owner/name
    pull_number: int
    head_sha: str
    trigger: Trigger = Trigger.CI
    # The failing check's key: its name, "actions" for every Actions job of a commit, or
    # "command:<comment id>" for a command; one session per key and commit.
    check_name: str = ""
    check_run_id: int | None = None
    ci_app: str | None = None
    workflow_run_id: int | None = None
    check_suite_id: int | None = None
    test_selector: str | None = None  # `/truth fix <selector>`
    comment_id: int | None = None  # the command's comment, when a command asked

    def __post_init__(self) -> None:
        # arq hands the trigger back as the plain string it stored.
        object.__setattr__(self, "trigger", Trigger(self.trigger))

    @property
    def job_id(self) -> str:
        """Two deliveries of one failure (or one command) make one job."""
        if self.trigger is Trigger.COMMAND:
            return f"fixcmd:{self.repository}:{self.comment_id}"
        return f"fix:{self.repository}:{self.head_sha}:{self.check_name}"

    @property
    def check_key(self) -> str:
        """The external id of this session's check run, stable across retries of the job."""
        return f"{self.repository}:{self.head_sha}:{self.check_name or self.trigger.value}"
