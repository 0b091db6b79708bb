"""Fixtures for the bot's tests: settings of a configured GitHub App on a real Redis."""

from __future__ import annotations

import pytest

from bot.settings import Settings
from tests.fixtures.app import SettingsFactory


@pytest.fixture
def settings(make_settings: SettingsFactory) -> Settings:
    return make_settings()
