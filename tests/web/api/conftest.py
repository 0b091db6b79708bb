"""An ASGI app built from web.api.routes alone, on a migrated database, plus tokens."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine
from starlette.applications import Starlette

from bot.settings import Settings
from bot.traces.tokens import mint_token
from web.api import routes

INSTALLATION = 4242
CHUNK_LIMIT = 96 * 1024


@pytest.fixture
def api_settings(tmp_path: Path) -> Settings:
    return Settings(state_dir=tmp_path / "state", trace_secret="api-secret")  # type: ignore[arg-type]


@pytest.fixture
async def client(api_settings: Settings, db_engine: Engine) -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(routes=routes(api_settings, engine=db_engine, max_chunk_bytes=CHUNK_LIMIT))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as test_client:
        yield test_client


@pytest.fixture
def token(db_engine: Engine) -> str:
    return mint_token(db_engine, INSTALLATION)


@pytest.fixture
def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def header(repo: str = "acme/widgets", consent: bool = True) -> dict[str, object]:
    return {
        "session": {"consent": consent, "actor": "ada"},
        "task": {"title": "Fix median for even-length lists"},
        "repo": {"name": repo, "head": "abc123"},
    }


def event(seq: int, **payload: object) -> dict[str, object]:
    base: dict[str, object] = {"seq": seq, "ts_client": 1_700_000_000.0 + seq}
    if not payload:
        payload = {"type": "cmd_run", "cmd": f"pytest -k case{seq}", "exit_code": 0}
    return {**base, **payload}
