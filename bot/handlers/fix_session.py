"""The `fix_failure` job: one fix session on a PR's head, reported on GitHub as it goes.

Shared by CI failures and `/truth fix|retry`. Order: check the PR is still at this head, the
quotas, the repo config; open the check run; gather; run the pipeline in a thread while the
check run's console follows it; post the review/fallback; complete the check run; edit the
status comment.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import tempfile
from pathlib import Path
from typing import Any

from githubkit.exception import RequestFailed

from bot.github import comments
from bot.github.client import split_repo
from bot.github.config import CONFIG_PATH, ConfigInvalid, RepoConfig, merge_config
from bot.github.fix_pr import read_checkout
from bot.github.gather import UnsafeArchive, download_repository, failure_logs, pull_patches
from bot.github.report import LiveCheckRun, describe_posted, post_fix, upsert_status
from bot.pipeline_types import FixOutcome, FixRequest, FixStatus, ProgressEvent

log = logging.getLogger(__name__)


async def _read_file(gh: Any, repository: str, path: str, ref: str | None) -> str | None:
    owner, name = split_repo(repository)
    try:
        kwargs = {"ref": ref} if ref else {}
        response = await gh.rest.repos.async_get_content(owner, name, path, **kwargs)
    except RequestFailed as exc:
        if exc.response.status_code == 404:
            return None
        raise
    content = getattr(response.parsed_data, "content", None)
    return base64.b64decode(content).decode("utf-8", "replace") if content else None


async def load_repo_config(gh: Any, repository: str, head_sha: str) -> RepoConfig:
    owner = repository.split("/")[0]
    org_text = await _read_file(gh, f"{owner}/.github", CONFIG_PATH, None)
    repo_text = await _read_file(gh, repository, CONFIG_PATH, head_sha)
    return merge_config(org_text, repo_text, repository)


def _quota_problem(
    ctx: dict[str, Any], installation_id: int, repository: str, pull_number: int, head_sha: str
) -> str | None:
    from db.engine import session_scope
    from db.github import sessions_for_pull, sessions_today

    settings = ctx["settings"]
    with session_scope(ctx["db"]) as session:
        today = sessions_today(session, installation_id)
        per_pr = sessions_for_pull(session, repository, pull_number)
        per_head = sessions_for_pull(session, repository, pull_number, head_sha)
    if today >= settings.daily_verification_quota:
        return (
            f"this installation used its daily quota of {settings.daily_verification_quota} "
            "fix sessions; it resets at 00:00 UTC. Comment `/truth retry` after that."
        )
    if per_pr >= settings.max_sessions_per_pr:
        return (
            f"this pull request reached its cap of {settings.max_sessions_per_pr} fix "
            "sessions. Ask the app's operator to raise TRUTH_MAX_SESSIONS_PER_PR if needed."
        )
    if per_head >= settings.max_sessions_per_head_sha:
        # Retrying the same commit rarely helps; a new push (a new head) gets fresh attempts.
        return (
            f"commit `{head_sha[:7]}` already had {per_head} fix sessions, the cap per commit "
            f"({settings.max_sessions_per_head_sha}). Push a new commit to try again, or ask "
            "the app's operator to raise TRUTH_MAX_SESSIONS_PER_HEAD_SHA."
        )
    return None


def _job_key(repository: str, head_sha: str, check_name: str, trigger: str) -> str:
    return f"{repository}:{head_sha}:{check_name or trigger}"


async def give_up_fix(
    ctx: dict[str, Any],
    exc: BaseException,
    *,
    installation_id: int,
    repository: str,
    pull_number: int,
    head_sha: str,
    check_name: str = "",
    trigger: str = "ci",
    **_: Any,
) -> None:
    """The job failed for good: close its check run and tell the PR what happened and what to do.

    Without this a crash would leave the check run "in progress" forever.
    """
    gh = ctx["github"](installation_id)
    why = (
        str(exc) if isinstance(exc, UnsafeArchive) else f"an internal error ({type(exc).__name__})"
    )
    detail = (
        f"Truth Engine stopped on `{head_sha[:7]}` and posted no fix: {why}. "
        "Comment `/truth retry` to run it again; if it fails again, the app's operator "
        "finds the details in the worker log."
    )
    check = LiveCheckRun(
        gh, repository, head_sha, external_id=_job_key(repository, head_sha, check_name, trigger)
    )
    if await check.find() is not None:
        await check.finish("neutral", {"title": "Truth Engine could not finish", "summary": detail})
    await upsert_status(gh, repository, pull_number, comments.status_comment("stopped", detail))


async def fix_failure(
    ctx: dict[str, Any],
    *,
    installation_id: int,
    repository: str,
    pull_number: int,
    head_sha: str,
    check_name: str = "",
    trigger: str = "ci",
    delivery: str | None = None,
    check_run_id: int | None = None,
    ci_app: str | None = None,
    workflow_run_id: int | None = None,
    check_suite_id: int | None = None,
    test_selector: str | None = None,
) -> str:
    settings = ctx["settings"]
    gh = ctx["github"](installation_id)
    owner, name = split_repo(repository)
    pull = (await gh.rest.pulls.async_get(owner, name, pull_number)).parsed_data
    if pull.state != "open" or pull.head.sha != head_sha:
        return f"skipped: {repository}#{pull_number} is no longer open at {head_sha[:7]}"
    problem = await asyncio.to_thread(
        _quota_problem, ctx, installation_id, repository, pull_number, head_sha
    )
    if problem:
        await upsert_status(
            gh,
            repository,
            pull_number,
            comments.status_comment("not started", f"Not started: {problem}"),
        )
        return f"quota: {problem}"

    check = LiveCheckRun(
        gh, repository, head_sha, external_id=_job_key(repository, head_sha, check_name, trigger)
    )
    await check.start()
    try:
        config = await load_repo_config(gh, repository, head_sha)
    except ConfigInvalid as exc:
        await check.finish(
            "neutral",
            {"title": "Invalid .github/truth.yml", "summary": f"{exc}\n\nNothing was run."},
        )
        return f"config invalid: {exc}"
    if trigger == "ci" and not config.auto_fix:
        await check.finish(
            "neutral",
            {
                "title": "Automatic fixes are off",
                "summary": "`auto_fix: false` in .github/truth.yml; "
                "comment `/truth fix` to run one.",
            },
        )
        return "auto_fix off"
    await upsert_status(
        gh,
        repository,
        pull_number,
        comments.status_comment(
            f"working on `{head_sha[:7]}`",
            "Reproducing the failure and trying fixes; the "
            "**Truth Engine** check run shows the live console.",
        ),
    )

    check.add("Gathering the code and the failure logs…")
    logs = await failure_logs(
        gh,
        repository,
        head_sha=head_sha,
        check_run_id=check_run_id,
        ci_app=ci_app,
        workflow_run_id=workflow_run_id,
    )
    patches = await pull_patches(gh, repository, pull_number)
    with tempfile.TemporaryDirectory(prefix="truth-fix-") as workdir:
        root = await download_repository(gh, repository, head_sha, Path(workdir))
        request = FixRequest(
            repo_root=root,
            test_command=config.test_command,
            candidates=config.max_candidates,
            failure_log=logs or None,
            test_selector=test_selector,
            install_command=config.install_command,
            protected_paths=config.protected_paths,
            allow_dangerous_calls=config.allow_dangerous_calls,
            repository=repository,
            head_sha=head_sha,
            pull_number=pull_number,
            installation_id=installation_id,
        )
        outcome = await _run_pipeline(ctx, request, check)
        # Read now: the checkout is gone once this block ends.
        fix_pr_from = (
            read_checkout(root, outcome.winner.diff)
            if config.open_fix_pr and outcome.winner is not None
            else None
        )
    url = comments.session_url(settings.public_url, outcome.session_id)
    check.details_url = url
    posted_note = ""
    if outcome.status is FixStatus.VERIFIED and outcome.winner is not None:
        posted = await post_fix(
            gh,
            repository,
            pull_number,
            head_sha,
            outcome.winner.diff,
            outcome,
            url,
            patches,
            fix_pr_from=fix_pr_from,
        )
        posted_note = " Posted " + " and ".join(describe_posted(posted)) + "."
    await check.publish(force=True)
    await check.finish(
        comments.check_conclusion(outcome), comments.check_output(outcome, url, check.lines)
    )
    headline = {
        FixStatus.VERIFIED: "verified fix posted",
        FixStatus.NO_FIX: "no verified fix",
        FixStatus.NOTHING_TO_FIX: "nothing to fix",
    }[outcome.status]
    await upsert_status(
        gh,
        repository,
        pull_number,
        comments.status_comment(
            f"{headline} for `{head_sha[:7]}`", outcome.message + posted_note, url
        ),
    )
    return f"{outcome.status.value}: {outcome.session_id}"


async def _run_pipeline(
    ctx: dict[str, Any], request: FixRequest, check: LiveCheckRun
) -> FixOutcome:
    """run_fix is synchronous (Docker); run it in a thread and mirror its progress every second."""
    from bot.pipeline import run_fix

    deps = await ctx["pipeline_deps"]()
    lines: list[str] = []

    def progress(event: ProgressEvent) -> None:
        lines.append(event.message)  # list.append is atomic; the loop below reads it

    task = asyncio.create_task(asyncio.to_thread(run_fix, request, deps, progress))
    seen = 0
    while True:
        done = task.done()
        for line in lines[seen:]:
            check.add(line)
            seen += 1
        if done:
            return task.result()
        await check.publish()
        await asyncio.wait({task}, timeout=1.0)
