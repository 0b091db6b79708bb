"""Dashboard pages: sessions list, session permalink, live stream, proofs and files, snippets."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from bot.repair.diffs import DiffError
from bot.settings import Settings
from web.auth import Viewer, viewer_of
from web.dashboard import console
from web.dashboard.access import viewer_or_login
from web.dashboard.data import EngineGetter, find_sessions, visible_detail, visible_status
from web.dashboard.diffview import side_by_side
from web.dashboard.filters import STATUSES, FilterError, parse_filters
from web.dashboard.links import vscode_link
from web.dashboard.proofs import find_proof, proof_name, proof_response
from web.dashboard.quota_view import quota_panel
from web.dashboard.render import error_page, not_found, page
from web.dashboard.session_view import reproduce_for, session_view
from web.dashboard.snippets import load_snippets


async def session_page(
    request: Request,
    engine: EngineGetter,
    viewer: Viewer,
    session_id: str,
    template: str = "session.html",
    **extra: Any,
) -> Response:
    """A session's page (or a page built on it, like a pasted bug's): 404 when not the viewer's."""
    detail = await run_in_threadpool(visible_detail, engine(), viewer, session_id)
    if detail is None:
        return not_found(request)
    view = await run_in_threadpool(session_view, engine(), detail)
    by_id = {c.candidate_id: c for c in detail.candidates}
    shown_id = request.query_params.get("diff") or detail.session.winner_candidate_id
    shown = by_id.get(shown_id or "")
    try:
        files = side_by_side(shown.diff) if shown and shown.diff.strip() else []
        diff_error = None
    except DiffError as exc:
        files, diff_error = [], f"This diff could not be shown side by side ({exc})."
    reproduce, names = reproduce_for(detail.proofs, shown.candidate_id if shown else None)
    return page(
        request, template, viewer=viewer, detail=detail, s=detail.session, view=view,
        shown=shown, files=files, diff_error=diff_error, reproduce=reproduce,
        proofs={proof_name(p) for p in detail.proofs},
        reproduce_names=[n for n in names if n in view.files],
        vscode=vscode_link(detail.session, shown.diff) if shown else None,
        last_seq=detail.console[-1].seq if detail.console else 0,
        **{"nav": "sessions", **extra},
    )  # fmt: skip


def page_routes(settings: Settings, engine: EngineGetter) -> list[BaseRoute]:
    async def sessions(request: Request) -> Response:
        viewer = viewer_or_login(request, settings)
        if isinstance(viewer, Response):
            return viewer
        try:
            filters = parse_filters(request.query_params)
        except FilterError as exc:
            return error_page(request, 400, "Bad search", f"{exc}. Fix the search and try again.")
        rows, has_next = await run_in_threadpool(find_sessions, engine(), viewer, filters)
        quota = await run_in_threadpool(
            quota_panel, engine(), viewer, settings.daily_verification_quota
        )
        return page(
            request, "sessions.html", viewer=viewer, sessions=rows, filters=filters,
            has_next=has_next, statuses=STATUSES, quota=quota, nav="sessions",
        )  # fmt: skip

    async def session(request: Request) -> Response:
        viewer = viewer_or_login(request, settings)
        if isinstance(viewer, Response):
            return viewer
        return await session_page(request, engine, viewer, request.path_params["session_id"])

    async def session_stream(request: Request) -> Response:
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
        viewer = viewer_or_login(request, settings)
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

    async def reproduce_file(request: Request) -> Response:
        """A file the reproduce command needs: a candidate's patch or the repository's tar."""
        viewer = viewer_or_login(request, settings)
        if isinstance(viewer, Response):
            return viewer
        session_id, name = request.path_params["session_id"], request.path_params["name"]
        detail = await run_in_threadpool(visible_detail, engine(), viewer, session_id)
        if detail is None:
            return not_found(request)
        view = await run_in_threadpool(session_view, engine(), detail)
        path = view.files.get(name)
        if path is None:
            return error_page(
                request, 404, "File not found",
                f"Session {session_id} has no file {name!r} (the proof files may have been "
                "cleaned from the server); the session page links the files it still has.",
            )  # fmt: skip
        media = "application/x-tar" if name.endswith(".tar") else "text/x-diff; charset=utf-8"
        return FileResponse(path, media_type=media, filename=name)

    async def snippets(request: Request) -> Response:
        viewer = viewer_or_login(request, settings)
        if isinstance(viewer, Response):
            return viewer
        wanted = request.query_params.get("error_type", "").strip() or None
        found = await run_in_threadpool(load_snippets, engine(), viewer, wanted)
        return page(
            request, "snippets.html", viewer=viewer, snippets=found, error_type=wanted,
            nav="snippets",
        )  # fmt: skip

    return [
        Route("/sessions", sessions),
        Route("/sessions/{session_id}", session),
        Route("/sessions/{session_id}/console", session_stream),
        Route("/sessions/{session_id}/proof/{file}", proof),
        Route("/sessions/{session_id}/files/{name}", reproduce_file),
        Route("/snippets", snippets),
    ]
