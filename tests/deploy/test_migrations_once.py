"""Replicas starting together migrate once: a lock serialises them, the late ones find it done."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from db.engine import MIGRATION_LOCK_KEY, init_db

REPLICAS = 4
MIGRATE = "import sys; from db.engine import init_db; init_db(sys.argv[1]).dispose()"


def _start_replicas(url: str) -> list[subprocess.CompletedProcess[str]]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", MIGRATE, url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(REPLICAS)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return results


def _driver(url: str) -> str:
    return make_url(url).set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


@pytest.mark.services
def test_replicas_racing_on_a_fresh_postgresql_database_all_start(fresh_postgres_url: str) -> None:
    results = _start_replicas(fresh_postgres_url)
    assert [r.returncode for r in results] == [0] * REPLICAS, [r.stderr[-2000:] for r in results]
    engine = create_engine(_driver(fresh_postgres_url))
    with engine.connect() as conn:
        versions = conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one()
    engine.dispose()
    assert versions >= 1


def test_replicas_racing_on_a_fresh_sqlite_file_all_start(tmp_path: Path) -> None:
    results = _start_replicas(f"sqlite:///{tmp_path / 'truth.db'}")
    assert [r.returncode for r in results] == [0] * REPLICAS, [r.stderr[-2000:] for r in results]


@pytest.mark.services
def test_a_replica_waits_while_another_holds_the_migration_lock(fresh_postgres_url: str) -> None:
    holder = create_engine(_driver(fresh_postgres_url))
    done = threading.Event()
    errors: list[BaseException] = []

    def migrate() -> None:
        try:
            init_db(fresh_postgres_url).dispose()
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            done.set()

    with holder.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        worker = threading.Thread(target=migrate)
        worker.start()
        time.sleep(1.5)
        assert not done.is_set()  # blocked behind the lock, not migrating alongside
        assert "alembic_version" not in inspect(conn).get_table_names()
        conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
        conn.commit()
    worker.join(timeout=60)
    assert done.is_set() and not errors, errors
    with holder.connect() as conn:
        assert "alembic_version" in inspect(conn).get_table_names()
    holder.dispose()
