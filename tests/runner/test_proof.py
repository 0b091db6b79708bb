"""Proof files and secret redaction."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import docker
import pytest

from runner.limits import SandboxLimits
from runner.proof import write_proof
from runner.redact import redact
from runner.results import RunEnd, RunResult, TestOutcome, Verdict, Verification
from runner.results import TestStatus as Status
from runner.sandbox import Sandbox
from runner.snapshot import RepoSnapshot
from runner.verify import verify

TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"


def a_run(stdout: str, **tests: str) -> RunResult:
    outcomes = {t: TestOutcome(t, Status(s)) for t, s in tests.items()}
    return RunResult(
        "pytest -q", "sha256:abc", RunEnd.EXITED, 0, "t0", "t1", 12.0, stdout, "", tests=outcomes
    )


def test_redact_masks_tokens_keys_and_url_passwords() -> None:
    text = (
        f"token {TOKEN}\nAPI_KEY=supersecretvalue\nhttps://user:hunter22@proxy:3128/\n"
        "Authorization: Bearer abc.def.ghi\nnothing secret here"
    )
    masked = redact(text)
    assert TOKEN not in masked and "supersecretvalue" not in masked and "hunter22" not in masked
    assert "abc.def.ghi" not in masked
    assert "API_KEY=[REDACTED]" in masked
    assert "nothing secret here" in masked


def test_write_proof_saves_json_text_and_patch(tmp_path: Path) -> None:
    verification = Verification(
        Verdict.VERIFIED,
        "1 failing test(s) pass",
        a_run("baseline", **{"t.py::a": "failed"}),
        a_run(f"leaked {TOKEN}", **{"t.py::a": "passed"}),
        fixed_tests=["t.py::a"],
    )
    json_path, text_path = write_proof(
        verification, tmp_path / "proofs", "cand 1/x", patch="--- a\n+++ b\n"
    )
    assert json_path.name == "cand-1-x.json"
    record = json.loads(json_path.read_text())
    assert record["verdict"] == "verified"
    assert record["patched"]["tests"]["t.py::a"]["status"] == "passed"
    assert TOKEN not in json_path.read_text() and TOKEN not in text_path.read_text()
    assert "git apply /truth.patch" in record["reproduce"]
    assert str(tmp_path / "proofs" / "cand-1-x.patch") in record["reproduce"]
    text = text_path.read_text()
    assert (
        "verdict: verified" in text
        and "passed   t.py::a" in text
        and "reproduce: docker run" in text
    )


@pytest.mark.docker
def test_the_printed_reproduce_command_runs_from_the_proof_alone(
    docker_client: docker.DockerClient, sandbox_image: str, tmp_path: Path
) -> None:
    data = Path(__file__).resolve().parent.parent / "data" / "runner"
    snapshot = RepoSnapshot.from_path(data / "buggy")
    patch = (data / "right.patch").read_text()
    sandbox = Sandbox(docker_client, sandbox_image, SandboxLimits(wall_seconds=20))
    result = verify(sandbox, snapshot, patch)
    assert result.verified, result.reason
    json_path, _ = write_proof(result, tmp_path / "proofs", "fix", patch=patch, snapshot=snapshot)
    record = json.loads(json_path.read_text())
    # run from an unrelated folder: nothing but the proof's files and the image are used
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for run, code, summary in (("baseline", 1, "1 failed, 2 passed"), ("patched", 0, "3 passed")):
        done = subprocess.run(
            record[run]["reproduce"],
            shell=True,
            cwd=elsewhere,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == code, done.stdout + done.stderr
        assert summary in done.stdout
    assert record["reproduce"] == record["patched"]["reproduce"]
