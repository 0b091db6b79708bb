"""The snippet library: verified fixes from the fix cache, labelled and searched by error type."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.repair.fix_cache import RULES_PREFIX
from db.engine import session_scope
from db.fix_sessions import FixCacheEntry, FixSession
from web.auth import Viewer

MAX_ENTRIES = 500


@dataclass(frozen=True)
class SessionFacts:
    """What a session says about a signature, and who may see that it said it."""

    signature: str
    error_type: str | None
    category: str | None
    repository: str | None
    installation_id: int | None
    consent: bool


@dataclass(frozen=True)
class Snippet:
    error_type: str
    category: str
    repository: str | None  # None: shared by consent across repositories
    diff: str
    verified_count: int
    last_verified_at: datetime


def build_snippets(
    entries: Iterable[FixCacheEntry],
    facts: Iterable[SessionFacts],
    viewer: Viewer,
    error_type: str | None = None,
) -> list[Snippet]:
    """Entries the viewer may see, labelled by sessions they may see (or that consented to
    sharing), filtered by a case-insensitive substring of the error type (pure)."""
    visible_facts = [f for f in facts if f.consent or viewer.may_see(f.installation_id)]
    own_repos = {f.repository for f in visible_facts if viewer.may_see(f.installation_id)}
    labels: dict[str, SessionFacts] = {}
    for fact in visible_facts:
        if fact.error_type and fact.signature not in labels:
            labels[fact.signature] = fact
    wanted = (error_type or "").strip().lower()
    snippets = []
    for entry in entries:
        if not viewer.local and entry.repository is not None and entry.repository not in own_repos:
            continue
        label = labels.get(entry.signature.removeprefix(RULES_PREFIX))
        kind = label.error_type if label and label.error_type else "unknown"
        if wanted and wanted not in kind.lower():
            continue
        snippets.append(
            Snippet(
                error_type=kind,
                category=(label.category if label else None) or "unknown",
                repository=entry.repository,
                diff=entry.diff,
                verified_count=entry.verified_count,
                last_verified_at=entry.last_verified_at,
            )
        )
    return snippets


def load_snippets(engine: Engine, viewer: Viewer, error_type: str | None) -> list[Snippet]:
    with session_scope(engine) as db:
        entries = list(
            db.exec(
                select(FixCacheEntry)
                # Only fixes verified under the current rules; the key is prefix + signature.
                .where(col(FixCacheEntry.signature).startswith(RULES_PREFIX))
                .order_by(col(FixCacheEntry.verified_count).desc(), col(FixCacheEntry.id))
                .limit(MAX_ENTRIES)
            )
        )
        signatures = sorted({entry.signature.removeprefix(RULES_PREFIX) for entry in entries})
        rows = db.exec(
            select(FixSession)
            .where(col(FixSession.signature).in_(signatures))
            .order_by(col(FixSession.created_at).desc())
        ).all()
        facts = [
            SessionFacts(
                r.signature or "", r.error_type, r.category, r.repository, r.installation_id,
                r.consent,
            )
            for r in rows
        ]  # fmt: skip
    return build_snippets(entries, facts, viewer, error_type)
