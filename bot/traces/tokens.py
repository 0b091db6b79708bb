"""Bearer tokens for the /v1 API: minted once, stored as SHA-256, scoped to an installation."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy.engine import Engine
from sqlmodel import select

from db.engine import session_scope
from db.fix_sessions import utcnow
from db.traces import ApiToken

TOKEN_PREFIX = "tet_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def mint_token(engine: Engine, installation_id: int, label: str = "") -> str:
    """Create a token; the plain value is returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with session_scope(engine) as session:
        session.add(
            ApiToken(token_hash=hash_token(token), installation_id=installation_id, label=label)
        )
    return token


def installation_for(engine: Engine, token: str) -> int | None:
    """The installation a live token belongs to, or None for unknown or revoked tokens."""
    with session_scope(engine) as session:
        row = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).first()
        if row is None or row.revoked_at is not None:
            return None
        return row.installation_id


def revoke_token(engine: Engine, token: str) -> bool:
    with session_scope(engine) as session:
        row = session.get(ApiToken, hash_token(token))
        if row is None or row.revoked_at is not None:
            return False
        row.revoked_at = utcnow()
        session.add(row)
        return True


def main(argv: list[str] | None = None) -> None:
    """`python -m bot.traces.tokens --installation-id N [--label L]`: print a new API token."""
    import argparse

    from bot.settings import load_settings
    from db.engine import init_db

    parser = argparse.ArgumentParser(description="Mint a /v1 API bearer token")
    parser.add_argument("--installation-id", type=int, required=True)
    parser.add_argument("--label", default="")
    args = parser.parse_args(argv)
    engine = init_db(load_settings().database_url)
    try:
        print(mint_token(engine, args.installation_id, args.label))
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
