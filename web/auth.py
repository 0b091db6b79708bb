"""GitHub OAuth login for the dashboard: who the viewer is and which installations they may see.

Two modes. With a GitHub App configured, every page needs a GitHub login (web flow): the
signed session cookie holds the user's login and the ids of the app installations GitHub says
they can access, and a viewer sees only sessions of those installations. Without a GitHub App
("local mode", e.g. `truth serve` next to `truth fix` on a laptop) there is no login and the
viewer sees every session, including CLI sessions, which belong to no installation and so are
never shown on a server that has a GitHub App.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from githubkit import GitHub, OAuthWebAuthStrategy
from githubkit.exception import AuthExpiredError, RequestError, RequestFailed, RequestTimeout
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.github.client import github_web_url
from bot.settings import Settings

GITHUB_WEB = "https://github.com"
SESSION_SECRET_FILE = "session-secret"
USER_KEY = "user"
STATE_KEY = "oauth_state"
NEXT_KEY = "oauth_next"
PAGE_SIZE = 100


ErrorPage = Callable[[Request, int, str, str], Response]


class LoginError(Exception):
    """The OAuth exchange failed; the message says what happened and what to do."""


@dataclass(frozen=True)
class Viewer:
    login: str | None
    installation_ids: tuple[int, ...]
    local: bool = False

    @property
    def scope(self) -> list[int] | None:
        """Installation ids for queries; None means every session (local mode)."""
        return None if self.local else list(self.installation_ids)

    def may_see(self, installation_id: int | None) -> bool:
        if self.local:
            return True
        return installation_id is not None and installation_id in self.installation_ids


def local_mode(settings: Settings) -> bool:
    return not settings.github_app_configured


def session_secret(settings: Settings) -> str:
    """TRUTH_SESSION_SECRET, or a random secret kept 0600 in the state dir across restarts."""
    if settings.session_secret is not None:
        return settings.session_secret.get_secret_value()
    path = Path(settings.state_dir) / SESSION_SECRET_FILE
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first; use theirs
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secret)
    return secret


def viewer_of(request: Request, settings: Settings) -> Viewer | None:
    """The signed-in viewer, the local-mode viewer, or None (must log in)."""
    if local_mode(settings):
        return Viewer(login=None, installation_ids=(), local=True)
    user = request.session.get(USER_KEY)
    if not isinstance(user, dict) or not isinstance(user.get("login"), str):
        return None
    return Viewer(login=user["login"], installation_ids=tuple(int(i) for i in user["ids"]))


def authorize_url(client_id: str, redirect_uri: str, state: str, web: str = GITHUB_WEB) -> str:
    # No scope: the user's public identity and installation list need none.
    query = urlencode({"client_id": client_id, "redirect_uri": redirect_uri, "state": state})
    return f"{web.rstrip('/')}/login/oauth/authorize?{query}"


def safe_next(target: str | None) -> str:
    """Only same-site paths, so /login?next= cannot bounce a viewer to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/sessions"
    return target


async def sign_in_with_code(settings: Settings, code: str) -> tuple[str, list[int]]:
    """Trade `code` through githubkit's OAuth web flow; the user's login and installation ids.

    The strategy exchanges the code on the first request and uses the token after it; GitHub
    Enterprise's sign-in page and API follow from TRUTH_GITHUB_API_URL.
    """
    secret = settings.github_client_secret
    strategy = OAuthWebAuthStrategy(
        settings.github_client_id or "",
        secret.get_secret_value() if secret else "",
        code,
        callback_url(settings),
    )
    github = GitHub(strategy, base_url=settings.github_api_url, timeout=30.0, http_cache=False)
    try:
        user = (await github.rest.users.async_get_authenticated()).parsed_data
        pages: Any = github.rest.paginate(
            github.rest.apps.async_list_installations_for_authenticated_user,
            map_func=lambda response: response.parsed_data.installations,
            per_page=PAGE_SIZE,
        )
        ids = [int(installation.id) async for installation in pages]
    except RequestFailed as exc:
        raise LoginError(
            f"GitHub would not say who you are or list your installations (HTTP "
            f"{exc.response.status_code}); sign in again."
        ) from exc
    except (AuthExpiredError, RequestError) as exc:
        # githubkit wraps a failure inside the auth flow (the code exchange) in RequestError.
        refused = exc.exc if isinstance(exc, RequestError) else exc
        if not isinstance(refused, AuthExpiredError):
            raise
        details = next((a for a in refused.args[1:] if isinstance(a, dict)), {})
        raise LoginError(
            f"GitHub did not accept the login code ({details.get('error') or 'no token'}). "
            "Codes are single-use and expire after ten minutes: sign in again. If it keeps "
            "failing, check TRUTH_GITHUB_CLIENT_ID / TRUTH_GITHUB_CLIENT_SECRET."
        ) from exc
    return str(user.login), ids


def callback_url(settings: Settings) -> str:
    return settings.public_url.rstrip("/") + "/oauth/callback"


def auth_routes(settings: Settings, render_error: ErrorPage) -> list[BaseRoute]:
    """/login, /oauth/callback and /logout; `render_error(request, status, title, message)`."""

    async def login(request: Request) -> Response:
        if local_mode(settings):
            return RedirectResponse("/sessions", status_code=303)
        if not settings.github_client_id or settings.github_client_secret is None:
            return render_error(
                request,
                503,
                "GitHub login is not configured",
                "Set TRUTH_GITHUB_CLIENT_ID and TRUTH_GITHUB_CLIENT_SECRET (from the GitHub "
                "App's settings page, 'Client secrets') and restart the server.",
            )
        state = secrets.token_urlsafe(24)
        request.session[STATE_KEY] = state
        request.session[NEXT_KEY] = safe_next(request.query_params.get("next"))
        web = github_web_url(settings.github_api_url)
        url = authorize_url(settings.github_client_id, callback_url(settings), state, web)
        return RedirectResponse(url, status_code=303)

    async def callback(request: Request) -> Response:
        expected = request.session.pop(STATE_KEY, None)
        state = request.query_params.get("state")
        code = request.query_params.get("code")
        if not expected or not state or not secrets.compare_digest(expected, state) or not code:
            return render_error(
                request,
                400,
                "Login link not recognised",
                "This sign-in did not start here, or it was already used (the state does not "
                "match). Open /login and sign in again.",
            )
        try:
            login_name, ids = await sign_in_with_code(settings, code)
        except LoginError as exc:
            return render_error(request, 502, "GitHub login failed", str(exc))
        except (RequestError, RequestTimeout) as exc:
            return render_error(
                request,
                502,
                "GitHub is unreachable",
                f"Could not reach GitHub ({type(exc).__name__}); try signing in again shortly.",
            )
        request.session[USER_KEY] = {"login": login_name, "ids": ids}
        return RedirectResponse(safe_next(request.session.pop(NEXT_KEY, None)), status_code=303)

    async def logout(request: Request) -> Response:
        request.session.clear()
        return RedirectResponse("/login" if not local_mode(settings) else "/sessions", 303)

    return [
        Route("/login", login),
        Route("/oauth/callback", callback),
        Route("/logout", logout, methods=["POST"]),
    ]
