"""Feedback events, idempotent on the client's ``event_id``.

An event ties to an impression or an introduction (which fixes the project, candidate and space). Posting
the same ``event_id`` again stores nothing and returns the stored event (``duplicate: true``); reusing an
``event_id`` for a different event is a conflict. Two concurrent posts of one event store it once: the
unique constraint decides, the loser reads the winner's row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api import authz
from api.auth import Principal
from api.problems import problem
from models import FeedbackEvent, Impression, IntroRequest

COMPARED = ("type", "impression_id", "intro_id", "rating", "amount", "notes")


def _target(session: Session, p: Principal, data: dict[str, Any]) -> tuple[int, int, str, int]:
    """(space, project, candidate kind, candidate id) of the event, checked against the caller."""
    imp = intro = None
    if data.get("impression_id") is not None:
        imp = session.get(Impression, data["impression_id"])
        if imp is None:
            authz.not_found("impression")
    if data.get("intro_id") is not None:
        intro = session.get(IntroRequest, data["intro_id"])
        if intro is None or authz.intro_party(p, intro) is None:
            authz.not_found("introduction")
    if imp is not None and intro is not None and (imp.project_id, imp.candidate_kind, imp.candidate_id) != \
            (intro.project_id, intro.candidate_kind, intro.candidate_id):
        problem(422, "impression and introduction concern different pairs",
                errors=[{"location": "json", "field": "intro_id", "message": "does not match impression_id"}])
    ref: Any = intro if intro is not None else imp
    assert ref is not None
    if imp is not None and intro is None:
        allowed = p.is_admin or (p.role == "operator" and p.space_id == imp.space_id) or \
            p.owns("project", imp.project_id) or p.owns(imp.candidate_kind, imp.candidate_id)
        if not allowed:
            authz.not_found("impression")
    return ref.space_id, ref.project_id, ref.candidate_kind, ref.candidate_id


def _out(row: FeedbackEvent, duplicate: bool) -> dict[str, Any]:
    data = {c: getattr(row, c) for c in ("id", "event_id", "type", "project_id", "candidate_kind", "candidate_id",
                                         "impression_id", "intro_id", "rating", "amount", "notes", "occurred_at")}
    data["duplicate"] = duplicate
    return data


def _same(row: FeedbackEvent, data: dict[str, Any]) -> bool:
    return all(getattr(row, key) == (data.get(key) if key != "notes" else data.get(key, "")) for key in COMPARED)


def record(session: Session, p: Principal, data: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Store the event; returns (event, created)."""
    existing = session.scalars(select(FeedbackEvent).where(FeedbackEvent.event_id == data["event_id"])).first()
    if existing is not None:
        return _resolve_duplicate(existing, data)
    space_id, project_id, kind, candidate_id = _target(session, p, data)
    row = FeedbackEvent(
        event_id=data["event_id"], space_id=space_id, type=data["type"], project_id=project_id,
        candidate_kind=kind, candidate_id=candidate_id, impression_id=data.get("impression_id"),
        intro_id=data.get("intro_id"), rating=data.get("rating"), amount=data.get("amount"),
        notes=data.get("notes", ""), actor_user_id=p.user_id,
        occurred_at=data.get("occurred_at") or dt.datetime.now(dt.UTC),
    )
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        existing = session.scalars(select(FeedbackEvent).where(FeedbackEvent.event_id == data["event_id"])).first()
        if existing is None:
            raise
        return _resolve_duplicate(existing, data)
    return _out(row, False), True


def _resolve_duplicate(existing: FeedbackEvent, data: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    if not _same(existing, data):
        problem(409, "this event_id was already used for a different event", type_="event-id-reused")
    return _out(existing, True), False
