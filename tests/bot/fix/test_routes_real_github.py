"""Routes for what GitHub really sends: fork payloads, statuses, our check run's buttons."""

from __future__ import annotations

from typing import Any

from bot.fix.routes import on_check_run_button, on_check_run_completed, on_status
from bot.settings import Settings
from bot.worker.job import Enqueue
from tests.fixtures.github import fork_check_run, load_payload
from tests.fixtures.github.webhooks import for_repository

REPO = "acme/widgets"
HEAD = "f" * 40


def enqueued(result: Any) -> Any:
    assert isinstance(result, Enqueue), result
    return result.args


def test_a_fork_prs_failing_check_is_queued_for_the_worker_to_resolve() -> None:
    payload = fork_check_run(REPO, installation_id=7, head_sha=HEAD, head_branch="patch-1")
    job = enqueued(on_check_run_completed(payload, Settings(github_app_id=1)))
    assert job.pull_number is None and job.head_branch == "patch-1" and job.head_sha == HEAD
    assert job.job_id == f"fix:{REPO}:{HEAD}"  # one session per head, whatever the check


def test_a_failing_commit_status_is_handled_like_a_failing_check() -> None:
    payload = for_repository(load_payload("status", "with-installation.payload.json"), REPO, 7)
    payload.update(state="failure", context="jenkins/tests")
    payload["branches"][1]["commit"]["sha"] = payload["sha"]  # `changes` is at that commit
    job = enqueued(on_status(payload, Settings()))
    assert job.head_sha == payload["sha"] and job.check_name == "status:jenkins/tests"
    assert job.head_branch == "changes"  # the branch whose head is that commit
    payload["state"] = "success"
    assert not isinstance(on_status(payload, Settings()), Enqueue)


def test_our_check_runs_buttons_queue_a_rerun_or_an_apply() -> None:
    payload = load_payload("check_run", "requested_action.payload.json")
    payload["check_run"]["name"] = "Truth Engine"
    payload["requested_action"] = {"identifier": "apply_fix"}
    job = enqueued(on_check_run_button(payload, Settings()))
    assert job.action == "apply_fix" and job.trigger == "action"
    rerun = load_payload("check_run", "rerequested.payload.json")
    rerun["check_run"]["name"] = "Truth Engine"
    assert enqueued(on_check_run_button(rerun, Settings())).action == "rerun"
    rerun["check_run"]["name"] = "someone else's CI"
    assert not isinstance(on_check_run_button(rerun, Settings()), Enqueue)


def test_a_push_queues_the_supersede_job_for_the_old_head() -> None:
    from bot.fix.routes import on_pull_synchronized

    payload = for_repository(load_payload("pull_request", "synchronize.payload.json"), REPO, 7)
    job = enqueued(on_pull_synchronized(payload, Settings()))
    assert job.before == payload["before"] and job.after == payload["pull_request"]["head"]["sha"]
    assert job.pull_number == payload["pull_request"]["number"]
