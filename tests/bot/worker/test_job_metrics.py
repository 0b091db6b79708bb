"""A job run through the real arq worker is counted by outcome and logged with its ids."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import AsyncIterator

import pytest
from arq.connections import ArqRedis, RedisSettings, create_pool
from prometheus_client import generate_latest

from bot.service.logs import configure_logging
from bot.service.metrics import worker_metrics
from bot.settings import Settings
from tests.bot.worker.test_lifecycle import Chore, enqueue, worker_for

pytestmark = pytest.mark.services


@pytest.fixture
async def pool(settings: Settings) -> AsyncIterator[ArqRedis]:
    redis = await create_pool(RedisSettings.from_dsn(settings.redis_url))
    yield redis
    await redis.aclose()


def _count(name: str) -> float:
    for line in generate_latest(worker_metrics().registry).decode().splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_jobs_are_counted_by_outcome_and_their_log_lines_carry_the_job_id(
    pool: ArqRedis, settings: Settings
) -> None:
    ok = 'truth_jobs_total{function="chore",outcome="ok"}'
    crashed = 'truth_jobs_total{function="chore",outcome="KeyError"}'
    timed = 'truth_job_seconds_count{function="chore"}'
    before = (_count(ok), _count(crashed), _count(timed))
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    stream = io.StringIO()
    configure_logging("json").setStream(stream)
    try:
        await enqueue(pool, Chore(21))
        await enqueue(pool, Chore(22, "crash"))
        worker = worker_for(settings)
        await worker.main()
        await worker.close()
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
    after = (_count(ok), _count(crashed), _count(timed))
    assert (after[0] - before[0], after[1] - before[1], after[2] - before[2]) == (1, 1, 2)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    failed = [line for line in lines if line["message"] == "chore failed for good"]
    assert failed and failed[0]["job_id"] == "chore:22:crash"
    assert "KeyError" in failed[0]["exception"]
