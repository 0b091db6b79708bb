"""Typed models of the payload fields each routed event's route reads, checked at the edge.

A route reads the payload as a dict; checking it against these models first means a route
never sees a wrong-typed or missing field it relies on: the delivery is answered 400 naming
the field's path instead of failing in the route or queueing a job with wrong types. Only
the fields routes use are modelled (strict: "7" is not an int); the rest pass untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, ValidationError


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


def _not_dot_segment(full_name: str) -> str:
    if full_name.rpartition("/")[2] in (".", ".."):
        raise ValueError("a repository name cannot be . or ..")
    return full_name


# These go into GitHub API paths and job ids: only what GitHub itself allows, so no value
# can add a path segment, a query or a fragment to a URL built from it.
FullName = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}$"),
    AfterValidator(_not_dot_segment),
]
Sha = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{40}([0-9a-f]{24})?$")]
Login = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{1,39}(\[bot\])?$")]


class Installation(_Strict):
    id: int


class Repository(_Strict):
    full_name: FullName


class _Event(_Strict):
    """Fields every routed event may carry; routes skip deliveries without them."""

    action: str | None = None
    installation: Installation | None = None
    repository: Repository | None = None


class Commit(_Strict):
    sha: Sha


class PullRef(_Strict):
    number: int
    head: Commit


class App(_Strict):
    id: int | None = None
    slug: str | None = None


class _CiSubject(_Strict):
    id: int
    head_sha: Sha
    conclusion: str | None = None
    pull_requests: list[PullRef]
    # A fork's PR comes with pull_requests: []; the worker finds it from the head branch.
    head_branch: str | None = None


class SuiteOfRun(_Strict):
    head_branch: str | None = None


class CheckRun(_CiSubject):
    name: str
    app: App | None = None
    check_suite: SuiteOfRun | None = None


class CheckSuite(_CiSubject):
    app: App | None = None


class CheckRunEvent(_Event):
    check_run: CheckRun


class RequestedAction(_Strict):
    identifier: Annotated[str, StringConstraints(min_length=1, max_length=20)]  # GitHub caps at 20


class CheckRunButtonEvent(CheckRunEvent):
    """Re-run (rerequested) or one of the check run's own buttons (requested_action)."""

    requested_action: RequestedAction | None = None


class CheckSuiteEvent(_Event):
    check_suite: CheckSuite


class WorkflowRun(_CiSubject):
    head_repository: Repository | None = None


class WorkflowRunEvent(_Event):
    workflow_run: WorkflowRun


class Branch(_Strict):
    name: str
    commit: Commit


class StatusEvent(_Event):
    """A commit status (CI without checks): no action, no PR list, the branches at the sha."""

    sha: Sha
    state: str
    context: str
    branches: list[Branch] | None = None


class User(_Strict):
    login: Login
    type: str | None = None


class Comment(_Strict):
    id: int
    body: str | None = None
    user: User


class Issue(_Strict):
    number: int
    pull_request: dict[str, Any] | None = None


class IssueCommentEvent(_Event):
    comment: Comment
    issue: Issue


class Account(_Strict):
    login: str | None = None  # an enterprise account has a slug instead


class InstalledApp(Installation):
    account: Account | None = None


class RepositoryName(_Strict):
    full_name: FullName


class InstallationEvent(_Event):
    installation: InstalledApp
    repositories: list[RepositoryName] | None = None
    repositories_added: list[RepositoryName] | None = None
    repositories_removed: list[RepositoryName] | None = None


class PullRequest(_Strict):
    number: int
    head: Commit


class PullRequestEvent(_Event):
    pull_request: PullRequest
    before: Sha | None = None  # synchronize: the head the push replaced


class PingEvent(_Event):
    hook_id: int | None = None
    zen: str | None = None


INSTALLATION_ACTIONS = ("created", "deleted", "suspend", "unsuspend", "new_permissions_accepted")

# (event, action) as the router keys its routes; action None for events without one.
MODELS: dict[tuple[str, str | None], type[_Event]] = {
    ("check_run", "completed"): CheckRunEvent,
    ("check_run", "rerequested"): CheckRunButtonEvent,
    ("check_run", "requested_action"): CheckRunButtonEvent,
    ("status", None): StatusEvent,
    ("check_suite", "completed"): CheckSuiteEvent,
    ("workflow_run", "completed"): WorkflowRunEvent,
    ("issue_comment", "created"): IssueCommentEvent,
    **{("installation", action): InstallationEvent for action in INSTALLATION_ACTIONS},
    ("installation_repositories", "added"): InstallationEvent,
    ("installation_repositories", "removed"): InstallationEvent,
    **{
        ("pull_request", action): PullRequestEvent
        for action in ("opened", "synchronize", "reopened", "closed")
    },
    ("ping", None): PingEvent,
}

MAX_REPORTED = 3


def route_key(event: str, payload: Mapping[str, Any]) -> tuple[str, str | None]:
    action = payload.get("action")
    return event, action if isinstance(action, str) else None


def payload_problem(event: str, payload: Mapping[str, Any]) -> str | None:
    """Why the payload cannot be routed (field paths and what is wrong), or None if it can."""
    model = MODELS.get(route_key(event, payload))
    if model is None:
        return None
    try:
        model.model_validate(payload)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors(include_url=False)
        ]
        more = len(problems) - MAX_REPORTED
        shown = "; ".join(problems[:MAX_REPORTED]) + (f" (and {more} more)" if more > 0 else "")
        return f"The {event} payload does not have the fields GitHub sends: {shown}."
    return None
