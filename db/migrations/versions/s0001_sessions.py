"""Fix sessions: sessions, failures, candidates, runs, proofs, console lines, fix cache, quota.

Revision ID: s0001_sessions
Revises: 0001_base
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "s0001_sessions"
down_revision: str | Sequence[str] | None = "0001_base"
branch_labels: str | Sequence[str] | None = ("sessions",)
depends_on: str | Sequence[str] | None = None

SESSION_TABLES = ("failure_records", "candidate_records", "run_records", "proof_records")


def _when() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _session_fk() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "session_id",
        sa.String(32),
        sa.ForeignKey("fix_sessions.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "fix_sessions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("created_at", _when(), nullable=False),
        sa.Column("updated_at", _when(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("repository", sa.String(200), nullable=True),
        sa.Column("head_sha", sa.String(64), nullable=True),
        sa.Column("pull_number", sa.Integer(), nullable=True),
        sa.Column("installation_id", sa.Integer(), nullable=True),
        sa.Column("repo_path", sa.Text(), nullable=True),
        sa.Column("test_command", sa.Text(), nullable=True),
        sa.Column("error_type", sa.String(200), nullable=True),
        sa.Column("category", sa.String(40), nullable=True),
        sa.Column("signature", sa.String(128), nullable=True),
        sa.Column("libraries", sa.JSON(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("winner_candidate_id", sa.String(64), nullable=True),
        sa.Column("tokens_in", sa.Integer(), nullable=False),
        sa.Column("tokens_out", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
    )
    for column in ("created_at", "status", "repository", "installation_id", "error_type"):
        op.create_index(f"ix_fix_sessions_{column}", "fix_sessions", [column])
    op.create_index("ix_fix_sessions_signature", "fix_sessions", ["signature"])
    op.create_index(
        "ix_fix_sessions_repository_pull", "fix_sessions", ["repository", "pull_number"]
    )

    op.create_table(
        "failure_records",
        sa.Column("id", sa.Integer(), primary_key=True),
        _session_fk(),
        sa.Column("test_id", sa.Text(), nullable=True),
        sa.Column("exc_type", sa.String(200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("file", sa.Text(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(40), nullable=False),
    )
    op.create_index("ix_failure_records_exc_type", "failure_records", ["exc_type"])

    op.create_table(
        "candidate_records",
        sa.Column("id", sa.Integer(), primary_key=True),
        _session_fk(),
        sa.Column("candidate_id", sa.String(64), nullable=False),
        sa.Column("engine", sa.String(40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("diff", sa.Text(), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("duration_ms", sa.Float(), nullable=False),
        sa.Column("changed_lines", sa.Integer(), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.UniqueConstraint("session_id", "candidate_id"),
    )

    op.create_table(
        "run_records",
        sa.Column("id", sa.Integer(), primary_key=True),
        _session_fk(),
        sa.Column("candidate_id", sa.String(64), nullable=True),
        sa.Column("command", sa.Text(), nullable=False),
        sa.Column("image_id", sa.String(200), nullable=False),
        sa.Column("exit_code", sa.Integer(), nullable=True),
        sa.Column("end", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("started_at", sa.String(64), nullable=False),
        sa.Column("finished_at", sa.String(64), nullable=False),
        sa.Column("duration_ms", sa.Float(), nullable=False),
        sa.Column("stdout", sa.Text(), nullable=False),
        sa.Column("stderr", sa.Text(), nullable=False),
        sa.Column("stdout_truncated", sa.Boolean(), nullable=False),
        sa.Column("stderr_truncated", sa.Boolean(), nullable=False),
        sa.Column("tests", sa.JSON(), nullable=False),
    )

    op.create_table(
        "proof_records",
        sa.Column("id", sa.Integer(), primary_key=True),
        _session_fk(),
        sa.Column("candidate_id", sa.String(64), nullable=True),
        sa.Column("proof", sa.JSON(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("text_path", sa.Text(), nullable=True),
        sa.Column("created_at", _when(), nullable=False),
    )

    op.create_table(
        "console_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        _session_fk(),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(40), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.UniqueConstraint("session_id", "seq"),
    )
    for table in (*SESSION_TABLES, "console_lines"):
        op.create_index(f"ix_{table}_session_id", table, ["session_id"])

    op.create_table(
        "fix_cache",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("signature", sa.String(128), nullable=False),
        sa.Column("diff", sa.Text(), nullable=False),
        sa.Column("diff_sha256", sa.String(64), nullable=False),
        sa.Column("repository", sa.String(200), nullable=True),
        sa.Column("verified_count", sa.Integer(), nullable=False),
        sa.Column("last_verified_at", _when(), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
    )
    op.create_index("ix_fix_cache_signature", "fix_cache", ["signature"])
    op.create_index("ix_fix_cache_signature_diff", "fix_cache", ["signature", "diff_sha256"])

    op.create_table(
        "quota_usage",
        sa.Column("installation_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("verifications", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "quota_usage",
        "fix_cache",
        "console_lines",
        *SESSION_TABLES,
        "fix_sessions",
    ):
        op.drop_table(table)
