"""Dashboard pages: sessions list, session permalink, console stream, proofs, snippets."""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from bot.repair.diffs import DiffError
from bot.settings import Settings
from web.auth import Viewer, viewer_of
from web.dashboard import console
from web.dashboard.data import (
    EngineGetter,
    find_sessions,
    quota_bars,
    visible_detail,
    visible_status,
)
from web.dashboard.diffview import side_by_side
from web.dashboard.filters import STATUSES, FilterError, parse_filters
from web.dashboard.links import vscode_link
from web.dashboard.proofs import find_proof, proof_name, proof_response
from web.dashboard.render import error_page, not_found, page
from web.dashboard.snippets import load_snippets


def page_routes(settings: Settings, engine: EngineGetter) -> list[BaseRoute]:
    def viewer_or_login(request: Request) -> Viewer | Response:
        viewer = viewer_of(request, settings)
        if viewer is not None:
            return viewer
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    async def sessions(request: Request) -> Response:
        viewer = viewer_or_login(request)
        if isinstance(viewer, Response):
            return viewer
        try:
            filters = parse_filters(request.query_params)
        except FilterError as exc:
            return error_page(request, 400, "Bad search", f"{exc}. Fix the search and try again.")
        rows, has_next = await run_in_threadpool(find_sessions, engine(), viewer, filters)
        bars = await run_in_threadpool(
            quota_bars, engine(), viewer, settings.daily_verification_quota
        )
        return page(
            request, "sessions.html", viewer=viewer, sessions=rows, filters=filters,
            has_next=has_next, statuses=STATUSES, quotas=bars,
        )  # fmt: skip

    async def session(request: Request) -> Response:
        viewer = viewer_or_login(request)
        if isinstance(viewer, Response):
            return viewer
        session_id = request.path_params["session_id"]
        detail = await run_in_threadpool(visible_detail, engine(), viewer, session_id)
        if detail is None:
            return not_found(request)
        by_id = {c.candidate_id: c for c in detail.candidates}
        shown_id = request.query_params.get("diff") or detail.session.winner_candidate_id
        shown = by_id.get(shown_id or "")
        try:
            files = side_by_side(shown.diff) if shown and shown.diff.strip() else []
            diff_error = None
        except DiffError as exc:
            files, diff_error = [], f"This diff could not be shown side by side ({exc})."
        proofs = {proof_name(p) for p in detail.proofs}
        return page(
            request, "session.html", viewer=viewer, detail=detail, s=detail.session,
            shown=shown, files=files, diff_error=diff_error, proofs=proofs,
            vscode=vscode_link(detail.session, shown.diff) if shown else None,
            last_seq=detail.console[-1].seq if detail.console else 0,
        )  # fmt: skip

    async def console_stream(request: Request) -> Response:
        viewer = viewer_of(request, settings)
        if viewer is None:
            return error_page(request, 401, "Sign in first", "Open /login, then reload the page.")
        session_id = request.path_params["session_id"]
        status = await run_in_threadpool(visible_status, engine(), viewer, session_id)
        if status is None:
            return not_found(request)
        after = console.resume_point(
            request.headers.get("last-event-id"), request.query_params.get("after")
        )
        return StreamingResponse(
            console.stream(engine, session_id, after),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    async def proof(request: Request) -> Response:
        viewer = viewer_or_login(request)
        if isinstance(viewer, Response):
            return viewer
        session_id = request.path_params["session_id"]
        name, _, fmt = request.path_params["file"].rpartition(".")
        detail = await run_in_threadpool(visible_detail, engine(), viewer, session_id)
        if detail is None:
            return not_found(request)
        record = find_proof(detail, name) if fmt in ("json", "txt") else None
        if record is None:
            return error_page(
                request, 404, "Proof not found",
                f"Session {session_id} has no proof named {name!r} as .json or .txt; the "
                "session page links every proof it has.",
            )  # fmt: skip
        return proof_response(session_id, record, fmt)

    async def snippets(request: Request) -> Response:
        viewer = viewer_or_login(request)
        if isinstance(viewer, Response):
            return viewer
        wanted = request.query_params.get("error_type", "").strip() or None
        found = await run_in_threadpool(load_snippets, engine(), viewer, wanted)
        return page(request, "snippets.html", viewer=viewer, snippets=found, error_type=wanted)

    return [
        Route("/sessions", sessions),
        Route("/sessions/{session_id}", session),
        Route("/sessions/{session_id}/console", console_stream),
        Route("/sessions/{session_id}/proof/{file}", proof),
        Route("/snippets", snippets),
    ]
