"""Impression retention: per-profile rollups of deleted impressions, the outcomes they counted, and the
candidate statistics' index.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels = None
depends_on = None

AWARE = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "impression_rollups",
        sa.Column("model_kind", sa.String(20), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("shown", sa.BigInteger(), nullable=False),
        sa.Column("trained", sa.BigInteger(), nullable=False),
        sa.Column("good_weight", sa.Float(), nullable=False),
        sa.Column("other_weight", sa.Float(), nullable=False),
        sa.Column("good_sq", sa.Float(), nullable=False),
        sa.Column("other_sq", sa.Float(), nullable=False),
        sa.Column("first_at", AWARE, nullable=False),
        sa.Column("last_at", AWARE, nullable=False),
        sa.Column("updated_at", AWARE, nullable=False),
        sa.PrimaryKeyConstraint("model_kind", "entity_id", name=op.f("pk_impression_rollups")),
    )
    op.create_index("ix_impressions_kind_time", "match_impressions",
                    ["candidate_kind", "direction", "created_at", "candidate_id"])
    with op.batch_alter_table("feedback_events") as batch_op:
        batch_op.add_column(sa.Column("rolled_up", sa.Boolean(), nullable=False, server_default=sa.text("false")))


def downgrade() -> None:
    with op.batch_alter_table("feedback_events") as batch_op:
        batch_op.drop_column("rolled_up")
    op.drop_index("ix_impressions_kind_time", table_name="match_impressions")
    op.drop_table("impression_rollups")
