"""Growth records (成长档案): what happened to a project while it was incubated.

Milestones (dated: product, customers, revenue band, team, awards), the financing rounds it actually closed
(round, amount, investors; each Huoban investor in a round gets a portfolio row, which the investor ranker
learns from), the history of its stage and incubation status (incubating, graduated, closed). Founders
and the space's operators edit it; only operators and admins change the incubation status. Every write is
audited. The performance report (``api.services.report``) is computed from these rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from api import authz
from api.auth import Principal
from api.problems import problem
from api.services import audit
from models import FinancingRound, IntroRequest, Investor, Milestone, PortfolioInvestment, Project, ProjectChange


def incubated_on(project: Project) -> dt.date:
    return project.incubated_on or project.created_at.date()


def editable(p: Principal, project: Project) -> None:
    if not authz.can_edit_project(p, project):
        authz.forbid("the growth record is for the project's founders and its space's operators")


def milestone_out(m: Milestone) -> dict[str, Any]:
    return {k: getattr(m, k) for k in ("id", "occurred_on", "category", "title", "detail", "revenue_band",
                                       "team_size", "created_at")}


def first_accepted_investor_intro(session: Session, project_id: int) -> list[tuple[int, dt.date]]:
    """(intro id, the day it was accepted) of the project's accepted investor introductions, oldest first."""
    rows = session.execute(select(IntroRequest.id, IntroRequest.decided_at).where(
        IntroRequest.project_id == project_id, IntroRequest.candidate_kind == "investor",
        IntroRequest.status == "accepted", IntroRequest.decided_at.is_not(None)).order_by(IntroRequest.decided_at))
    return [(int(i), d.date()) for i, d in rows]


def round_out(r: FinancingRound, names: dict[int, str], intros: list[tuple[int, dt.date]]) -> dict[str, Any]:
    after = next((i for i, day in intros if day <= r.closed_on), None)
    return {"id": r.id, "round": r.round, "amount": r.amount, "closed_on": r.closed_on,
            "investors": [{"id": i, "name": names.get(i, f"#{i}")} for i in r.investor_ids],
            "investor_names": list(r.investor_names), "notes": r.notes, "after_intro_id": after,
            "created_at": r.created_at}


def record(session: Session, project: Project) -> dict[str, Any]:
    milestones = session.scalars(select(Milestone).where(Milestone.project_id == project.id)
                                 .order_by(Milestone.occurred_on.desc(), Milestone.id.desc())).all()
    rounds = session.scalars(select(FinancingRound).where(FinancingRound.project_id == project.id)
                             .order_by(FinancingRound.closed_on.desc(), FinancingRound.id.desc())).all()
    ids = sorted({i for r in rounds for i in r.investor_ids})
    names = dict(session.execute(select(Investor.id, Investor.name).where(Investor.id.in_(ids))).all()) \
        if ids else {}
    intros = first_accepted_investor_intro(session, project.id)
    changes = session.scalars(select(ProjectChange).where(ProjectChange.project_id == project.id)
                              .order_by(ProjectChange.changed_on.desc(), ProjectChange.id.desc())).all()
    return {
        "project_id": project.id, "name": project.name, "stage": project.stage,
        "incubation_status": project.incubation_status, "incubated_on": incubated_on(project),
        "milestones": [milestone_out(m) for m in milestones],
        "rounds": [round_out(r, names, intros) for r in rounds],
        "changes": [{k: getattr(c, k) for k in ("field", "old_value", "new_value", "changed_on", "note")}
                    for c in changes],
        "raised_total": sum(r.amount or 0 for r in rounds),
    }


def add_milestone(session: Session, p: Principal, project: Project, data: dict[str, Any]) -> Milestone:
    editable(p, project)
    if data["category"] != "revenue" and data.get("revenue_band"):
        problem(422, "a revenue band belongs to a revenue milestone",
                errors=[{"location": "json", "field": "revenue_band", "message": "only with category revenue"}])
    m = Milestone(project_id=project.id, space_id=project.space_id, created_by_user_id=p.user_id, **data)
    session.add(m)
    session.flush()
    audit.record(session, p, "growth.milestone.add", "project", project.id, project.space_id, milestone=m.id,
                 category=m.category, title=m.title, occurred_on=m.occurred_on)
    return m


def delete_milestone(session: Session, p: Principal, project: Project, milestone_id: int) -> None:
    editable(p, project)
    m = session.get(Milestone, milestone_id)
    if m is None or m.project_id != project.id:
        authz.not_found("milestone")
    audit.record(session, p, "growth.milestone.delete", "project", project.id, project.space_id, milestone=m.id,
                 title=m.title, occurred_on=m.occurred_on)
    session.delete(m)


def add_round(session: Session, p: Principal, project: Project, data: dict[str, Any]) -> FinancingRound:
    editable(p, project)
    ids = list(dict.fromkeys(data.get("investor_ids") or []))
    if ids and not (p.is_admin or (p.role == "operator" and p.space_id == project.space_id)):
        # a round naming Huoban investors writes into their portfolios, which their ranking learns from: the
        # space vouches for it, not the founder alone (founders name investors in investor_names)
        authz.forbid("only the space's operators link a round to Huoban investors; name them in investor_names")
    found = {i.id: i for i in session.scalars(select(Investor).where(
        Investor.id.in_(ids), or_(Investor.space_id.is_(None), Investor.space_id == project.space_id),
        Investor.archived_at.is_(None)))} if ids else {}
    missing = [i for i in ids if i not in found]
    if missing:
        problem(422, "unknown investors", errors=[{"location": "json", "field": "investor_ids",
                                                   "message": f"no investor {i} this space can see"} for i in missing])
    r = FinancingRound(project_id=project.id, space_id=project.space_id, round=data["round"], amount=data["amount"],
                       closed_on=data["closed_on"], investor_ids=ids, investor_names=data["investor_names"],
                       notes=data["notes"], created_by_user_id=p.user_id)
    session.add(r)
    session.flush()
    only = len(ids) == 1 and not data["investor_names"]
    for investor_id in ids:  # the investors' portfolios learn of it (removed again with the round)
        session.add(PortfolioInvestment(
            investor_id=investor_id, project_id=project.id, company=project.name, round=r.round,
            industries=list(project.industries), city=project.city, invested_on=r.closed_on,
            amount=r.amount if only else None, financing_round_id=r.id))
    audit.record(session, p, "growth.round.add", "project", project.id, project.space_id, round_id=r.id,
                 round=r.round, amount=r.amount, closed_on=r.closed_on, investor_ids=ids)
    return r


def delete_round(session: Session, p: Principal, project: Project, round_id: int) -> None:
    editable(p, project)
    r = session.get(FinancingRound, round_id)
    if r is None or r.project_id != project.id:
        authz.not_found("round")
    if r.investor_ids and not (p.is_admin or (p.role == "operator" and p.space_id == project.space_id)):
        authz.forbid("only the space's operators remove a round linked to Huoban investors")
    audit.record(session, p, "growth.round.delete", "project", project.id, project.space_id, round_id=r.id,
                 round=r.round, amount=r.amount, closed_on=r.closed_on)
    # the rows it made first (the foreign key cascades too, but not every SQLite connection enforces it)
    session.execute(delete(PortfolioInvestment).where(PortfolioInvestment.financing_round_id == r.id))
    session.delete(r)


def set_incubation(session: Session, p: Principal, project: Project, data: dict[str, Any]) -> None:
    if not (p.is_admin or (p.role == "operator" and p.space_id == project.space_id)):
        authz.forbid("only the space's operators graduate or close a project")
    on = data.get("on") or dt.date.today()
    if on < incubated_on(project):
        problem(422, "the change predates the project's incubation",
                errors=[{"location": "json", "field": "on", "message": f"before {incubated_on(project)}"}])
    old = project.incubation_status
    if old == data["status"]:
        return
    project.incubation_status = data["status"]
    session.add(ProjectChange(project_id=project.id, space_id=project.space_id, field="incubation_status",
                              old_value=old, new_value=data["status"], changed_on=on, note=data["note"],
                              changed_by_user_id=p.user_id))
    audit.record(session, p, "growth.incubation", "project", project.id, project.space_id,
                 changes={"incubation_status": [old, data["status"]]}, on=on, note=data["note"])


def note_stage_change(session: Session, project: Project, old: str, new: str, user_id: int | None) -> None:
    """Called by profile updates: the stage history of the growth record."""
    if old != new:
        session.add(ProjectChange(project_id=project.id, space_id=project.space_id, field="stage", old_value=old,
                                  new_value=new, changed_on=dt.date.today(), changed_by_user_id=user_id))
