"""How the worker runs a job: typed arguments, installation slots, retries, a visible end.

arq fails a job that has used up its tries without calling it, and cancels one that overruns
its timeout; either way nothing would tell the PR. So arq is given room for one more try
than we allow and a longer timeout than ours, and this wrapper ends every job itself: a job
past its last try, or stopped by our own timeout, or failing for good, calls its `give_up`.
A job that finds its installation busy waits without spending a try.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
from arq import Retry
from arq.worker import Function, func
from githubkit.exception import RequestError, RequestFailed, RequestTimeout

from bot.errors import user_facing
from bot.service.logs import log_context
from bot.service.metrics import worker_metrics
from bot.worker.context import WorkerContext
from bot.worker.job import Job

log = logging.getLogger(__name__)

JOB_TIMEOUT_S = 30 * 60
MAX_TRIES = 4
BUSY_DEFER_S = 10
SLOT_KEY = "truth:running:{}"
BUSY_KEY = "truth:busy:{}"  # how many of a job's tries were spent waiting for a slot
# arq's own ceilings sit above ours so that our wrapper, not arq, ends every job.
ARQ_TIMEOUT_S = JOB_TIMEOUT_S + 120
ARQ_MAX_TRIES = 10_000


def is_transient(exc: BaseException) -> bool:
    """Errors worth a new try of the whole job: GitHub's 5xx and limits, dropped connections."""
    if isinstance(exc, RequestFailed):
        return exc.response.status_code >= 500 or exc.response.status_code in (403, 429)
    if isinstance(exc, RequestError) and not isinstance(exc, RequestTimeout):
        # githubkit wraps a dropped connection in RequestError; the cause is what matters.
        return isinstance(exc.exc, httpx.TransportError | ConnectionError)
    return isinstance(exc, RequestTimeout | httpx.TransportError | ConnectionError)


async def acquire_slot(worker: WorkerContext, installation_id: int) -> bool:
    """One of the installation's slots (counted in Redis across workers), or False if none."""
    key = SLOT_KEY.format(installation_id)
    count = await worker.redis.incr(key)
    # The expiry frees the slot of a worker killed mid-job.
    await worker.redis.expire(key, ARQ_TIMEOUT_S + 60)
    if count > worker.per_installation_limit:
        await worker.redis.decr(key)
        return False
    return True


async def release_slot(worker: WorkerContext, installation_id: int) -> None:
    await worker.redis.decr(SLOT_KEY.format(installation_id))


def arq_function(job: Job[Any]) -> Function:
    """The arq function that runs `job`: arq's (ctx, **kwargs) in, the typed call inside."""

    async def attempt(ctx: dict[str, Any], **kwargs: Any) -> str:
        worker: WorkerContext = ctx["worker"]
        delivery = kwargs.pop("delivery", None)
        args = job.parse(kwargs)
        job_id = ctx.get("job_id", "")
        busy_key = BUSY_KEY.format(job_id)
        waited = int(await worker.redis.get(busy_key) or 0)
        tries = ctx.get("job_try", 1) - waited
        installation_id: int | None = getattr(args, "installation_id", None)
        limited = job.per_installation and installation_id is not None
        log.info("job %s try %s (delivery %s)", job_id, tries, delivery)
        if tries > MAX_TRIES:
            # A worker died during the last try: arq would retry forever or drop it silently.
            await _give_up(worker, job, args, f"the job was interrupted {MAX_TRIES} times")
            return "gave up: interrupted on every try"
        if limited and installation_id and not await acquire_slot(worker, installation_id):
            await worker.redis.incr(busy_key)
            await worker.redis.expire(busy_key, 24 * 3600)
            raise Retry(defer=BUSY_DEFER_S)
        try:
            async with asyncio.timeout(JOB_TIMEOUT_S):
                return await job.run(worker, args)
        except TimeoutError:
            await _give_up(worker, job, args, f"it ran past the {JOB_TIMEOUT_S // 60}-minute limit")
            return "gave up: timeout"
        except Exception as exc:
            if is_transient(exc) and tries < MAX_TRIES:
                log.warning("%s: transient %s, retry %s", job.name, type(exc).__name__, tries)
                raise Retry(defer=5 * tries**2) from exc
            log.exception("%s failed for good", job.name)
            await _give_up(worker, job, args, user_facing(exc))
            raise
        finally:
            if limited and installation_id:
                await release_slot(worker, installation_id)

    async def run(ctx: dict[str, Any], **kwargs: Any) -> str:
        # Every log line of the job carries its ids; /metrics counts it by outcome and time.
        with (
            log_context(job_id=ctx.get("job_id"), delivery_id=kwargs.get("delivery")),
            worker_metrics().job(job.name),
        ):
            return await attempt(ctx, **kwargs)

    run.__name__ = run.__qualname__ = job.name
    return func(run, name=job.name, timeout=ARQ_TIMEOUT_S, max_tries=ARQ_MAX_TRIES)


async def _give_up(worker: WorkerContext, job: Job[Any], args: Any, why: str) -> None:
    if job.give_up is None:
        return
    try:
        await job.give_up(worker, args, why)
    except Exception:
        log.exception("%s: could not report the failure on GitHub", job.name)
