"""Never reuse ids on SQLite, one open introduction per pair, per-space model pins

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("spaces", "projects", "mentors", "investors", "providers", "portfolio_investments", "users", "api_keys",
          "match_impressions", "intro_requests", "feedback_events", "model_versions", "weight_sets", "audit_log",
          "jobs", "index_changes")
ACTIVE = "status IN ('pending', 'accepted') AND ended_at IS NULL"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    if _sqlite():
        # AUTOINCREMENT needs the table rebuilt; PostgreSQL sequences never reuse ids anyway
        for table in TABLES:
            with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": True}):
                pass
    op.create_index("uq_intros_active_pair", "intro_requests", ["project_id", "candidate_kind", "candidate_id"],
                    unique=True, postgresql_where=sa.text(ACTIVE), sqlite_where=sa.text(ACTIVE))
    op.create_table(
        "space_models",
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("model_version_id", sa.Integer(), nullable=False),
        sa.Column("previous_version_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_user_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["model_version_id"], ["model_versions.id"],
                                name=op.f("fk_space_models_model_version_id_model_versions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["space_id"], ["spaces.id"], name=op.f("fk_space_models_space_id_spaces"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by_user_id"], ["users.id"],
                                name=op.f("fk_space_models_updated_by_user_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("space_id", name=op.f("pk_space_models")),
    )


def downgrade() -> None:
    op.drop_table("space_models")
    op.drop_index("uq_intros_active_pair", table_name="intro_requests")
    if _sqlite():
        for table in TABLES:
            with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": False}):
                pass
