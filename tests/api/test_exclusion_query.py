"""The introductions every served list excludes: the right rows, read through the index made for them.

``excluded_candidates`` runs before every ranking. Without ``ix_intros_project_kind`` SQLite's planner (no
statistics unless ANALYZE ran) took ``ix_intros_candidate`` on the kind alone and read every introduction of
that kind, which cost a quarter of an uncached mentor list at bench.http's scale (migration 0013)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from api.services.feedback import _RATED
from api.services.matching import _EXCLUDED_CANDIDATES, excluded_candidates
from models import IntroRequest, Mentor, Project, Provider
from models.db import make_engine, make_session_factory, session_scope


def _seed_intros(url: str) -> tuple[dict[tuple[int, str], set[int]], list[int]]:
    """Introductions of every status for several projects and two kinds; returns what each (project, kind)
    must exclude and the project ids."""
    from seed_data import SeedPlan
    from seed_data.loader import seed

    engine = make_engine(url)
    expected: dict[tuple[int, str], set[int]] = {}
    now = dt.datetime.now(dt.UTC)
    try:
        with session_scope(make_session_factory(engine)) as session:
            seed(session, SeedPlan(seed=3, spaces=20, projects=8, mentors=12, investors=4, providers=12))
            projects = session.scalars(select(Project).order_by(Project.id)).all()
            by_kind = {"mentor": session.scalars(select(Mentor.id).order_by(Mentor.id)).all(),
                       "provider": session.scalars(select(Provider.id).order_by(Provider.id)).all()}
            statuses = ("pending", "accepted", "declined", "expired", "accepted")
            for n, p in enumerate(projects):
                for k, (kind, ids) in enumerate(by_kind.items()):
                    for m, cid in enumerate(ids[: 6]):
                        # the status depends on the kind too: a query that mixed kinds would return the wrong set
                        status = statuses[(n + m + 2 * k) % len(statuses)]
                        ended = now if m == 5 else None  # an ended introduction is excluded by its status alone
                        session.add(IntroRequest(space_id=p.space_id, project_id=p.id, candidate_kind=kind,
                                                 candidate_id=cid, status=status, direction="project",
                                                 expires_at=now + dt.timedelta(days=14), ended_at=ended))
                        if status in ("pending", "accepted", "declined"):
                            expected.setdefault((p.id, kind), set()).add(int(cid))
            pids = [p.id for p in projects]
    finally:
        engine.dispose()
    return expected, pids


def test_excluded_candidates_are_the_open_accepted_and_declined_of_that_kind(db_url: str) -> None:
    expected, pids = _seed_intros(db_url)
    engine = make_engine(db_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            for pid in pids:
                for kind in ("mentor", "provider", "investor"):
                    got = excluded_candidates(session, pid, kind)
                    assert got == sorted(expected.get((pid, kind), set())), (pid, kind)
    finally:
        engine.dispose()


def _plan(url: str, query: Any) -> str:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            sql = str(query.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
            return " ".join(str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    finally:
        engine.dispose()


def test_sqlite_reads_the_exclusions_and_a_ratings_check_from_their_own_indexes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from models.db import upgrade

    url = f"sqlite:///{tmp_path / 'plan.db'}"
    upgrade(url)
    _seed_intros(url)
    plan = _plan(url, _EXCLUDED_CANDIDATES.params(project_id=1, kind="mentor"))  # the very statements served
    assert "ix_intros_project_kind" in plan, plan
    assert "COVERING INDEX" in plan, plan  # answered from the index alone
    plan = _plan(url, _RATED.params(intro_id=1, actor=1))
    assert "ix_feedback_intro" in plan, plan  # not every event the actor ever sent
