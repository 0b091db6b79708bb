"""Trace pages: the list of traces a viewer may see, and one trace's timeline, chain and scores."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.settings import Settings
from db.dashboard import trace_rows
from db.engine import session_scope
from db.traces import TraceRecord, TraceStatus
from web.auth import Viewer
from web.dashboard.access import viewer_or_login
from web.dashboard.data import EngineGetter
from web.dashboard.render import error_page, page
from web.dashboard.trace_view import chain_state, parse_document, scores, timeline


def _visible_trace(engine: Engine, viewer: Viewer, trace_id: str) -> TraceRecord | None:
    with session_scope(engine) as db:
        record = db.get(TraceRecord, trace_id)
        if record is None or not viewer.may_see(record.installation_id):
            return None
        db.expunge(record)
        return record


def _trace_context(record: TraceRecord, settings: Settings) -> dict[str, Any]:
    document = parse_document(record.document_json)
    if record.status != TraceStatus.FINALIZED or document is None:
        return {"record": record, "document": None}
    rows, overall, judge = scores(document)
    return {
        "record": record, "document": document, "items": timeline(document),
        "chain": chain_state(document, settings), "scores": rows, "overall": overall,
        "judge": judge, "validation": (document.get("qa") or {}).get("validation"),
    }  # fmt: skip


def trace_page_routes(settings: Settings, engine: EngineGetter) -> list[BaseRoute]:
    async def traces(request: Request) -> Response:
        viewer = viewer_or_login(request, settings)
        if isinstance(viewer, Response):
            return viewer

        def read() -> list[Any]:
            with session_scope(engine()) as db:
                return trace_rows(db, viewer.scope)

        rows = await run_in_threadpool(read)
        return page(request, "traces.html", viewer=viewer, traces=rows, nav="traces")

    async def trace(request: Request) -> Response:
        viewer = viewer_or_login(request, settings)
        if isinstance(viewer, Response):
            return viewer
        trace_id = request.path_params["trace_id"]
        record = await run_in_threadpool(_visible_trace, engine(), viewer, trace_id)
        if record is None:
            return error_page(
                request, 404, "Trace not found",
                "No trace with this id is visible to you. Check the link, or sign in with an "
                "account that can access the repository's installation.", back="/traces",
            )  # fmt: skip
        context = await run_in_threadpool(_trace_context, record, settings)
        return page(request, "trace.html", viewer=viewer, nav="traces", **context)

    return [Route("/traces", traces), Route("/traces/{trace_id}", trace)]
