"""Who may see a dashboard page: the signed-in viewer, or a redirect to sign in."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.settings import Settings
from web.auth import Viewer, viewer_of


def viewer_or_login(request: Request, settings: Settings) -> Viewer | Response:
    viewer = viewer_of(request, settings)
    if viewer is not None:
        return viewer
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
