"""One-round-trip de-dup + enqueue: arq's worker runs what it queues; all or nothing on failure."""

from __future__ import annotations

import asyncio
import pickle
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, cast

import pytest
import redis
from arq import Worker, func
from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.constants import default_queue_name, expires_extra_ms, job_key_prefix
from arq.jobs import Job, JobStatus
from redis.exceptions import ConnectionError, ResponseError

from bot.worker.job import Enqueue
from bot.worker.job import Job as TruthJob
from bot.worker.queue import (
    DELIVERY_KEY,
    DELIVERY_TTL_SECONDS,
    DeliveryQueue,
    read_reply,
    script_call,
)

JOB_ID = "fix:o/r:abc:tests"


@dataclass(frozen=True)
class AtCommit:
    repository: str
    head_sha: str

    @property
    def job_id(self) -> str:
        return f"fix:{self.repository}:{self.head_sha}:tests"


@dataclass(frozen=True)
class Numbered:
    n: int = 0

    @property
    def job_id(self) -> None:
        return None


async def _run(worker: Any, args: Any) -> str:
    return ""


_run.__name__ = "record"  # the arq function name the jobs below are queued under
JOB = Enqueue(TruthJob(_run, AtCommit), AtCommit("o/r", "abc"))


def by_delivery(n: int = 0) -> Enqueue[Numbered]:
    return Enqueue(TruthJob(_run, Numbered), Numbered(n))


@dataclass(frozen=True)
class Keyed:
    key: str

    @property
    def job_id(self) -> str:
        return self.key


def by_key(key: str) -> Enqueue[Keyed]:
    return Enqueue(TruthJob(_run, Keyed), Keyed(key))


def test_script_call_lays_out_keys_and_args_per_job() -> None:
    keys, args = script_call(
        "d-1", "check_run", [JOB, by_delivery(1)], queue_name="q", now_ms=1000, expires_ms=5,
        serializer=pickle.dumps,
    )  # fmt: skip
    assert keys == [
        "truth:delivery:d-1", "q",
        "arq:job:fix:o/r:abc:tests", "arq:result:fix:o/r:abc:tests",
        "arq:job:delivery:d-1", "arq:result:delivery:d-1",
    ]  # fmt: skip
    assert args[:3] == ["check_run", DELIVERY_TTL_SECONDS, 1000]
    assert args[3:5] == ["fix:o/r:abc:tests", 5] and args[6:8] == ["delivery:d-1", 5]
    assert pickle.loads(args[8]) == {
        "t": None, "f": "record", "a": (), "k": {"delivery": "d-1", "n": 1}, "et": 1000,
    }  # fmt: skip


def test_read_reply_names_queued_and_existing_jobs() -> None:
    other = by_delivery()
    outcome = read_reply([0, 1], "d-7", [JOB, other])
    assert not outcome.duplicate_delivery
    assert (outcome.queued, outcome.duplicates) == (("delivery:d-7",), (JOB_ID,))
    assert read_reply(-1, "d-7", [JOB]).duplicate_delivery


@pytest.fixture
async def queue(redis_url: str) -> AsyncIterator[ArqRedis]:
    pool = await create_pool(RedisSettings.from_dsn(redis_url))
    yield pool
    await pool.aclose()


async def record(ctx: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    return kwargs


async def test_a_real_arq_worker_runs_the_job_and_a_later_delivery_is_a_duplicate(
    queue: ArqRedis, redis_url: str
) -> None:
    deliveries = DeliveryQueue(queue)
    first = await deliveries.submit("d-1", "check_run", [JOB])
    assert (first.duplicate_delivery, first.queued) == (False, (JOB_ID,))
    info = await Job(JOB_ID, queue).info()
    assert info is not None and info.function == "record"

    worker = Worker(
        functions=[func(record, name="record")],
        redis_settings=RedisSettings.from_dsn(redis_url),
        burst=True, poll_delay=0.05, handle_signals=False,
    )  # fmt: skip
    try:
        await worker.main()
    finally:
        await worker.close()
    job = Job(JOB_ID, queue)
    assert (worker.jobs_complete, await job.status()) == (1, JobStatus.complete)
    assert await job.result(timeout=1) == {"delivery": "d-1", **JOB.kwargs}

    # arq keeps the result: the same failure delivered again must not run twice.
    again = await deliveries.submit("d-2", "check_run", [JOB])
    assert (again.queued, again.duplicates) == ((), (JOB_ID,))
    redelivered = await deliveries.submit("d-1", "check_run", [JOB])
    assert redelivered.duplicate_delivery


async def test_marks_and_jobs_expire_like_arqs(queue: ArqRedis, store: redis.Redis) -> None:
    await DeliveryQueue(queue).submit("d-3", "check_run", [JOB])
    mark_ttl = cast(int, store.ttl(DELIVERY_KEY.format("d-3")))
    assert DELIVERY_TTL_SECONDS - 5 < mark_ttl <= DELIVERY_TTL_SECONDS
    job_ttl_ms = cast(int, store.pttl(job_key_prefix + JOB_ID))
    assert expires_extra_ms - 5000 < job_ttl_ms <= expires_extra_ms
    assert store.zrange(default_queue_name, 0, -1) == [JOB_ID.encode()]


async def test_a_refused_enqueue_writes_nothing_not_even_the_mark(
    queue: ArqRedis, store: redis.Redis
) -> None:
    store.set(default_queue_name, "not a sorted set")
    with pytest.raises(ResponseError, match="WRONGTYPE"):
        await DeliveryQueue(queue).submit("d-4", "check_run", [JOB])
    assert store.keys("*") == [default_queue_name.encode()]


async def test_a_server_that_lost_the_script_gets_it_again(
    queue: ArqRedis, store: redis.Redis
) -> None:
    deliveries = DeliveryQueue(queue)
    await deliveries.submit("d-5", "check_run", [by_delivery()])
    store.script_flush()
    outcome = await deliveries.submit("d-6", "check_run", [by_delivery()])
    assert outcome.queued == ("delivery:d-6",)


async def test_concurrent_deliveries_share_a_round_trip_and_each_gets_its_answer(
    queue: ArqRedis, store: redis.Redis
) -> None:
    deliveries = DeliveryQueue(queue)
    jobs = [[by_key(f"job-{i % 5}")] for i in range(20)]
    outcomes = await asyncio.gather(
        *(deliveries.submit(f"d-{i}", "check_run", job) for i, job in enumerate(jobs))
    )
    assert [o.queued for o in outcomes[:5]] == [(f"job-{i}",) for i in range(5)]
    assert all(o.duplicates and not o.queued for o in outcomes[5:])
    assert store.zcard(default_queue_name) == 5


async def test_an_unreachable_redis_fails_every_caller_of_the_batch() -> None:
    unreachable = ArqRedis.from_url("redis://127.0.0.1:1/0")
    deliveries = DeliveryQueue(unreachable)
    try:
        results = await asyncio.gather(
            *(deliveries.submit(f"d-{i}", "check_run", [JOB]) for i in range(3)),
            return_exceptions=True,
        )
    finally:
        await unreachable.aclose()
    assert all(isinstance(r, ConnectionError) for r in results)
