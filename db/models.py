"""Every table module is imported here so alembic and create_all see the whole schema."""

from sqlmodel import SQLModel

# Imported for their tables: github (installations), fix_sessions (fix sessions, cache,
# console, quota), traces (telemetry traces, ingested chunks, API tokens).
from db import fix_sessions, github, traces

metadata = SQLModel.metadata

__all__ = ["fix_sessions", "github", "metadata", "traces"]
