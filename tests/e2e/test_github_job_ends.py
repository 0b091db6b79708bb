"""What a fix job leaves on the PR, end to end (app, Redis, arq worker, Docker, fake GitHub):
jobs beyond an installation's share wait their turn instead of being dropped, a job whose
worker died on every try completes its check run with the reason, and a suggestion whose
content holds a fence is posted inside a longer one."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import redis
from arq.constants import retry_key_prefix

from bot.github.client import installation_client
from bot.github.report import LiveCheckRun
from bot.routes import ROUTER
from bot.worker.job import Enqueue
from bot.worker.lifecycle import MAX_TRIES
from tests.e2e.test_github_flow import (
    ACTIONS_JOB,
    CI_LOG,
    EXAMPLE,
    FIXED_LINE,
    HEAD,
    PATCH_OVER_THE_BUG,
    PR,
    REPO,
    SOURCE,
    WORKFLOW_RUN,
    deliver,
    failing_check_run,
    run_worker,
    serve_example,
    status_comments,
)
from tests.fixtures.app import SettingsFactory, serve
from tests.fixtures.github import FakeGitHub

pytestmark = [pytest.mark.docker, pytest.mark.slow]


def another_pr(fake: FakeGitHub, number: int) -> dict[str, Any]:
    """One more PR of the same repository with the same bug at its own head, failing CI."""
    head = f"{number:040x}"
    files = {
        str(path.relative_to(EXAMPLE)): path.read_bytes()
        for path in sorted(EXAMPLE.rglob("*"))
        if path.is_file() and not {"__pycache__", ".pytest_cache"} & set(path.parts)
    }
    fake.set_tarball(REPO, head, files)
    fake.add_pull(
        REPO, number, head_sha=head, files=[{"filename": SOURCE, "patch": PATCH_OVER_THE_BUG}]
    )
    job_id = ACTIONS_JOB + number  # its own Actions job and check run, failing like the first
    fake.add_workflow_job(REPO, run_id=WORKFLOW_RUN + number, job_id=job_id, name="tests",
                          conclusion="failure", log=CI_LOG)  # fmt: skip
    fake.add_check_run(REPO, head_sha=head, name="tests", conclusion="failure",
                       app_slug="github-actions", run_id=job_id)  # fmt: skip
    payload = failing_check_run()
    run = payload["check_run"]
    run.update(id=job_id, head_sha=head)
    [pull] = run["pull_requests"]
    pull.update(number=number)
    pull["head"]["sha"] = head
    return payload


async def test_jobs_beyond_the_installations_share_wait_and_every_one_completes(
    fake_github: FakeGitHub, make_settings: SettingsFactory, sandbox_image: str
) -> None:
    # One job of the installation at a time: the other two find it busy, again and again
    # (more often than a job's tries), and must neither spend their tries nor be dropped.
    settings = make_settings(
        sandbox_image=sandbox_image, model=None, fallback_model=None, jobs_per_installation=1
    )
    serve_example(fake_github, PATCH_OVER_THE_BUG)
    payloads = [
        failing_check_run(),
        another_pr(fake_github, PR + 1),
        another_pr(fake_github, PR + 2),
    ]
    async with serve(settings) as client:
        for payload in payloads:
            assert (await deliver(client, "check_run", payload)).json()["status"] == "queued"

    run = await run_worker(settings)

    assert (run.complete, run.failed) == (3, 0)
    assert run.retried >= 2  # the waits: deferred without spending a try
    assert sorted(r["pull_number"] for r in fake_github.reviews) == [PR, PR + 1, PR + 2]
    assert all(FIXED_LINE in r["comments"][0]["body"] for r in fake_github.reviews)
    assert all(c["conclusion"] == "success" for c in fake_github.check_runs)


async def test_a_job_whose_worker_died_on_every_try_completes_its_check_run_with_the_reason(
    fake_github: FakeGitHub, app_client: httpx.AsyncClient, store: redis.Redis, settings: Any
) -> None:
    serve_example(fake_github, PATCH_OVER_THE_BUG)
    payload = failing_check_run()
    [enqueue] = [
        r for r in ROUTER.dispatch("check_run", payload, settings) if isinstance(r, Enqueue)
    ]
    job = enqueue.args
    # What a worker killed during the last try leaves behind: the check run it opened, still
    # in progress, and arq's count of the tries it started.
    gh = installation_client(settings, job.installation_id)
    await LiveCheckRun(gh, job.repository, job.head_sha, external_id=job.check_key).start()
    store.set(retry_key_prefix + enqueue.job_id, MAX_TRIES)

    answer = await deliver(app_client, "check_run", payload)
    assert answer.json()["jobs"] == [enqueue.job_id]
    run = await run_worker(settings)

    assert (run.complete, run.failed) == (1, 0)
    [check] = fake_github.check_runs
    assert (check["status"], check["conclusion"]) == ("completed", "neutral")
    assert f"interrupted {MAX_TRIES} times" in check["output"]["summary"]
    assert "/truth retry" in check["output"]["summary"]
    [status] = status_comments(fake_github)
    assert "stopped" in status["body"] and HEAD[:7] in status["body"]
    assert fake_github.calls("repos/download-tarball-archive") == []  # nothing ran again
    assert fake_github.reviews == []


async def test_a_fix_whose_line_holds_a_fence_is_suggested_inside_a_longer_one(
    fake_github: FakeGitHub, app_client: httpx.AsyncClient, settings: Any
) -> None:
    # The buggy line carries a Markdown fence in its comment; so does its fix, and a suggestion
    # fenced with three backticks would end early and post a broken review.
    comment = "  # renders as ```range``` in the docs"
    buggy = "    for i in range(len(values)):"
    patch = PATCH_OVER_THE_BUG.replace(f"+{buggy}\n", f"+{buggy}{comment}\n")
    serve_example(fake_github, patch)
    files = {
        str(path.relative_to(EXAMPLE)): path.read_bytes()
        for path in sorted(EXAMPLE.rglob("*"))
        if path.is_file() and not {"__pycache__", ".pytest_cache"} & set(path.parts)
    }
    source = files[SOURCE].decode().replace(buggy + "\n", buggy + comment + "\n")
    fake_github.set_tarball(REPO, HEAD, {**files, SOURCE: source.encode()})

    assert (await deliver(app_client, "check_run", failing_check_run())).json()[
        "status"
    ] == "queued"
    run = await run_worker(settings)

    assert (run.complete, run.failed) == (1, 0)
    [review] = fake_github.reviews
    [suggestion] = review["comments"]
    body = suggestion["body"]
    fixed = f"{FIXED_LINE}{comment}"
    assert f"````suggestion\n{fixed}\n````" in body
    assert fake_github.unprocessable == []
