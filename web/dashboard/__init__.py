"""The server-rendered dashboard: login, sessions, permalinks, live console, proofs, snippets."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from bot.settings import Settings
from web.auth import auth_routes, session_secret
from web.dashboard.data import EngineGetter, lazy_engine
from web.dashboard.pages import page_routes
from web.dashboard.render import STATIC_DIR, error_page
from web.params import RefuseControlCharacters

SESSION_COOKIE = "truth_session"
SESSION_MAX_AGE = 8 * 3600  # the installation list is re-read from GitHub at each login


def dashboard(settings: Settings, *, engine: EngineGetter | None = None) -> Mount:
    """The dashboard as one mount; add it after every other route (it matches any path)."""
    getter = engine or lazy_engine(settings.database_url)
    app = Starlette(
        routes=[
            *auth_routes(settings, error_page),
            *page_routes(settings, getter),
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
