"""One-click app registration through GitHub's app-manifest flow, and where its result is kept.

GET / (only while no app is configured) serves a page whose form posts app.yml, filled in with
TRUTH_PUBLIC_URL, to GitHub's new-app page. GitHub redirects back to /setup/callback?code=…;
the code is converted (POST /app-manifests/{code}/conversions) into the app id, private key and
webhook secret, stored in a 0600 file under TRUTH_STATE_DIR that `load_settings` reads.
"""

from __future__ import annotations

import html
import json
import os
import secrets
from pathlib import Path
from typing import Any

import httpx
import yaml
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from bot.settings import Settings

APP_MANIFEST = Path(__file__).resolve().parent.parent / "app.yml"
CREDENTIALS_FILE = "github-app.json"
GITHUB_WEB = "https://github.com"


def build_manifest(public_url: str, manifest_path: Path = APP_MANIFEST) -> dict[str, Any]:
    """app.yml with the URLs that point back at this server."""
    manifest: dict[str, Any] = yaml.safe_load(manifest_path.read_text())
    base = public_url.rstrip("/")
    manifest["url"] = base
    manifest["hook_attributes"] = {"url": f"{base}/webhooks/github", "active": True}
    manifest["redirect_url"] = f"{base}/setup/callback"
    return manifest


def credentials_path(state_dir: Path) -> Path:
    return state_dir / CREDENTIALS_FILE


def store_credentials(state_dir: Path, conversion: dict[str, Any]) -> Path:
    """Keep what GitHub returned in a file only this user can read (it holds the private key)."""
    path = credentials_path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    wanted = ("id", "slug", "pem", "webhook_secret", "client_id", "client_secret", "html_url")
    data = {key: conversion.get(key) for key in wanted}
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(data, handle)
    os.chmod(path, 0o600)
    return path


def load_stored_credentials(state_dir: Path) -> dict[str, Any]:
    """Settings overrides from a stored registration ({} when there is none)."""
    path = credentials_path(state_dir)
    if not path.exists():
        return {}
    data = json.loads(path.read_text())
    overrides: dict[str, Any] = {
        "github_app_id": data.get("id"),
        "github_private_key": data.get("pem"),
        "github_webhook_secret": data.get("webhook_secret"),
        "github_client_id": data.get("client_id"),
        "github_client_secret": data.get("client_secret"),
    }
    return {key: value for key, value in overrides.items() if value is not None}


_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Set up Truth Engine</title>
</head><body><h1>Register Truth Engine as a GitHub App</h1>
<p>No GitHub App is configured yet. One click registers a private app with the permissions in
<code>app.yml</code>; GitHub then sends you back here and the credentials are stored in
<code>{state_dir}</code>.</p>
<form action="{action}" method="post">
<input type="hidden" name="manifest" value="{manifest}">
<label>Organization (empty for your personal account): <input name="org" id="org"></label>
<button type="submit">Register the app on GitHub</button></form>
<script>document.querySelector("form").addEventListener("submit", function (e) {{
  var org = document.getElementById("org").value.trim();
  if (org) {{ e.target.action = "{web}/organizations/" + encodeURIComponent(org) +
    "/settings/apps/new?state={state}"; }} }});</script></body></html>"""


def setup_routes(settings: Settings) -> list[BaseRoute]:
    states: set[str] = set()

    async def page(request: Request) -> Response:
        state = secrets.token_urlsafe(16)
        states.add(state)
        manifest = json.dumps(build_manifest(settings.public_url))
        body = _PAGE.format(
            action=f"{GITHUB_WEB}/settings/apps/new?state={state}",
            web=GITHUB_WEB,
            state=state,
            manifest=html.escape(manifest, quote=True),
            state_dir=html.escape(str(settings.state_dir)),
        )
        return HTMLResponse(body)

    async def callback(request: Request) -> Response:
        code = request.query_params.get("code")
        state = request.query_params.get("state")
        if not code or state not in states:
            return HTMLResponse(
                "<p>This link is not from the registration started here (missing code or "
                "unknown state). Open <a href='/'>the setup page</a> and start again.</p>",
                status_code=400,
            )
        states.discard(state)
        url = f"{settings.github_api_url.rstrip('/')}/app-manifests/{code}/conversions"
        async with httpx.AsyncClient(timeout=30) as client:
            answer = await client.post(url, headers={"Accept": "application/vnd.github+json"})
        if answer.status_code != 201:
            return HTMLResponse(
                f"<p>GitHub refused the registration code (HTTP {answer.status_code}); codes "
                "expire after one hour. Open <a href='/'>the setup page</a> and try again.</p>",
                status_code=502,
            )
        conversion = answer.json()
        path = store_credentials(settings.state_dir, conversion)
        name = html.escape(str(conversion.get("slug") or conversion.get("name") or "the app"))
        install = html.escape(str(conversion.get("html_url") or GITHUB_WEB)) + "/installations/new"
        return HTMLResponse(
            f"<p>Registered {name}. Credentials saved to <code>{html.escape(str(path))}</code> "
            "(readable only by you). Restart <code>truth serve</code> and <code>truth worker"
            f"</code>, then <a href='{install}'>install the app</a> on your repositories.</p>"
        )

    return [Route("/", page), Route("/setup/callback", callback)]
