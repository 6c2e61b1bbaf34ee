"""A space's own key for each profile: ``external_id`` on projects, mentors, investors and providers, unique
within a space, so a re-imported sheet updates its rows instead of duplicating them.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels = None
depends_on = None

TABLES = ("projects", "mentors", "investors", "providers")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("external_id", sa.String(100), nullable=True))
            batch_op.create_index(f"ux_{table}_space_external_id", ["space_id", "external_id"], unique=True)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_index(f"ux_{table}_space_external_id")
            batch_op.drop_column("external_id")
