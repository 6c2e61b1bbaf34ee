"""Migrations upgrade a blank database and downgrade cleanly, on SQLite and PostgreSQL; the models and
the migrations describe the same schema."""

from __future__ import annotations

import json

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from models import Base
from models.db import current_revision, downgrade, make_engine, table_names, upgrade


def test_upgrade_then_downgrade(blank_db_url: str) -> None:
    engine = make_engine(blank_db_url)
    try:
        assert table_names(engine) == []
        upgrade(blank_db_url)
        assert current_revision(engine) == "0012"
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


def test_place_codes_migrate_both_ways(blank_db_url: str) -> None:
    """0004 rewrites the 27 pre-national city codes in every place column, and its downgrade restores them."""
    import sqlalchemy as sa

    engine = make_engine(blank_db_url)
    now = "2026-01-01 00:00:00+00:00"
    try:
        upgrade(blank_db_url, "0003")
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO spaces (id, slug, name, city, description, focus_industries, created_at, "
                                 "updated_at) VALUES (1, 's', 'S', 'xian', '', '[]', :t, :t)"), {"t": now})
            conn.execute(sa.text(
                "INSERT INTO mentors (id, space_id, name, industries, stages, languages, city, regions, active, "
                "mentor_type, title, organisation, expertise, offer, bio, serves, capacity, created_at, updated_at) "
                "VALUES (1, 1, 'M', '[]', '[]', '[\"zh\"]', 'berlin', '[\"shenzhen\", \"east\", \"nationwide\"]', "
                "true, 'entrepreneur', '', '', 'x', 'y', '', '[\"legal\"]', 3, :t, :t)"), {"t": now})
        upgrade(blank_db_url)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT city FROM spaces")).scalar() == "610100"
            city, regions = conn.execute(sa.text("SELECT city, regions FROM mentors")).one()
        assert city == "de-berlin"
        assert (json.loads(regions) if isinstance(regions, str) else regions) == ["440300", "east", "nationwide"]
        downgrade(blank_db_url, "0003")
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT city FROM spaces")).scalar() == "xian"
            city, regions = conn.execute(sa.text("SELECT city, regions FROM mentors")).one()
        assert city == "berlin"
        assert (json.loads(regions) if isinstance(regions, str) else regions) == ["shenzhen", "east", "nationwide"]
    finally:
        engine.dispose()


def _row_counts(url: str) -> dict[str, int]:
    import sqlalchemy as sa

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            names = [t for t in table_names(engine) if t != "alembic_version"]
            return {t: int(conn.execute(sa.text(f'SELECT count(*) FROM "{t}"')).scalar_one()) for t in names}
    finally:
        engine.dispose()


def test_every_past_revision_upgrades_and_downgrades_without_losing_rows(blank_db_url: str) -> None:
    """Table rebuilds (SQLite batch migrations) must not fire ON DELETE CASCADE: a seeded database walked
    down to every past revision and back up keeps every row of every table, each step of the way."""
    from models.db import make_session_factory, session_scope
    from seed_data import SeedPlan
    from seed_data.loader import seed

    upgrade(blank_db_url)
    engine = make_engine(blank_db_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            seed(session, SeedPlan(seed=5, spaces=20, projects=40, mentors=20, investors=20, providers=20))
    finally:
        engine.dispose()
    seeded = _row_counts(blank_db_url)
    assert seeded["projects"] == 40 and seeded["portfolio_investments"] > 0
    for revision in ("0010", "0009", "0008", "0007", "0006", "0005", "0004", "0003", "0002", "0001"):
        downgrade(blank_db_url, revision)
        down = _row_counts(blank_db_url)
        assert {t: n for t, n in down.items() if t in seeded} == {t: seeded[t] for t in down if t in seeded}, revision
        upgrade(blank_db_url)
        # tables a later revision created come back empty (their downgrade dropped them); the rest keep every row
        expected = {t: (n if t in down else 0) for t, n in seeded.items()}
        assert _row_counts(blank_db_url) == expected, revision
        if expected != seeded:  # put the seeded rows back for the next step
            engine = make_engine(blank_db_url)
            try:
                with session_scope(make_session_factory(engine)) as session:
                    from seed_data.growth import seed_growth

                    seed_growth(session, 5)
            finally:
                engine.dispose()
            assert _row_counts(blank_db_url) == seeded, revision
