"""The OpenAPI 3.1 document for /v1, with the trace schemas taken from the pydantic models."""

from __future__ import annotations

from functools import cache
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.traces.ingest import TraceHeader
from bot.traces.schema import ArtifactRef, Trace
from web.api.sessions import openapi_paths

REF = "#/components/schemas/{model}"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERROR = _json(_ref("Error"), "Refused; `error` is a stable code, `message` says what to do")
TRACE_ID = {"name": "trace_id", "in": "path", "required": True, "schema": {"type": "string"}}


def _components() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for model in (Trace, TraceHeader, ArtifactRef):
        schema = model.model_json_schema(ref_template=REF)
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    schemas["Error"] = {
        "type": "object",
        "required": ["error", "message"],
        "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
    }
    schemas["ChunkAnswer"] = {
        "type": "object",
        "properties": {
            k: {"type": t}
            for k, t in [("trace_id", "string"), ("accepted", "integer"), ("first_seq", "integer"),
                         ("last_seq", "integer"), ("next_seq", "integer"),
                         ("redactions", "integer"), ("replayed", "boolean")]
        },
    }  # fmt: skip
    return {
        "schemas": schemas,
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    }


def _paths() -> dict[str, Any]:
    errors = {"401": ERROR, "404": ERROR, "409": ERROR, "413": ERROR, "422": ERROR}
    return {
        "/v1/traces": {
            "post": {
                "summary": "Start a trace (session.consent must be true)",
                "requestBody": {"required": True, **_json(_ref("TraceHeader"), "Trace header")},
                "responses": {"201": _json({"type": "object"}, "Created; returns trace_id"),
                              **errors},
            },
            "get": {
                "summary": "List this installation's traces",
                "parameters": [
                    {"name": n, "in": "query", "schema": {"type": t}}
                    for n, t in [("repo", "string"), ("status", "string"),
                                 ("limit", "integer"), ("offset", "integer")]
                ],
                "responses": {"200": _json({"type": "object"}, "Trace summaries")},
            },
        },
        "/v1/traces/{trace_id}/chunks": {
            "post": {
                "summary": "Upload events; seqs must continue from next_seq. Idempotent with "
                "Idempotency-Key: a retry returns the first answer with replayed=true",
                "parameters": [TRACE_ID, {"name": "Idempotency-Key", "in": "header",
                                          "schema": {"type": "string"}}],
                "requestBody": {"required": True, **_json(
                    {"type": "object", "properties": {"events": {"type": "array"}}},
                    "At most 1000 events and 2 MiB")},
                "responses": {"201": _json(_ref("ChunkAnswer"), "Stored"),
                              "200": _json(_ref("ChunkAnswer"), "Replay of an earlier upload"),
                              **errors},
            }
        },
        "/v1/artifacts": {
            "post": {
                "summary": "Store a large output (or repo.snapshot tar.gz) by SHA-256; "
                "reference the answer from events or the trace header",
                "requestBody": {"required": True, "content": {"*/*": {}}},
                "responses": {"201": _json(_ref("ArtifactRef"), "Stored"), **errors},
            }
        },
        "/v1/traces/{trace_id}/finalize": {
            "post": {
                "summary": "Assemble, redact, validate, judge, chain and sign",
                "parameters": [TRACE_ID],
                "responses": {"200": _json(_ref("Trace"), "The sealed trace"), **errors},
            }
        },
        "/v1/traces/{trace_id}": {
            "get": {
                "summary": "The sealed trace (or a status summary while open)",
                "parameters": [TRACE_ID],
                "responses": {"200": _json(_ref("Trace"), "Trace"), **errors},
            }
        },
        "/v1/traces/{trace_id}/export": {
            "get": {
                "summary": "JSONL: a header line, then each event exactly as sealed",
                "parameters": [TRACE_ID, {"name": "format", "in": "query",
                                          "schema": {"enum": ["jsonl"]}}],
                "responses": {"200": {"description": "JSON lines",
                                      "content": {"application/x-ndjson": {}}}, **errors},
            }
        },
        "/v1/keys": {
            "get": {
                "summary": "Ed25519 public keys that verify trace signatures",
                "security": [],
                "responses": {"200": _json({"type": "object"}, "Keys")},
            }
        },
    }  # fmt: skip


@cache
def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Truth Engine API", "version": "1"},
        "security": [{"bearer": []}],
        "paths": {**_paths(), **openapi_paths()},
        "components": _components(),
    }


async def openapi_endpoint(request: Request) -> Response:
    return JSONResponse(openapi_document())
