"""The dashboard refuses malformed searches and URLs with a 400 page, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from bot.settings import Settings
from tests.web.dashboard.app import serve


@pytest.mark.parametrize(
    "url",
    [
        "/sessions?repository=acme%00widgets",
        "/sessions?until=10000-01-01",
        "/sessions?page=99999999999999999999999",
        "/sessions?error_type=" + "e" * 201,
        "/sessions/abc%00",
        "/snippets?error_type=%00",
    ],
)
async def test_malformed_searches_and_urls_are_400(
    local_settings: Settings, db_engine: Engine, url: str
) -> None:
    async with serve(local_settings) as client:
        answer = await client.get(url)
    assert answer.status_code == 400, answer.text
