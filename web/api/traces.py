"""Handlers for /v1/traces and /v1/keys; the work happens in bot.traces, off the event loop."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from bot.settings import Settings
from bot.traces import ingest, signing, store
from bot.traces.blobs import BlobStore
from bot.traces.validate import Validator
from db.traces import TraceStatus
from web import params as checks
from web.api.auth import error

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_OFFSET = 1_000_000
TRACE_STATUSES = (TraceStatus.OPEN, TraceStatus.FINALIZED)
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,200}")


class TooLarge(Exception):
    pass


async def read_capped(request: Request, limit: int) -> bytes:
    """The body, refusing early on Content-Length and again while streaming (it can lie)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge
    body = bytearray()
    async for part in request.stream():
        body += part
        if len(body) > limit:
            raise TooLarge
    return bytes(body)


def _too_large(what: str, limit: int) -> Response:
    return error(413, "too_large", f"{what} is larger than {limit} bytes; split it and retry")


@dataclass
class TraceApi:
    settings: Settings
    engine: Callable[[], Engine]
    blobs: BlobStore
    validator: Validator
    max_chunk_bytes: int
    max_artifact_bytes: int

    async def create(self, request: Request, installation: int) -> Response:
        try:
            body: Any = json.loads(await read_capped(request, self.max_chunk_bytes))
        except TooLarge:
            return _too_large("trace header", self.max_chunk_bytes)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            return error(400, "bad_json", f"body is not JSON: {exc}")
        record = await run_in_threadpool(ingest.create_trace, self.engine(), installation, body)
        return JSONResponse(store.summary(record), status_code=201)

    async def chunk(self, request: Request, installation: int) -> Response:
        key = request.headers.get("idempotency-key")
        if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
            return error(
                400, "bad_idempotency_key",
                "Idempotency-Key must be 1 to 200 printable ASCII characters; a UUID is ideal",
            )  # fmt: skip
        try:
            raw = await read_capped(request, self.max_chunk_bytes)
        except TooLarge:
            return _too_large("chunk", self.max_chunk_bytes)
        answer = await run_in_threadpool(
            ingest.add_chunk,
            self.engine(),
            request.path_params["trace_id"],
            installation,
            raw,
            key,
        )
        return JSONResponse(answer, status_code=200 if answer["replayed"] else 201)

    async def artifact(self, request: Request, installation: int) -> Response:
        # Content addressed and shared: the same bytes from two installations are one blob.
        try:
            data = await read_capped(request, self.max_artifact_bytes)
        except TooLarge:
            return _too_large("artifact", self.max_artifact_bytes)
        media_type = request.headers.get("content-type", "application/octet-stream")
        ref = await run_in_threadpool(self.blobs.put, data, media_type)
        return JSONResponse(ref.model_dump(mode="json"), status_code=201)

    async def finalize(self, request: Request, installation: int) -> Response:
        sealed = await run_in_threadpool(
            ingest.finalize,
            self.engine(),
            request.path_params["trace_id"],
            installation,
            self.settings,
            self.validator,
        )
        return Response(sealed.model_dump_json(), media_type="application/json")

    async def get(self, request: Request, installation: int) -> Response:
        record = await run_in_threadpool(
            store.get_record, self.engine(), request.path_params["trace_id"], installation
        )
        if record.document_json:
            return Response(record.document_json, media_type="application/json")
        return JSONResponse(store.summary(record))

    async def list(self, request: Request, installation: int) -> Response:
        params = request.query_params
        try:
            limit = checks.integer(params.get("limit"), "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
            offset = checks.integer(params.get("offset"), "offset", 0, 0, MAX_OFFSET)
            repo = checks.text(params.get("repo"), "repo")
            status = checks.choice(params.get("status"), "status", TRACE_STATUSES)
        except checks.BadParam as exc:
            return error(400, "bad_query", str(exc))
        found = await run_in_threadpool(
            store.list_traces, self.engine(), installation, repo, status, limit, offset
        )
        return JSONResponse({"traces": found, "limit": limit, "offset": offset})

    async def export(self, request: Request, installation: int) -> Response:
        wanted = request.query_params.get("format", "jsonl")
        if wanted != "jsonl":
            return error(400, "bad_format", f"format={wanted} is not supported; use format=jsonl")
        record = await run_in_threadpool(
            store.get_record, self.engine(), request.path_params["trace_id"], installation
        )
        lines = store.export_jsonl(store.document_text(record))
        return StreamingResponse(
            lines,
            media_type="application/x-ndjson",
            headers={"Content-Disposition": f'attachment; filename="{record.id}.jsonl"'},
        )

    async def keys(self, request: Request) -> Response:
        key = await run_in_threadpool(signing.load_or_create_signing_key, self.settings)
        return JSONResponse({"keys": [signing.public_key_document(key.public_key())]})
