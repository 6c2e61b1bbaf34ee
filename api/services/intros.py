"""Double opt-in introductions.

A founder asks for an introduction to a candidate (``direction="project"``; the candidate decides), or an
investor asks to meet a project from its deal flow (``direction="candidate"``; the founder decides). The
asking side has opted in by asking; contacts are revealed to both once the other side accepts. Pending
requests expire after ``INTRO_EXPIRY_DAYS``.

Capacity is enforced at acceptance, atomically: the candidate's row is locked (``SELECT ... FOR UPDATE``
on PostgreSQL; on SQLite every writing transaction is ``BEGIN IMMEDIATE``, i.e. serialised), then its
active accepted introductions are counted. Concurrent accepts can never push a mentor past capacity.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api import authz
from api.auth import Principal
from api.engine import CANDIDATE_MODELS, note_change
from api.problems import problem
from api.services import notifications
from api.services.impression_log import current_log
from models import FeedbackEvent, Impression, IntroRequest, Project

ACTIVE = ("pending", "accepted")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def expire_due(session: Session) -> int:
    """Mark pending requests past their expiry as expired (called on the intro paths)."""
    result = session.execute(
        update(IntroRequest).where(IntroRequest.status == "pending", IntroRequest.expires_at < now())
        .values(status="expired", decided_at=now())
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _record(session: Session, intro: IntroRequest, event: str, user_id: int | None) -> None:
    """Mirror an intro transition as a feedback event (the learning loop reads one event log)."""
    session.add(FeedbackEvent(
        event_id=f"intro#{intro.id}#{event}", space_id=intro.space_id, type=event, project_id=intro.project_id,
        candidate_kind=intro.candidate_kind, candidate_id=intro.candidate_id, impression_id=intro.impression_id,
        intro_id=intro.id, actor_user_id=user_id, occurred_at=now(),
    ))


def active_load(session: Session, kind: str, candidate_id: int) -> int:
    return int(session.scalar(select(func.count()).select_from(IntroRequest).where(
        IntroRequest.candidate_kind == kind, IntroRequest.candidate_id == candidate_id,
        IntroRequest.direction == "project", IntroRequest.status == "accepted",
        IntroRequest.ended_at.is_(None))) or 0)


def impression_ready(data: dict[str, Any]) -> None:
    """Make a just-served impression the request names visible (see :mod:`api.services.impression_log`);
    call it before the request's write transaction starts."""
    if data.get("impression_id") is not None:
        impressions = current_log()
        impressions.make_visible(data["impression_id"], exists=impressions.exists)


def create(session: Session, p: Principal, data: dict[str, Any], expiry_days: int) -> IntroRequest:
    """Ask for an introduction. Callers run :func:`impression_ready` first, before their transaction starts."""
    kind = data["candidate_kind"]
    project = session.get(Project, data["project_id"])
    if project is None or not authz.project_visible(session, p, project):
        authz.not_found("project")
    model = CANDIDATE_MODELS[kind]
    candidate = session.get(model, data["candidate_id"])
    if candidate is None or not (candidate.space_id is None or candidate.space_id == project.space_id):
        authz.not_found(kind)
    if p.role == "investor" or (p.is_admin and data.get("direction") == "candidate"):
        direction = "candidate"
        if kind != "investor" or not p.owns("investor", candidate.id) and not p.is_admin:
            authz.forbid("investors ask for introductions to projects as themselves")
        if not project.dealflow_curated:
            authz.not_found("project")
    elif p.is_admin or (p.role == "founder" and p.profile_id == project.id) or \
            (p.role == "operator" and p.space_id == project.space_id):
        direction = "project"
    else:
        authz.forbid("only the project's founder (or its operators) may ask for introductions")
    if not candidate.active or not project.active:
        problem(409, "this profile is not active", type_="inactive")
    existing = session.scalars(select(IntroRequest).where(
        IntroRequest.project_id == project.id, IntroRequest.candidate_kind == kind,
        IntroRequest.candidate_id == candidate.id, IntroRequest.status.in_(ACTIVE),
        IntroRequest.ended_at.is_(None))).first()
    if existing is not None:
        problem(409, f"an introduction between them is already {existing.status} (id {existing.id})",
                type_="duplicate-intro", intro_id=existing.id)
    capacity = getattr(candidate, "capacity", None)
    if direction == "project" and capacity is not None and active_load(session, kind, candidate.id) >= capacity:
        problem(409, f"this {kind} has no capacity left", type_="capacity-exhausted")
    impression_id = data.get("impression_id")
    if impression_id is not None:
        imp = session.get(Impression, impression_id)
        if imp is None or imp.project_id != project.id or imp.candidate_id != candidate.id \
                or imp.candidate_kind != kind:
            problem(422, "impression_id does not belong to this project and candidate",
                    errors=[{"location": "json", "field": "impression_id", "message": "does not match"}])
    intro = IntroRequest(
        space_id=project.space_id, project_id=project.id, candidate_kind=kind, candidate_id=candidate.id,
        direction=direction, status="pending", message=data.get("message", ""), requested_by_user_id=p.user_id,
        impression_id=impression_id, created_at=now(), expires_at=now() + dt.timedelta(days=expiry_days),
    )
    session.add(intro)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # a concurrent request for the same pair won the unique index
        problem(409, "an introduction between them is already open", type_="duplicate-intro")
    _record(session, intro, "requested", p.user_id)
    notifications.intro_requested(session, intro, public_url())
    return intro


def public_url() -> str:
    """Where links in mails point (``HUOBAN_PUBLIC_URL``)."""
    from flask import current_app, has_app_context

    return str(current_app.config.get("PUBLIC_URL") or "http://127.0.0.1:8000") if has_app_context() \
        else "http://127.0.0.1:8000"


def get_for(session: Session, p: Principal, intro_id: int, *, lock: bool = False) -> tuple[IntroRequest, str]:
    intro = session.get(IntroRequest, intro_id, with_for_update=lock or None)
    if intro is None:
        authz.not_found("introduction")
    party = authz.intro_party(p, intro)
    if party is None:
        authz.not_found("introduction")
    return intro, party


def _deciding_party(intro: IntroRequest) -> str:
    return "candidate" if intro.direction == "project" else "project"


def decide(session: Session, p: Principal, intro_id: int, accept: bool) -> IntroRequest:
    expire_due(session)
    intro, party = get_for(session, p, intro_id, lock=True)
    if party not in (_deciding_party(intro), "admin"):
        authz.forbid("only the introduced side decides (the asking side already opted in)")
    if intro.status == "expired":
        problem(409, "this request expired", type_="intro-expired")
    if intro.status != "pending":
        problem(409, f"this request was already {intro.status}", type_="intro-decided")
    if accept and intro.direction == "project":
        model = CANDIDATE_MODELS[intro.candidate_kind]
        candidate = session.scalars(select(model).where(model.id == intro.candidate_id)
                                    .with_for_update()).one_or_none()
        if candidate is None or not candidate.active:
            problem(409, "this profile is no longer available", type_="inactive")
        capacity = getattr(candidate, "capacity", None)
        if capacity is not None and active_load(session, intro.candidate_kind, candidate.id) >= capacity:
            problem(409, f"no capacity left ({capacity} active); end an engagement first",
                    type_="capacity-exhausted")
    intro.status = "accepted" if accept else "declined"
    intro.decided_at = now()
    intro.decided_by_user_id = p.user_id
    _record(session, intro, intro.status, p.user_id)
    notifications.intro_decided(session, intro, public_url())
    note_change(session, intro.candidate_kind, intro.candidate_id, op="stats")
    note_change(session, "project", intro.project_id, op="stats")
    return intro


def end(session: Session, p: Principal, intro_id: int) -> IntroRequest:
    intro, party = get_for(session, p, intro_id, lock=True)
    if party is None:
        authz.not_found("introduction")
    if intro.status != "accepted" or intro.ended_at is not None:
        problem(409, "only an accepted, ongoing introduction can end", type_="intro-not-active")
    intro.ended_at = now()
    note_change(session, intro.candidate_kind, intro.candidate_id, op="stats")
    return intro


def party_contact(row: Any) -> dict[str, Any]:
    return {"name": row.contact_name, "email": row.contact_email, "phone": row.contact_phone}


def to_dict(session: Session, p: Principal, intro: IntroRequest) -> dict[str, Any]:
    project = session.get(Project, intro.project_id)
    candidate = session.get(CANDIDATE_MODELS[intro.candidate_kind], intro.candidate_id)
    party = authz.intro_party(p, intro)
    accepted = intro.status == "accepted"
    # the two sides see each other once both accepted; operators only what they may see of each object
    show_project = accepted and project is not None and (
        party in ("admin", "project", "candidate") or authz.project_contacts_visible(session, p, project))
    show_candidate = accepted and candidate is not None and (
        party in ("admin", "project", "candidate")
        or authz.candidate_contacts_visible(session, p, intro.candidate_kind, candidate))
    reveal = bool(show_project and show_candidate)
    return {
        "id": intro.id, "space_id": intro.space_id, "project_id": intro.project_id,
        "project_name": project.name if project else "", "candidate_kind": intro.candidate_kind,
        "candidate_id": intro.candidate_id, "candidate_name": candidate.name if candidate else "",
        "direction": intro.direction, "status": "ended" if intro.ended_at else intro.status,
        "message": intro.message, "created_at": intro.created_at, "expires_at": intro.expires_at,
        "decided_at": intro.decided_at, "ended_at": intro.ended_at, "contacts_visible": reveal,
        "project_contact": party_contact(project) if show_project else None,
        "candidate_contact": party_contact(candidate) if show_candidate else None,
    }


def close_for_deleted(session: Session, kind: str, candidate_id: int) -> None:
    """A deleted candidate's pending requests expire; ongoing engagements end."""
    session.execute(update(IntroRequest).where(
        IntroRequest.candidate_kind == kind, IntroRequest.candidate_id == candidate_id,
        IntroRequest.status == "pending").values(status="expired", decided_at=now()))
    session.execute(update(IntroRequest).where(
        IntroRequest.candidate_kind == kind, IntroRequest.candidate_id == candidate_id,
        IntroRequest.status == "accepted", IntroRequest.ended_at.is_(None)).values(ended_at=now()))
