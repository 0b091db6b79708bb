"""GET /: the latest sessions and the quota when there is something to show, else a welcome
that says what to do next (run `truth fix`, paste a bug, install the app, sign in)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.settings import Settings
from web.auth import viewer_of
from web.dashboard.data import EngineGetter, find_sessions
from web.dashboard.filters import Filters
from web.dashboard.quota_view import quota_panel
from web.dashboard.render import page

RECENT = 8


def landing_routes(settings: Settings, engine: EngineGetter) -> list[BaseRoute]:
    async def landing(request: Request) -> Response:
        viewer = viewer_of(request, settings)
        if viewer is None:  # signed out on a server with an app: the welcome, no redirect
            return page(request, "landing.html", viewer=None, sessions=[], quota=None)
        rows, more = await run_in_threadpool(
            find_sessions, engine(), viewer, Filters(per_page=RECENT)
        )
        quota = await run_in_threadpool(
            quota_panel, engine(), viewer, settings.daily_verification_quota
        )
        return page(
            request, "landing.html", viewer=viewer, sessions=rows, more=more, quota=quota,
            public_url=settings.public_url.rstrip("/"),
        )  # fmt: skip

    return [Route("/", landing)]
