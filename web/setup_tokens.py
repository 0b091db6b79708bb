"""One-time setup links and registration states, kept in Redis with an expiry.

Redis, not process memory, so a restart or another replica behind the same load balancer
accepts a link printed by any replica and a state created by any replica; Redis's expiry
prunes what was never used. Tokens are stored as SHA-256 hashes: Redis never holds a
usable link. Redeeming is GETDEL: a link or a state works exactly once, even when two
requests race.
"""

from __future__ import annotations

import hashlib
import secrets

from redis.asyncio import Redis

TOKEN_TTL_S = 24 * 3600  # restart `truth serve` for a new link after a day
STATE_TTL_S = 3600  # GitHub's manifest codes expire after an hour too
TOKEN_KEY = "truth:setup:token:{}"
STATE_KEY = "truth:setup:state:{}"
CONFIGURED_KEY = "truth:setup:configured"
MAX_CHARS = 128


def _well_formed(value: str | None) -> bool:
    return bool(value) and len(value or "") <= MAX_CHARS and (value or "").isascii()


def _hashed(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


async def issue_token(redis: Redis) -> str:
    token = secrets.token_urlsafe(32)
    await redis.set(TOKEN_KEY.format(_hashed(token)), "1", ex=TOKEN_TTL_S)
    return token


async def redeem_token(redis: Redis, token: str | None) -> bool:
    """True once for a token issued within TOKEN_TTL_S; False for anything else."""
    if token is None or not _well_formed(token):
        return False
    return await redis.getdel(TOKEN_KEY.format(_hashed(token))) is not None


async def new_state(redis: Redis) -> str:
    state = secrets.token_urlsafe(24)
    await redis.set(STATE_KEY.format(_hashed(state)), "1", ex=STATE_TTL_S)
    return state


async def redeem_state(redis: Redis, state: str | None) -> bool:
    if state is None or not _well_formed(state):
        return False
    return await redis.getdel(STATE_KEY.format(_hashed(state))) is not None


async def mark_configured(redis: Redis) -> None:
    """Every replica's setup routes close, not only the one that stored the credentials."""
    await redis.set(CONFIGURED_KEY, "1")


async def is_configured(redis: Redis) -> bool:
    return bool(await redis.exists(CONFIGURED_KEY))
