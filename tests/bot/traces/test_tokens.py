"""API tokens: minted once, stored hashed, scoped, revocable; the mint command prints one."""

from __future__ import annotations

from bot.traces.tokens import hash_token, installation_for, main, mint_token, revoke_token
from db.engine import init_db


def test_tokens_resolve_to_their_installation_until_revoked(db_engine):
    token = mint_token(db_engine, 11, "ci")
    assert token.startswith("tet_") and len(token) > 40
    assert installation_for(db_engine, token) == 11
    assert installation_for(db_engine, token + "x") is None
    assert revoke_token(db_engine, token) and not revoke_token(db_engine, token)
    assert installation_for(db_engine, token) is None
    assert hash_token(token) != token


def test_mint_command_prints_a_working_token(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TRUTH_DATABASE_URL", url)
    monkeypatch.setenv("TRUTH_STATE_DIR", str(tmp_path))
    main(["--installation-id", "9", "--label", "laptop"])
    token = capsys.readouterr().out.strip()
    engine = init_db(url)
    try:
        assert installation_for(engine, token) == 9
    finally:
        engine.dispose()
