"""The one quota model: sessions take from the day's quota atomically, the check reads it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.fix.job import FixJob
from bot.fix.quota import quota_problem, take_quota
from bot.settings import Settings
from db.engine import init_db


def settings(tmp_path: Path, quota: int) -> Settings:
    return Settings(state_dir=tmp_path, daily_verification_quota=quota)


def engine(tmp_path: Path) -> Engine:
    return init_db(f"sqlite:///{tmp_path / 'truth.db'}")


def test_the_last_session_of_the_day_is_taken_once_even_by_racing_workers(tmp_path: Path) -> None:
    db, config = engine(tmp_path), settings(tmp_path, quota=5)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: take_quota(db, config, 7), range(12)))
    assert answers.count(None) == 5
    refusals = [a for a in answers if a is not None]
    assert len(refusals) == 7 and "daily quota of 5 fix sessions" in refusals[0]
    assert "resets at 00:00 UTC" in refusals[0]
    db.dispose()


def test_the_early_check_reads_the_same_count(tmp_path: Path) -> None:
    db, config = engine(tmp_path), settings(tmp_path, quota=2)
    job = FixJob(installation_id=7, repository="acme/app", pull_number=1, head_sha="a" * 40)
    assert quota_problem(db, config, job) is None
    assert take_quota(db, config, 7) is None and take_quota(db, config, 7) is None
    problem = quota_problem(db, config, job)
    assert problem is not None and "daily quota of 2 fix sessions" in problem
    assert quota_problem(db, config, replace(job, installation_id=8)) is None
    db.dispose()
