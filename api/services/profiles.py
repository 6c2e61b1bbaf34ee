"""Profiles (projects, mentors, investors, providers): lookups under authorisation, filters, output with
contacts withheld unless :mod:`api.authz` allows them, and writes that keep every index in step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select, bindparam, func, or_, select, true
from sqlalchemy import update as sa_update
from sqlalchemy.orm import Session

from api import authz
from api.auth import Principal
from api.engine import candidate_stats, note_change
from api.extensions import matching
from api.problems import problem
from matcher.taxonomy import REGIONS, region_of_city
from models import (
    PROFILE_MODELS,
    ApiKey,
    FeedbackEvent,
    FinancingRound,
    Impression,
    ImpressionRollup,
    IntroRequest,
    Milestone,
    PortfolioInvestment,
    Project,
    ProjectChange,
    Space,
    User,
    tag_filter,
)

CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")
TEXT_FIELDS = {
    "project": ("name", "one_liner", "needs_statement", "description"),
    "mentor": ("name", "expertise", "offer", "bio", "organisation"),
    "investor": ("name", "thesis", "description"),
    "provider": ("name", "services", "description"),
}


def page(session: Session, query: Select[Any], page_no: int, per_page: int,
         order_by: Any) -> tuple[list[Any], dict[str, int]]:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = session.scalars(query.order_by(order_by).limit(per_page).offset((page_no - 1) * per_page)).all()
    return list(rows), {"page": page_no, "per_page": per_page, "total": int(total),
                        "pages": (int(total) + per_page - 1) // per_page}


def apply_filters(kind: str, query: Select[Any], args: Mapping[str, Any]) -> Select[Any]:
    model = PROFILE_MODELS[kind]
    if args.get("space_id") is not None:
        query = query.where(model.space_id == args["space_id"])
    if args.get("stage"):
        query = query.where(model.stage == args["stage"]) if kind == "project" else \
            query.where(tag_filter(model.stages, args["stage"]))
    if args.get("round"):
        query = query.where(model.round_sought == args["round"]) if kind == "project" else \
            query.where(tag_filter(model.rounds, args["round"])) if kind == "investor" else query.where(False)
    if args.get("industry"):
        query = query.where(tag_filter(model.industries, args["industry"]))
    if args.get("need"):
        column = model.needs if kind == "project" else model.serves
        query = query.where(tag_filter(column, args["need"]))
    region = args.get("region")
    if region:
        place = REGIONS.get(region)
        # the cities inside a province or prefecture share the first 2 or 4 digits of its GB/T 2260 code
        digits = {"province": 2, "municipality": 2, "prefecture": 4}.get(place.level)
        inside = [model.city.like(region[:digits] + "%")] if digits else []
        if kind == "project":
            conditions = [true()] if place.level == "nationwide" else [model.city == region, model.region == region]
            query = query.where(or_(*conditions, *inside))
        else:
            # candidates serving that place: based there, or listing it, a province or macro region around
            # it, or all China
            conditions = [model.city == region, tag_filter(model.regions, region),
                          tag_filter(model.regions, "nationwide")]
            for wider in {place.province, place.prefecture, place.macro} - {"", region}:
                conditions.append(tag_filter(model.regions, wider))
            query = query.where(or_(*conditions, *inside))
    if args.get("q"):
        needle = f"%{args['q']}%"
        query = query.where(or_(*(getattr(model, f).ilike(needle) for f in TEXT_FIELDS[kind])))
    if args.get("active") is not None:
        query = query.where(model.active.is_(args["active"]))
    if kind == "project" and args.get("curated") is not None:
        query = query.where(model.dealflow_curated.is_(args["curated"]))
    for key, column in (("mentor_type", "mentor_type"), ("kind", "kind"), ("category", "category")):
        if args.get(key) and hasattr(model, column) and kind != "project":
            query = query.where(getattr(model, column) == args[key])
    return query


def to_dict(row: Any, show_contacts: bool, extra: Mapping[str, Any] | None = None, *,
            show_external_id: bool = True) -> dict[str, Any]:
    data = {c.key: getattr(row, c.key) for c in row.__table__.columns}
    if not show_contacts:
        for name in CONTACT_FIELDS:
            data[name] = None
    if not show_external_id:  # a space's own key is its business (a network-wide profile is seen by all)
        data["external_id"] = None
    data["contacts_visible"] = show_contacts
    if extra:
        data.update(extra)
    return data


def loads(session: Session, kind: str, ids: list[int]) -> dict[int, int]:
    if kind not in ("mentor", "provider") or not ids:
        return {}
    return {cid: s.load for cid, s in candidate_stats(session, kind, ids).items()}


def serialize(session: Session, p: Principal, kind: str, rows: list[Any]) -> list[dict[str, Any]]:
    load = loads(session, kind, [r.id for r in rows])
    out = []
    for row in rows:
        if kind == "project":
            show = authz.project_contacts_visible(session, p, row)
        else:
            show = authz.candidate_contacts_visible(session, p, kind, row)
        extra = {"load": load.get(row.id, 0)} if kind in ("mentor", "provider") else None
        own = p.is_admin or (p.role == "operator" and row.space_id is not None and p.space_id == row.space_id)
        out.append(to_dict(row, show, extra, show_external_id=own))
    return out


def get_visible(session: Session, p: Principal, kind: str, id_: int) -> Any:
    model = PROFILE_MODELS[kind]
    row = session.get(model, id_)
    if row is None or (row.archived_at is not None and not p.is_admin):  # archived: gone, except to admins
        authz.not_found(kind)
    visible = authz.project_visible(session, p, row) if kind == "project" else \
        authz.candidate_visible(p, kind, row)
    if not visible:
        authz.not_found(kind)
    return row


_PROJECT_REF = select(Project.id, Project.space_id, Project.dealflow_curated).where(Project.id == bindparam("id"))


def visible_project_ref(session: Session, p: Principal, id_: int) -> authz.ProjectRef:
    """:func:`get_visible` for a project when only its id, space and curation flag are needed (hot paths:
    the whole row, with its texts and contacts, is not loaded)."""
    row = session.connection().execute(_PROJECT_REF, {"id": id_}).first()
    if row is None or not authz.project_visible(session, p, row):
        authz.not_found("project")
    return row  # type: ignore[return-value]


__all__ = ["PROFILE_MODELS", "Space", "problem"]  # re-exported for the resources


def list_query(p: Principal, kind: str) -> Select[Any]:
    model = PROFILE_MODELS[kind]
    query = authz.projects_query(p) if kind == "project" else authz.candidates_query(p, model)
    return query.where(model.archived_at.is_(None))


def derived_fields(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    if kind == "project" and "city" in data:
        data["region"] = region_of_city(data["city"])
    if kind != "project" and "city" in data and not data.get("regions") and "regions" in data:
        data["regions"] = [data["city"]]
    return data


def create(session: Session, kind: str, data: dict[str, Any]) -> Any:
    model = PROFILE_MODELS[kind]
    row = model(**derived_fields(kind, dict(data)))
    session.add(row)
    session.flush()
    note_change(session, kind, row.id)
    return row


def update(session: Session, kind: str, row: Any, data: Mapping[str, Any], user_id: int | None = None) -> Any:
    old_space = row.space_id
    if kind == "project" and "stage" in data:
        from api.services.growth import note_stage_change

        note_stage_change(session, row, row.stage, data["stage"], user_id)
    for key, value in derived_fields(kind, dict(data)).items():
        setattr(row, key, value)
    if kind == "project" and row.space_id != old_space:
        _move_project(session, row.id, row.space_id)
    elif kind != "project" and row.space_id != old_space:
        # a candidate's users follow it (a network-wide candidate's users belong to no space): the space it
        # left no longer manages their keys
        session.execute(sa_update(User).where(User.profile_kind == kind, User.profile_id == row.id)
                        .values(space_id=row.space_id))
    session.flush()
    note_change(session, kind, row.id)
    return row


def _move_project(session: Session, project_id: int, space_id: int) -> None:
    """A project changing spaces takes its history and its founders with it (one transaction). The project
    row is written first: batches of the impression log lock it, so none can slip a row in between."""
    session.flush()
    for model in (IntroRequest, Impression, FeedbackEvent, Milestone, FinancingRound, ProjectChange):
        session.execute(sa_update(model).where(model.project_id == project_id).values(space_id=space_id))
    session.execute(sa_update(User).where(User.profile_kind == "project", User.profile_id == project_id)
                    .values(space_id=space_id))


def history_counts(session: Session, kind: str, id_: int) -> dict[str, int]:
    """Rows that record what happened with this profile, by table: what a hard delete erases (a profile with
    any is archived unless an admin erases it, and the audit entry of either records these counts).

    Every profile: its introductions, feedback, impressions and the impressions already rolled up into
    counters (:mod:`api.retention`). A project: its growth record too (milestones, financing rounds, stage and
    incubation changes) and the portfolio rows naming it; an investor: its portfolio."""

    def rows(model: Any, where: Any) -> Any:
        return select(func.count()).select_from(model).where(where).scalar_subquery()

    counts: dict[str, Any] = {}
    for name, model in (("intros", IntroRequest), ("feedback", FeedbackEvent), ("impressions", Impression)):
        counts[name] = rows(model, model.project_id == id_ if kind == "project" else
                            (model.candidate_kind == kind) & (model.candidate_id == id_))
    # a project's rollups are those of the deal-flow ranking, which ranks projects (api.retention.forget)
    counts["rolled_up_impressions"] = select(func.coalesce(func.sum(ImpressionRollup.shown), 0)).where(
        ImpressionRollup.model_kind == ("dealflow" if kind == "project" else kind),
        ImpressionRollup.entity_id == id_).scalar_subquery()
    if kind == "project":
        for name, record in (("milestones", Milestone), ("financing_rounds", FinancingRound),
                             ("project_changes", ProjectChange)):
            counts[name] = rows(record, record.project_id == id_)
    if kind in ("project", "investor"):
        column = PortfolioInvestment.project_id if kind == "project" else PortfolioInvestment.investor_id
        counts["portfolio"] = rows(PortfolioInvestment, column == id_)
    found = session.execute(select(*(q.label(name) for name, q in counts.items()))).one()
    return {name: int(found._mapping[name] or 0) for name in counts}


def _close_access(session: Session, kind: str, row: Any) -> None:
    """Its users lose access (keys revoked, accounts disabled); a candidate's open introductions close."""
    users = session.scalars(select(User.id).where(User.profile_kind == kind, User.profile_id == row.id)).all()
    if users:
        session.execute(sa_update(User).where(User.id.in_(users)).values(active=False))
        session.execute(sa_update(ApiKey).where(ApiKey.user_id.in_(users), ApiKey.revoked_at.is_(None))
                        .values(revoked_at=dt.datetime.now(dt.UTC)))
    if kind != "project":
        from api.services.intros import close_for_deleted

        close_for_deleted(session, kind, row.id)


def archive(session: Session, kind: str, row: Any) -> None:
    """What deleting a profile with history (:func:`history_counts`) does: it leaves every list, match and page
    (admins still see it), its users lose access, and its introductions, feedback, impressions, investments and
    growth record stay - the other side's history, the space's record and the training data."""
    _close_access(session, kind, row)
    if kind == "project":  # its pending requests expire (a hard delete removes them with the project)
        session.execute(sa_update(IntroRequest).where(IntroRequest.project_id == row.id,
                                                      IntroRequest.status == "pending")
                        .values(status="expired", decided_at=dt.datetime.now(dt.UTC)))
    row.active = False
    row.archived_at = dt.datetime.now(dt.UTC)
    session.flush()
    note_change(session, kind, row.id)


def delete(session: Session, kind: str, row: Any) -> None:
    """Erase a profile and, by cascade, its history (admins only when it has any; see :func:`archive`).
    Ids are never reused (AUTOINCREMENT on SQLite, sequences on PostgreSQL)."""
    _close_access(session, kind, row)
    from api.retention import forget

    forget(session, kind, row.id)
    session.delete(row)
    session.flush()
    note_change(session, kind, row.id, op="delete")
    if kind in ("project", "investor"):  # its investments (portfolio rows, invested feedback) leave the deal log
        note_change(session, "history", row.id, op="delete")


def refresh_index(session: Session, kind: str, ids: list[int]) -> None:
    """Apply committed profile changes to this process's matcher now (others follow the change log)."""
    engine = matching.engine
    if engine.ready:
        engine.upsert(session, kind, ids)


def space_of_new_project(p: Principal, data: dict[str, Any]) -> int:
    if p.is_admin:
        if not data.get("space_id"):
            problem(422, "space_id is required", errors=[{"location": "json", "field": "space_id",
                                                          "message": "required for admins"}])
        return int(data["space_id"])
    if p.role != "operator":
        authz.forbid("only operators and admins create projects")
    if data.get("space_id") not in (None, p.space_id):
        authz.forbid("operators create projects in their own space")
    return int(p.space_id)  # type: ignore[arg-type]

