"""One-click registration: the one-time setup link, the manifest form, the code-for-credentials
callback, and setup routes that are gone once an app is configured."""

from __future__ import annotations

import html
import json
import logging
import re
import stat
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
import yaml
from pydantic import SecretStr

from bot.settings import Settings, credentials_path, load_settings
from tests.fixtures.github import FakeGitHub
from web.app import create_app
from web.setup import APP_MANIFEST

PUBLIC_URL = "https://truth.example.test"

pytestmark = pytest.mark.services  # a real Redis keeps the one-time links and states


@pytest.fixture
def unconfigured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, redis_url: str) -> Settings:
    for name in (
        "TRUTH_GITHUB_APP_ID",
        "TRUTH_GITHUB_PRIVATE_KEY",
        "TRUTH_GITHUB_PRIVATE_KEY_PATH",
    ):
        monkeypatch.delenv(name, raising=False)
    return load_settings(state_dir=tmp_path / "state", public_url=PUBLIC_URL, redis_url=redis_url)


@asynccontextmanager
async def serve(settings: Settings, **options: Any) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    """A started app (its lifespan prints the setup link) and the path+query of that link."""
    app = create_app(settings, **options)
    async with app.router.lifespan_context(app):
        link = getattr(app.state, "setup_link", None) or ""
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://truth") as client:
            yield client, link.split("truth.example.test", 1)[-1]


def form_of(page: str) -> tuple[str, dict[str, Any]]:
    """The form's action and the manifest JSON it posts, as a browser would read them."""
    action = re.search(r'<form action="([^"]+)" method="post" class="search">', page)
    manifest = re.search(r'<input type="hidden" name="manifest" value="([^"]*)">', page)
    assert action and manifest, page
    return html.unescape(action.group(1)), json.loads(html.unescape(manifest.group(1)))


async def started_registration(client: httpx.AsyncClient, link: str) -> str:
    """Open the setup link; the state GitHub will send back."""
    page = await client.get(link)
    assert page.status_code == 200, page.text
    action, _ = form_of(page.text)
    return action.split("state=")[1]


async def test_start_prints_a_link_that_survives_reloads_and_the_page_needs_it(
    unconfigured: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    async with serve(unconfigured, listen_url="http://127.0.0.1:8123") as (client, _):
        printed = capsys.readouterr().err
        found = re.search(r"http://127\.0\.0\.1:8123(/setup\?token=[\w-]{40,})", printed)
        assert found, printed
        no_token = await client.get("/setup")
        wrong = await client.get("/setup?token=" + "A" * 43)
        first = await client.get(found.group(1))
        reload = await client.get(found.group(1))  # a reload, a second tab, a link preview
        second_tab = await client.get(found.group(1))

    assert no_token.status_code == wrong.status_code == 403
    assert "restart <code>truth serve</code>" in no_token.text
    assert first.status_code == reload.status_code == second_tab.status_code == 200
    assert "<form" in second_tab.text
    # Each page load starts its own registration: the states differ.
    assert form_of(first.text)[0] != form_of(reload.text)[0]


async def test_registering_kills_every_link_and_state(
    unconfigured: Settings, fake_github: FakeGitHub, redis_url: str
) -> None:
    store = redis.Redis.from_url(redis_url)
    async with serve(unconfigured) as (client, link):
        first_tab = await started_registration(client, link)
        second_tab = await started_registration(client, link)
        done = await client.get(f"/setup/callback?code=abc123&state={first_tab}")
        assert done.status_code == 200 and "Registered octoapp" in done.text
        assert (await client.get(link)).status_code == 404
        late = await client.get(f"/setup/callback?code=abc123&state={second_tab}")
        assert late.status_code == 404  # the other tab cannot register a second app
    assert not store.keys("truth:setup:token:*")  # no link printed so far works any more
    store.close()


async def test_the_page_posts_app_yml_with_this_servers_urls(unconfigured: Settings) -> None:
    async with serve(unconfigured) as (client, link):
        page = await client.get(link)

    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    action, manifest = form_of(page.text)
    assert re.fullmatch(r"https://github\.com/settings/apps/new\?state=[\w-]{16,}", action)
    assert "encodeURIComponent(org)" in page.text  # the organization is escaped in the URL
    app_yml = yaml.safe_load(APP_MANIFEST.read_text())
    assert manifest["hook_attributes"] == {"url": f"{PUBLIC_URL}/webhooks/github", "active": True}
    assert manifest["redirect_url"] == f"{PUBLIC_URL}/setup/callback"
    assert manifest["default_permissions"] == app_yml["default_permissions"]
    assert manifest["default_events"] == app_yml["default_events"]
    assert manifest["default_permissions"]["checks"] == "write"


async def test_links_and_states_live_in_redis_with_an_expiry(
    unconfigured: Settings, redis_url: str
) -> None:
    store = redis.Redis.from_url(redis_url)
    async with serve(unconfigured) as (client, link):
        [token_key] = store.keys("truth:setup:token:*")
        await started_registration(client, link)
        [state_key] = store.keys("truth:setup:state:*")
        assert store.keys("truth:setup:token:*")  # still valid: a reload must not end setup
    assert link.split("token=")[1] not in token_key.decode()  # only its hash is stored
    assert 0 < store.ttl(state_key) <= 3600
    store.close()


async def test_another_replica_or_a_restart_accepts_the_link_and_the_state(
    unconfigured: Settings, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    elsewhere = unconfigured.model_copy(update={"state_dir": tmp_path / "other"})
    async with serve(unconfigured) as (_, link):
        pass
    async with serve(elsewhere) as (second, _), serve(unconfigured) as (third, _):
        state = await started_registration(second, link)
        done = await third.get(f"/setup/callback?code=abc123&state={state}")
        assert done.status_code == 200 and "Registered octoapp" in done.text
        # Every replica sharing the Redis closes its setup routes, not only the one that stored.
        assert (await second.get(link)).status_code == 404
        assert (await second.get("/setup/callback?code=a&state=b")).status_code == 404


async def test_with_an_app_configured_setup_is_gone_and_attempts_are_logged(
    tmp_path: Path, redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    configured = Settings(
        github_app_id=7, github_private_key=SecretStr("pem"), state_dir=tmp_path,
        redis_url=redis_url,
    )  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="web.setup"):
        async with serve(configured) as (client, link):
            assert link == ""  # nothing printed: there is nothing to set up
            assert (await client.get("/setup?token=guess")).status_code == 404
            assert (await client.get("/setup/callback?code=x&state=y")).status_code == 404
    logged = [r.getMessage() for r in caplog.records if r.name == "web.setup"]
    assert len(logged) == 2 and all("an app is configured" in m for m in logged)
    assert all("guess" not in m for m in logged)  # never the query: it may hold secrets


async def test_callback_converts_the_code_and_stores_credentials_for_load_settings(
    unconfigured: Settings, fake_github: FakeGitHub
) -> None:
    async with serve(unconfigured) as (client, link):
        state = await started_registration(client, link)
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
    # Once registered, the setup routes are gone (even before a restart).
    assert replay.status_code == 404

    reloaded = load_settings(state_dir=unconfigured.state_dir, public_url=PUBLIC_URL)
    assert reloaded.github_app_id == 1 and reloaded.github_app_configured
    assert reloaded.github_private_key_pem().startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert reloaded.github_webhook_secret is not None
    assert reloaded.github_client_id == "Iv1.8a61f9b3a7aba766"


async def test_a_code_github_refuses_gets_a_clear_error_page_and_stores_nothing(
    unconfigured: Settings, fake_github: FakeGitHub
) -> None:
    fake_github.fail_next("POST", r"/app-manifests/expired/conversions$", 404)
    async with serve(unconfigured) as (client, link):
        state = await started_registration(client, link)
        answer = await client.get(f"/setup/callback?code=expired&state={state}")

    assert answer.status_code == 502
    assert "GitHub refused the registration code (HTTP 404)" in answer.text
    assert "expire after one hour" in answer.text and "restart" in answer.text
    assert not credentials_path(unconfigured.state_dir).exists()


@pytest.mark.parametrize(
    "query",
    [
        "code=abc123&state=forged",
        "",
        "code=../../user&state={state}",
        "code=abc%2F..%2Fx&state={state}",
    ],
)
async def test_a_callback_not_started_here_or_with_a_malformed_code_is_refused(
    unconfigured: Settings, fake_github: FakeGitHub, query: str
) -> None:
    async with serve(unconfigured) as (client, link):
        state = await started_registration(client, link)
        answer = await client.get("/setup/callback?" + query.format(state=state))
    assert answer.status_code == 400
    assert "not from the registration started here" in answer.text
    assert fake_github.requests == []
    assert not credentials_path(unconfigured.state_dir).exists()


async def test_a_nul_in_the_callback_is_refused_before_any_route_runs(
    unconfigured: Settings, fake_github: FakeGitHub
) -> None:
    async with serve(unconfigured) as (client, link):
        state = await started_registration(client, link)
        answer = await client.get(f"/setup/callback?code=abc%00&state={state}")
        still_good = await client.get(f"/setup/callback?code=abc123&state={state}")
    assert answer.status_code == 400 and "control character" in answer.json()["message"]
    assert fake_github.calls("apps/create-from-manifest")[0].path.endswith("/abc123/conversions")
    assert still_good.status_code == 200  # the refused request did not use up the state


def test_access_log_lines_never_show_the_token_or_code() -> None:
    from web.setup import HideSetupSecrets

    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:1", "GET", "/setup/callback?code=abc123&state=s3cr3t", "1.1", 200), None,
    )  # fmt: skip
    assert HideSetupSecrets().filter(record)
    line = record.getMessage()
    assert "abc123" not in line and "s3cr3t" not in line and "/setup/callback?code=…" in line
