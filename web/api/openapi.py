"""The OpenAPI 3.1 document for /v1, with the trace schemas taken from the pydantic models."""

from __future__ import annotations

from functools import cache
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.traces.ingest import MAX_REPO_NAME, TraceHeader
from bot.traces.schema import ArtifactRef, Trace
from web.api.sessions import openapi_paths
from web.api.traces import MAX_LIMIT, MAX_OFFSET, TRACE_STATUSES
from web.params import MAX_ID, MAX_TEXT

REF = "#/components/schemas/{model}"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERROR = _json(_ref("Error"), "Refused; `error` is a stable code, `message` says what to do")
# What web/params.py accepts: no NUL or control characters, bounded lengths.
NO_CONTROL = "^[^\\u0000-\\u001f\\u007f]*$"
IDENTIFIER = {"type": "string", "minLength": 1, "maxLength": MAX_ID, "pattern": NO_CONTROL}
TEXT = {"type": "string", "maxLength": MAX_TEXT, "pattern": NO_CONTROL}
TRACE_ID = {"name": "trace_id", "in": "path", "required": True, "schema": IDENTIFIER}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key", "in": "header",
    "schema": {"type": "string", "pattern": "^[!-~]{1,200}$"},
    "description": "1 to 200 printable ASCII characters; a UUID is ideal",
}  # fmt: skip


def _components() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for model in (Trace, TraceHeader, ArtifactRef):
        schema = model.model_json_schema(ref_template=REF)
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    # The server refuses a header without consent, and stores repo.name in a 200-char column.
    schemas["ConsentedSession"] = {
        "allOf": [_ref("Session"), {"properties": {"consent": {"const": True}}}]
    }
    schemas["TraceHeader"]["properties"]["session"] = _ref("ConsentedSession")
    schemas["Repo"]["properties"]["name"].update(
        minLength=1, maxLength=MAX_REPO_NAME, pattern="^[^\\u0000]*$"
    )
    schemas["TraceSummary"] = {"type": "object", "required": ["trace_id", "status"]}
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
    errors = {
        "400": ERROR, "401": ERROR, "404": ERROR, "409": ERROR, "413": ERROR, "422": ERROR,
    }  # fmt: skip
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
                    {"name": "repo", "in": "query", "schema": TEXT},
                    {"name": "status", "in": "query",
                     "schema": {"enum": [*TRACE_STATUSES, ""]}},
                    {"name": "limit", "in": "query",
                     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}},
                    {"name": "offset", "in": "query",
                     "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET}},
                ],
                "responses": {"200": _json({"type": "object"}, "Trace summaries"),
                              "400": ERROR, "401": ERROR},
            },
        },
        "/v1/traces/{trace_id}/chunks": {
            "post": {
                "summary": "Upload events; seqs must continue from next_seq. Idempotent with "
                "Idempotency-Key: a retry returns the first answer with replayed=true",
                "parameters": [TRACE_ID, IDEMPOTENCY_KEY],
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
                "responses": {"200": _json({"anyOf": [_ref("Trace"), _ref("TraceSummary")]},
                                           "The sealed trace, or a summary while open"),
                              **errors},
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
