"""arq's WorkerSettings for `truth worker`, built from the routes' jobs and bound to settings."""

from __future__ import annotations

import asyncio
from typing import Any

from arq import cron
from arq.connections import RedisSettings

from bot.routes import ROUTER
from bot.settings import Settings
from bot.traces.retention import purge_job
from bot.worker.context import WorkerContext
from bot.worker.lifecycle import ARQ_MAX_TRIES, ARQ_TIMEOUT_S, arq_function

# Every job a route can start, and every follow-up a job can queue, from one registry.
FUNCTIONS = [arq_function(job) for job in ROUTER.jobs.values()]


async def reap_containers(ctx: dict[str, Any]) -> int:
    """Remove sandboxes a killed worker left behind (only old ones: others may be running)."""
    from runner.egress_fence import prune_egress_volumes
    from runner.sandbox import reap_leftovers

    worker: WorkerContext = ctx["worker"]
    deps = await worker.pipeline()
    removed = await asyncio.to_thread(reap_leftovers, deps.sandbox.client)
    # The install proxies' socket volumes; Docker keeps any a running proxy still mounts.
    await asyncio.to_thread(prune_egress_volumes, deps.sandbox.client)
    return removed


CRON_JOBS = [
    # Traces past TRUTH_TRACE_RETENTION_DAYS, once a day at a quiet hour.
    cron(purge_job, hour={3}, minute={17}, run_at_startup=False),
    cron(reap_containers, minute={41}, run_at_startup=False),
]


async def startup(ctx: dict[str, Any]) -> None:
    ctx["worker"] = await WorkerContext.start(ctx["settings"], ctx["redis"])


async def shutdown(ctx: dict[str, Any]) -> None:
    if "worker" in ctx:
        ctx["worker"].close()


def worker_settings(settings: Settings, **overrides: Any) -> dict[str, Any]:
    """Keyword arguments for arq's Worker (or run_worker), bound to these settings."""
    return {
        "functions": FUNCTIONS,
        "cron_jobs": CRON_JOBS,
        "redis_settings": RedisSettings.from_dsn(settings.redis_url),
        "on_startup": startup,
        "on_shutdown": shutdown,
        "ctx": {"settings": settings},
        "job_timeout": ARQ_TIMEOUT_S,
        "max_tries": ARQ_MAX_TRIES,
        "max_jobs": 4,
        # A push to a PR aborts the session on its old head (bot/fix/supersede.py).
        "allow_abort_jobs": True,
        "keep_result": 3600,
        # Let a running fix finish (or reach a safe point) on SIGTERM before cancelling it.
        "job_completion_wait": 60,
        **overrides,
    }
