"""The daily verification quota, run against SQLite and a real PostgreSQL."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine

from db.engine import session_scope
from db.quota import consume_quota, verifications_today


def test_quota_is_taken_only_while_it_lasts_and_resets_each_day(db_engine: Engine) -> None:
    today, tomorrow = date(2026, 11, 22), date(2026, 11, 23)
    with session_scope(db_engine) as db:
        assert consume_quota(db, 42, 3, limit=5, day=today)
        assert not consume_quota(db, 42, 3, limit=5, day=today)
        assert verifications_today(db, 42, day=today) == 3
        assert consume_quota(db, 42, 2, limit=5, day=today)
        assert not consume_quota(db, 42, 1, limit=5, day=today)
        assert consume_quota(db, 42, 5, limit=5, day=tomorrow)
        assert consume_quota(db, 7, 1, limit=5, day=today)
    with session_scope(db_engine) as db:
        assert verifications_today(db, 42, day=today) == 5
        assert verifications_today(db, 7, day=today) == 1
        assert verifications_today(db, 99, day=today) == 0
