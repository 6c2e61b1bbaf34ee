"""Migrations upgrade a blank database and downgrade cleanly, on SQLite and PostgreSQL; the models and
the migrations describe the same schema."""

from __future__ import annotations

import json
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from models import Base
from models.db import current_revision, downgrade, make_engine, table_names, upgrade


def test_upgrade_then_downgrade(blank_db_url: str) -> None:
    engine = make_engine(blank_db_url)
    try:
        assert table_names(engine) == []
        upgrade(blank_db_url)
        assert current_revision(engine) == "0014"
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


def _links(url: str) -> dict[tuple[str, str], int]:
    """Per foreign-key column of every table, how many rows name a row: a table rebuild that fires ON DELETE
    SET NULL keeps the rows but loses these."""
    import sqlalchemy as sa

    engine = make_engine(url)
    try:
        found = sa.inspect(engine).get_multi_foreign_keys()  # one catalogue query for every table
        columns = sorted({(t, c) for (_, t), fks in found.items() for fk in fks for c in fk["constrained_columns"]})
        with engine.connect() as conn:
            return {(t, c): int(conn.execute(sa.text(f'SELECT count("{c}") FROM "{t}"')).scalar_one())
                    for t, c in columns}
    finally:
        engine.dispose()


def _past_revisions(url: str) -> list[str]:
    """Every revision of models/migrations but the head, newest first (read from alembic's script directory,
    so a new migration joins the walk without anyone listing it)."""
    from alembic.script import ScriptDirectory

    from models.db import alembic_config

    script = ScriptDirectory.from_config(alembic_config(url))
    assert len(script.get_heads()) == 1, script.get_heads()
    revisions = [r.revision for r in script.walk_revisions()]  # head first, base last
    assert revisions[0] == script.get_current_head()
    return revisions[1:]


def _seed_the_rest(session: Any) -> None:
    """Rows for the tables ``huoban seed`` leaves empty (users, keys, console sessions, weights, model versions
    and space pins, impressions and their rollups, introductions, feedback, notifications, audit log, jobs,
    index changes), linked to each other as the service links them."""
    import datetime as dt

    from sqlalchemy import select, update

    from api.accounts import ProfileRef, create_api_key
    from models import (
        AuditLog,
        ConsoleSession,
        FeedbackEvent,
        FinancingRound,
        Impression,
        ImpressionRollup,
        IndexChange,
        IntroRequest,
        Job,
        Mentor,
        Milestone,
        ModelVersion,
        Notification,
        PortfolioInvestment,
        Project,
        ProjectChange,
        SpaceModel,
        User,
        WeightSet,
    )

    now = dt.datetime.now(dt.UTC)
    projects = session.scalars(select(Project).order_by(Project.id).limit(6)).all()
    mentors = session.scalars(select(Mentor.id).order_by(Mentor.id).limit(4)).all()
    space = projects[0].space_id
    create_api_key(session, role="admin", name="admin")
    create_api_key(session, role="operator", space_id=space, name="ops")
    for p in projects:
        create_api_key(session, role="founder", profile=ProfileRef("project", p.id))
    users = session.scalars(select(User).order_by(User.id)).all()
    admin, operator = users[0], users[1]
    founders = {u.profile_id: u for u in users if u.role == "founder"}
    operator.email, operator.password_hash = "ops@example.com", "scrypt$placeholder"
    session.add(ConsoleSession(token_hash="0" * 64, user_id=operator.id, expires_at=now + dt.timedelta(days=1)))
    version = ModelVersion(status="serving", artifact_path="", checksum="", manifest={}, metrics={}, report="",
                           promoted_at=now)
    weights = WeightSet(space_id=space, kind="mentor", version=1, weights={"sem_need": 0.3}, options={},
                        comment="", created_by_user_id=operator.id)
    session.add_all([version, weights])
    session.flush()
    session.add(SpaceModel(space_id=space, model_version_id=version.id, updated_by_user_id=operator.id))
    impressions = [Impression(request_id=f"req-{p.id}", space_id=p.space_id, direction="matches", project_id=p.id,
                              candidate_kind="mentor", candidate_id=m, position=n + 1, score=0.5, features={},
                              propensity=1.0, explored=False, model_version_id=version.id,
                              weight_set_id=weights.id, viewer_user_id=founders[p.id].id)
                   for p in projects for n, m in enumerate(mentors)]
    session.add_all(impressions)
    session.flush()
    intros = [IntroRequest(space_id=p.space_id, project_id=p.id, candidate_kind="mentor", candidate_id=mentors[0],
                           status="accepted", requested_by_user_id=founders[p.id].id, decided_by_user_id=admin.id,
                           impression_id=impressions[n * len(mentors)].id, expires_at=now + dt.timedelta(days=14),
                           decided_at=now)
              for n, p in enumerate(projects)]
    session.add_all(intros)
    session.flush()
    for n, (p, intro) in enumerate(zip(projects, intros, strict=True)):
        for kind in ("requested", "accepted"):
            session.add(FeedbackEvent(event_id=f"ev-{n}-{kind}", space_id=p.space_id, type=kind, project_id=p.id,
                                      candidate_kind="mentor", candidate_id=mentors[0],
                                      impression_id=intro.impression_id, intro_id=intro.id,
                                      actor_user_id=founders[p.id].id, occurred_at=now))
        session.add(Notification(key=f"intro.requested:{intro.id}", space_id=p.space_id, event="intro.requested",
                                 user_id=founders[p.id].id, email=f"f{n}@example.com", subject="s", body="b"))
        session.add(AuditLog(space_id=p.space_id, actor_user_id=operator.id, action="project.update",
                             object_type="project", object_id=str(p.id), detail={"changes": {}}))
    session.add_all([ImpressionRollup(model_kind="mentor", entity_id=m, shown=3, trained=2, good_weight=1.0,
                                      other_weight=1.0, good_sq=1.0, other_sq=1.0, first_at=now, last_at=now)
                     for m in mentors])
    session.add(Job(kind="retrain", status="succeeded", progress=1.0, result={}, created_by_user_id=admin.id))
    session.add_all([IndexChange(kind="project", entity_id=p.id, op="upsert") for p in projects])
    # the growth records the seed wrote, as an operator records them (a round with its portfolio row)
    for model, column in ((FinancingRound, "created_by_user_id"), (Milestone, "created_by_user_id"),
                          (ProjectChange, "changed_by_user_id")):
        session.execute(update(model).values({column: operator.id}))
    rounds = session.scalars(select(FinancingRound).order_by(FinancingRound.id)).all()
    held = session.scalars(select(PortfolioInvestment).order_by(PortfolioInvestment.id).limit(len(rounds))).all()
    for round_, row in zip(rounds, held, strict=True):
        row.project_id, row.financing_round_id = round_.project_id, round_.id


def _snapshot(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, as the models (the head schema) read them."""
    from sqlalchemy import select

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {t.name: [dict(r) for r in conn.execute(select(t)).mappings()] for t in Base.metadata.sorted_tables}
    finally:
        engine.dispose()


def _put_back(url: str, snapshot: dict[str, list[dict[str, Any]]], tables: set[str]) -> None:
    """Insert the snapshot's rows of ``tables`` (ones a downgrade dropped and the upgrade made again, empty)."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for table in Base.metadata.sorted_tables:  # parents first
                if table.name in tables and snapshot[table.name]:
                    conn.execute(table.insert(), snapshot[table.name])
    finally:
        engine.dispose()


def test_every_past_revision_upgrades_and_downgrades_without_losing_rows(blank_db_url: str) -> None:
    """Table rebuilds (SQLite batch migrations) must not fire ON DELETE CASCADE: a database with rows in every
    table, walked down to every past revision and back up, keeps every row of every table, each step of the
    way."""
    from models.db import make_session_factory, session_scope
    from seed_data import SeedPlan
    from seed_data.loader import seed

    upgrade(blank_db_url)
    engine = make_engine(blank_db_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            seed(session, SeedPlan(seed=5, spaces=20, projects=40, mentors=20, investors=20, providers=20))
            _seed_the_rest(session)
    finally:
        engine.dispose()
    seeded = _row_counts(blank_db_url)
    empty = sorted(t for t, n in seeded.items() if n == 0)
    assert not empty, f"give these tables rows in _seed_the_rest, so the walk checks them: {empty}"
    assert seeded["projects"] == 40 and seeded["portfolio_investments"] > 0
    snapshot = _snapshot(blank_db_url)
    revisions = _past_revisions(blank_db_url)
    assert {"0001", "0010", "0011", "0012"} <= set(revisions)
    assert all(_links(blank_db_url).values()), "every foreign key should name some row"
    for revision in revisions:
        linked = _links(blank_db_url)
        downgrade(blank_db_url, revision)
        down = _row_counts(blank_db_url)
        assert {t: n for t, n in down.items() if t in seeded} == {t: seeded[t] for t in down if t in seeded}, revision
        down_links = _links(blank_db_url)
        assert {k: n for k, n in down_links.items() if k in linked} == \
            {k: linked[k] for k in down_links if k in linked}, revision
        upgrade(blank_db_url)
        # tables a later revision created come back empty (their downgrade dropped them); the rest keep every row
        expected = {t: (n if t in down else 0) for t, n in seeded.items()}
        assert _row_counts(blank_db_url) == expected, revision
        up_links = _links(blank_db_url)
        assert {k: up_links[k] for k in down_links} == down_links, revision
        _put_back(blank_db_url, snapshot, {t for t in seeded if t not in down})  # for the next step
        assert _row_counts(blank_db_url) == seeded, revision
