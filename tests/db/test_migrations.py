"""The sessions migration builds exactly the schema the models describe, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from db.models import metadata

SESSION_TABLES = {
    "fix_sessions",
    "failure_records",
    "candidate_records",
    "run_records",
    "proof_records",
    "fix_cache",
    "console_lines",
    "quota_usage",
}


def test_migration_matches_the_models(db_engine: Engine) -> None:
    assert set(inspect(db_engine).get_table_names()) >= SESSION_TABLES
    with db_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)

    # Other domains' tables are theirs to check; the table name shows in every diff's repr.
    ours = [d for d in differences if any(table in repr(d) for table in SESSION_TABLES)]
    assert ours == []
