"""Concurrent calls of one Lua script share a Redis pipeline: one write and one read for all.

Deliveries arrive together; sending each EVALSHA on its own costs a pooled-connection check,
a send and a receive on both sides per call. Calls made in the same event-loop turn are sent
as one pipeline instead. Each script call stays atomic on its own; a call's error (a wrong
key type, say) reaches only that caller, a connection error reaches every caller of the batch.
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import NoScriptError

Call = tuple[Any, ...]  # number of keys, keys, args: EVALSHA's arguments after the sha


class ScriptBatcher:
    """Runs one script for many callers, batching the calls of each event-loop turn."""

    def __init__(self, redis: Redis, script: str) -> None:
        self.redis = redis
        self.script = script
        self.sha = hashlib.sha1(script.encode()).hexdigest()
        self.pending: list[tuple[Call, asyncio.Future[Any]]] = []
        self.sending: set[asyncio.Task[None]] = set()  # held so running batches are not GC'd

    async def __call__(self, keys: list[str], args: list[Any]) -> Any:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self.pending.append(((len(keys), *keys, *args), future))
        if len(self.pending) == 1:
            loop.call_soon(self._flush)
        return await future

    def _flush(self) -> None:
        batch, self.pending = self.pending, []
        task = asyncio.create_task(self._send(batch))
        self.sending.add(task)
        task.add_done_callback(self.sending.discard)

    async def _send(self, batch: list[tuple[Call, asyncio.Future[Any]]]) -> None:
        try:
            replies = await self._run([call for call, _ in batch])
        except BaseException as exc:
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        for (_, future), reply in zip(batch, replies, strict=True):
            if future.done():  # the caller went away (client disconnected)
                continue
            if isinstance(reply, Exception):
                future.set_exception(reply)
            else:
                future.set_result(reply)

    async def _run(self, calls: list[Call]) -> list[Any]:
        replies = await self._evalsha(calls)
        missing = [i for i, reply in enumerate(replies) if isinstance(reply, NoScriptError)]
        if missing:
            # A new or restarted server: load the script once and run those calls again.
            await self.redis.script_load(self.script)
            retried = await self._evalsha([calls[i] for i in missing])
            for i, reply in zip(missing, retried, strict=True):
                replies[i] = reply
        return replies

    async def _evalsha(self, calls: list[Call]) -> list[Any]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for call in calls:
                pipe.evalsha(self.sha, *call)
            return list(await pipe.execute(raise_on_error=False))
