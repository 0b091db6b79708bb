"""One-click registration: the setup page's manifest form and the code-for-credentials callback."""

from __future__ import annotations

import html
import json
import re
import stat
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from pydantic import SecretStr

from bot.settings import Settings, load_settings
from tests.fixtures.github import FakeGitHub
from web.app import create_app
from web.setup import APP_MANIFEST, credentials_path

PUBLIC_URL = "https://truth.example.test"


@pytest.fixture
def unconfigured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name in (
        "TRUTH_GITHUB_APP_ID",
        "TRUTH_GITHUB_PRIVATE_KEY",
        "TRUTH_GITHUB_PRIVATE_KEY_PATH",
    ):
        monkeypatch.delenv(name, raising=False)
    return load_settings(state_dir=tmp_path / "state", public_url=PUBLIC_URL)


@asynccontextmanager
async def serve(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://truth") as client:
            yield client


def form_of(page: str) -> tuple[str, dict[str, Any]]:
    """The form's action and the manifest JSON it posts, as a browser would read them."""
    action = re.search(r'<form action="([^"]+)" method="post">', page)
    manifest = re.search(r'<input type="hidden" name="manifest" value="([^"]*)">', page)
    assert action and manifest, page
    return html.unescape(action.group(1)), json.loads(html.unescape(manifest.group(1)))


async def test_without_an_app_the_root_serves_the_manifest_form(unconfigured: Settings) -> None:
    async with serve(unconfigured) as client:
        page = await client.get("/")

    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    action, manifest = form_of(page.text)
    assert re.fullmatch(r"https://github\.com/settings/apps/new\?state=[\w-]{16,}", action)
    app_yml = yaml.safe_load(APP_MANIFEST.read_text())
    assert manifest["hook_attributes"] == {"url": f"{PUBLIC_URL}/webhooks/github", "active": True}
    assert manifest["redirect_url"] == f"{PUBLIC_URL}/setup/callback"
    assert manifest["default_permissions"] == app_yml["default_permissions"]
    assert manifest["default_events"] == app_yml["default_events"]
    assert manifest["default_permissions"]["checks"] == "write"


async def test_with_an_app_configured_there_is_no_setup_page(tmp_path: Path) -> None:
    configured = Settings(github_app_id=7, github_private_key=SecretStr("pem"), state_dir=tmp_path)
    async with serve(configured) as client:
        assert (await client.get("/")).status_code == 404
        assert (await client.get("/setup/callback?code=x&state=y")).status_code == 404


async def test_callback_converts_the_code_and_stores_credentials_for_load_settings(
    unconfigured: Settings, fake_github: FakeGitHub
) -> None:
    async with serve(unconfigured) as client:
        action, _ = form_of((await client.get("/")).text)
        state = action.split("state=")[1]
        done = await client.get(f"/setup/callback?code=abc123&state={state}")
        replay = await client.get(f"/setup/callback?code=abc123&state={state}")

    [conversion] = fake_github.calls("apps/create-from-manifest")
    assert conversion.path == "/app-manifests/abc123/conversions"
    assert done.status_code == 200 and "Registered octoapp" in done.text
    assert "https://github.com/apps/octoapp/installations/new" in done.text
    stored = credentials_path(unconfigured.state_dir)
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert (
        json.loads(stored.read_text())["webhook_secret"]
        == "e340154128314309424b7c8e90325147d99fdafa"
    )
    # A state is good for one registration only.
    assert replay.status_code == 400 and "start again" in replay.text

    reloaded = load_settings(state_dir=unconfigured.state_dir, public_url=PUBLIC_URL)
    assert reloaded.github_app_id == 1 and reloaded.github_app_configured
    assert reloaded.github_private_key_pem().startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert reloaded.github_webhook_secret is not None
    assert reloaded.github_client_id == "Iv1.8a61f9b3a7aba766"


async def test_a_code_github_refuses_gets_a_clear_error_page_and_stores_nothing(
    unconfigured: Settings, fake_github: FakeGitHub
) -> None:
    fake_github.fail_next("POST", r"/app-manifests/expired/conversions$", 404)
    async with serve(unconfigured) as client:
        action, _ = form_of((await client.get("/")).text)
        state = action.split("state=")[1]
        answer = await client.get(f"/setup/callback?code=expired&state={state}")

    assert answer.status_code == 502
    assert "GitHub refused the registration code (HTTP 404)" in answer.text
    assert "expire after one hour" in answer.text and 'href="/"' in answer.text.replace("'", '"')
    assert not credentials_path(unconfigured.state_dir).exists()


async def test_a_callback_not_started_here_is_refused(
    unconfigured: Settings, fake_github: FakeGitHub
) -> None:
    async with serve(unconfigured) as client:
        answer = await client.get("/setup/callback?code=abc123&state=forged")
        no_code = await client.get("/setup/callback")
    assert answer.status_code == 400 and no_code.status_code == 400
    assert "not from the registration started here" in answer.text
    assert fake_github.requests == []
    assert not credentials_path(unconfigured.state_dir).exists()
