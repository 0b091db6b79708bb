"""The server-rendered dashboard: landing, login, sessions, permalinks, live console, proofs,
the paste-a-bug page, traces, snippets."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from bot.settings import Settings
from web.auth import auth_routes, session_secret
from web.dashboard.data import EngineGetter, lazy_engine
from web.dashboard.landing import landing_routes
from web.dashboard.pages import page_routes
from web.dashboard.paste_pages import paste_routes
from web.dashboard.render import STATIC_DIR, error_page
from web.dashboard.trace_pages import trace_page_routes
from web.params import RefuseControlCharacters
from web.paste_runner import PasteRunner

SESSION_COOKIE = "truth_session"
SESSION_MAX_AGE = 8 * 3600  # the installation list is re-read from GitHub at each login


def dashboard(
    settings: Settings,
    *,
    engine: EngineGetter | None = None,
    paste_runner: PasteRunner | None = None,
) -> Mount:
    """The dashboard as one mount; add it after every other route (it matches any path).
    `paste_runner` runs the paste page's sessions; the caller closes it at shutdown."""
    getter = engine or lazy_engine(settings.database_url)
    app = Starlette(
        routes=[
            # A sign-in error goes back to the landing page, which itself needs no sign-in.
            *auth_routes(settings, lambda r, s, t, m: error_page(r, s, t, m, back="/")),
            *landing_routes(settings, getter),
            *page_routes(settings, getter),
            *trace_page_routes(settings, getter),
            *paste_routes(settings, getter, paste_runner),
            Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
        ],
        middleware=[
            Middleware(RefuseControlCharacters),
            Middleware(
                SessionMiddleware,
                secret_key=session_secret(settings),
                session_cookie=SESSION_COOKIE,
                max_age=SESSION_MAX_AGE,
                same_site="lax",  # the OAuth redirect back from github.com must carry it
                https_only=settings.public_url.startswith("https://"),
            ),
        ],
    )
    return Mount("", app=app)
