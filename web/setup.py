"""One-click app registration through GitHub's app-manifest flow, and where its result is kept.

Only while no app is configured, and only for whoever holds the link `truth serve` prints at
start (http://HOST:PORT/setup?token=…, like Jupyter's token link): GET /setup checks the token
and serves a page whose form posts app.yml, filled in with TRUTH_PUBLIC_URL, to GitHub's
new-app page. A reload, a second tab or a link preview does not use the link up; registering
does: from then on every link and page is dead. Each page load starts its own registration
state, and only one registration may complete. GitHub redirects back to /setup/callback?code=…;
the code is converted (POST /app-manifests/{code}/conversions) into the app id, private key and
webhook secret, stored in a 0600 file under TRUTH_STATE_DIR that `load_settings` reads.
Tokens and states live in Redis (web/setup_tokens.py). Once an app is configured the setup
routes answer 404 and log the attempt.
"""

from __future__ import annotations

import html
import json
import logging
import re
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from githubkit import GitHub, UnauthAuthStrategy
from githubkit.exception import RequestError, RequestFailed, RequestTimeout
from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.github.client import github_web_url
from bot.settings import Settings, store_credentials
from web import setup_tokens

log = logging.getLogger(__name__)
Handler = Callable[[Request], Awaitable[Response]]

APP_MANIFEST = Path(__file__).resolve().parent.parent / "app.yml"
GITHUB_WEB = "https://github.com"


def build_manifest(public_url: str, manifest_path: Path = APP_MANIFEST) -> dict[str, Any]:
    """app.yml with the URLs that point back at this server."""
    manifest: dict[str, Any] = yaml.safe_load(manifest_path.read_text())
    base = public_url.rstrip("/")
    manifest["url"] = base
    manifest["hook_attributes"] = {"url": f"{base}/webhooks/github", "active": True}
    manifest["redirect_url"] = f"{base}/setup/callback"
    # Dashboard sign-in (web/auth.py) returns here; GitHub refuses other OAuth redirect URLs.
    manifest["callback_urls"] = [f"{base}/oauth/callback"]
    # Where GitHub sends whoever just installed the app: the dashboard's session list.
    manifest["setup_url"] = f"{base}/sessions"
    manifest["setup_on_update"] = False
    return manifest


_SHELL = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme"
content="light dark"><title>{title} · Truth Engine</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/dashboard.css"></head><body>
<header class="top"><span class="brand"><img src="/static/favicon.svg" alt="" width="20"
height="20"> Truth Engine</span></header><main>{body}</main></body></html>"""

_FORM = """<h1>Register Truth Engine as a GitHub App</h1>
<p>No GitHub App is configured yet. One click registers a private app with the permissions in
<code>app.yml</code>; GitHub then sends you back here and the credentials are stored in
<code>{state_dir}</code>. This link stays valid (reload it, open it in another tab) until an app
is registered.</p>
<form action="{action}" method="post" class="search">
<input type="hidden" name="manifest" value="{manifest}">
<label>Organization (empty for your personal account) <input name="org" id="org"></label>
<button type="submit" class="primary">Register the app on GitHub</button></form>
<script>document.querySelector("form").addEventListener("submit", function (e) {{
  var org = document.getElementById("org").value.trim();
  if (org) {{ e.target.action = "{web}/organizations/" + encodeURIComponent(org) +
    "/settings/apps/new?state={state}"; }} }});</script>"""


def _shell(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(_SHELL.format(title=html.escape(title), body=body), status_code=status)


_NEW_LINK = (
    "Open the link <code>truth serve</code> printed at start-up (<code>…/setup?token=…</code>), "
    "or restart <code>truth serve</code> for a new one."
)
# GitHub's manifest codes are short tokens; anything else never reaches a GitHub URL.
_CODE = re.compile(r"[A-Za-z0-9_-]{1,128}", re.ASCII)


def _page(message: str, status: int) -> HTMLResponse:
    return _shell("Setup", f'<section class="notice"><p>{message}</p></section>', status)


def install_link(conversion: dict[str, Any], web: str = GITHUB_WEB) -> str:
    """Where to install the new app: its html_url on GitHub (or GHE), or built from its slug."""
    html_url = conversion.get("html_url")
    if isinstance(html_url, str) and html_url.startswith(f"{web}/"):
        return html_url.rstrip("/") + "/installations/new"
    slug = quote(str(conversion.get("slug") or ""), safe="")
    return f"{web}/apps/{slug}/installations/new"


def setup_routes(settings: Settings, redis: Redis) -> list[BaseRoute]:
    """/setup and /setup/callback; both answer 404 (and log) once an app is configured."""
    configured_here = [settings.github_app_configured]
    web = github_web_url(settings.github_api_url)  # github.com, or the GHE host

    async def configured() -> bool:
        if not configured_here[0] and await setup_tokens.is_configured(redis):
            configured_here[0] = True
        return configured_here[0]

    def gone(request: Request) -> Response:
        client = request.client.host if request.client else "unknown"
        # The path only: the query may hold a token or a registration code.
        log.warning(
            "setup route %s requested from %s, but an app is configured; answered 404",
            request.url.path,
            client,
        )
        return PlainTextResponse("Not Found", status_code=404)

    async def page(request: Request) -> Response:
        if await configured():
            return gone(request)
        if not await setup_tokens.token_is_live(redis, request.query_params.get("token")):
            return _page(
                f"This setup link is missing its token, mistyped or expired. {_NEW_LINK}", 403
            )
        state = await setup_tokens.new_state(redis)
        manifest = json.dumps(build_manifest(settings.public_url))
        body = _FORM.format(
            action=html.escape(f"{web}/settings/apps/new?state={quote(state)}"),
            web=web,
            state=quote(state, safe=""),
            manifest=html.escape(manifest, quote=True),
            state_dir=html.escape(str(settings.state_dir)),
        )
        return _shell("Set up", body)

    async def callback(request: Request) -> Response:
        if await configured():
            return gone(request)
        code = request.query_params.get("code") or ""
        state = request.query_params.get("state")
        if not _CODE.fullmatch(code) or not await setup_tokens.redeem_state(redis, state):
            return _page(
                "This link is not from the registration started here (missing or "
                f"malformed code, or unknown state); start again. {_NEW_LINK}",
                400,
            )
        if not await setup_tokens.begin_registration(redis):
            return _page(
                "Another registration is being completed right now (a second tab?); reload in "
                "a minute: once it is done this page closes.",
                409,
            )
        try:
            return await _register(code, web)
        finally:
            await setup_tokens.end_registration(redis)

    async def _register(code: str, web: str) -> Response:
        github = GitHub(
            UnauthAuthStrategy(), base_url=settings.github_api_url, timeout=30.0, http_cache=False
        )
        try:
            answer = await github.rest.apps.async_create_from_manifest(code)
        except RequestFailed as exc:
            return _page(
                f"GitHub refused the registration code (HTTP {exc.response.status_code}); "
                f"codes expire after one hour. {_NEW_LINK}",
                502,
            )
        except (RequestError, RequestTimeout) as exc:
            return _page(
                f"GitHub could not be reached ({type(exc).__name__}); check this "
                f"server's network and start again. {_NEW_LINK}",
                502,
            )
        conversion: dict[str, Any] = dict(answer.json())
        path = store_credentials(settings.state_dir, conversion)
        await setup_tokens.mark_configured(redis)
        configured_here[0] = True
        name = html.escape(str(conversion.get("slug") or conversion.get("name") or "the app"))
        install = html.escape(install_link(conversion, web), quote=True)
        return _shell(
            "Registered",
            f"<h1>Registered {name}</h1><p>Credentials saved to <code>"
            f"{html.escape(str(path))}</code> (readable only by you). Every setup link is now "
            "dead. Next: restart <code>truth serve</code> and <code>truth worker</code>, then "
            f"<a class='button primary' href='{install}'>install the app</a> on your "
            "repositories.</p>",
        )

    def needing_redis(handler: Handler) -> Handler:
        async def endpoint(request: Request) -> Response:
            try:
                return await handler(request)
            except (RedisError, OSError) as exc:
                return _page(
                    f"Setup keeps its one-time links in Redis, which is unreachable "
                    f"({type(exc).__name__}); check TRUTH_REDIS_URL and reload.",
                    503,
                )

        return endpoint

    return [
        Route("/setup", needing_redis(page)),
        Route("/setup/callback", needing_redis(callback)),
    ]


_SECRET_QUERY = re.compile(r"(?<=[?&])(token|code|state)=[^&\s]*")


class HideSetupSecrets(logging.Filter):
    """Masks the one-time token, code and state in access-log lines (uvicorn logs the query)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any("/setup" in str(a) for a in record.args):
            record.args = tuple(
                _SECRET_QUERY.sub(r"\1=…", a) if isinstance(a, str) else a for a in record.args
            )
        return True


def hide_setup_secrets_in_access_log() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, HideSetupSecrets) for f in access.filters):
        access.addFilter(HideSetupSecrets())


async def announce_setup_link(redis: Redis, base_url: str, *, echo: bool = True) -> str | None:
    """Issue a setup link and print it (not log it: it is a secret), unless `echo` is False and
    the caller prints it; None without Redis."""
    try:
        token = await setup_tokens.issue_token(redis)
    except (RedisError, OSError) as exc:
        print(
            f"No GitHub App configured, and no setup link: Redis is unreachable "
            f"({type(exc).__name__}); check TRUTH_REDIS_URL and restart.",
            file=sys.stderr,
            flush=True,
        )
        return None
    link = f"{base_url.rstrip('/')}/setup?token={token}"
    if echo:
        print(
            "No GitHub App configured yet. To register one, open this link (valid until an "
            f"app is registered):\n    {link}",
            file=sys.stderr,
            flush=True,
        )
    return link
