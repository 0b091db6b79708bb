"""GET /v1/sessions, /v1/sessions/{id} and its proofs, for bearer tokens of one installation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from db.fix_sessions import CandidateRecord, FixSession
from db.queries import SessionDetail
from web import params as checks
from web.api.auth import Authenticate, error
from web.auth import Viewer
from web.dashboard.data import find_sessions, visible_detail
from web.dashboard.filters import MAX_PAGE, MAX_PER_PAGE, STATUSES, FilterError, parse_filters
from web.dashboard.proofs import find_proof, proof_name, proof_response

FORMATS = ("json", "txt")
FILTER_NAMES = ("error_type", "repository", "status", "since", "until", "page", "per_page")
NOT_FOUND = "no session with this id belongs to your token's installation; check the id"


def _viewer(installation: int) -> Viewer:
    # A token belongs to one installation, so CLI sessions (no installation) never show here.
    return Viewer(login=None, installation_ids=(installation,))


def session_summary(record: FixSession) -> dict[str, Any]:
    return {
        "id": record.id,
        "status": record.status,
        "source": record.source,
        "repository": record.repository,
        "pull_number": record.pull_number,
        "head_sha": record.head_sha,
        "installation_id": record.installation_id,
        "error_type": record.error_type,
        "category": record.category,
        "message": record.message,
        "winner_candidate_id": record.winner_candidate_id,
        "created_at": record.created_at.isoformat(),
        "updated_at": record.updated_at.isoformat(),
    }


def _candidate(record: CandidateRecord) -> dict[str, Any]:
    return {
        "id": record.candidate_id,
        "engine": record.engine,
        "status": record.status,
        "reason": record.reason,
        "description": record.description,
        "duration_ms": record.duration_ms,
        "changed_lines": record.changed_lines,
        "votes": record.votes,
        "diff": record.diff,
    }


def session_document(detail: SessionDetail) -> dict[str, Any]:
    return {
        **session_summary(detail.session),
        "failures": [
            {"test_id": f.test_id, "exc_type": f.exc_type, "message": f.message,
             "file": f.file, "line": f.line, "category": f.category}
            for f in detail.failures
        ],
        "candidates": [_candidate(c) for c in detail.candidates],
        "proofs": [{"candidate": proof_name(p), "sha256": p.sha256} for p in detail.proofs],
        "console": [
            {"seq": line.seq, "stage": line.stage, "message": line.message,
             "at": line.created_at.isoformat()}
            for line in detail.console
        ],
    }  # fmt: skip


def session_routes(
    engine: Callable[[], Engine],
    auth: Authenticate,
) -> list[BaseRoute]:
    async def list_(request: Request, installation: int) -> Response:
        try:
            filters = parse_filters(request.query_params)
        except FilterError as exc:
            return error(400, "bad_filter", str(exc))
        rows, has_next = await run_in_threadpool(
            find_sessions, engine(), _viewer(installation), filters
        )
        return JSONResponse(
            {
                "sessions": [session_summary(r) for r in rows],
                "page": filters.page,
                "per_page": filters.per_page,
                "next_page": filters.page + 1 if has_next else None,
            }
        )

    async def get(request: Request, installation: int) -> Response:
        session_id = request.path_params["session_id"]
        detail = await run_in_threadpool(
            visible_detail, engine(), _viewer(installation), session_id
        )
        if detail is None:
            return error(404, "not_found", NOT_FOUND)
        return JSONResponse(session_document(detail))

    async def proof(request: Request, installation: int) -> Response:
        try:
            fmt = checks.choice(request.query_params.get("format"), "format", FORMATS) or "json"
        except checks.BadParam as exc:
            return error(400, "bad_query", str(exc))
        session_id = request.path_params["session_id"]
        detail = await run_in_threadpool(
            visible_detail, engine(), _viewer(installation), session_id
        )
        if detail is None:
            return error(404, "not_found", NOT_FOUND)
        candidate = request.path_params["candidate"]
        record = find_proof(detail, candidate)
        if record is None:
            known = ", ".join(sorted(proof_name(p) for p in detail.proofs)) or "none yet"
            return error(404, "not_found", f"no proof for {candidate!r}; this session has: {known}")
        return proof_response(session_id, record, fmt)

    return [
        Route("/v1/sessions", auth(list_, *FILTER_NAMES), methods=["GET"]),
        Route("/v1/sessions/{session_id}", auth(get), methods=["GET"]),
        Route(
            "/v1/sessions/{session_id}/proofs/{candidate}", auth(proof, "format"), methods=["GET"]
        ),
    ]


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERROR = _json({"$ref": "#/components/schemas/Error"}, "Refused; `message` says what to do")
_NO_CONTROL = "^[^\\u0000-\\u001f\\u007f]*$"
_TEXT = {"type": "string", "maxLength": checks.MAX_TEXT, "pattern": _NO_CONTROL}
_ID = {"type": "string", "minLength": 1, "maxLength": checks.MAX_ID, "pattern": _NO_CONTROL}
_SESSION_ID = {"name": "session_id", "in": "path", "required": True, "schema": _ID}


# An empty value (a blank form field) means "not given", so every filter also allows "".
def _or_empty(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"const": ""}]}


# A day from 1970-01-01 to 9999-12-31 (web/params.py refuses others).
_DAY = _or_empty(
    {
        "type": "string",
        "format": "date",
        "pattern": "^(19[7-9][0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
    }
)
_FILTERS = [
    {"name": "error_type", "in": "query", "schema": _TEXT},
    {"name": "repository", "in": "query", "schema": _TEXT},
    {"name": "status", "in": "query", "schema": {"enum": [*STATUSES, ""]}},
    {"name": "since", "in": "query", "schema": _DAY, "description": "first day (UTC), inclusive"},
    {"name": "until", "in": "query", "schema": _DAY,
     "description": "last day (UTC), inclusive; not before since"},
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                               "maximum": MAX_PAGE}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                   "maximum": MAX_PER_PAGE}},
]  # fmt: skip


def openapi_paths() -> dict[str, Any]:
    """The sessions part of /openapi.json; a session of another installation is a 404."""
    errors = {"400": _ERROR, "401": _ERROR, "404": _ERROR}
    return {
        "/v1/sessions": {
            "get": {
                "summary": "This installation's fix sessions, newest first",
                "parameters": _FILTERS,
                "responses": {
                    "200": _json({"type": "object"}, "sessions, page, per_page, next_page"),
                    "400": _ERROR,
                    "401": _ERROR,
                },
            }
        },
        "/v1/sessions/{session_id}": {
            "get": {
                "summary": "One session with failures, candidates, proofs and console lines",
                "parameters": [_SESSION_ID],
                "responses": {"200": _json({"type": "object"}, "Session"), **errors},
            }
        },
        "/v1/sessions/{session_id}/proofs/{candidate}": {
            "get": {
                "summary": "A candidate's execution proof ('baseline' for the unpatched run); "
                "X-Proof-SHA256 is the hash of its canonical JSON",
                "parameters": [
                    _SESSION_ID,
                    {"name": "candidate", "in": "path", "required": True, "schema": _ID},
                    {"name": "format", "in": "query", "schema": {"enum": ["json", "txt", ""]}},
                ],
                "responses": {
                    "200": {
                        "description": "The proof",
                        "content": {"application/json": {}, "text/plain": {}},
                    },
                    **errors,
                },
            }
        },
    }
