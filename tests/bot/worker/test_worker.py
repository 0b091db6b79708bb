"""Worker jobs against the fake GitHub and a real Redis, run by a real arq burst worker."""

from __future__ import annotations

from typing import Any

import pytest
from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.worker import Worker

from bot.settings import Settings
from bot.worker.app import worker_settings
from tests.fixtures.app import SettingsFactory
from tests.fixtures.github import FakeGitHub

pytestmark = pytest.mark.services

REPO = "Codertocat/Hello-World"
HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"


async def run_jobs(settings: Settings, jobs: list[tuple[str, str, dict[str, Any]]]) -> ArqRedis:
    pool = await create_pool(RedisSettings.from_dsn(settings.redis_url))
    for function, job_id, kwargs in jobs:
        await pool.enqueue_job(function, _job_id=job_id, **kwargs)
    worker = Worker(**worker_settings(settings, burst=True, poll_delay=0.05, handle_signals=False))
    await worker.main()
    await worker.close()
    return pool


def command(name: str, author: str, **extra: Any) -> tuple[str, str, dict[str, Any]]:
    return (
        "run_command",
        f"command:{REPO}:77",
        {
            "installation_id": 42,
            "repository": REPO,
            "pull_number": 2,
            "comment_id": 77,
            "author": author,
            "command": name,
            **extra,
        },
    )


async def test_command_from_a_reader_is_refused_and_queues_nothing(
    fake_github: FakeGitHub, settings: Settings
) -> None:
    fake_github.add_pull(REPO, 2, head_sha=HEAD)
    fake_github.set_permission(REPO, "visitor", "read")
    pool = await run_jobs(settings, [command("fix", "visitor")])
    assert fake_github.reactions == [{"comment_id": 77, "content": "eyes"}]
    [reply] = fake_github.comments
    assert "needs write access" in reply["body"] and "@visitor" in reply["body"]
    assert await pool.zcard("arq:queue") == 0
    assert fake_github.check_runs == []
    await pool.aclose()


async def test_command_from_a_writer_queues_a_fix_at_the_pr_head(
    fake_github: FakeGitHub, settings: Settings
) -> None:
    fake_github.add_pull(REPO, 2, head_sha="f" * 40)
    fake_github.set_permission(REPO, "maintainer", "write")
    pool = await create_pool(RedisSettings.from_dsn(settings.redis_url))
    # One job only: the fix it queues needs Docker and is the e2e test's business.
    worker = Worker(**worker_settings(settings, burst=True, poll_delay=0.05, handle_signals=False))
    await pool.enqueue_job("run_command", _job_id="c1", **command("fix", "maintainer")[2])
    await worker.run_check(max_burst_jobs=1)
    await worker.close()
    job_ids = [m.decode() for m in await pool.zrange("arq:queue", 0, -1)]
    assert job_ids == [f"fixcmd:{REPO}:77"]
    await pool.aclose()


async def test_unknown_command_gets_help(fake_github: FakeGitHub, settings: Settings) -> None:
    fake_github.set_permission(REPO, "maintainer", "admin")
    pool = await run_jobs(settings, [command("fxi", "maintainer")])
    [reply] = fake_github.comments
    assert "`/truth fxi` is not a command" in reply["body"] and "/truth retry" in reply["body"]
    await pool.aclose()


def fix_job(**extra: Any) -> tuple[str, str, dict[str, Any]]:
    return (
        "fix_failure",
        f"fix:{REPO}:{HEAD}:tests",
        {
            "installation_id": 42,
            "repository": REPO,
            "pull_number": 2,
            "head_sha": HEAD,
            "check_name": "tests",
            **extra,
        },
    )


async def test_fix_for_an_outdated_commit_does_nothing(
    fake_github: FakeGitHub, settings: Settings
) -> None:
    fake_github.add_pull(REPO, 2, head_sha="a" * 40)  # someone pushed since the failure
    pool = await run_jobs(settings, [fix_job()])
    assert fake_github.check_runs == [] and fake_github.comments == []
    await pool.aclose()


async def test_invalid_config_is_explained_in_the_check_run(
    fake_github: FakeGitHub, settings: Settings
) -> None:
    fake_github.add_pull(REPO, 2, head_sha=HEAD)
    fake_github.set_file(REPO, ".github/truth.yml", "max_candidates: lots\n")
    pool = await run_jobs(settings, [fix_job()])
    [run] = fake_github.check_runs
    assert run["name"] == "Truth Engine" and run["head_sha"] == HEAD
    assert run["conclusion"] == "neutral"
    assert "max_candidates" in run["output"]["summary"]
    assert "Nothing was run" in run["output"]["summary"]
    await pool.aclose()


async def test_per_pr_cap_is_stated_on_the_pr(
    fake_github: FakeGitHub, make_settings: SettingsFactory
) -> None:
    capped = make_settings(max_sessions_per_pr=0)
    fake_github.add_pull(REPO, 2, head_sha=HEAD)
    pool = await run_jobs(capped, [fix_job()])
    [status] = fake_github.comments
    assert "<!-- truth-engine:status -->" in status["body"]
    assert "cap of 0 fix sessions" in status["body"]
    assert fake_github.check_runs == []
    await pool.aclose()


async def test_installation_events_keep_records(
    fake_github: FakeGitHub, settings: Settings
) -> None:
    from db.engine import init_db, session_scope
    from db.github import GitHubInstallation

    pool = await run_jobs(
        settings,
        [
            (
                "sync_installation",
                "i1",
                {
                    "installation_id": 9,
                    "action": "created",
                    "account": "acme",
                    "repositories": ["acme/a"],
                    "removed": [],
                },
            ),
        ],
    )
    await run_jobs(
        settings,
        [
            (
                "sync_installation",
                "i2",
                {
                    "installation_id": 9,
                    "action": "added",
                    "account": None,
                    "repositories": ["acme/b"],
                    "removed": ["acme/a"],
                },
            ),
        ],
    )
    with session_scope(init_db(settings.database_url)) as session:
        record = session.get(GitHubInstallation, 9)
        assert record is not None
        assert (record.account, record.repositories) == ("acme", ["acme/b"])
    await pool.aclose()


def test_housekeeping_runs_on_a_schedule(settings: Settings) -> None:
    crons = {job.name: job for job in worker_settings(settings)["cron_jobs"]}
    assert crons["cron:purge_job"].hour == {3}
    assert crons["cron:reap_containers"].minute == {41}
