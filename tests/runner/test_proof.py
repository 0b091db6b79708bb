"""Proof files and secret redaction."""

from __future__ import annotations

import json
from pathlib import Path

from runner.proof import write_proof
from runner.redact import redact
from runner.results import RunEnd, RunResult, TestOutcome, Verdict, Verification
from runner.results import TestStatus as Status

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
