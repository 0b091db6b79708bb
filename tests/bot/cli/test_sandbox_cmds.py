"""`truth verify`, `truth sandbox build` and `truth doctor` end to end through the click CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli

DATA = Path(__file__).resolve().parents[2] / "data" / "runner"
BUGGY = str(DATA / "buggy")


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("TRUTH_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("TRUTH_SANDBOX_IMAGE", raising=False)
    monkeypatch.delenv("TRUTH_DOCKER_HOST", raising=False)
    return CliRunner()


@pytest.mark.docker
def test_verify_json_for_the_right_patch(runner: CliRunner, sandbox_image: str) -> None:
    result = runner.invoke(cli, ["verify", BUGGY, "--patch", str(DATA / "right.patch"), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert set(body) >= {
        "verdict",
        "reason",
        "baseline",
        "patched",
        "fixed_tests",
        "regressions",
        "proof",
        "python",
        "test_command",
        "install",
        "pre_existing_failures",
    }
    assert body["verdict"] == "verified"
    assert body["python"]["version"] == "3.11"
    assert body["pre_existing_failures"] == []
    assert body["fixed_tests"] == ["tests/test_calc.py::test_add"]
    assert body["baseline"]["failing_tests"] == ["tests/test_calc.py::test_add"]
    assert body["patched"]["patch_strategy"] == "git-apply"
    proof = json.loads(Path(body["proof"]["json"]).read_text())
    assert proof["verdict"] == "verified"
    assert proof["reproduce"].startswith("docker run ")
    assert "verdict: verified" in Path(body["proof"]["text"]).read_text()
    # The run is a session on the dashboard: the patch its verified candidate, with its proof.
    session_id = body["session_url"].rsplit("/sessions/", 1)[1]
    from bot.settings import load_settings
    from db.engine import init_db, session_scope
    from db.queries import get_session_detail

    engine = init_db(load_settings().database_url)
    with session_scope(engine) as db:
        detail = get_session_detail(db, session_id)
        assert detail is not None and detail.session.status == "verified"
        assert detail.session.winner_candidate_id == "patch"
        assert [p.candidate_id for p in detail.proofs] == ["patch"]
        assert detail.candidates[0].description == "the patch in right.patch"
    engine.dispose()


@pytest.mark.docker
def test_verify_wrong_patch_exits_1_with_reason(runner: CliRunner, sandbox_image: str) -> None:
    result = runner.invoke(cli, ["verify", BUGGY, "--patch", str(DATA / "wrong.patch")])
    assert result.exit_code == 1
    assert "FAILED" in result.stdout
    assert "test_add" in result.stdout
    assert "Session: http://localhost:8000/sessions/" in result.stdout  # where to see it


def test_missing_path_is_bad_input(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        cli, ["verify", str(tmp_path / "nope"), "--patch", str(DATA / "right.patch")]
    )
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_file_instead_of_folder_is_bad_input(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["verify", str(DATA / "right.patch"), "--patch", str(DATA / "right.patch")]
    )
    assert result.exit_code == 2
    assert "is not a directory" in result.stderr


@pytest.mark.parametrize(("content", "message"), [(None, "does not exist"), ("  \n", "is empty")])
def test_missing_or_empty_patch_is_bad_input(
    runner: CliRunner, tmp_path: Path, content: str | None, message: str
) -> None:
    patch = tmp_path / "fix.patch"
    if content is not None:
        patch.write_text(content)
    result = runner.invoke(cli, ["verify", BUGGY, "--patch", str(patch)])
    assert result.exit_code == 2
    assert message in result.stderr


def test_unreachable_docker_says_how_to_start_it(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TRUTH_DOCKER_HOST", f"unix://{tmp_path}/no-docker.sock")
    result = runner.invoke(cli, ["verify", BUGGY, "--patch", str(DATA / "right.patch")])
    assert result.exit_code == 2
    assert "Docker engine not reachable" in result.stderr
    assert "dockerd" in result.stderr


@pytest.mark.docker
def test_sandbox_build_prints_the_existing_tag(runner: CliRunner, sandbox_image: str) -> None:
    result = runner.invoke(cli, ["sandbox", "build"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == sandbox_image


@pytest.mark.docker
def test_doctor_reports_each_failure_with_a_fix(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, sandbox_image: str
) -> None:
    monkeypatch.setenv("TRUTH_REDIS_URL", "redis://127.0.0.1:1/0")
    result = runner.invoke(cli, ["doctor"])
    assert result.exit_code == 1
    lines = {line.split()[1]: line for line in result.stdout.splitlines()}
    assert lines["docker"].startswith("OK")
    assert lines["sandbox"].startswith("OK") and sandbox_image in lines["sandbox"]
    assert lines["redis"].startswith("FAIL") and "start redis-server" in lines["redis"]
    assert lines["database"].startswith("OK")


@pytest.mark.docker
@pytest.mark.services
def test_doctor_all_ok_exits_0(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, redis_url: str, sandbox_image: str
) -> None:
    monkeypatch.setenv("TRUTH_REDIS_URL", redis_url)
    result = runner.invoke(cli, ["doctor"])
    assert result.exit_code == 0, result.stdout
    assert all(line.startswith("OK") for line in result.stdout.splitlines())


REPOS = Path(__file__).resolve().parents[2] / "data" / "repos"


@pytest.mark.docker
def test_verify_environment_error_exits_2_with_the_remedy(
    runner: CliRunner, sandbox_image: str
) -> None:
    patch = REPOS / "setup_py_only" / "fix.patch"
    result = runner.invoke(cli, ["verify", str(REPOS / "undeclared_import"), "--patch", str(patch)])
    assert result.exit_code == 2, result.output
    assert "ENVIRONMENT_ERROR" in result.stdout
    assert "psutil, which no dependency file declares" in " ".join(result.stdout.split())


@pytest.mark.docker
def test_verify_honours_truth_yml_targets_env_and_lists_pre_existing_failures(
    runner: CliRunner, sandbox_image: str, tmp_path: Path
) -> None:
    """`env:` reaches the tests; a failure that is not a target stays a pre-existing one."""
    repo = tmp_path / "repo"
    (repo / ".github").mkdir(parents=True)
    (repo / ".github" / "truth.yml").write_text(
        "targets: [tests/test_x.py::test_sum]\nenv: {GREETING: hallo}\ntimeout: 120\n"
    )
    (repo / "tests").mkdir()
    (repo / "calc.py").write_text("def total(xs):\n    return sum(xs) - 1\n")
    (repo / "tests" / "test_x.py").write_text(
        "import os\nimport sys\n\nsys.path.insert(0, '.')\nfrom calc import total\n\n\n"
        "def test_sum():\n    assert total([1, 2]) == 3\n\n\n"
        "def test_greeting():\n    assert os.environ['GREETING'] == 'hallo'\n\n\n"
        "def test_known_broken():\n    assert False, 'pre-existing'\n"
    )
    patch = tmp_path / "fix.patch"
    patch.write_text(
        "--- a/calc.py\n+++ b/calc.py\n@@ -1,2 +1,2 @@\n def total(xs):\n"
        "-    return sum(xs) - 1\n+    return sum(xs)\n"
    )
    result = runner.invoke(cli, ["verify", str(repo), "--patch", str(patch), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["verdict"] == "verified", body["reason"]
    assert body["pre_existing_failures"] == ["tests/test_x.py::test_known_broken"]
    assert body["baseline"]["tests"]["tests/test_x.py::test_greeting"] == "passed"
    assert "GREETING=hallo" in body["test_command"]["command"]
    proof = json.loads(Path(body["proof"]["json"]).read_text())
    assert proof["environment"]["python"].startswith("3.11 (")
    assert "== environment" in Path(body["proof"]["text"]).read_text()
