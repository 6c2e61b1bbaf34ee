"""The notification outbox, and users' weekly-digest choice.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels = None
depends_on = None

AWARE = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=True),
        sa.Column("event", sa.String(40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", AWARE, nullable=False),
        sa.Column("claimed_at", AWARE, nullable=True),
        sa.Column("sent_at", AWARE, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", AWARE, nullable=False),
        sa.ForeignKeyConstraint(["space_id"], ["spaces.id"], name=op.f("fk_notifications_space_id_spaces"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_notifications_user_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("key", name=op.f("uq_notifications_key")),
    )
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.create_index("ix_notifications_due", ["status", "next_attempt_at"])
        batch_op.create_index(batch_op.f("ix_notifications_space_id"), ["space_id"])
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("notify_digest", sa.Boolean(), nullable=False, server_default=sa.text("true")))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("notify_digest")
    op.drop_table("notifications")
