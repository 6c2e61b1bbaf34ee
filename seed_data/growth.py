"""Growth records for the seeded ecosystem, so the demo's performance report has something to report:
milestones for about a third of the projects, a closed round for about one in eight, and some graduated
or closed incubations, all dated within the last eighteen months. Rounds name their investors as text
only (no portfolio rows): the seeded deal history the investor ranker learns from stays as generated."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from models import FinancingRound, Milestone, Project, ProjectChange

MILESTONES = {
    "product": ("发布第一版产品", "MVP launched"), "customers": ("签下首批付费客户", "First paying customers"),
    "revenue": ("年收入突破一百万元", "Revenue passed CNY 1m"), "team": ("核心技术负责人到岗", "CTO joined"),
    "award": ("获创新创业大赛奖项", "Won a startup competition"),
}
PREVIOUS_ROUND = {"angel": "seed", "pre_a": "angel", "a": "pre_a", "a_plus": "a", "b": "a_plus", "c_plus": "b"}
BACKERS = ("某天使投资人", "某早期基金", "Some angel fund")


def seed_growth(session: Session, seed: int, today: dt.date | None = None) -> dict[str, int]:
    rng = random.Random(seed * 7919 + 11)
    today = today or dt.date.today()
    counts = {"project_milestones": 0, "financing_rounds": 0, "project_changes": 0}
    projects = session.execute(select(Project.id, Project.space_id, Project.round_sought, Project.funding_sought,
                                      Project.languages).order_by(Project.id)).all()
    milestones: list[dict[str, Any]] = []
    rounds: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    status: dict[int, str] = {}
    for pid, space_id, round_sought, funding, languages in projects:
        zh = (languages or ["zh"])[0] == "zh"
        if rng.random() < 0.35:
            for category in rng.sample(sorted(MILESTONES), rng.randint(1, 3)):
                title = MILESTONES[category][0 if zh else 1]
                milestones.append({"project_id": pid, "space_id": space_id, "category": category, "title": title,
                                   "detail": "", "occurred_on": today - dt.timedelta(days=rng.randint(10, 540)),
                                   "revenue_band": "1m_10m" if category == "revenue" else None,
                                   "team_size": rng.randint(5, 40) if category == "team" else None})
        if rng.random() < 0.12:
            code = PREVIOUS_ROUND.get(round_sought or "", "seed")  # the round before the one it seeks now
            rounds.append({"project_id": pid, "space_id": space_id, "round": code,
                           "amount": int(funding) // 3 if funding and rng.random() < 0.8 else None,
                           "closed_on": today - dt.timedelta(days=rng.randint(5, 500)), "investor_ids": [],
                           "investor_names": [rng.choice(BACKERS)], "notes": ""})
        roll = rng.random()
        if roll < 0.08 or roll > 0.96:
            new = "graduated" if roll < 0.08 else "closed"
            status[pid] = new
            changes.append({"project_id": pid, "space_id": space_id, "field": "incubation_status",
                            "old_value": "incubating", "new_value": new, "note": "",
                            "changed_on": today - dt.timedelta(days=rng.randint(1, 300))})
    for table, rows, day in ((Milestone, milestones, "occurred_on"), (FinancingRound, rounds, "closed_on"),
                             (ProjectChange, changes, "changed_on")):
        for row in rows:  # recorded the day it happened (and the same on every run of the same seed)
            row["created_at"] = dt.datetime.combine(row[day], dt.time(12), tzinfo=dt.UTC)
        if rows:
            session.execute(insert(table), rows)
            counts[table.__tablename__] = len(rows)
    for pid, new in status.items():
        table = Project.__table__
        session.execute(table.update().where(table.c.id == pid).values(incubation_status=new,
                                                                       updated_at=table.c.updated_at))
    return counts
