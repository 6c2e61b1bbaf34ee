"""Migrations upgrade a blank database and downgrade cleanly, on SQLite and PostgreSQL; the models and
the migrations describe the same schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from models import Base
from models.db import current_revision, downgrade, make_engine, table_names, upgrade


def test_upgrade_then_downgrade(blank_db_url: str) -> None:
    engine = make_engine(blank_db_url)
    try:
        assert table_names(engine) == []
        upgrade(blank_db_url)
        assert current_revision(engine) == "0003"
        tables = set(table_names(engine))
        assert {"spaces", "projects", "mentors", "investors", "providers", "users", "api_keys", "match_impressions",
                "feedback_events", "intro_requests", "model_versions", "weight_sets", "audit_log"} <= tables
        downgrade(blank_db_url, "base")
        assert table_names(engine) == ["alembic_version"]
        assert current_revision(engine) is None
        upgrade(blank_db_url)  # and up again
        assert set(table_names(engine)) == tables
    finally:
        engine.dispose()


def test_models_match_migrations(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, Base.metadata)
        assert diff == []
    finally:
        engine.dispose()
