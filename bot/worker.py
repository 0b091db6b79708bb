"""The arq worker: job functions, shared clients in ctx, retries, per-installation concurrency.

`truth worker` builds the settings class with `worker_settings(settings)`; jobs are listed in
FUNCTIONS. Transient GitHub/network errors become arq Retry with a growing delay; a job that
exhausts its tries leaves a status comment telling people how to retry.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from arq import Retry, cron
from arq.connections import RedisSettings
from githubkit.exception import RequestError, RequestFailed, RequestTimeout

from bot.handlers.commands import run_command
from bot.handlers.fix_session import fix_failure, give_up_fix
from bot.handlers.installations import sync_installation
from bot.handlers.trace_on_close import build_trace
from bot.settings import Settings
from bot.traces.retention import purge_job

log = logging.getLogger(__name__)

JOB_TIMEOUT_S = 30 * 60
MAX_TRIES = 4
PER_INSTALLATION_LIMIT = 2
SEMAPHORE_KEY = "truth:running:{}"


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, RequestFailed):
        return exc.response.status_code >= 500 or exc.response.status_code in (403, 429)
    if isinstance(exc, RequestError) and not isinstance(exc, RequestTimeout):
        # githubkit wraps a dropped connection in RequestError; the cause is what matters.
        return isinstance(exc.exc, httpx.TransportError | ConnectionError)
    return isinstance(exc, RequestTimeout | httpx.TransportError | ConnectionError)


class InstallationBusy(Exception):
    """This installation already runs its share of jobs; try later."""


async def _acquire(ctx: dict[str, Any], installation_id: int) -> None:
    key = SEMAPHORE_KEY.format(installation_id)
    count = await ctx["redis"].incr(key)
    # The expiry frees the slot of a worker killed mid-job.
    await ctx["redis"].expire(key, JOB_TIMEOUT_S + 60)
    if count > ctx["settings_per_installation"]:
        await ctx["redis"].decr(key)
        raise InstallationBusy(installation_id)


async def _release(ctx: dict[str, Any], installation_id: int) -> None:
    await ctx["redis"].decr(SEMAPHORE_KEY.format(installation_id))


GiveUp = Callable[..., Awaitable[None]]


def job(
    function: Callable[..., Awaitable[str]], limited: bool = False, on_give_up: GiveUp | None = None
) -> Callable[..., Any]:
    """Wrap a job: concurrency slot per installation, transient errors → Retry with backoff.

    `on_give_up(ctx, exc, **kwargs)` runs once the job fails for good, to tell the humans.
    """

    @functools.wraps(function)
    async def run(ctx: dict[str, Any], **kwargs: Any) -> str:
        installation_id = kwargs.get("installation_id")
        tries = ctx.get("job_try", 1)
        if limited and installation_id is not None:
            try:
                await _acquire(ctx, installation_id)
            except InstallationBusy:
                raise Retry(defer=10 * tries) from None
        try:
            return await function(ctx, **kwargs)
        except Exception as exc:
            if _is_transient(exc) and tries < MAX_TRIES:
                log.warning(
                    "%s: transient %s, retry %s", function.__name__, type(exc).__name__, tries
                )
                raise Retry(defer=5 * tries**2) from exc
            if on_give_up is not None:
                try:
                    await on_give_up(ctx, exc, **kwargs)
                except Exception:
                    log.exception("%s: could not report the failure on GitHub", function.__name__)
            raise
        finally:
            if limited and installation_id is not None:
                await _release(ctx, installation_id)

    return run


FUNCTIONS = [
    job(fix_failure, limited=True, on_give_up=give_up_fix),
    job(run_command),
    job(sync_installation),
    job(build_trace, limited=True),
]


async def reap_containers(ctx: dict[str, Any]) -> int:
    """Remove sandboxes a killed worker left behind (only old ones: others may be running)."""
    from runner.sandbox import reap_leftovers

    deps = await ctx["pipeline_deps"]()
    return await asyncio.to_thread(reap_leftovers, deps.sandbox.client)


CRON_JOBS = [
    # Traces past TRUTH_TRACE_RETENTION_DAYS, once a day at a quiet hour.
    cron(purge_job, hour={3}, minute={17}, run_at_startup=False),
    cron(reap_containers, minute={41}, run_at_startup=False),
]


async def startup(ctx: dict[str, Any]) -> None:
    from bot.github.client import installation_client
    from db.engine import init_db

    settings: Settings = ctx["settings"]
    ctx["db"] = await asyncio.to_thread(init_db, settings.database_url)
    clients: dict[int, Any] = {}

    def github(installation_id: int) -> Any:
        # One client per installation keeps githubkit's cached installation token.
        if installation_id not in clients:
            clients[installation_id] = installation_client(settings, installation_id)
        return clients[installation_id]

    deps: dict[str, Any] = {}

    async def pipeline_deps() -> Any:
        if "deps" not in deps:
            from bot.pipeline import build_deps

            deps["deps"] = await asyncio.to_thread(build_deps, settings)
        return deps["deps"]

    ctx["github"] = ctx.get("github") or github
    ctx["pipeline_deps"] = ctx.get("pipeline_deps") or pipeline_deps


async def shutdown(ctx: dict[str, Any]) -> None:
    if "db" in ctx:
        ctx["db"].dispose()


def worker_settings(settings: Settings, **overrides: Any) -> dict[str, Any]:
    """Keyword arguments for arq's Worker (or run_worker), bound to these settings."""
    base_ctx = {"settings": settings, "settings_per_installation": PER_INSTALLATION_LIMIT}
    return {
        "functions": FUNCTIONS,
        "cron_jobs": CRON_JOBS,
        "redis_settings": RedisSettings.from_dsn(settings.redis_url),
        "on_startup": startup,
        "on_shutdown": shutdown,
        "ctx": base_ctx,
        "job_timeout": JOB_TIMEOUT_S,
        "max_tries": MAX_TRIES,
        "max_jobs": 4,
        "keep_result": 3600,
        # Let a running fix finish (or reach a safe point) on SIGTERM before cancelling it.
        "job_completion_wait": 60,
        **overrides,
    }
