"""One-time setup links and registration states, kept in Redis with an expiry.

Redis, not process memory, so a restart or another replica behind the same load balancer
accepts a link printed by any replica and a state created by any replica; Redis's expiry
prunes what was never used. Tokens are stored as SHA-256 hashes: Redis never holds a
usable link. A link stays valid (reloads, a second tab, a chat's link preview) until an app is
registered, which deletes every link; a registration state is redeemed with GETDEL, so it
works exactly once even when two requests race, and one lock lets one registration finish.
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
REGISTERING_KEY = "truth:setup:registering"
REGISTERING_TTL_S = 120  # GitHub's conversion call is bounded by a 30 s timeout
MAX_CHARS = 128


def _well_formed(value: str | None) -> bool:
    return bool(value) and len(value or "") <= MAX_CHARS and (value or "").isascii()


def _hashed(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


async def _issue(redis: Redis, key: str, nbytes: int, ttl_s: int) -> str:
    """A random single-use value; only its hash is stored, with an expiry."""
    value = secrets.token_urlsafe(nbytes)
    await redis.set(key.format(_hashed(value)), "1", ex=ttl_s)
    return value


async def _redeem(redis: Redis, key: str, value: str | None) -> bool:
    """True once for a value issued within its expiry; False for anything else."""
    if value is None or not _well_formed(value):
        return False
    return await redis.getdel(key.format(_hashed(value))) is not None


async def issue_token(redis: Redis) -> str:
    return await _issue(redis, TOKEN_KEY, 32, TOKEN_TTL_S)


async def token_is_live(redis: Redis, token: str | None) -> bool:
    """A link issued within its expiry and no app registered since; using it keeps it."""
    if token is None or not _well_formed(token):
        return False
    return bool(await redis.exists(TOKEN_KEY.format(_hashed(token))))


async def new_state(redis: Redis) -> str:
    return await _issue(redis, STATE_KEY, 24, STATE_TTL_S)


async def redeem_state(redis: Redis, state: str | None) -> bool:
    return await _redeem(redis, STATE_KEY, state)


async def begin_registration(redis: Redis) -> bool:
    """True for the one request that may trade a registration code for credentials now."""
    return bool(await redis.set(REGISTERING_KEY, "1", nx=True, ex=REGISTERING_TTL_S))


async def end_registration(redis: Redis) -> None:
    await redis.delete(REGISTERING_KEY)


async def mark_configured(redis: Redis) -> None:
    """Every replica's setup routes close, not only the one that stored the credentials, and
    every link printed so far stops working."""
    await redis.set(CONFIGURED_KEY, "1")
    stale = [key async for key in redis.scan_iter(match=TOKEN_KEY.format("*"), count=500)]
    if stale:
        await redis.delete(*stale)


async def is_configured(redis: Redis) -> bool:
    return bool(await redis.exists(CONFIGURED_KEY))
