"""Failing CI on the head of an open PR (check_run, check_suite, workflow_run) → a fix job."""

from __future__ import annotations

from typing import Any

from bot.constants import CHECK_RUN_NAME
from bot.fix.github_job import FIX_JOB
from bot.fix.job import FixJob, Trigger
from bot.fix.supersede import SUPERSEDE_JOB, on_pull_pushed
from bot.handlers.router import (
    Payload,
    Router,
    RouteResult,
    Skip,
    installation_id_of,
    repository_of,
)
from bot.settings import Settings
from bot.worker.job import Enqueue

router = Router()

FAILING_CONCLUSIONS = frozenset({"failure", "timed_out", "startup_failure"})
# Each Actions job of a commit completes as its own check run, and the workflow completes
# once more: one session per commit covers them all, since the sandbox runs the whole suite.
ACTIONS_KEY = "actions"


def _fix_job(
    payload: Payload, settings: Settings, subject: dict[str, Any], check_name: str, **extra: Any
) -> RouteResult:
    conclusion = subject.get("conclusion")
    if conclusion not in FAILING_CONCLUSIONS:
        return Skip(f"conclusion {conclusion!r} is not a failure")
    installation_id = installation_id_of(payload)
    repository = repository_of(payload)
    if installation_id is None or repository is None:
        return Skip("no installation or repository in the payload")
    head_sha = subject.get("head_sha")
    if not isinstance(head_sha, str):
        return Skip("no head commit in the payload")
    # GitHub lists only PRs whose head is this very commit in this repository; for a fork's
    # PR the list is empty, and the worker finds the PR from the head (the ingress asks
    # GitHub nothing). A push without any PR ends there too.
    pulls = [
        p for p in subject.get("pull_requests") or [] if p.get("head", {}).get("sha") == head_sha
    ]
    return Enqueue(
        FIX_JOB,
        FixJob(
            installation_id=installation_id,
            repository=repository,
            pull_number=pulls[0]["number"] if pulls else None,
            head_sha=head_sha,
            trigger=Trigger.CI,
            check_name=check_name,
            **extra,
        ),
    )


def _is_own(app: dict[str, Any] | None, settings: Settings) -> bool:
    return (
        app is not None
        and settings.github_app_id is not None
        and app.get("id") == settings.github_app_id
    )


@router.on("check_run", "completed", runs=FIX_JOB)
def on_check_run_completed(payload: Payload, settings: Settings) -> RouteResult:
    check_run = payload.get("check_run") or {}
    if check_run.get("name") == CHECK_RUN_NAME or _is_own(check_run.get("app"), settings):
        return Skip("our own check run")
    app_slug = (check_run.get("app") or {}).get("slug")
    return _fix_job(
        payload,
        settings,
        check_run,
        ACTIONS_KEY if app_slug == "github-actions" else str(check_run.get("name")),
        check_run_id=check_run.get("id"),
        ci_app=app_slug,
        head_branch=(check_run.get("check_suite") or {}).get("head_branch"),
    )


@router.on("check_suite", "completed", runs=FIX_JOB)
def on_check_suite_completed(payload: Payload, settings: Settings) -> RouteResult:
    suite = payload.get("check_suite") or {}
    app = suite.get("app") or {}
    if _is_own(app, settings):
        return Skip("our own check suite")
    if app.get("slug") == "github-actions":
        # Actions failures also arrive as check_run and workflow_run events, which carry the
        # job ids we need for the logs; acting on the suite too would double the work.
        return Skip("Actions suites are handled through their check runs")
    return _fix_job(
        payload,
        settings,
        suite,
        f"suite:{app.get('slug')}",
        check_suite_id=suite.get("id"),
        head_branch=suite.get("head_branch"),
    )


@router.on("workflow_run", "completed", runs=FIX_JOB)
def on_workflow_run_completed(payload: Payload, settings: Settings) -> RouteResult:
    run = payload.get("workflow_run") or {}
    return _fix_job(
        payload,
        settings,
        run,
        ACTIONS_KEY,
        workflow_run_id=run.get("id"),
        head_branch=run.get("head_branch"),
        head_repository=(run.get("head_repository") or {}).get("full_name"),
    )


@router.on("pull_request", "synchronize", runs=SUPERSEDE_JOB)
def on_pull_synchronized(payload: Payload, settings: Settings) -> RouteResult:
    """A push stops the session still working on the PR's old head."""
    return on_pull_pushed(payload)


@router.on("status", runs=FIX_JOB)
def on_status(payload: Payload, settings: Settings) -> RouteResult:
    """A commit status from CI that does not use checks, handled like a failing check."""
    state, sha, context = payload.get("state"), payload.get("sha"), payload.get("context")
    if state not in ("failure", "error"):
        return Skip(f"status {state!r} is not a failure")
    branches = [
        b.get("name")
        for b in payload.get("branches") or []
        if (b.get("commit") or {}).get("sha") == sha
    ]
    subject: dict[str, Any] = {"conclusion": "failure", "head_sha": sha, "pull_requests": []}
    return _fix_job(
        payload,
        settings,
        subject,
        f"status:{context}",
        head_branch=branches[0] if branches else None,
    )


@router.on("check_run", "rerequested", "requested_action", runs=FIX_JOB)
def on_check_run_button(payload: Payload, settings: Settings) -> RouteResult:
    """Re-run (GitHub's or ours) and Apply fix on the Truth Engine check run."""
    run = payload.get("check_run") or {}
    if run.get("name") != CHECK_RUN_NAME and not _is_own(run.get("app"), settings):
        return Skip("not Truth Engine's check run")
    installation_id = installation_id_of(payload)
    repository = repository_of(payload)
    head_sha, run_id = run.get("head_sha"), run.get("id")
    if installation_id is None or repository is None or not isinstance(head_sha, str):
        return Skip("no installation, repository or head commit in the payload")
    action = (payload.get("requested_action") or {}).get("identifier") or "rerun"
    pulls = [p.get("number") for p in run.get("pull_requests") or []]
    return Enqueue(
        FIX_JOB,
        FixJob(
            installation_id=installation_id,
            repository=repository,
            pull_number=pulls[0] if pulls else None,
            head_sha=head_sha,
            trigger=Trigger.ACTION,
            check_name=f"{action}:{run_id}:{payload.get('action')}",
            check_run_id=run_id if isinstance(run_id, int) else None,
            action=action,
            head_branch=(run.get("check_suite") or {}).get("head_branch"),
        ),
    )
