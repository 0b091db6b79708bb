"""The paste-a-bug page: paste code and its error, get a fix verified in the sandbox.

GET /paste is the editor; POST /paste/analyze takes a paste apart (smart paste: the traceback
goes to the log, libraries become badges, a reproduction is proposed); POST /paste checks the
fields, writes the project, starts its session (web/paste_runner.py) and redirects to
/paste/<session id>, the permalink, which streams the session like any session page.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlsplit

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.analysis.paste import analyze
from bot.settings import Settings
from db import queries
from db.engine import session_scope
from db.fix_sessions import SessionSource
from web.auth import Viewer, session_secret
from web.dashboard.access import viewer_or_login
from web.dashboard.data import EngineGetter
from web.dashboard.pages import session_page
from web.dashboard.render import error_page, page
from web.paste_runner import PasteRunner
from web.paste_store import PasteError, checked, paste_dir, read_paste, write_project

FORM_MAX_AGE_S = 24 * 3600
MAX_FORM_BYTES = 600_000
FIELDS = ("code", "log", "reproduction", "module", "requirements", "how", "expected")


def _same_origin(request: Request) -> bool:
    """A visitor's browser says where a POST comes from; another site may not start sessions
    here (in local mode there is no sign-in to stop it)."""
    origin = request.headers.get("origin") or request.headers.get("referer") or ""
    parts = urlsplit(origin)
    return bool(parts.netloc) and parts.netloc == request.headers.get("host", "")


def paste_routes(
    settings: Settings, engine: EngineGetter, runner: PasteRunner | None = None
) -> list[BaseRoute]:
    forms = URLSafeTimedSerializer(session_secret(settings), salt="truth-paste-form")
    runner = runner or PasteRunner(settings, engine)

    def form_page(request: Request, viewer: Viewer, problem: str = "", **fields: Any) -> Response:
        return page(
            request, "paste.html", 400 if problem else 200, viewer=viewer, nav="paste",
            token=forms.dumps(secrets.token_hex(8)), problem=problem, fields=fields,
            model=settings.model, installations=viewer.installation_ids,
        )  # fmt: skip

    async def editor(request: Request) -> Response:
        viewer = viewer_or_login(request, settings)
        if isinstance(viewer, Response):
            return viewer
        return form_page(request, viewer)

    async def analysis(request: Request) -> Response:
        viewer = viewer_or_login(request, settings)
        if isinstance(viewer, Response) or not _same_origin(request):
            return JSONResponse({"error": "sign in, and send from this site"}, status_code=403)
        body = await request.body()
        if len(body) > MAX_FORM_BYTES:
            return JSONResponse({"error": "the paste is too large to analyse"}, status_code=413)
        try:
            sent = await request.json()
            parts = analyze(str(sent.get("code", "")), str(sent.get("log", "")))
        except (ValueError, AttributeError):
            return JSONResponse({"error": "send JSON: {code, log}"}, status_code=400)
        return JSONResponse(
            {"code": parts.code, "log": parts.log, "module": parts.module,
             "libraries": parts.libraries, "reproduction": parts.reproduction, "how": parts.how,
             "exception": parts.exception}
        )  # fmt: skip

    async def submit(request: Request) -> Response:
        viewer = viewer_or_login(request, settings)
        if isinstance(viewer, Response):
            return viewer
        if not _same_origin(request):
            message = "Open /paste and send the form from there."
            return error_page(request, 403, "Not sent from this page", message, back="/paste")
        form = await request.form(max_files=0, max_fields=20, max_part_size=MAX_FORM_BYTES)
        fields = {name: str(form.get(name) or "") for name in FIELDS}
        try:
            forms.loads(str(form.get("token") or ""), max_age=FORM_MAX_AGE_S)
        except BadSignature:
            return form_page(request, viewer, "This form expired; send it again.", **fields)
        try:
            paste = checked(**fields)
        except PasteError as exc:
            return form_page(request, viewer, f"Not started: {exc}.", **fields)
        installation = _installation(viewer, str(form.get("installation") or ""))
        if installation is False:
            return form_page(request, viewer, "Pick one of your installations.", **fields)
        if installation is not None:
            from bot.fix.quota import take_quota

            refused = await run_in_threadpool(take_quota, engine(), settings, installation)
            if refused:
                return form_page(request, viewer, f"Not started: {refused}", **fields)
        session_id = await run_in_threadpool(_create, engine, settings, paste, installation)
        runner.start(session_id, paste_dir(settings.state_dir, session_id))
        return RedirectResponse(f"/paste/{session_id}", status_code=303)

    async def result(request: Request) -> Response:
        viewer = viewer_or_login(request, settings)
        if isinstance(viewer, Response):
            return viewer
        session_id = request.path_params["session_id"]
        pasted = read_paste(paste_dir(settings.state_dir, session_id))
        return await session_page(
            request, engine, viewer, session_id, "paste_result.html", paste=pasted,
            model=settings.model, nav="paste",
        )  # fmt: skip

    return [
        Route("/paste", editor, methods=["GET"]),
        Route("/paste", submit, methods=["POST"]),
        Route("/paste/analyze", analysis, methods=["POST"]),
        Route("/paste/{session_id}", result, methods=["GET"]),
    ]


def _installation(viewer: Viewer, chosen: str) -> int | bool | None:
    """The installation a signed-in viewer runs the paste under (its quota, who sees it);
    None in local mode; False for a choice that is not theirs."""
    if viewer.local:
        return None
    if not chosen and len(viewer.installation_ids) == 1:
        return viewer.installation_ids[0]
    if chosen.isdigit() and int(chosen) in viewer.installation_ids:
        return int(chosen)
    return False


def _create(engine: EngineGetter, settings: Settings, paste: Any, installation: int | None) -> str:
    """The project on disk, then the session's record, so its permalink works at once."""
    from db.fix_sessions import new_session_id

    session_id = new_session_id()
    folder = write_project(paste, paste_dir(settings.state_dir, session_id))
    with session_scope(engine()) as db:
        queries.create_session(
            db, session_id=session_id, source=SessionSource.PASTE, repo_path=str(folder),
            test_command="python -m pytest -q", installation_id=installation,
        )  # fmt: skip
    return session_id
