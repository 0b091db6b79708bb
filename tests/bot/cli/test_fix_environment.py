"""`truth fix` stops at an environment problem: exit 2, the cause and remedy, no candidates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli

REPOS = Path(__file__).resolve().parents[2] / "data" / "repos"


@pytest.mark.docker
@pytest.mark.slow
def test_undeclared_import_stops_truth_fix_with_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sandbox_image: str
) -> None:
    monkeypatch.setenv("TRUTH_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("TRUTH_SANDBOX_IMAGE", sandbox_image)
    monkeypatch.delenv("TRUTH_MODEL", raising=False)
    monkeypatch.delenv("TRUTH_DATABASE_URL", raising=False)
    repo = Path(shutil.copytree(REPOS / "undeclared_import", tmp_path / "repo"))
    result = CliRunner().invoke(cli, ["fix", str(repo), "--json"], catch_exceptions=False)
    assert result.exit_code == 2, result.output
    report = json.loads(result.stdout)
    assert report["status"] == "environment_error"
    assert report["message"] == (
        "tests/conftest.py imports psutil, which no dependency file declares: add psutil to "
        "requirements-test.txt, or set install_command in .github/truth.yml"
    )
    assert report["candidates"] == []
