"""Storage: sqlmodel tables, the engine and sessions, alembic migrations, and queries."""
