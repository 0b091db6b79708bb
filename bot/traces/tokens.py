"""Bearer tokens for the /v1 API: minted once, stored as SHA-256, scoped to an installation."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy.engine import Engine
from sqlmodel import select

from db.engine import session_scope
from db.sessions import utcnow
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
