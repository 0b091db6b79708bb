"""`truth trace` and `truth trace-verify` end to end on a real git history: exit codes 0/1/2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.traces.signing import public_key_document
from tests.bot.traces.history import good_fix_history


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "TRUTH_STATE_DIR": str(tmp_path / "state"),
        "TRUTH_TRACE_SECRET": "cli-secret",
        "TRUTH_MODEL": "",
    }


@pytest.fixture
def traced(tmp_path: Path, env: dict[str, str]) -> Path:
    repo = tmp_path / "repo"
    shas = good_fix_history(repo)
    out = tmp_path / "trace.json"
    result = CliRunner().invoke(
        cli,
        [
            "trace",
            str(repo),
            "--base",
            shas["base"],
            "--head",
            shas["more_tests"],
            "--out",
            str(out),
        ],
        env=env,
    )
    assert result.exit_code == 0, result.output
    return out


def _verify(file: Path, env: dict[str, str], *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["trace-verify", str(file), *extra], env=env)
    return result.exit_code, result.output


def test_trace_writes_a_sealed_judged_trace(traced: Path):
    document = json.loads(traced.read_text())
    assert document["metrics"]["num_commits"] == 5
    assert document["qa"]["judge"]["model"] == "builtin"
    assert document["integrity"]["signature"]["algorithm"] == "ed25519"
    assert "hunter22secret" not in traced.read_text()


def test_intact_trace_exits_0_with_the_local_key_or_the_secret(traced: Path, env):
    code, output = _verify(traced, env)
    assert code == 0 and output.startswith("Intact: 11 events; checked the Ed25519 signature (key ")
    code, output = _verify(traced, {**env, "MY_SECRET": "cli-secret"}, "--secret-env", "MY_SECRET")
    assert code == 0 and "and the HMAC chain." in output


def test_a_flipped_byte_in_an_event_exits_1_and_names_it(traced: Path, env):
    document = json.loads(traced.read_text())
    target = document["events"][4]
    raw = traced.read_bytes()
    position = raw.index(target["id"].encode()) + len("evt-")
    flipped = bytearray(raw)
    flipped[position] ^= 0x01
    traced.write_bytes(bytes(flipped))
    code, output = _verify(traced, env)
    assert code == 1
    assert "TAMPERED" in output and "event seq 4" in output
    code, output = _verify(traced, {**env, "S": "cli-secret"}, "--secret-env", "S")
    assert code == 1 and "event seq 4" in output


def test_third_party_with_only_the_published_public_key(traced: Path, env, tmp_path: Path):
    from bot.settings import Settings
    from bot.traces.signing import load_or_create_signing_key

    key = load_or_create_signing_key(Settings(state_dir=tmp_path / "state"))  # type: ignore[arg-type]
    published = tmp_path / "key.b64"
    published.write_text(public_key_document(key.public_key())["public_key"])
    stranger = {"TRUTH_STATE_DIR": str(tmp_path / "elsewhere")}
    assert _verify(traced, stranger, "--public-key", str(published))[0] == 0
    text = traced.read_text().replace('"author": "Ada Dev"', '"author": "Eve Dev"', 1)
    traced.write_text(text)
    code, output = _verify(traced, stranger, "--public-key", str(published))
    assert code == 1 and "event seq 0" in output


def test_unreadable_inputs_exit_2(tmp_path: Path, env):
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    code, output = _verify(garbage, env)
    assert code == 2 and "not JSON" in output
    unsealed = tmp_path / "unsealed.json"
    unsealed.write_text('{"events": []}')
    code, output = _verify(unsealed, env)
    assert code == 2 and "no integrity block" in output
    assert _verify(tmp_path / "missing.json", env)[0] == 2


def test_no_key_available_exits_2_and_says_what_to_pass(traced: Path, tmp_path: Path):
    code, output = _verify(traced, {"TRUTH_STATE_DIR": str(tmp_path / "empty")})
    assert code == 2 and "--public-key" in output


def test_trace_with_a_bad_ref_exits_2(tmp_path: Path, env):
    repo = tmp_path / "repo"
    good_fix_history(repo)
    result = CliRunner().invoke(
        cli, ["trace", str(repo), "--base", "nope", "--head", "HEAD"], env=env
    )
    assert result.exit_code == 2 and "rev-parse" in result.output
