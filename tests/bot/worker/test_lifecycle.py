"""Every job ends visibly: the last try, a crash and a busy installation, with a real arq worker."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.constants import retry_key_prefix
from arq.worker import Worker

from bot.settings import Settings
from bot.worker.app import shutdown, startup
from bot.worker.context import WorkerContext
from bot.worker.job import Job
from bot.worker.lifecycle import BUSY_KEY, MAX_TRIES, SLOT_KEY, arq_function

pytestmark = pytest.mark.services


@dataclass(frozen=True)
class Chore:
    installation_id: int
    outcome: str = "done"  # done | crash

    @property
    def job_id(self) -> str:
        return f"chore:{self.installation_id}:{self.outcome}"


RAN: list[Chore] = []
GAVE_UP: list[tuple[Chore, str]] = []


async def chore(worker: WorkerContext, job: Chore) -> str:
    RAN.append(job)
    if job.outcome == "crash":
        raise KeyError("disk on fire")
    return "done"


async def report(worker: WorkerContext, job: Chore, why: str) -> None:
    GAVE_UP.append((job, why))


CHORE = Job(chore, Chore, per_installation=True, give_up=report)


@pytest.fixture(autouse=True)
def _clear() -> None:
    RAN.clear()
    GAVE_UP.clear()


@pytest.fixture
async def pool(settings: Settings) -> AsyncIterator[ArqRedis]:
    redis = await create_pool(RedisSettings.from_dsn(settings.redis_url))
    yield redis
    await redis.aclose()


def worker_for(settings: Settings, **options: Any) -> Worker:
    return Worker(
        functions=[arq_function(CHORE)],
        redis_settings=RedisSettings.from_dsn(settings.redis_url),
        on_startup=startup, on_shutdown=shutdown, ctx={"settings": settings},
        burst=True, poll_delay=0.05, handle_signals=False, max_tries=10_000, **options,
    )  # fmt: skip


async def enqueue(pool: ArqRedis, job: Chore) -> None:
    await pool.enqueue_job("chore", _job_id=job.job_id, **CHORE.kwargs(job))


async def test_a_crash_is_reported_once_with_an_internal_error_and_not_retried(
    pool: ArqRedis, settings: Settings
) -> None:
    job = Chore(7, "crash")
    await enqueue(pool, job)
    worker = worker_for(settings)
    await worker.main()
    await worker.close()
    assert (worker.jobs_complete, worker.jobs_failed, worker.jobs_retried) == (0, 1, 0)
    assert [(job, "an internal error (KeyError)")] == GAVE_UP
    assert await pool.get(SLOT_KEY.format(7)) == b"0"  # the slot is given back


async def test_a_job_interrupted_on_its_last_try_is_closed_without_running_again(
    pool: ArqRedis, settings: Settings
) -> None:
    # A worker killed mid-job leaves arq's try counter behind; this one used every try.
    job = Chore(8)
    await pool.set(retry_key_prefix + job.job_id, MAX_TRIES)
    await enqueue(pool, job)
    worker = worker_for(settings)
    await worker.main()
    await worker.close()
    assert RAN == []
    assert [(job, f"the job was interrupted {MAX_TRIES} times")] == GAVE_UP
    assert worker.jobs_complete == 1


async def test_a_busy_installation_defers_the_job_without_spending_a_try(
    pool: ArqRedis, settings: Settings
) -> None:
    job = Chore(9)
    await pool.set(SLOT_KEY.format(9), 2)  # both of the installation's slots are taken
    await enqueue(pool, job)
    worker = worker_for(settings, max_burst_jobs=1)
    await asyncio.wait_for(worker.main(), 20)
    await worker.close()
    assert RAN == [] and GAVE_UP == []
    assert await pool.get(BUSY_KEY.format(job.job_id)) == b"1"
    assert await pool.zcard("arq:queue") == 1  # still queued, deferred

    # Many busy waits later the job still has all its tries: it runs once a slot is free.
    await pool.set(BUSY_KEY.format(job.job_id), MAX_TRIES + 3)
    await pool.set(retry_key_prefix + job.job_id, MAX_TRIES + 3)
    await pool.set(SLOT_KEY.format(9), 0)
    await pool.zadd("arq:queue", {job.job_id: 1})  # due now, not after the deferral (0 means none)
    worker = worker_for(settings)
    await worker.main()
    await worker.close()
    assert [job] == RAN and GAVE_UP == []


def test_the_worker_runs_every_job_the_routes_can_start() -> None:
    from bot.routes import ROUTER
    from bot.worker.app import FUNCTIONS

    names = {function.name for function in FUNCTIONS}
    assert {"fix_failure", "run_command", "build_trace", "sync_installation"} <= names
    assert names == set(ROUTER.jobs)


def test_a_fix_job_names_its_own_natural_id() -> None:
    from bot.fix.job import FixJob, Trigger

    ci = FixJob(1, "o/r", 2, "abc", check_name="actions")
    command: Any = FixJob(1, "o/r", 2, "abc", trigger="command", comment_id=5)
    assert ci.job_id == "fix:o/r:abc"  # one session per head commit, whichever check failed
    assert command.job_id == "fixcmd:o/r:5" and command.trigger is Trigger.COMMAND
