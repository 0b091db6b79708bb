"""The fix cache engine offers verified diffs for the same signature, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.analysis.failures import Category
from bot.repair.base import RepairContext
from bot.repair.diffs import DiffError, make_diff
from bot.repair.fix_cache import FixCacheEngine, cached_fixes, remember_fix

SOURCE = "def last(items):\n    return items[len(items)]\n"
FIX_A = make_diff("pkg/seq.py", SOURCE, "def last(items):\n    return items[len(items) - 1]\n")
FIX_B = make_diff("pkg/seq.py", SOURCE, "def last(items):\n    return items[-1]\n")
STALE = make_diff(
    "pkg/seq.py", "def last(xs):\n    return xs[0]\n", "def last(xs):\n    return xs[-1]\n"
)


def _ctx(repo: Path, signature: str = "sig-index") -> RepairContext:
    (repo / "pkg").mkdir(exist_ok=True)
    (repo / "pkg" / "seq.py").write_text(SOURCE)
    return RepairContext(repo, [], "pytest", Category.INDEX_KEY, signature)


def test_most_verified_fix_comes_first_and_stale_diffs_are_skipped(
    db_engine: Engine, tmp_path: Path
) -> None:
    remember_fix(db_engine, "sig-index", FIX_A, "octo/app")
    for _ in range(2):
        remember_fix(db_engine, "sig-index", FIX_B, "octo/app")
    remember_fix(db_engine, "sig-index", STALE, "octo/app")
    remember_fix(db_engine, "sig-other", FIX_A, "octo/app")

    proposals = list(FixCacheEngine(db_engine, "octo/app").propose(_ctx(tmp_path), limit=5))

    assert [p.diff for p in proposals] == [FIX_B, FIX_A]
    assert [p.meta["verified_count"] for p in proposals] == [2, 1]
    assert all(p.engine == "cache" for p in proposals)
    assert (
        list(FixCacheEngine(db_engine, "octo/app").propose(_ctx(tmp_path), limit=1))
        == proposals[:1]
    )


def test_a_repository_sees_its_own_and_shared_fixes_but_not_other_repositories(
    db_engine: Engine, tmp_path: Path
) -> None:
    remember_fix(db_engine, "sig-index", FIX_A, "octo/private")
    remember_fix(db_engine, "sig-index", FIX_B, None)

    def offered(repository: str | None) -> list[str]:
        engine = FixCacheEngine(db_engine, repository)
        return [p.diff for p in engine.propose(_ctx(tmp_path), limit=5)]

    assert offered("octo/private") == [FIX_A, FIX_B]
    assert offered("someone/else") == [FIX_B]
    assert offered(None) == [FIX_B]


def test_the_same_diff_counts_up_and_merges_across_scopes(db_engine: Engine) -> None:
    first = remember_fix(db_engine, "sig-index", FIX_A, "octo/app")
    again = remember_fix(db_engine, "sig-index", FIX_A, "octo/app")
    assert again.id == first.id
    assert again.verified_count == 2
    assert again.last_verified_at >= first.last_verified_at
    remember_fix(db_engine, "sig-index", FIX_A, None)
    assert [
        (f.diff, f.verified_count) for f in cached_fixes(db_engine, "sig-index", "octo/app")
    ] == [(FIX_A, 3)]


def test_nothing_is_offered_without_a_signature(db_engine: Engine, tmp_path: Path) -> None:
    remember_fix(db_engine, "sig-index", FIX_A, None)
    assert list(FixCacheEngine(db_engine).propose(_ctx(tmp_path, signature=""), limit=3)) == []


def test_only_real_diffs_under_a_signature_are_cached(db_engine: Engine) -> None:
    with pytest.raises(DiffError):
        remember_fix(db_engine, "sig-index", "just replace the index", None)
    with pytest.raises(ValueError, match="signature"):
        remember_fix(db_engine, "", FIX_A, None)


def test_fixes_verified_under_older_rules_are_dropped(db_engine: Engine, tmp_path: Path) -> None:
    from bot.repair.fix_cache import diff_sha256
    from db.engine import session_scope
    from db.fix_sessions import FixCacheEntry

    with session_scope(db_engine) as session:  # as stored before the rules were versioned
        session.add(
            FixCacheEntry(signature="sig-index", diff=FIX_A, diff_sha256=diff_sha256(FIX_A))
        )
    remember_fix(db_engine, "sig-index", FIX_B, None)

    assert [f.diff for f in cached_fixes(db_engine, "sig-index", None)] == [FIX_B]
    with session_scope(db_engine) as session:
        left = [e.signature for e in session.exec(select(FixCacheEntry))]
    assert len(left) == 1 and left[0].endswith(":sig-index") and left[0] != "sig-index"


def test_a_fix_that_breaks_the_current_policy_is_not_stored(
    db_engine: Engine, tmp_path: Path
) -> None:
    _ctx(tmp_path)
    forged = make_diff("pkg/seq.py", SOURCE, "import os\n\n\ndef last(items):\n    os._exit(0)\n")
    with pytest.raises(ValueError, match="process-exit"):
        remember_fix(db_engine, "sig-index", forged, None, repo_root=tmp_path)
    assert cached_fixes(db_engine, "sig-index", None) == []
    remember_fix(db_engine, "sig-index", FIX_A, None, repo_root=tmp_path)
    assert [f.diff for f in cached_fixes(db_engine, "sig-index", None)] == [FIX_A]
