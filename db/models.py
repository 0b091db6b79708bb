"""Every table module is imported here so alembic and create_all see the whole schema."""

from sqlmodel import SQLModel

import db.github  # noqa: F401  (GitHub App installations)
import db.sessions  # noqa: F401  (fix sessions, cache, console, quota)
import db.traces  # noqa: F401  (telemetry traces, ingested events/chunks, API tokens)

metadata = SQLModel.metadata
