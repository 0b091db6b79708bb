"""Shared by dashboard tests: the whole app (create_app) on a seeded database, OAuth login."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy.engine import Engine

from bot.settings import Settings
from tests.fixtures.github import FakeGitHub
from web.app import create_app

PUBLIC_URL = "http://truth"
CLIENT_ID = "Iv1.dashboardclient"
CLIENT_SECRET = "dashboard-client-secret"
INSTALLATION_A = 101
INSTALLATION_B = 202


def database_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def github_settings(tmp_path: Path, db_engine: Engine) -> Settings:
    """A server with a GitHub App and an OAuth client: every page needs a login."""
    return Settings(
        state_dir=tmp_path / "state",
        database_url=database_url(db_engine),
        public_url=PUBLIC_URL,
        github_app_id=1,
        github_private_key=SecretStr("not-used-by-the-dashboard"),
        github_client_id=CLIENT_ID,
        github_client_secret=SecretStr(CLIENT_SECRET),
        daily_verification_quota=10,
    )


@pytest.fixture
def local_settings(tmp_path: Path, db_engine: Engine) -> Settings:
    """No GitHub App: local mode, no login, every session visible."""
    return Settings(
        state_dir=tmp_path / "state", database_url=database_url(db_engine), public_url=PUBLIC_URL
    )


@asynccontextmanager
async def serve(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client:
            yield client


async def log_in(client: httpx.AsyncClient, fake_github: FakeGitHub, login: str) -> httpx.Response:
    """What a browser does: /login → github.com authorize (approves as `login`) → callback."""
    fake_github.set_oauth_client(CLIENT_ID, CLIENT_SECRET)
    fake_github.sign_in(login)
    start = await client.get("/login?next=/sessions")
    assert start.status_code == 303, start.text
    async with httpx.AsyncClient() as browser_to_github:
        approved = await browser_to_github.get(start.headers["location"])
    assert approved.status_code == 302, approved.text
    back = httpx.URL(approved.headers["location"])
    assert str(back).startswith(f"{PUBLIC_URL}/oauth/callback")
    return await client.get(back.raw_path.decode())
