"""The /v1 REST API: trace ingestion, reading and export, the public key, OpenAPI and /docs."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.engine import Engine
from starlette.routing import BaseRoute, Route

from bot.settings import Settings
from bot.traces.blobs import BlobStore, store_from_settings
from bot.traces.validate import Validator, snapshot_validator
from web.api.auth import Endpoint, Handler, authenticated
from web.api.docs import docs_routes
from web.api.openapi import openapi_endpoint
from web.api.sessions import session_routes
from web.api.traces import TraceApi

MAX_CHUNK_BYTES = 2 * 1024 * 1024
MAX_ARTIFACT_BYTES = 50 * 1024 * 1024


def _lazy_engine(settings: Settings) -> Callable[[], Engine]:
    """Migrate and connect on the first request, so building the app touches no database."""
    cache: dict[str, Engine] = {}

    def get() -> Engine:
        if "engine" not in cache:
            from db.engine import init_db

            cache["engine"] = init_db(settings.database_url)
        return cache["engine"]

    return get


def routes(
    settings: Settings,
    *,
    engine: Engine | None = None,
    blobs: BlobStore | None = None,
    validator: Validator | None = None,
    max_chunk_bytes: int = MAX_CHUNK_BYTES,
) -> list[BaseRoute]:
    get_engine = (lambda: engine) if engine is not None else _lazy_engine(settings)
    store = blobs or store_from_settings(settings)
    api = TraceApi(
        settings=settings,
        engine=get_engine,
        blobs=store,
        validator=validator or snapshot_validator(settings, store.get),
        max_chunk_bytes=max_chunk_bytes,
        max_artifact_bytes=MAX_ARTIFACT_BYTES,
    )

    def auth(handler: Handler, *query: str) -> Endpoint:
        return authenticated(get_engine, handler, *query)

    return [
        Route("/v1/traces", auth(api.create), methods=["POST"]),
        Route("/v1/traces", auth(api.list, "repo", "status", "limit", "offset"), methods=["GET"]),
        Route("/v1/traces/{trace_id}", auth(api.get), methods=["GET"]),
        Route("/v1/traces/{trace_id}/chunks", auth(api.chunk), methods=["POST"]),
        Route("/v1/traces/{trace_id}/finalize", auth(api.finalize), methods=["POST"]),
        Route("/v1/traces/{trace_id}/export", auth(api.export, "format"), methods=["GET"]),
        Route("/v1/artifacts", auth(api.artifact), methods=["POST"]),
        Route("/v1/keys", api.keys, methods=["GET"]),
        *session_routes(get_engine, auth),
        Route("/openapi.json", openapi_endpoint, methods=["GET"]),
        *docs_routes(),
    ]
