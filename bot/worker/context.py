"""What every job is handed: settings, database, queue, GitHub clients and the fix pipeline.

Built once per worker process at start-up from the settings; tests build it the same way, from
settings that point at their own Redis, database and fake GitHub.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from arq.connections import ArqRedis
from sqlalchemy.engine import Engine

from bot.settings import Settings
from bot.worker.queue import DeliveryQueue

if TYPE_CHECKING:
    from githubkit import GitHub

    from bot.fix.run import PipelineDeps


@dataclass
class WorkerContext:
    settings: Settings
    db: Engine
    redis: ArqRedis
    queue: DeliveryQueue
    _clients: dict[int, GitHub[Any]] = field(default_factory=dict, repr=False)
    _pipeline: PipelineDeps | None = field(default=None, repr=False)
    _pipeline_lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    @classmethod
    async def start(cls, settings: Settings, redis: ArqRedis) -> WorkerContext:
        from db.engine import init_db

        db = await asyncio.to_thread(init_db, settings.database_url)
        return cls(settings=settings, db=db, redis=redis, queue=DeliveryQueue(redis))

    @property
    def per_installation_limit(self) -> int:
        return self.settings.jobs_per_installation

    def github(self, installation_id: int) -> GitHub[Any]:
        """The installation's client; one per installation keeps its cached access token."""
        if installation_id not in self._clients:
            from bot.github.client import installation_client

            self._clients[installation_id] = installation_client(self.settings, installation_id)
        return self._clients[installation_id]

    async def pipeline(self) -> PipelineDeps:
        """Docker, the sandbox image and the engines: connected on the first fix job only."""
        async with self._pipeline_lock:
            if self._pipeline is None:
                from bot.fix.pipeline import build_deps

                self._pipeline = await asyncio.to_thread(build_deps, self.settings)
            return self._pipeline

    def close(self) -> None:
        self.db.dispose()
