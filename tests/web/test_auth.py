"""GitHub OAuth login for the dashboard against the fake GitHub: state, identity, installations."""

from __future__ import annotations

import stat
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from pydantic import SecretStr
from sqlalchemy.engine import Engine

from bot.settings import Settings
from tests.fixtures.github import FakeGitHub
from tests.web.dashboard.app import (  # the fixtures too, shared with tests/web/dashboard
    CLIENT_ID,
    INSTALLATION_A,
    PUBLIC_URL,
    github_settings,
    local_settings,
    log_in,
    serve,
)
from tests.web.dashboard.seed import seed_session
from web.auth import SESSION_SECRET_FILE, authorize_url, safe_next, session_secret

__all__ = ["github_settings", "local_settings"]


def test_authorize_url_carries_client_state_and_callback() -> None:
    url = urlsplit(authorize_url("Iv1.x", f"{PUBLIC_URL}/oauth/callback", "st4te"))
    assert (url.scheme, url.netloc, url.path) == ("https", "github.com", "/login/oauth/authorize")
    assert parse_qs(url.query) == {
        "client_id": ["Iv1.x"],
        "redirect_uri": [f"{PUBLIC_URL}/oauth/callback"],
        "state": ["st4te"],
    }


def test_next_only_follows_paths_on_this_site() -> None:
    assert safe_next("/sessions/abc?x=1") == "/sessions/abc?x=1"
    for hostile in ("https://evil.example", "//evil.example/x", "/\\evil.example", None, ""):
        assert safe_next(hostile) == "/sessions"


def test_session_secret_is_generated_once_and_kept_0600(tmp_path: Path) -> None:
    settings = Settings(state_dir=tmp_path / "state")
    first = session_secret(settings)
    path = tmp_path / "state" / SESSION_SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert session_secret(settings) == first and len(first) >= 32
    configured = Settings(state_dir=tmp_path / "other", session_secret=SecretStr("from-env"))
    assert session_secret(configured) == "from-env"
    assert not (tmp_path / "other" / SESSION_SECRET_FILE).exists()


async def test_pages_redirect_to_login_then_back_after_github_approves(
    github_settings: Settings, fake_github: FakeGitHub, db_engine: Engine
) -> None:
    seeded = seed_session(db_engine, installation_id=INSTALLATION_A)
    fake_github.add_oauth_user("ada", installations=[INSTALLATION_A])
    async with serve(github_settings) as client:
        anonymous = await client.get(f"/sessions/{seeded.session_id}")
        assert anonymous.status_code == 303
        assert anonymous.headers["location"] == f"/login?next=/sessions/{seeded.session_id}"

        landed = await log_in(client, fake_github, "ada")
        assert landed.status_code == 303 and landed.headers["location"] == "/sessions"
        listing = await client.get("/sessions")

    assert listing.status_code == 200
    assert "ada" in listing.text and seeded.session_id in listing.text
    listed = fake_github.calls("apps/list-installations-for-authenticated-user")
    assert listed and listed[0].headers["authorization"].split(" ")[1].startswith("gho_")


async def test_state_mismatch_is_refused_with_a_way_forward(
    github_settings: Settings, fake_github: FakeGitHub
) -> None:
    fake_github.set_oauth_client(CLIENT_ID, "dashboard-client-secret")
    fake_github.add_oauth_user("mallory", installations=[INSTALLATION_A])
    fake_github.sign_in("mallory")
    async with serve(github_settings) as client:
        start = await client.get("/login")
        async with httpx.AsyncClient() as browser:
            approved = await browser.get(start.headers["location"])
        code = parse_qs(urlsplit(approved.headers["location"]).query)["code"][0]
        forged = await client.get(f"/oauth/callback?code={code}&state=not-the-one-we-sent")
        after = await client.get("/sessions")

    assert forged.status_code == 400
    assert "state does not match" in forged.text and "/login" in forged.text
    assert not fake_github.oauth_tokens  # the code was never exchanged
    assert after.status_code == 303  # and nobody is signed in


async def test_a_code_github_rejects_is_explained(
    github_settings: Settings, fake_github: FakeGitHub
) -> None:
    fake_github.set_oauth_client(CLIENT_ID, "dashboard-client-secret")
    async with serve(github_settings) as client:
        start = await client.get("/login")
        state = parse_qs(urlsplit(start.headers["location"]).query)["state"][0]
        answer = await client.get(f"/oauth/callback?code=expired&state={state}")
    assert answer.status_code == 502
    assert "bad_verification_code" in answer.text and "sign in again" in answer.text


async def test_user_without_installations_sees_no_sessions(
    github_settings: Settings, fake_github: FakeGitHub, db_engine: Engine
) -> None:
    seeded = seed_session(db_engine, installation_id=INSTALLATION_A)
    fake_github.add_oauth_user("newcomer", installations=[])
    async with serve(github_settings) as client:
        await log_in(client, fake_github, "newcomer")
        listing = await client.get("/sessions")
        permalink = await client.get(f"/sessions/{seeded.session_id}")
    assert listing.status_code == 200
    assert seeded.session_id not in listing.text
    assert "access to no installation" in listing.text
    assert permalink.status_code == 404


async def test_login_without_an_oauth_client_says_which_settings_to_set(
    github_settings: Settings,
) -> None:
    settings = github_settings.model_copy(update={"github_client_id": None})
    async with serve(settings) as client:
        answer = await client.get("/login")
    assert answer.status_code == 503 and "TRUTH_GITHUB_CLIENT_ID" in answer.text


async def test_logout_forgets_the_viewer(
    github_settings: Settings, fake_github: FakeGitHub
) -> None:
    fake_github.add_oauth_user("ada", installations=[INSTALLATION_A])
    async with serve(github_settings) as client:
        await log_in(client, fake_github, "ada")
        assert (await client.get("/sessions")).status_code == 200
        await client.post("/logout")
        assert (await client.get("/sessions")).status_code == 303


async def test_local_mode_needs_no_login_and_shows_cli_sessions(
    local_settings: Settings, db_engine: Engine
) -> None:
    cli = seed_session(db_engine, installation_id=None, repository=None, repo_path="/home/ada/calc")
    async with serve(local_settings) as client:
        listing = await client.get("/sessions")
        login = await client.get("/login")
    assert listing.status_code == 200 and cli.session_id in listing.text
    assert "local mode" in listing.text
    assert login.status_code == 303 and login.headers["location"] == "/sessions"
