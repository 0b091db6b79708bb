"""GitHub App records: installations and their repositories; session counts per pull request."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, func
from sqlmodel import Field, Session, SQLModel, select

from db.fix_sessions import FixSession


class GitHubInstallation(SQLModel, table=True):
    __tablename__ = "github_installations"

    id: int = Field(primary_key=True)  # GitHub's installation id
    account: str | None = Field(default=None, max_length=200)
    repositories: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    suspended: bool = False
    deleted: bool = False
    updated_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


def apply_installation_event(
    session: Session,
    installation_id: int,
    action: str | None,
    account: str | None,
    added: list[str],
    removed: list[str],
) -> GitHubInstallation:
    """Fold one installation / installation_repositories event into the record."""
    record = session.get(GitHubInstallation, installation_id) or GitHubInstallation(
        id=installation_id
    )
    record.account = account or record.account
    repos = [r for r in record.repositories if r not in removed]
    record.repositories = repos + [r for r in added if r not in repos]
    if action == "deleted":
        record.deleted = True
    elif action == "created":
        record.deleted = False
    if action in ("suspend", "unsuspend"):
        record.suspended = action == "suspend"
    record.updated_at = datetime.now(UTC)
    session.add(record)
    return record


def sessions_for_pull(
    session: Session, repository: str, pull_number: int, head_sha: str | None = None
) -> int:
    query: Any = (
        select(func.count())
        .select_from(FixSession)
        .where(FixSession.repository == repository, FixSession.pull_number == pull_number)
    )
    if head_sha is not None:
        query = query.where(FixSession.head_sha == head_sha)
    return int(session.exec(query).one())
