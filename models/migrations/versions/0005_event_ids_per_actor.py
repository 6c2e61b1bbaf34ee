"""Feedback event ids are unique per sender, not across the whole network.

A client's ``event_id`` is its own idempotency key; unique across all tenants, reusing one that another tenant
had used answered 409 and so revealed that it existed. The downgrade renames the later duplicates
(``<id prefix>:<row id>``) before restoring the global constraint.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feedback_events") as batch_op:
        batch_op.drop_constraint("uq_feedback_events_event_id", type_="unique")
        batch_op.create_unique_constraint("uq_feedback_events_actor_user_id_event_id", ["actor_user_id", "event_id"])


def downgrade() -> None:
    op.execute(sa.text(
        "UPDATE feedback_events SET event_id = substr(event_id, 1, 48) || ':' || CAST(id AS VARCHAR(16)) "
        "WHERE id NOT IN (SELECT min(id) FROM feedback_events GROUP BY event_id)"))
    with op.batch_alter_table("feedback_events") as batch_op:
        batch_op.drop_constraint("uq_feedback_events_actor_user_id_event_id", type_="unique")
        batch_op.create_unique_constraint("uq_feedback_events_event_id", ["event_id"])
