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


def _plan_bound(url: str, query: Any, **values: Any) -> str:
    """The plan of a statement with bound parameters that cannot be rendered as literals (timestamps)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            state = query.compile(dialect=engine.dialect).construct_expanded_state(values)
            args = tuple(state.parameters[name] for name in state.positiontup or ())
            return " ".join(str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {state.statement}",
                                                                         args))
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


def test_sqlite_counts_new_outcomes_and_reads_reported_investments_from_their_indexes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The outcome count since the last model (every feedback POST with auto-retraining) and the investments of
    every history refresh read their own indexes; training's read of the whole table keeps its scan (an index
    led by the type made it ~1.8x slower on 2M events, migration 0014)."""
    from api.history import _INVESTED_EVENTS
    from api.training import _OUTCOMES_SINCE, OUTCOME_TYPES
    from models import FeedbackEvent
    from models.db import upgrade

    url = f"sqlite:///{tmp_path / 'plan.db'}"
    upgrade(url)
    since = _plan_bound(url, _OUTCOMES_SINCE, since="2026-01-01 00:00:00.000000")
    assert "ix_feedback_created_type" in since and "COVERING INDEX" in since, since
    invested = _plan(url, _INVESTED_EVENTS)
    assert "ix_feedback_invested" in invested, invested
    training = _plan(url, select(FeedbackEvent.id).where(FeedbackEvent.candidate_kind == "mentor",
                                                         FeedbackEvent.type.in_(OUTCOME_TYPES)))
    assert training.startswith("SCAN feedback_events"), training


def test_outcomes_since_counts_only_outcomes_after_the_moment(db_url: str) -> None:
    """The same count through the index, on SQLite and PostgreSQL: outcome types only, strictly after."""
    from api.training import outcome_events_since
    from models import FeedbackEvent

    expected, pids = _seed_intros(db_url)
    engine = make_engine(db_url)
    t0 = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    try:
        with session_scope(make_session_factory(engine)) as session:
            p = session.get(Project, pids[0])
            assert p is not None
            for n, kind in enumerate(("viewed", "accepted", "met", "viewed", "invested", "declined")):
                at = t0 + dt.timedelta(hours=n)
                session.add(FeedbackEvent(event_id=f"e{n}", space_id=p.space_id, type=kind, project_id=p.id,
                                          candidate_kind="investor", candidate_id=1, occurred_at=at, created_at=at))
        with session_scope(make_session_factory(engine)) as session:
            assert outcome_events_since(session, None) == 4
            assert outcome_events_since(session, t0) == 4  # a view at t0 is no outcome
            assert outcome_events_since(session, t0 + dt.timedelta(hours=1)) == 3  # strictly after the acceptance
            assert outcome_events_since(session, t0 + dt.timedelta(hours=4)) == 1
            assert outcome_events_since(session, t0 + dt.timedelta(hours=5)) == 0
    finally:
        engine.dispose()
