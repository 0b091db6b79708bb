"""The one enqueue path: a Lua script marks a delivery seen and enqueues its arq jobs.

The webhook ingress calls it once per delivery (one Redis round trip); jobs that queue
follow-up jobs (a `/truth fix` command) call it with no delivery to mark.

The script does what `ArqRedis.enqueue_job` does (skip a job whose job or result key exists,
PSETEX the job with arq's expiry, ZADD it to the queue scored by its enqueue time) plus the
delivery de-duplication, atomically, so a failure leaves nothing written, not even the mark.
Job bytes come from arq's own `serialize_job`, so the worker reads them unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from arq.connections import ArqRedis
from arq.constants import job_key_prefix, result_key_prefix
from arq.jobs import Serializer, serialize_job
from arq.utils import timestamp_ms

from bot.worker.batching import ScriptBatcher
from bot.worker.job import Enqueue

DELIVERY_TTL_SECONDS = 7 * 24 * 3600  # GitHub lets users redeliver for a few days
DELIVERY_KEY = "truth:delivery:{}"
DUPLICATE_DELIVERY = -1

# KEYS: delivery mark, queue, then per job its arq job key and result key.
# ARGV: event, mark TTL (s; 0: nothing to mark), enqueue time (ms), then per job: job id,
# expiry (ms), job bytes.
# Returns -1 for a seen delivery, else one flag per job: 1 queued, 0 already queued or done.
ENQUEUE_SCRIPT = """
local mark = ARGV[2] ~= '0'
if mark and redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
local queue_type = redis.call('TYPE', KEYS[2]).ok
if queue_type ~= 'zset' and queue_type ~= 'none' then
  -- Refuse before any write: Redis does not roll back a script that fails half-way.
  return redis.error_reply('WRONGTYPE queue ' .. KEYS[2] .. ' is a ' .. queue_type)
end
local flags = {}
for i = 0, (#KEYS - 2) / 2 - 1 do
  local job_key, result_key = KEYS[3 + 2 * i], KEYS[4 + 2 * i]
  if redis.call('EXISTS', job_key, result_key) == 0 then
    redis.call('PSETEX', job_key, ARGV[5 + 3 * i], ARGV[6 + 3 * i])
    redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4 + 3 * i])
    flags[i + 1] = 1
  else
    flags[i + 1] = 0
  end
end
if mark then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end
return flags
"""


@dataclass(frozen=True)
class Outcome:
    """What the script did: a seen delivery, or which job ids were queued and which existed."""

    duplicate_delivery: bool
    queued: tuple[str, ...] = ()
    duplicates: tuple[str, ...] = ()


def job_id_of(job: Enqueue[Any], delivery: str) -> str:
    return job.job_id or f"delivery:{delivery}"


def script_call(
    delivery: str,
    event: str,
    jobs: list[Enqueue[Any]],
    *,
    queue_name: str,
    now_ms: int,
    expires_ms: int,
    serializer: Serializer | None,
    mark: bool = True,
) -> tuple[list[str], list[Any]]:
    """The script's KEYS and ARGV for one delivery; pure, `now_ms` is arq's enqueue time."""
    keys = [DELIVERY_KEY.format(delivery), queue_name]
    args: list[Any] = [event, DELIVERY_TTL_SECONDS if mark else 0, now_ms]
    for job in jobs:
        job_id = job_id_of(job, delivery)
        kwargs = {"delivery": delivery, **job.kwargs}
        data = serialize_job(job.function, (), kwargs, None, now_ms, serializer=serializer)
        keys += [job_key_prefix + job_id, result_key_prefix + job_id]
        args += [job_id, expires_ms, data]
    return keys, args


def read_reply(reply: Any, delivery: str, jobs: list[Enqueue[Any]]) -> Outcome:
    """Turn the script's reply into an Outcome; pure."""
    if reply == DUPLICATE_DELIVERY:
        return Outcome(duplicate_delivery=True)
    ids = [job_id_of(job, delivery) for job in jobs]
    return Outcome(
        duplicate_delivery=False,
        queued=tuple(i for i, flag in zip(ids, reply, strict=True) if flag == 1),
        duplicates=tuple(i for i, flag in zip(ids, reply, strict=True) if flag != 1),
    )


class DeliveryQueue:
    """The script bound once to an arq connection; `submit` is one EVALSHA per delivery."""

    def __init__(self, redis: ArqRedis) -> None:
        self.redis = redis
        self.script = ScriptBatcher(redis, ENQUEUE_SCRIPT)

    async def submit(
        self, delivery: str, event: str, jobs: list[Enqueue[Any]], *, mark: bool = True
    ) -> Outcome:
        keys, args = script_call(
            delivery,
            event,
            jobs,
            queue_name=self.redis.default_queue_name,
            now_ms=timestamp_ms(),
            expires_ms=self.redis.expires_extra_ms,
            serializer=self.redis.job_serializer,
            mark=mark,
        )
        reply = await self.script(keys, args)
        return read_reply(reply, delivery, jobs)

    async def follow_up(self, jobs: list[Enqueue[Any]], *, delivery: str | None) -> Outcome:
        """Jobs a job queues (a command's fix): the same script and job bytes, no mark."""
        return await self.submit(delivery or "none", "follow-up", jobs, mark=False)
