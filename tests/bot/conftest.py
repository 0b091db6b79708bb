"""Fixtures for the bot's tests: settings of a configured GitHub App on a real Redis."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings


@pytest.fixture
def settings(tmp_path: Path, redis_url: str, private_key: str) -> Settings:
    return Settings(
        github_app_id=1,
        github_private_key=private_key,
        redis_url=redis_url,
        state_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
        github_webhook_secret="s",
    )
