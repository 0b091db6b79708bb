"""PR telemetry traces: trace records, ingested events and chunks, API tokens.

Revision ID: t0001_traces
Revises: 0001_base
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "t0001_traces"
down_revision: str | Sequence[str] | None = "0001_base"
branch_labels: str | Sequence[str] | None = ("traces",)
depends_on: str | Sequence[str] | None = None


def _when() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _trace_fk() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "trace_id",
        sa.String(64),
        sa.ForeignKey("trace_records.id", ondelete="CASCADE"),
        primary_key=True,
    )


def upgrade() -> None:
    op.create_table(
        "trace_records",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("installation_id", sa.Integer(), nullable=False),
        sa.Column("repo", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("header_json", sa.Text(), nullable=False),
        sa.Column("document_json", sa.Text(), nullable=True),
        sa.Column("next_seq", sa.Integer(), nullable=False),
        sa.Column("redactions", sa.Integer(), nullable=False),
        sa.Column("tests_passed", sa.Boolean(), nullable=True),
        sa.Column("judge_overall", sa.Float(), nullable=True),
        sa.Column("chain_head", sa.String(64), nullable=True),
        sa.Column("created_at", _when(), nullable=False),
        sa.Column("finalized_at", _when(), nullable=True),
    )
    for column in ("installation_id", "repo", "status", "created_at"):
        op.create_index(f"ix_trace_records_{column}", "trace_records", [column])
    op.create_table(
        "trace_events",
        _trace_fk(),
        sa.Column("seq", sa.Integer(), primary_key=True),
        sa.Column("event_json", sa.Text(), nullable=False),
    )
    op.create_table(
        "trace_chunks",
        _trace_fk(),
        sa.Column("idempotency_key", sa.String(200), primary_key=True),
        sa.Column("request_sha256", sa.String(64), nullable=False),
        sa.Column("first_seq", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("redactions", sa.Integer(), nullable=False),
        sa.Column("created_at", _when(), nullable=True),
    )
    op.create_table(
        "api_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("installation_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("created_at", _when(), nullable=True),
        sa.Column("revoked_at", _when(), nullable=True),
    )
    op.create_index("ix_api_tokens_installation_id", "api_tokens", ["installation_id"])


def downgrade() -> None:
    op.drop_table("api_tokens")
    op.drop_table("trace_chunks")
    op.drop_table("trace_events")
    op.drop_table("trace_records")
