"""The GitHub App end to end: its settings and its web app, shared by the e2e test files."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.settings import Settings
from tests.fixtures.app import SettingsFactory, serve


@pytest.fixture
def settings(make_settings: SettingsFactory, sandbox_image: str) -> Settings:
    return make_settings(sandbox_image=sandbox_image, model=None, fallback_model=None)


@pytest.fixture
async def app_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(settings) as client:
        yield client
