"""`truth fix` end to end on every example project: real Docker sandboxes, SQLite session store."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import Session, select

from bot.cli import cli
from db.engine import make_engine
from db.fix_sessions import CandidateRecord, ConsoleLine, FixSession

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FIXABLE = ["off_by_one", "wrong_operator", "missing_import", "typo_attribute", "missing_none_check"]

pytestmark = [pytest.mark.docker, pytest.mark.slow]


@pytest.fixture
def truth_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sandbox_image: str) -> Path:
    state = tmp_path / "state"
    monkeypatch.setenv("TRUTH_STATE_DIR", str(state))
    monkeypatch.setenv("TRUTH_SANDBOX_IMAGE", sandbox_image)
    monkeypatch.delenv("TRUTH_MODEL", raising=False)
    monkeypatch.delenv("TRUTH_DATABASE_URL", raising=False)
    return state


def run_fix_json(path: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, ["fix", str(path), "--json"], catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("name", FIXABLE)
def test_fixable_example_gets_a_verified_fix_that_really_passes(
    name: str, truth_env: Path, tmp_path: Path
) -> None:
    code, report = run_fix_json(EXAMPLES / name)

    assert (code, report["status"]) == (0, "verified"), report["candidates"]
    winner = report["winner"]
    assert winner["diff"].startswith("--- a/")
    assert report["baseline"]["failing_tests"], "the baseline must have reproduced the failure"
    proof = json.loads(Path(winner["proof"]["json"]).read_text())
    assert proof["patched"]["exit_code"] == 0
    # Independent check outside the pipeline: the patch applies and the tests pass on the host.
    copy = tmp_path / "copy"
    shutil.copytree(EXAMPLES / name, copy)
    subprocess.run(
        ["patch", "-p1", "-s", "-d", str(copy)], input=winner["diff"], text=True, check=True
    )
    tests = subprocess.run(
        ["python", "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=copy,
        capture_output=True,
        text=True,
    )
    assert tests.returncode == 0, tests.stdout


def test_unfixable_bug_reports_no_fix_with_what_was_tried(truth_env: Path) -> None:
    code, report = run_fix_json(EXAMPLES / "no_fix")

    assert (code, report["status"], report["winner"]) == (1, "no_fix", None)
    assert report["candidates"], "the rule engine should have tried something"
    assert all(c["status"] != "verified" for c in report["candidates"])
    assert "No verified fix" in report["message"]


def test_green_repository_has_nothing_to_fix(truth_env: Path) -> None:
    code, report = run_fix_json(EXAMPLES / "green")

    assert (code, report["status"], report["candidates"]) == (3, "nothing_to_fix", [])
    assert report["baseline"]["exit_code"] == 0


def test_session_is_stored_with_console_and_candidates(truth_env: Path) -> None:
    code, report = run_fix_json(EXAMPLES / "off_by_one")
    assert code == 0

    engine = make_engine(f"sqlite:///{truth_env / 'truth.db'}")
    with Session(engine) as s:
        stored = s.get(FixSession, report["session_id"])
        assert stored is not None
        assert (stored.status, stored.error_type) == ("verified", "IndexError")
        assert stored.winner_candidate_id == report["winner"]["id"]
        console = s.exec(select(ConsoleLine).where(ConsoleLine.session_id == stored.id)).all()
        messages = [line.message for line in console]
        assert messages[0] == "Analyzing failure…"
        assert "Reproducing in sandbox…" in messages
        assert any(m.startswith("Candidate ") and " → passed in " in m for m in messages)
        candidates = s.exec(
            select(CandidateRecord).where(CandidateRecord.session_id == stored.id)
        ).all()
        assert len(candidates) == len(report["candidates"])


def test_second_run_offers_the_cached_fix_first(truth_env: Path) -> None:
    run_fix_json(EXAMPLES / "off_by_one")
    code, report = run_fix_json(EXAMPLES / "off_by_one")

    assert code == 0
    assert report["candidates"][0]["engine"].startswith("cache")
    assert report["winner"]["id"] == report["candidates"][0]["id"]


def test_missing_path_is_bad_input(truth_env: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["fix", str(tmp_path / "nope")])

    assert result.exit_code == 2
    assert "not a directory" in result.output


def test_repository_config_is_honoured_protected_paths_are_never_patched(
    truth_env: Path, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "off_by_one", repo)
    (repo / ".github").mkdir()
    (repo / ".github" / "truth.yml").write_text("protected_paths: ['series/*']\n")

    code, report = run_fix_json(repo)

    assert (code, report["status"]) == (1, "no_fix")
    assert report["candidates"]
    assert all(c["status"] == "rejected" for c in report["candidates"])
    assert "protected" in report["candidates"][0]["reason"]


def test_invalid_repository_config_is_bad_input_naming_the_key(
    truth_env: Path, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "off_by_one", repo)
    (repo / ".github").mkdir()
    (repo / ".github" / "truth.yml").write_text("max_candidates: lots\n")

    result = CliRunner().invoke(cli, ["fix", str(repo)])

    assert result.exit_code == 2
    assert "max_candidates" in result.output
