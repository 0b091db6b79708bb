"""The `fix_failure` job: one fix session on a PR's head, reported on GitHub as it goes.

Shared by CI failures and `/truth fix|retry`. Order: check the PR is still at this head, the
quotas, the repo config; open the check run; gather; run the pipeline in a thread while the
check run's console follows its events; post the review/fallback; complete the check run;
edit the status comment. A job that ends without a result is closed by `give_up_fix`.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.errors import ConfigInvalid
from bot.fix.admission import admit, end_if_superseded
from bot.fix.apply_job import apply_verified_fix
from bot.fix.events import FixEvent, LoopBridge
from bot.fix.job import FixJob, Trigger
from bot.fix.quota import quota_problem, take_quota
from bot.fix.repo_config import load_repo_config
from bot.fix.types import FixOutcome, FixRequest, FixStatus, Origin
from bot.github import comments
from bot.github.annotations import fix_annotations
from bot.github.apply_fix import APPLY_ACTION, RERUN_ACTION
from bot.github.failing import triage_head
from bot.github.fix_pr import read_checkout
from bot.github.gather import download_repository, pull_patches
from bot.github.pulls import PullRef
from bot.github.report import LiveCheckRun, describe_posted, post_fix, upsert_status
from bot.github.suggestions import changes
from bot.worker.context import WorkerContext
from bot.worker.job import Job

log = logging.getLogger(__name__)

HEADLINES = {
    FixStatus.VERIFIED: "verified fix posted",
    FixStatus.NO_FIX: "no verified fix",
    FixStatus.NOTHING_TO_FIX: "nothing to fix",
    FixStatus.ENVIRONMENT_ERROR: "the tests cannot run as declared",
    FixStatus.FLAKY: "flaky failure, nothing changed",
}


async def fix_failure(worker: WorkerContext, job: FixJob) -> str:
    settings = worker.settings
    gh = worker.github(job.installation_id)
    admitted = await admit(gh, job)
    if admitted.pull is None:
        log.info("%s@%s: not fixing: %s", job.repository, job.head_sha[:7], admitted.reason)
        return f"skipped: {admitted.reason}"
    pull = admitted.pull
    job = replace(job, pull_number=pull.number)  # a fork's PR is known from here on
    number = pull.number
    if job.action == "apply_fix":
        return await apply_verified_fix(gh, worker.db, job, pull)
    problem = await asyncio.to_thread(quota_problem, worker.db, settings, job)
    if problem:
        await upsert_status(
            gh,
            job.repository,
            number,
            comments.status_comment("not started", f"Not started: {problem}"),
        )
        return f"quota: {problem}"
    # Read once: its `checks:` globs pick the test runs, the rest shapes the session.
    try:
        config = await load_repo_config(gh, job.repository, pull.config_ref)
    except ConfigInvalid as exc:
        invalid: ConfigInvalid | None = exc
    else:
        invalid = None
    skipped, logs = await _triage(gh, job, pull, None if invalid else config.checks)
    if skipped is not None:
        return skipped

    check = LiveCheckRun(gh, job.repository, job.head_sha, external_id=job.check_key)
    await check.start()
    if invalid is not None:
        await check.finish(
            "neutral",
            {"title": "Invalid .github/truth.yml", "summary": f"{invalid}\n\nNothing was run."},
        )
        return f"config invalid: {invalid}"
    if job.trigger is Trigger.CI and not config.auto_fix:
        await check.finish(
            "neutral",
            {
                "title": "Automatic fixes are off",
                "summary": "`auto_fix: false` in .github/truth.yml; "
                "comment `/truth fix` to run one.",
            },
        )
        return "auto_fix off"
    # Taken here, where the session starts: a skipped or refused job costs nothing.
    problem = await asyncio.to_thread(take_quota, worker.db, settings, job.installation_id)
    if problem:
        await check.finish(
            "neutral", {"title": "Daily quota used", "summary": f"Not run: {problem}"}
        )
        return f"quota: {problem}"
    await upsert_status(
        gh,
        job.repository,
        number,
        comments.status_comment(
            f"working on `{job.head_sha[:7]}`",
            "Reproducing the failure and trying fixes; the "
            "**Truth Engine** check run shows the live console.",
        ),
    )

    check.add("Gathering the code and the failure logs…")
    patches = await pull_patches(gh, job.repository, number)
    with tempfile.TemporaryDirectory(prefix="truth-fix-") as workdir:
        root = await download_repository(gh, job.repository, job.head_sha, Path(workdir))
        request = FixRequest(
            repo_root=root,
            test_command=config.test_command,
            candidates=config.max_candidates,
            failure_log=logs or None,
            test_selector=job.test_selector,
            install_command=config.install_command,
            protected_paths=config.protected_paths,
            allow_dangerous_calls=config.allow_dangerous_calls,
            origin=Origin(job.repository, job.head_sha, number, job.installation_id),
            python=config.python,
            timeout=config.timeout,
            targets=config.targets,
            env=config.env,
        )
        outcome = await _run_pipeline(worker, request, check)
        # Read now: the checkout is gone once this block ends.
        fix_pr_from = (
            read_checkout(root, outcome.winner.diff)
            if config.open_fix_pr and outcome.winner is not None
            else None
        )
    url = comments.session_url(settings.public_url, outcome.session_id)
    check.details_url = url
    superseded = await end_if_superseded(gh, job, number, check)
    if superseded is not None:
        return superseded
    posted_note = ""
    if outcome.status is FixStatus.VERIFIED and outcome.winner is not None:
        posted = await post_fix(
            gh,
            job.repository,
            number,
            job.head_sha,
            outcome.winner.diff,
            outcome,
            url,
            patches,
            fix_pr_from=fix_pr_from,
        )
        posted_note = " Posted " + " and ".join(describe_posted(posted)) + "."
    await check.publish(force=True)
    output = comments.check_output(outcome, url, check.lines)
    buttons: list[dict[str, str]] = [RERUN_ACTION]
    if outcome.status is FixStatus.VERIFIED and outcome.winner is not None:
        notes = fix_annotations(changes(outcome.winner.diff), url)
        await check.annotate(notes, {"title": output["title"], "summary": output["summary"]})
        buttons = [APPLY_ACTION, RERUN_ACTION]
    await check.finish(comments.check_conclusion(outcome), output, buttons)
    await upsert_status(
        gh,
        job.repository,
        number,
        comments.status_comment(
            f"{HEADLINES[outcome.status]} for `{job.head_sha[:7]}`",
            outcome.message + posted_note,
            url,
        ),
    )
    return f"{outcome.status.value}: {outcome.session_id}"


async def _triage(
    gh: Any, job: FixJob, pull: PullRef, globs: list[str] | None
) -> tuple[str | None, str]:
    """The failing test checks' logs, merged; or why no session starts (lint, types, deploy).

    `globs` None: the config is invalid; the check run explains it, so the session goes on."""
    triaged, logs = await triage_head(gh, job.repository, job.head_sha, globs or [])
    if globs is None or job.test_selector is not None or triaged.tests:
        return None, logs
    if job.trigger is not Trigger.CI and not triaged.skipped:
        return None, logs  # a command on a PR whose CI shows nothing failing: run the tests
    reason = triaged.skipped_message()
    if job.trigger is not Trigger.CI:
        await upsert_status(
            gh, job.repository, pull.number, comments.status_comment("not run", reason.capitalize())
        )
    return f"skipped: {reason}", logs


async def _run_pipeline(
    worker: WorkerContext, request: FixRequest, check: LiveCheckRun
) -> FixOutcome:
    """run_fix is synchronous (Docker): it runs in a thread, its events cross to this loop
    through one bridge, and the check run's console publishes them as they come."""
    from bot.fix.pipeline import run_fix

    deps = await worker.pipeline()
    bridge = LoopBridge(asyncio.get_running_loop())

    def in_thread() -> FixOutcome:
        try:
            return run_fix(request, deps, bridge)
        finally:
            bridge.close()

    task = asyncio.create_task(asyncio.to_thread(in_thread))
    while (batch := await bridge.next_batch()) is not None:
        for event in batch:
            _to_console(check, event)
        await check.publish()
    return await task


def _to_console(check: LiveCheckRun, event: FixEvent) -> None:
    if event.message:
        check.add(event.message)


async def give_up_fix(worker: WorkerContext, job: FixJob, why: str) -> None:
    """The job ended without a result: close its check run and tell the PR what to do.

    Without this a crash, a timeout or the last try would leave the check run "in progress"
    forever and the PR in silence.
    """
    gh = worker.github(job.installation_id)
    detail = (
        f"Truth Engine stopped on `{job.head_sha[:7]}` and posted no fix: {why}. "
        "Comment `/truth retry` to run it again; if it fails again, the app's operator "
        "finds the details in the worker log."
    )
    check = LiveCheckRun(gh, job.repository, job.head_sha, external_id=job.check_key)
    if await check.find() is not None:
        await check.finish("neutral", {"title": "Truth Engine could not finish", "summary": detail})
    if job.pull_number is not None:
        await upsert_status(
            gh, job.repository, job.pull_number, comments.status_comment("stopped", detail)
        )


FIX_JOB = Job(fix_failure, FixJob, per_installation=True, give_up=give_up_fix)
