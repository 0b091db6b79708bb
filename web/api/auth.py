"""Bearer-token authentication for the /v1 API and the JSON error shape every route shares."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.traces.ingest import IngestError
from bot.traces.tokens import installation_for
from web import params as checks

Handler = Callable[[Request, int], Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response]]


class Authenticate(Protocol):
    """Wraps a handler in authentication; `query` names the parameters it takes."""

    def __call__(self, handler: Handler, *query: str) -> Endpoint: ...


def error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


def _challenge(message: str) -> Response:
    return error(401, "unauthorized", message, {"WWW-Authenticate": 'Bearer realm="truth"'})


def authenticated(engine: Callable[[], Engine], handler: Handler, *query: str) -> Endpoint:
    """Resolve the bearer token to its installation, then call `handler(request, installation)`;
    IngestError from the handler becomes its JSON error response. A query parameter not in
    `query` is a 400: a misspelt filter must not silently return everything."""

    async def endpoint(request: Request) -> Response:
        problem = checks.control_character_problem(
            request.url.path, request.scope.get("query_string", b"")
        )
        if problem is not None:
            return error(400, "bad_request", problem)
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return _challenge(
                "send 'Authorization: Bearer <token>'; create one on the server with "
                "`truth token create --installation-id ID`"
            )
        installation = await run_in_threadpool(installation_for, engine(), token.strip())
        if installation is None:
            return _challenge(
                "unknown or revoked token; create a new one with `truth token create` (or ask "
                "the server's operator)"
            )
        unknown = sorted(set(request.query_params) - set(query))
        if unknown:
            takes = ", ".join(query) or "no query parameters"
            return error(400, "bad_query", f"unknown query parameter {unknown[0]!r}; use {takes}")
        try:
            for name, value in request.path_params.items():
                checks.identifier(value, name)
        except checks.BadParam as exc:
            return error(400, "bad_path", str(exc))
        try:
            return await handler(request, installation)
        except IngestError as exc:
            return error(exc.status, exc.code, exc.message)

    return endpoint
