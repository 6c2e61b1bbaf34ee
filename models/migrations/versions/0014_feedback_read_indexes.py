"""Feedback events indexed for the two reads that scanned the whole table on the service's paths.

``api.training.outcome_events_since`` counts the outcome events since the last model; with
``HUOBAN_RETRAIN_AFTER_EVENTS`` set it runs on every feedback POST. No index held ``created_at`` or ``type``, so
it read every row: 450-600 ms a POST with 2M events on SQLite (bench.retrain's generator). On
``ix_feedback_created_type`` (created_at, type) it is a range of the index alone: 0.5-2 ms. Time leads, so the
reads of some types over the whole table (training's, the reports') are not steered into ~10^6 row lookups
by type: an index led by the type made training's read 1.6 s -> 2.8 s and the report's 0.20 -> 0.29 s there;
with this one they keep their scan.

``ix_feedback_invested`` (candidate kind, id) on the rows with type 'invested' (a partial index, on SQLite and
PostgreSQL): the investments reported as feedback, which ``api.history.load_deal_log`` reads at every refresh of
the investor history, are a small part of a big table.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels = None
depends_on = None

INVESTED = "type = 'invested'"


def upgrade() -> None:
    op.create_index("ix_feedback_created_type", "feedback_events", ["created_at", "type"])
    op.create_index("ix_feedback_invested", "feedback_events", ["candidate_kind", "id"],
                    postgresql_where=sa.text(INVESTED), sqlite_where=sa.text(INVESTED))


def downgrade() -> None:
    op.drop_index("ix_feedback_invested", table_name="feedback_events")
    op.drop_index("ix_feedback_created_type", table_name="feedback_events")
