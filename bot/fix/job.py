"""The fix job's arguments: which commit of which PR to fix, and what asked for it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Trigger(StrEnum):
    CI = "ci"  # a failing check run, check suite or workflow run
    COMMAND = "command"  # `/truth fix` or `/truth retry` in a PR comment
    ACTION = "action"  # our check run's Re-run or Apply fix button, or GitHub's re-run


@dataclass(frozen=True)
class FixJob:
    """One fix session on a PR's head commit, as queued; the worker re-checks it is current."""

    installation_id: int
    repository: str  # owner/name
    pull_number: int | None  # None: not in the payload (a fork's PR); the worker finds it
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
    head_branch: str | None = None  # to find a fork's PR from its head
    head_repository: str | None = None
    action: str | None = None  # a check run button: "apply_fix" or "rerun"

    def __post_init__(self) -> None:
        # arq hands the trigger back as the plain string it stored.
        object.__setattr__(self, "trigger", Trigger(self.trigger))

    @property
    def job_id(self) -> str:
        """Two deliveries of one failure (or one command) make one job."""
        if self.trigger is Trigger.COMMAND:
            return f"fixcmd:{self.repository}:{self.comment_id}"
        if self.trigger is Trigger.ACTION:
            return f"fixaction:{self.repository}:{self.check_name}"
        # One session per head commit, however many test checks fail on it: it reads them all.
        return f"fix:{self.repository}:{self.head_sha}"

    @property
    def check_key(self) -> str:
        """The external id of this session's check run, stable across retries of the job."""
        if self.trigger is Trigger.CI:
            return f"{self.repository}:{self.head_sha}:ci"
        return f"{self.repository}:{self.head_sha}:{self.check_name or self.trigger.value}"
