"""The one ASGI app: webhook ingress, health and metrics, the setup page, and the /v1 API."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from arq.connections import ArqRedis
from redis.asyncio import BlockingConnectionPool
from redis.exceptions import RedisError
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.routes import ROUTER
from bot.service.logs import log_context
from bot.service.metrics import ARQ_QUEUE_KEY, WebMetrics
from bot.settings import Settings
from web.api import routes as api_routes
from web.dashboard import dashboard
from web.dashboard.data import lazy_engine
from web.params import RefuseControlCharacters
from web.paste_runner import PasteRunner
from web.setup import announce_setup_link, hide_setup_secrets_in_access_log, setup_routes
from webhooks.ingress import WebhookIngress

log = logging.getLogger(__name__)

REDIS_TIMEOUT_S = 2.0
QUEUE_CONNECTIONS = 64  # deliveries in flight at once; more wait up to REDIS_TIMEOUT_S


def make_queue(redis_url: str) -> ArqRedis:
    """An arq connection that connects on first use, so the app starts even if Redis is down."""
    # redis-py's plain pool checks a connection for stale data while holding the pool's lock,
    # which lets one command start per event-loop turn; the blocking pool checks outside it.
    pool = BlockingConnectionPool.from_url(
        redis_url,
        max_connections=QUEUE_CONNECTIONS,
        timeout=REDIS_TIMEOUT_S,
        socket_connect_timeout=REDIS_TIMEOUT_S,
        socket_timeout=REDIS_TIMEOUT_S,
    )
    return ArqRedis(connection_pool=pool)


def create_app(
    settings: Settings,
    *,
    queue: ArqRedis | None = None,
    listen_url: str | None = None,
    print_setup_link: bool = True,
) -> Starlette:
    """Build the app; `queue` lets a caller share one Redis connection (the bench, tests);
    `listen_url` (http://HOST:PORT) starts the setup link, else TRUTH_PUBLIC_URL. The link is
    printed at start-up, or left in `app.state.setup_link` for the caller to print."""
    queue = queue if queue is not None else make_queue(settings.redis_url)
    metrics = WebMetrics()  # a registry of this app's own (tests build many apps)
    ingress = WebhookIngress(settings=settings, router=ROUTER, queue=queue)
    database: dict[str, Any] = {}

    async def webhook(request: Request) -> Response:
        started = time.perf_counter()
        with log_context(delivery_id=request.headers.get("x-github-delivery", "")[:64] or None):
            response = await ingress(request)
        event = request.headers.get("x-github-event", "")
        event = event if ROUTER.knows_event(event) else "other"
        metrics.observe_delivery(event, response.state, time.perf_counter() - started)
        return response

    async def metrics_endpoint(request: Request) -> Response:
        try:
            depth: int | None = int(
                await asyncio.wait_for(queue.zcard(ARQ_QUEUE_KEY), REDIS_TIMEOUT_S)
            )
        except (RedisError, OSError, TimeoutError):
            depth = None
        body, media_type = metrics.exposition(depth)
        return Response(body, media_type=media_type)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        checks: dict[str, str] = {}
        try:
            await asyncio.wait_for(queue.ping(), REDIS_TIMEOUT_S)
            checks["redis"] = "ok"
        except (RedisError, OSError, TimeoutError) as exc:
            checks["redis"] = f"unreachable ({type(exc).__name__}); check TRUTH_REDIS_URL"
        try:
            await asyncio.to_thread(_ping_database, settings, database)
            checks["database"] = "ok"
        except Exception as exc:  # any driver error means "not ready"; say which
            checks["database"] = f"unreachable ({type(exc).__name__}); check TRUTH_DATABASE_URL"
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", **checks},
            status_code=200 if ready else 503,
        )

    routes: list[BaseRoute] = [
        Route("/webhooks/github", webhook, methods=["POST"]),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics_endpoint),
    ]
    # Always routed: once an app is configured they answer 404 and log the attempt.
    routes += setup_routes(settings, queue)
    hide_setup_secrets_in_access_log()
    routes += api_routes(settings)
    engine = lazy_engine(settings.database_url)
    paste_runner = PasteRunner(settings, engine)
    # Last: the dashboard mount matches any other path.
    routes.append(dashboard(settings, engine=engine, paste_runner=paste_runner))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Start-up leaves ~120k long-lived objects (imports, settings, routes); every full
        # collection would rescan them and stall webhook answers by tens of ms at p99.
        gc.freeze()
        if not settings.github_app_configured:
            app.state.setup_link = await announce_setup_link(
                queue, listen_url or settings.public_url, echo=print_setup_link
            )
        try:
            yield
        finally:
            gc.unfreeze()
        await paste_runner.close()
        await queue.aclose()
        if "engine" in database:
            database["engine"].dispose()

    # No route may pass a NUL from the URL to Redis or the database.
    middleware = [Middleware(RefuseControlCharacters)]
    return Starlette(routes=routes, lifespan=lifespan, middleware=middleware)


def _ping_database(settings: Settings, cache: dict[str, Any]) -> None:
    if "engine" not in cache:
        from db.engine import make_engine

        cache["engine"] = make_engine(settings.database_url)
    with cache["engine"].connect() as connection:
        connection.execute(text("SELECT 1"))
