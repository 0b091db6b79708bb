"""`/truth trace` through the worker: trace job, sealed trace stored and published on the PR."""

from __future__ import annotations

import json

import pytest
from arq.connections import RedisSettings, create_pool
from arq.worker import Worker
from sqlmodel import Session, select

from bot.settings import Settings
from bot.traces.github_source import CHECK_RUN_NAME
from bot.traces.integrity import verify_document
from bot.traces.signing import load_or_create_signing_key
from bot.worker.app import worker_settings
from db.engine import make_engine
from db.traces import TraceRecord
from tests.bot.traces.history import FIXED, MORE_TESTS
from tests.fixtures.github import FakeGitHub
from tests.fixtures.github.history import add_pr_commit

pytestmark = [pytest.mark.services, pytest.mark.docker, pytest.mark.slow]

REPO = "Codertocat/Hello-World"
HEAD = "d" * 40


async def test_trace_command_from_a_writer_builds_seals_and_publishes_the_trace(
    fake_github: FakeGitHub,
    settings: Settings,
    sandbox_image: str,
) -> None:
    settings = settings.model_copy(update={"sandbox_image": sandbox_image})
    fake_github.add_pull(REPO, 2, head_sha=HEAD)
    fake_github.set_permission(REPO, "maintainer", "write")
    edit = {"filename": "stats/core.py", "status": "modified", "content": FIXED,
            "patch": "@@ -1 +1 @@\n-a\n+b"}  # fmt: skip
    message = "Fix median\n\nRoot cause: the upper middle element was picked."
    add_pr_commit(fake_github, REPO, 2, sha=HEAD, date="2026-01-05T10:00:00Z", message=message,
                  files=[edit])  # fmt: skip
    tree = {"stats/__init__.py": "", "stats/core.py": FIXED, "tests/test_core.py": MORE_TESTS}
    fake_github.set_tarball(REPO, HEAD, tree)

    pool = await create_pool(RedisSettings.from_dsn(settings.redis_url))
    await pool.enqueue_job(
        "run_command", _job_id="cmd-trace", installation_id=42, repository=REPO,
        pull_number=2, comment_id=91, author="maintainer", command="trace",
    )  # fmt: skip
    worker = Worker(**worker_settings(settings, burst=True, poll_delay=0.05, handle_signals=False))
    await worker.main()
    await worker.close()
    await pool.aclose()

    assert (worker.jobs_complete, worker.jobs_failed) == (2, 0)  # the command, then the trace
    assert fake_github.reactions == [{"comment_id": 91, "content": "eyes"}]
    [published] = [r for r in fake_github.check_runs if r["name"] == CHECK_RUN_NAME]
    assert published["head_sha"] == HEAD
    with Session(make_engine(settings.database_url)) as session:
        [stored] = session.exec(select(TraceRecord)).all()
    document = json.loads(stored.document_json)
    assert document["integrity"]["event_hash_chain"] in published["output"]["summary"]
    assert document["qa"]["validation"]["tests_passed"] is True
    public_key = load_or_create_signing_key(settings).public_key()
    assert verify_document(document, public_key=public_key).ok
    assert stored.installation_id == 42


async def test_snapshot_on_push_stores_the_history_without_validating_or_publishing(
    fake_github: FakeGitHub, settings: Settings
) -> None:
    fake_github.add_pull(REPO, 2, head_sha=HEAD)
    edit = {"filename": "stats/core.py", "status": "modified", "content": FIXED,
            "patch": "@@ -1 +1 @@\n-a\n+b"}  # fmt: skip
    add_pr_commit(fake_github, REPO, 2, sha=HEAD, date="2026-01-05T10:00:00Z",
                  message="Fix median", files=[edit])  # fmt: skip

    pool = await create_pool(RedisSettings.from_dsn(settings.redis_url))
    await pool.enqueue_job(
        "build_trace", _job_id="snap", installation_id=42, repository=REPO, pull_number=2,
        snapshot=True,
    )  # fmt: skip
    worker = Worker(**worker_settings(settings, burst=True, poll_delay=0.05, handle_signals=False))
    await worker.main()
    await worker.close()
    await pool.aclose()

    assert (worker.jobs_complete, worker.jobs_failed) == (1, 0)
    assert [r for r in fake_github.check_runs if r["name"] == CHECK_RUN_NAME] == []
    with Session(make_engine(settings.database_url)) as session:
        [stored] = session.exec(select(TraceRecord)).all()
    document = json.loads(stored.document_json)
    assert [e["commit"] for e in document["events"] if e["type"] == "file_edit"] == [HEAD]
    assert (
        document["qa"]["validation"] is None or document["qa"]["validation"]["status"] != "passed"
    )
