"""The GitHub App end to end: signed real deliveries → the real ASGI app → Redis → a burst arq
worker → real Docker sandboxes, with the one fake GitHub serving examples/off_by_one."""

from __future__ import annotations

import io
import re
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
import redis
from arq.worker import Worker

from bot.github.comments import STATUS_MARKER
from bot.settings import Settings
from bot.worker.app import worker_settings
from tests.fixtures.app import PUBLIC_URL
from tests.fixtures.app import WEBHOOK_SECRET as SECRET
from tests.fixtures.github import FakeGitHub, load_payload, signed_delivery
from tests.fixtures.github import deliver as post_delivery

pytestmark = [pytest.mark.docker, pytest.mark.slow]

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "off_by_one"
SOURCE = "series/differences.py"
REPO = "acme/series"
HEAD = "3c1f0e8a9b7d6c5e4f3a2b1c0d9e8f7a6b5c4d3e"
PR = 7
INSTALLATION = 4242
ACTIONS_JOB = 31337  # an Actions check run's id is its job id
WORKFLOW_RUN = 9001

# The PR introduced the bug on line 7; its hunk covers lines 4-10 of the head file.
PATCH_OVER_THE_BUG = (
    "@@ -4,7 +4,7 @@\n"
    " def differences(values):\n"
    '     """The change between each reading and the next one."""\n'
    "     steps = []\n"
    "-    for i in range(len(values) - 1):\n"
    "+    for i in range(len(values)):\n"
    "         steps.append(values[i + 1] - values[i])\n"
    "     return steps\n"
    " \n"
)
# A PR that only touched largest_jump's docstring (lines 13-15): the bug lies outside it.
PATCH_ELSEWHERE = (
    "@@ -13,3 +13,3 @@\n"
    " def largest_jump(values):\n"
    '-    """The biggest change between two consecutive readings."""\n'
    '+    """The biggest absolute change between two consecutive readings."""\n'
    "     return max((abs(step) for step in differences(values)), default=0)\n"
)
FIXED_LINE = "    for i in range(len(values) - 1):"

TS = "2026-11-20T10:00:02.0000000Z"
RULE = "=" * 27
CI_LOG = "".join(
    f"{TS} {line}\n"
    for line in (
        "##[group]Run pytest",
        f"{RULE} short test summary info {RULE}",
        "FAILED tests/test_differences.py::test_differences_of_a_rising_series - "
        "IndexError: list index out of range",
        "FAILED tests/test_differences.py::test_differences_of_one_value_is_empty - "
        "IndexError: list index out of range",
        "FAILED tests/test_differences.py::test_largest_jump_ignores_direction - "
        "IndexError: list index out of range",
        f"{RULE} 3 failed, 1 passed in 0.05s {RULE}",
        "##[error]Process completed with exit code 1.",
    )
)


def adapt_repository(payload: dict[str, Any]) -> dict[str, Any]:
    owner, name = REPO.split("/")
    payload["repository"].update(full_name=REPO, name=name)
    payload["repository"]["owner"]["login"] = owner
    payload["installation"] = {"id": INSTALLATION, "node_id": "MDIzOkludGVncmF0aW9uNDI0Mg=="}
    return payload


def failing_check_run() -> dict[str, Any]:
    """GitHub's recorded check_run.completed, made into a failing Actions job on our PR's head."""
    payload = adapt_repository(load_payload("check_run", "completed.payload.json"))
    run = payload["check_run"]
    run.update(id=ACTIONS_JOB, name="tests", head_sha=HEAD, conclusion="failure")
    run["app"].update(id=15368, slug="github-actions", name="GitHub Actions")
    [pull] = run["pull_requests"]
    pull["number"] = PR
    pull["head"]["sha"] = HEAD
    return payload


def comment_command(body: str, author: str) -> dict[str, Any]:
    payload = adapt_repository(
        load_payload("issue_comment", "created.with-installation.payload.json")
    )
    payload["issue"].update(
        number=PR, pull_request={"url": f"https://api.github.com/repos/{REPO}/pulls/{PR}"}
    )
    payload["comment"].update(id=555001, body=body)
    payload["comment"]["user"].update(login=author, type="User")
    return payload


def serve_example(fake: FakeGitHub, patch: str) -> None:
    """The PR's head is examples/off_by_one; its CI job failed with the log above."""
    files = {
        str(path.relative_to(EXAMPLE)): path.read_bytes()
        for path in sorted(EXAMPLE.rglob("*"))
        if path.is_file() and not {"__pycache__", ".pytest_cache"} & set(path.parts)
    }
    fake.set_tarball(REPO, HEAD, dict(files))
    fake.add_pull(REPO, PR, head_sha=HEAD, files=[{"filename": SOURCE, "patch": patch}])
    fake.add_workflow_job(
        REPO,
        run_id=WORKFLOW_RUN,
        job_id=ACTIONS_JOB,
        name="tests",
        conclusion="failure",
        log=CI_LOG,
    )
    # The job's check run, as GitHub lists it on the head commit.
    fake.add_check_run(
        REPO,
        head_sha=HEAD,
        name="tests",
        conclusion="failure",
        app_slug="github-actions",
        run_id=ACTIONS_JOB,
    )


async def deliver(
    client: httpx.AsyncClient,
    event: str,
    payload: dict[str, Any],
    *,
    delivery: str | None = None,
    secret: str = SECRET,
) -> httpx.Response:
    return await post_delivery(client, event, payload, secret, delivery)


@dataclass
class WorkerRun:
    complete: int
    failed: int
    retried: int


async def run_worker(settings: Settings) -> WorkerRun:
    """A burst worker from bot.worker.app's settings: runs queued (and retried) jobs, then stops."""
    worker = Worker(**worker_settings(settings, burst=True, poll_delay=0.05, handle_signals=False))
    try:
        await worker.main()
    finally:
        await worker.close()
    return WorkerRun(worker.jobs_complete, worker.jobs_failed, worker.jobs_retried)


def queued(store: redis.Redis) -> list[str]:
    members = cast(list[bytes], store.zrange("arq:queue", 0, -1))
    return [member.decode() for member in members]


def status_comments(fake: FakeGitHub) -> list[dict[str, Any]]:
    return [c for c in fake.comments if STATUS_MARKER in c["body"]]


async def test_failing_check_run_gets_a_verified_suggestion_and_a_completed_check_run(
    fake_github: FakeGitHub, app_client: httpx.AsyncClient, store: redis.Redis, settings: Settings
) -> None:
    serve_example(fake_github, PATCH_OVER_THE_BUG)
    first = await deliver(app_client, "check_run", failing_check_run(), delivery="d-1")
    assert first.status_code == 202 and first.json()["status"] == "queued"
    # GitHub redelivers the same delivery, and a second delivery reports the same failure.
    again = await deliver(app_client, "check_run", failing_check_run(), delivery="d-1")
    twin = await deliver(app_client, "check_run", failing_check_run(), delivery="d-2")
    assert (again.status_code, again.json()["status"]) == (202, "duplicate")
    assert (twin.status_code, twin.json()["status"]) == (202, "duplicate")
    assert queued(store) == [f"fix:{REPO}:{HEAD}"]  # one session per head commit

    tokens_before = fake_github.tokens_issued
    run = await run_worker(settings)

    assert (run.complete, run.failed, run.retried) == (1, 0, 0)
    # One job: one check run created, in progress at once, on the head SHA.
    [create] = fake_github.calls("checks/create")
    assert create.json["name"] == "Truth Engine" and create.json["head_sha"] == HEAD
    assert create.json["status"] == "in_progress"
    # The live console: in-progress updates that follow the pipeline before the verdict.
    live = [u for u in fake_github.check_run_updates if u.get("status") == "in_progress"]
    texts = [u["output"].get("text", "") for u in live]
    assert any("Reproducing in sandbox" in t for t in texts), texts
    assert re.search(r"Candidate \d+ \(rules\): .+ → passed in [\d.]+ m?s", texts[-1]), texts[-1]
    final = fake_github.check_run_updates[-1]
    assert fake_github.check_run_updates.index(live[-1]) < len(fake_github.check_run_updates) - 1
    # The review: one suggestion replacing line 7 with the fixed loop bound.
    [review] = fake_github.reviews
    assert review["commit_id"] == HEAD and review["pull_number"] == PR
    [suggestion] = review["comments"]
    assert (suggestion["path"], suggestion["line"], suggestion["side"]) == (SOURCE, 7, "RIGHT")
    assert "start_line" not in suggestion
    assert suggestion["body"] == f"```suggestion\n{FIXED_LINE}\n```"
    # The verdict: success, with the proof summary and the session link.
    [check] = fake_github.check_runs
    assert (check["status"], check["conclusion"]) == ("completed", "success")
    assert final["conclusion"] == "success"
    session_link = check["details_url"]
    assert session_link.startswith(f"{PUBLIC_URL}/sessions/")
    summary = check["output"]["summary"]
    assert "**Proof**" in summary and "| baseline |" in summary
    assert re.search(r"\| candidate c\d+ \| `[^`]+` \| 0 \|", summary), summary
    assert session_link in summary and session_link in review["body"]
    # One status comment, edited in place to the verdict.
    [status] = status_comments(fake_github)
    assert "verified fix posted" in status["body"] and session_link in status["body"]
    assert fake_github.comments == [status]
    assert fake_github.unprocessable == []
    # Every call in the job shared one installation token.
    assert fake_github.tokens_issued - tokens_before == 1


async def test_forged_or_missing_signature_is_refused_and_queues_nothing(
    fake_github: FakeGitHub, app_client: httpx.AsyncClient, store: redis.Redis
) -> None:
    forged = await deliver(app_client, "check_run", failing_check_run(), secret="not-the-secret")
    body, headers = signed_delivery("check_run", failing_check_run(), SECRET)
    del headers["X-Hub-Signature-256"]
    unsigned = await app_client.post("/webhooks/github", content=body, headers=headers)
    assert (forged.status_code, unsigned.status_code) == (401, 401)
    assert "TRUTH_GITHUB_WEBHOOK_SECRET" in forged.json()["message"]
    assert queued(store) == []
    assert store.keys("truth:delivery:*") == []
    assert fake_github.requests == []


async def test_command_from_a_user_without_write_access_is_refused_and_runs_no_fix(
    fake_github: FakeGitHub, app_client: httpx.AsyncClient, store: redis.Redis, settings: Settings
) -> None:
    serve_example(fake_github, PATCH_OVER_THE_BUG)
    fake_github.set_permission(REPO, "visitor", "read")
    answer = await deliver(app_client, "issue_comment", comment_command("/truth fix", "visitor"))
    assert answer.status_code == 202 and answer.json()["jobs"] == [f"command:{REPO}:555001"]

    tokens_before = fake_github.tokens_issued
    run = await run_worker(settings)

    assert (run.complete, run.failed) == (1, 0)
    assert fake_github.reactions == [{"comment_id": 555001, "content": "eyes"}]
    [refusal] = fake_github.comments
    assert "@visitor" in refusal["body"] and "needs write access" in refusal["body"]
    assert queued(store) == []
    assert fake_github.check_runs == [] and fake_github.reviews == []
    assert fake_github.calls("repos/download-tarball-archive") == []
    # Reaction, permission check and reply: three calls, one installation token.
    assert (
        len(fake_github.requests) - len(fake_github.calls("apps/create-installation-access-token"))
        == 3
    )
    assert fake_github.tokens_issued - tokens_before == 1


async def test_job_cut_off_after_posting_and_retried_posts_nothing_twice(
    fake_github: FakeGitHub, app_client: httpx.AsyncClient, settings: Settings
) -> None:
    serve_example(fake_github, PATCH_OVER_THE_BUG)
    # The worker loses GitHub right after the review is posted, before the check run completes.
    # Completing a check run is a PATCH, safe to repeat: githubkit's retry (the one HTTP retry
    # layer) sends it again, so the job needs no retry of its own and posts nothing twice.
    fake_github.drop_next("PATCH", r"/check-runs/\d+$", after="pulls/create-review")
    answer = await deliver(app_client, "check_run", failing_check_run())
    assert answer.json()["status"] == "queued"

    run = await run_worker(settings)

    assert (run.failed, run.retried) == (0, 0)
    assert fake_github.injected == [], "the connection drop never happened"
    assert len(fake_github.calls("checks/create")) == 1  # one session, not a second attempt
    assert len(fake_github.calls("pulls/create-review")) == 1
    assert len(fake_github.reviews) == 1
    assert len(status_comments(fake_github)) == 1 and len(fake_github.comments) == 1
    assert len(fake_github.calls("issues/create-comment")) == 1
    [check] = fake_github.check_runs  # the retry found and reused its check run
    assert (check["status"], check["conclusion"]) == ("completed", "success")
    assert "verified fix posted" in fake_github.comments[0]["body"]


async def test_fix_outside_the_pr_diff_is_posted_as_a_diff_comment_without_a_422(
    fake_github: FakeGitHub, app_client: httpx.AsyncClient, settings: Settings
) -> None:
    serve_example(fake_github, PATCH_ELSEWHERE)
    answer = await deliver(app_client, "check_run", failing_check_run())
    assert answer.json()["status"] == "queued"

    run = await run_worker(settings)

    assert (run.complete, run.failed) == (1, 0)
    assert fake_github.calls("pulls/create-review") == [] and fake_github.reviews == []
    assert fake_github.unprocessable == []
    [fallback] = [c for c in fake_github.comments if "truth-engine:fallback" in c["body"]]
    assert "outside this PR's diff" in fallback["body"]
    assert "```diff\n--- a/series/differences.py" in fallback["body"]
    assert f"-    for i in range(len(values)):\n+{FIXED_LINE}" in fallback["body"]
    [status] = status_comments(fake_github)
    assert "full diff in a comment" in status["body"]
    [check] = fake_github.check_runs
    assert check["conclusion"] == "success"


async def test_open_fix_pr_puts_an_out_of_diff_fix_on_a_branch_with_a_pr(
    fake_github: FakeGitHub, app_client: httpx.AsyncClient, settings: Settings
) -> None:
    serve_example(fake_github, PATCH_ELSEWHERE)
    fake_github.set_file(REPO, ".github/truth.yml", "open_fix_pr: true\n")
    await deliver(app_client, "check_run", failing_check_run())

    run = await run_worker(settings)

    assert (run.complete, run.failed) == (1, 0)
    [pull] = fake_github.pulls_created
    branch = pull["head"]
    assert branch.startswith("truth-engine/fix-")
    fixed = fake_github.branch_files(REPO, branch)[SOURCE]
    assert FIXED_LINE in fixed.splitlines()
    [fallback] = [c for c in fake_github.comments if "truth-engine:fallback" in c["body"]]
    assert pull["html_url"] in fallback["body"]
    assert fake_github.unprocessable == []


async def test_sessions_per_head_sha_are_capped_and_the_cap_is_stated(
    fake_github: FakeGitHub, app_client: httpx.AsyncClient, settings: Settings
) -> None:
    from db.engine import init_db, session_scope
    from db.fix_sessions import FixSession, SessionSource

    serve_example(fake_github, PATCH_OVER_THE_BUG)
    engine = init_db(settings.database_url)
    with session_scope(engine) as session:
        for _ in range(settings.max_sessions_per_head_sha):
            session.add(
                FixSession(
                    source=SessionSource.GITHUB.value,
                    repository=REPO,
                    pull_number=PR,
                    head_sha=HEAD,
                    installation_id=INSTALLATION,
                    created_at=datetime.now(UTC),
                )
            )
    engine.dispose()
    answer = await deliver(app_client, "check_run", failing_check_run())
    assert answer.json()["status"] == "queued"

    run = await run_worker(settings)

    assert (run.complete, run.failed) == (1, 0)
    [status] = status_comments(fake_github)
    assert f"`{HEAD[:7]}` already had 2 fix sessions, the cap per commit (2)" in status["body"]
    assert "Push a new commit" in status["body"]
    assert fake_github.check_runs == []
    assert fake_github.calls("repos/download-tarball-archive") == []


async def test_a_job_that_fails_for_good_closes_its_check_run_and_says_how_to_retry(
    fake_github: FakeGitHub, app_client: httpx.AsyncClient, settings: Settings
) -> None:
    serve_example(fake_github, PATCH_OVER_THE_BUG)
    # A hostile tarball: the job must refuse it, and not leave the check run spinning.
    info = tarfile.TarInfo(f"acme-series-{HEAD[:7]}/passwd")
    info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        archive.addfile(info)
    fake_github.set_tarball_bytes(REPO, HEAD, buffer.getvalue())
    answer = await deliver(app_client, "check_run", failing_check_run())
    assert answer.json()["status"] == "queued"

    run = await run_worker(settings)

    assert (run.complete, run.failed, run.retried) == (0, 1, 0)
    [check] = fake_github.check_runs
    assert (check["status"], check["conclusion"]) == ("completed", "neutral")
    assert check["output"]["title"] == "Truth Engine could not finish"
    [status] = status_comments(fake_github)
    for text in (check["output"]["summary"], status["body"]):
        assert "symlink to '/etc/passwd'" in text and "`/truth retry`" in text
    assert fake_github.reviews == []
