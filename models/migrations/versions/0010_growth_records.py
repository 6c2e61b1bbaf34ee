"""Growth records (成长档案): dated milestones, closed financing rounds (their Huoban investors get portfolio
rows), the history of a project's stage and incubation status, and the status itself on the project.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
AWARE = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("projects") as batch_op:
        batch_op.add_column(sa.Column("incubation_status", sa.String(20), nullable=False,
                                      server_default="incubating"))
        batch_op.add_column(sa.Column("incubated_on", sa.Date(), nullable=True))
    op.create_table(
        "project_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("revenue_band", sa.String(40), nullable=True),
        sa.Column("team_size", sa.Integer(), nullable=True),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", AWARE, nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name=op.f("fk_project_milestones_project_id_projects"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["space_id"], ["spaces.id"], name=op.f("fk_project_milestones_space_id_spaces"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_user_id"], ["users.id"],
                                name=op.f("fk_project_milestones_created_by_user_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_milestones")),
    )
    with op.batch_alter_table("project_milestones") as batch_op:
        batch_op.create_index("ix_milestones_project", ["project_id", "occurred_on"])
        batch_op.create_index(batch_op.f("ix_project_milestones_space_id"), ["space_id"])
    op.create_table(
        "financing_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.String(40), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=False),
        sa.Column("investor_ids", JSON, nullable=False),
        sa.Column("investor_names", JSON, nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", AWARE, nullable=False),
        sa.CheckConstraint("amount IS NULL OR amount >= 0", name=op.f("ck_financing_rounds_amount_nonneg")),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name=op.f("fk_financing_rounds_project_id_projects"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["space_id"], ["spaces.id"], name=op.f("fk_financing_rounds_space_id_spaces"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_user_id"], ["users.id"],
                                name=op.f("fk_financing_rounds_created_by_user_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_financing_rounds")),
    )
    with op.batch_alter_table("financing_rounds") as batch_op:
        batch_op.create_index("ix_rounds_space_closed", ["space_id", "closed_on"])
        batch_op.create_index(batch_op.f("ix_financing_rounds_project_id"), ["project_id"])
    op.create_table(
        "project_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(20), nullable=False),
        sa.Column("old_value", sa.String(40), nullable=True),
        sa.Column("new_value", sa.String(40), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("changed_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", AWARE, nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name=op.f("fk_project_changes_project_id_projects"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["space_id"], ["spaces.id"], name=op.f("fk_project_changes_space_id_spaces"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["changed_by_user_id"], ["users.id"],
                                name=op.f("fk_project_changes_changed_by_user_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_changes")),
    )
    with op.batch_alter_table("project_changes") as batch_op:
        batch_op.create_index("ix_project_changes_space", ["space_id", "field", "changed_on"])
        batch_op.create_index(batch_op.f("ix_project_changes_project_id"), ["project_id"])
    with op.batch_alter_table("portfolio_investments") as batch_op:
        batch_op.add_column(sa.Column("financing_round_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_portfolio_investments_financing_round_id_financing_rounds"),
                                    "financing_rounds", ["financing_round_id"], ["id"], ondelete="CASCADE")
        batch_op.create_index(batch_op.f("ix_portfolio_investments_financing_round_id"), ["financing_round_id"])


def downgrade() -> None:
    with op.batch_alter_table("portfolio_investments") as batch_op:
        batch_op.drop_index(batch_op.f("ix_portfolio_investments_financing_round_id"))
        batch_op.drop_constraint(op.f("fk_portfolio_investments_financing_round_id_financing_rounds"),
                                 type_="foreignkey")
        batch_op.drop_column("financing_round_id")
    op.drop_table("project_changes")
    op.drop_table("financing_rounds")
    op.drop_table("project_milestones")
    with op.batch_alter_table("projects") as batch_op:
        batch_op.drop_column("incubated_on")
        batch_op.drop_column("incubation_status")
