"""Failing CI on the head of an open PR (check_run, check_suite, workflow_run) → a fix job."""

from __future__ import annotations

from typing import Any

from bot.constants import CHECK_RUN_NAME
from bot.fix.github_job import FIX_JOB
from bot.fix.job import FixJob, Trigger
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
    # GitHub lists only PRs whose head is this very commit in this repository; an empty list
    # means a push without a PR, or a fork's PR we may not act on automatically.
    pulls = [
        p for p in subject.get("pull_requests") or [] if p.get("head", {}).get("sha") == head_sha
    ]
    if not pulls or not isinstance(head_sha, str):
        return Skip("the failing commit is not the head of an open PR in this repository")
    return Enqueue(
        FIX_JOB,
        FixJob(
            installation_id=installation_id,
            repository=repository,
            pull_number=pulls[0]["number"],
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
        payload, settings, suite, f"suite:{app.get('slug')}", check_suite_id=suite.get("id")
    )


@router.on("workflow_run", "completed", runs=FIX_JOB)
def on_workflow_run_completed(payload: Payload, settings: Settings) -> RouteResult:
    run = payload.get("workflow_run") or {}
    return _fix_job(payload, settings, run, ACTIONS_KEY, workflow_run_id=run.get("id"))
