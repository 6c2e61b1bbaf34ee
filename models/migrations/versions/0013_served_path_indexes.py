"""Introductions indexed by (project, candidate kind, status, candidate), feedback events by introduction.

Every served list first reads the project's open or declined introductions of the kind it ranks
(``api.services.matching.excluded_candidates``). With only ``ix_intros_project`` (project, status) and
``ix_intros_candidate`` (kind, candidate, status), SQLite's planner, which has no statistics unless ANALYZE
ran, scores the two alike and the order the indexes were created in decides; on bench.http's database it
took ``ix_intros_candidate`` on the kind alone and read every introduction of that kind in the database:
1.3 ms of SQL (1.5 ms through ``excluded_candidates``) with 12,888 introductions, ~27 % of an uncached mentor
list's CPU in process. This index answers the query from the index alone (0.007 ms of SQL, 0.1 ms through
``excluded_candidates``) whatever the creation order.

``ix_feedback_intro``: the foreign key ``feedback_events.intro_id`` had no index, so a rating's "rated once"
check read every event its sender ever posted (the unique (actor, event id) index was the best SQLite had;
viewed and dismissed events grow without bound), and deleting an introduction (its ON DELETE SET NULL) read the
whole table.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_intros_project_kind", "intro_requests",
                    ["project_id", "candidate_kind", "status", "candidate_id"])
    op.create_index("ix_feedback_intro", "feedback_events", ["intro_id"])


def downgrade() -> None:
    op.drop_index("ix_feedback_intro", table_name="feedback_events")
    op.drop_index("ix_intros_project_kind", table_name="intro_requests")
