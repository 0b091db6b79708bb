"""Fixtures for the trace tests: settings under tmp_path and real git fix histories."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings
from tests.bot.traces.history import good_fix_history, sloppy_fix_history


@pytest.fixture
def trace_settings(tmp_path: Path) -> Settings:
    return Settings(state_dir=tmp_path / "state", trace_secret="test-trace-secret", model=None)  # type: ignore[arg-type]


@pytest.fixture
def good_repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    repo = tmp_path / "good"
    return repo, good_fix_history(repo)


@pytest.fixture
def sloppy_repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    repo = tmp_path / "sloppy"
    return repo, sloppy_fix_history(repo)
