"""The cheapest repair engine: fixes verified before for the same error signature.

Entries are keyed by the verification rules' version (runner.policy.RULES_VERSION) as well as
the signature: a fix verified under older rules is dropped, never offered, and only a fix that
passes the current static policy is stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import ColumnElement
from sqlalchemy.engine import Engine
from sqlmodel import col, or_, select

from bot.repair.base import CandidatePatch, RepairContext
from bot.repair.diffs import DiffError, apply_diff_in_memory, parse_diff
from bot.repair.sanitize import check_patch
from db.engine import session_scope
from db.fix_sessions import FixCacheEntry, utcnow
from runner.policy import RULES_VERSION

RULES_PREFIX = f"r{RULES_VERSION}:"


def diff_sha256(diff: str) -> str:
    return hashlib.sha256(diff.encode("utf-8")).hexdigest()


def cache_key(signature: str) -> str:
    """The stored key: the error signature under the current verification rules."""
    return RULES_PREFIX + signature


def drop_stale(engine: Engine) -> int:
    """Delete fixes verified under older rules; returns how many were dropped."""
    with session_scope(engine) as session:
        stale = session.exec(
            select(FixCacheEntry).where(col(FixCacheEntry.signature).not_like(f"{RULES_PREFIX}%"))
        ).all()
        for entry in stale:
            session.delete(entry)
        return len(stale)


@dataclass
class CachedFix:
    diff: str
    verified_count: int


def cached_fixes(engine: Engine, signature: str, repository: str | None) -> list[CachedFix]:
    """Fixes for `signature` this repository may see, most verified first, one per diff.

    A repository sees its own fixes and the shared ones (stored without a repository)."""
    drop_stale(engine)
    scope: ColumnElement[bool] = col(FixCacheEntry.repository).is_(None)
    if repository is not None:
        scope = or_(scope, col(FixCacheEntry.repository) == repository)
    query = (
        select(FixCacheEntry)
        .where(FixCacheEntry.signature == cache_key(signature), scope)
        .order_by(col(FixCacheEntry.verified_count).desc(), col(FixCacheEntry.id))
    )
    merged: dict[str, CachedFix] = {}
    with session_scope(engine) as session:
        for entry in session.exec(query):
            fix = merged.setdefault(entry.diff_sha256, CachedFix(entry.diff, 0))
            fix.verified_count += entry.verified_count
    return sorted(merged.values(), key=lambda fix: -fix.verified_count)


def remember_fix(
    engine: Engine,
    signature: str,
    diff: str,
    repository: str | None = None,
    repo_root: Path | None = None,
) -> FixCacheEntry:
    """Record a verified fix; the same diff verified again counts up instead of duplicating.

    Pass `repository=None` only when the owner consented to sharing the fix. With `repo_root`
    (the unpatched checkout) the fix is checked against the current policy first, and refused
    with ValueError if it breaks it."""
    if not signature:
        raise ValueError("a fix is cached under its error signature; got an empty signature")
    parse_diff(diff)  # refuse to cache something that is not a unified diff
    if repo_root is not None:
        checked = check_patch(repo_root, diff)
        if not checked.ok:
            raise ValueError(f"not cached: {checked.reason}")
    signature = cache_key(signature)
    digest = diff_sha256(diff)
    with session_scope(engine) as session:
        entry = session.exec(
            select(FixCacheEntry).where(
                FixCacheEntry.signature == signature,
                FixCacheEntry.diff_sha256 == digest,
                col(FixCacheEntry.repository) == repository
                if repository is not None
                else col(FixCacheEntry.repository).is_(None),
            )
        ).first()
        if entry is None:
            entry = FixCacheEntry(
                signature=signature, diff=diff, diff_sha256=digest, repository=repository
            )
        else:
            entry.verified_count += 1
            entry.last_verified_at = utcnow()
        session.add(entry)
        session.flush()
        return entry


class FixCacheEngine:
    """Offers cached diffs that still apply to the checkout; the pipeline re-verifies each."""

    name = "cache"

    def __init__(self, engine: Engine, repository: str | None = None) -> None:
        self.engine = engine
        self.repository = repository

    def propose(self, ctx: RepairContext, limit: int) -> Iterator[CandidatePatch]:
        if not ctx.signature or limit <= 0:
            return
        offered = 0
        for fix in cached_fixes(self.engine, ctx.signature, self.repository):
            if offered >= limit:
                return
            if not _applies(ctx, fix.diff):
                continue
            offered += 1
            yield CandidatePatch(
                engine=self.name,
                diff=fix.diff,
                description=f"fix verified {fix.verified_count} time(s) before for this error",
                meta={"verified_count": fix.verified_count, "signature": ctx.signature},
            )


def _applies(ctx: RepairContext, diff: str) -> bool:
    # A stale diff would only waste a sandbox run; the code may have moved on since.
    try:
        files = {}
        for patch in parse_diff(diff):
            if patch.old_path is not None:
                path = ctx.repo_root / patch.old_path
                if not path.is_file():
                    return False
                files[patch.old_path] = path.read_text(encoding="utf-8")
        apply_diff_in_memory(files, diff)
    except (DiffError, OSError, UnicodeDecodeError):
        return False
    return True
