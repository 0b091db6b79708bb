"""Every table module is imported here so alembic and create_all see the whole schema."""

from sqlmodel import SQLModel

metadata = SQLModel.metadata
