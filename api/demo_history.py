"""A past for the demo space, so a first `make run` shows the product working: some weeks of served lists
and what happened after them - introductions asked for, accepted or declined, meetings, ratings,
investments and the rounds they closed - decided by the seeded ecosystem's hidden traits (the same rule
as `huoban simulate`: accepted with probability ``sigmoid(1.6 x (affinity - 3))``, examined with
probability ``1/position``), never by the ranking itself.

The lists are ranked by the service's own matcher with the default weights and logged as impressions with
their features, dated week by week into the past, so `huoban retrain` learns from them exactly as it would
from a real space, and the dashboard, the weights preview and the performance report have figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import numpy as np
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from api.engine import MatchEngine
from api.services.matching import _insert_impressions, impression_rows
from api.simulation import accept_probability
from matcher import WeightSet
from models import FeedbackEvent, FinancingRound, IntroRequest, Project
from seed_data.loader import load_ground_truth

KINDS = ("mentor", "provider", "investor")


def has_history(session: Session, space_id: int) -> bool:
    return bool(session.scalar(select(func.count()).select_from(IntroRequest).where(IntroRequest.space_id == space_id)))


def seed_history(factory: sessionmaker[Session], engine: MatchEngine, space_id: int, *, weeks: int = 8,
                 seed: int = 7, k: int = 10, today: dt.datetime | None = None) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    now = today or dt.datetime.now(dt.UTC)
    state = engine.state
    counts: dict[str, int] = defaultdict(int)
    with factory() as session, session.begin():
        truth = load_ground_truth(session)
        projects = [int(i) for i in session.scalars(select(Project.id).where(
            Project.space_id == space_id, Project.active.is_(True)).order_by(Project.id)) if int(i) in
            state.tables["project"]]
        contacted: dict[tuple[str, int], set[int]] = defaultdict(set)
        load: dict[tuple[str, int], int] = defaultdict(int)
        weights = {kind: WeightSet.default(kind) for kind in KINDS}
        space_of = {pid: space_id for pid in projects}
        seq = 0
        for week in range(weeks):
            start = now - dt.timedelta(weeks=weeks - week)
            for pid in projects:
                for kind in KINDS:
                    pool = state.tables[kind]
                    ranking = state.matcher.rank(kind=kind, query_id=pid, weights=weights[kind], k=k, explain=False,
                                                 now=start, exclude=sorted(contacted[(kind, pid)]))
                    if not ranking.matches:
                        continue
                    shown_at = start + dt.timedelta(hours=float(rng.uniform(0, 96)))
                    _, rows = impression_rows(ranking, weights[kind], space_of=space_of, viewer_user_id=None,
                                              model_version_id=None)
                    for row in rows:
                        row["created_at"] = shown_at
                    imp_ids = _insert_impressions(session, rows)
                    counts["impressions"] += len(rows)
                    ids = np.array([m.id for m in ranking.matches], dtype=np.int64)
                    p_acc = accept_probability(truth.affinity(kind, np.array([pid]), ids)[0])
                    for m, imp_id, p in zip(ranking.matches, imp_ids, p_acc, strict=True):
                        if rng.random() > 1.0 / m.position:  # not examined
                            continue
                        cap = pool.profile(m.id).capacity  # type: ignore[union-attr]
                        full = cap is not None and load[(kind, m.id)] >= cap
                        accepted = not full and rng.random() < p
                        if not (accepted or rng.random() < 0.5):
                            seq += 1
                            session.add(FeedbackEvent(event_id=f"demo-{seq}", space_id=space_id, type="dismissed",
                                                      project_id=pid, candidate_kind=kind, candidate_id=m.id,
                                                      impression_id=imp_id, occurred_at=shown_at, created_at=shown_at))
                            continue
                        asked = shown_at + dt.timedelta(hours=float(rng.uniform(1, 48)))
                        decided = asked + dt.timedelta(hours=float(rng.uniform(2, 96)))
                        intro = IntroRequest(space_id=space_id, project_id=pid, candidate_kind=kind, candidate_id=m.id,
                                             direction="project", status="accepted" if accepted else "declined",
                                             message="", impression_id=imp_id, created_at=asked,
                                             expires_at=asked + dt.timedelta(days=14), decided_at=decided)
                        session.add(intro)
                        session.flush()
                        contacted[(kind, pid)].add(m.id)
                        counts["intros"] += 1
                        events: list[tuple[str, dt.datetime, int | None]] = [
                            ("requested", asked, None), ("accepted" if accepted else "declined", decided, None)]
                        if accepted:
                            counts["accepted"] += 1
                            load[(kind, m.id)] += 1
                            if rng.random() < 0.5 + 0.4 * p:
                                met = decided + dt.timedelta(days=float(rng.uniform(2, 10)))
                                rating = int(np.clip(round(1 + 4 * p + rng.normal(0, 0.7)), 1, 5))
                                events += [("met", met, None), ("rating", met + dt.timedelta(hours=2), rating)]
                                if kind == "investor" and rng.random() < p * 0.5:
                                    closed = met + dt.timedelta(days=float(rng.uniform(10, 40)))
                                    if closed < now:
                                        events.append(("invested", closed, None))
                                        _close_round(session, pid, space_id, m.id, closed.date())
                                        counts["rounds"] += 1
                            if kind == "mentor" and rng.random() < 0.4:  # some mentorships have ended
                                intro.ended_at = decided + dt.timedelta(days=float(rng.uniform(14, 40)))
                                if intro.ended_at > now:
                                    intro.ended_at = None
                                else:
                                    load[(kind, m.id)] -= 1
                        for etype, at, rating in events:
                            if at > now:
                                continue
                            session.add(FeedbackEvent(
                                event_id=f"intro#{intro.id}#{etype}", space_id=space_id, type=etype, project_id=pid,
                                candidate_kind=kind, candidate_id=m.id, impression_id=imp_id, intro_id=intro.id,
                                rating=rating, occurred_at=at, created_at=at))
                            counts["events"] += 1
    return dict(counts)


def _close_round(session: Session, project_id: int, space_id: int, investor_id: int, closed_on: dt.date) -> None:
    from models import PortfolioInvestment

    project = session.get(Project, project_id)
    if project is None:
        return
    code = project.round_sought or "angel"
    amount = int(project.funding_sought) or None
    row = FinancingRound(project_id=project_id, space_id=space_id, round=code, amount=amount, closed_on=closed_on,
                         investor_ids=[investor_id], investor_names=[], notes="",
                         created_at=dt.datetime.combine(closed_on, dt.time(12), tzinfo=dt.UTC))
    session.add(row)
    session.flush()
    session.execute(insert(PortfolioInvestment), [{
        "investor_id": investor_id, "project_id": project_id, "company": project.name, "round": code,
        "industries": list(project.industries), "city": project.city, "invested_on": closed_on, "amount": amount,
        "financing_round_id": row.id}])


def describe(counts: dict[str, Any]) -> str:
    return (f"{counts.get('impressions', 0)} impressions, {counts.get('intros', 0)} introductions "
            f"({counts.get('accepted', 0)} accepted), {counts.get('events', 0)} outcome events, "
            f"{counts.get('rounds', 0)} rounds closed")
