"""Feedback events, idempotent on the client's ``event_id``.

An event ties to an impression or an introduction (which fixes the project, candidate and space), and only
the right side may report it:

=========================  =============================================================================
viewed, dismissed,         the side that saw the match: the project's founder for matches, the investor
requested                  for deal flow
accepted, declined         the deciding side, and only when the introduction really was accepted or
                           declined (the service records these itself when the decision is made)
met, invested              either side of an *accepted* introduction (invested: investor matches only)
rating                     the project's side of an accepted introduction, once per person and
                           introduction: a candidate does not rate its own engagement
=========================  =============================================================================

Viewer events of an impression come from the person it was served to (a founder does not dismiss a list an
operator was shown). ``occurred_at`` may not precede the impression or introduction it reports on.
Operators of the space and admins may report any of them. Callers who are no party at all get a 404.
The request is authorised *before* the idempotency lookup. ``event_id`` is the caller's own idempotency
key: posting the same one again returns the stored event (``duplicate: true``), reusing it for another event
is a conflict, and another caller's keys are separate (so a conflict reveals nothing about other tenants).
Concurrent duplicates store one event (the unique constraint decides; the loser reads the winner's row).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api import authz
from api.auth import Principal
from api.engine import note_change
from api.problems import problem
from api.services.impression_log import current_log
from models import FeedbackEvent, Impression, IntroRequest

COMPARED = ("type", "impression_id", "intro_id", "rating", "amount", "notes")
VIEWER_TYPES = ("viewed", "dismissed", "requested")
DECISION_TYPES = ("accepted", "declined")
AFTER_TYPES = ("met", "rating", "invested")

_BY_EVENT_ID = select(FeedbackEvent).where(FeedbackEvent.event_id == bindparam("event_id"),
                                           FeedbackEvent.actor_user_id == bindparam("actor"))
# what an event needs of its impression, as plain columns (the logged features are not loaded)
# a rating's "rated once" check (read through ix_feedback_intro)
_RATED = select(FeedbackEvent.id).where(FeedbackEvent.type == "rating", FeedbackEvent.intro_id == bindparam("intro_id"),
                                        FeedbackEvent.actor_user_id == bindparam("actor")).limit(1)
_IMPRESSION_REF = select(Impression.id, Impression.space_id, Impression.direction, Impression.project_id,
                         Impression.candidate_kind, Impression.candidate_id, Impression.viewer_user_id,
                         Impression.created_at).where(Impression.id == bindparam("id"))
CLOCK_SKEW = dt.timedelta(minutes=5)
NO_IMPRESSION = ("no such impression (impressions older than the retention period are rolled up into counters: "
                 "report an introduction's outcome with intro_id instead)")


def _resolve(session: Session, p: Principal, data: dict[str, Any]) -> tuple[Any, IntroRequest | None]:
    imp: Any = None
    impression_id = data.get("impression_id")
    if impression_id is not None:
        impressions = current_log()
        impressions.make_visible(impression_id)  # still in this process's buffer: written now
        imp = session.connection().execute(_IMPRESSION_REF, {"id": impression_id}).first()
        if imp is None and impressions.buffered:
            # served by another worker moments ago? end this transaction (on SQLite it holds the write lock
            # that worker needs) and wait for its batch
            session.rollback()
            impressions.make_visible(impression_id, exists=impressions.exists)
            # read again whatever the wait said: the batch may have landed between the miss and the wait
            imp = session.connection().execute(_IMPRESSION_REF, {"id": impression_id}).first()
    intro = session.get(IntroRequest, data["intro_id"]) if data.get("intro_id") is not None else None
    if data.get("impression_id") is not None and imp is None:
        # the same answer for an id that never existed, another tenant's, and one retention rolled up (telling
        # them apart would say what others were shown, or how much): what to do instead is in the detail
        problem(404, NO_IMPRESSION)
    if data.get("intro_id") is not None and intro is None:
        authz.not_found("introduction")
    if imp is not None and intro is not None and (imp.project_id, imp.candidate_kind, imp.candidate_id) != \
            (intro.project_id, intro.candidate_kind, intro.candidate_id):
        problem(422, "impression and introduction concern different pairs",
                errors=[{"location": "json", "field": "intro_id", "message": "does not match impression_id"}])
    return imp, intro


def _authorise(session: Session, p: Principal, etype: str, imp: Any,
               intro: IntroRequest | None) -> IntroRequest | None:
    ref: Any = intro if intro is not None else imp
    project_side = p.owns("project", ref.project_id)
    candidate_side = p.owns(ref.candidate_kind, ref.candidate_id)
    staff = p.is_admin or (p.role == "operator" and p.space_id == ref.space_id)
    if not (staff or project_side or candidate_side):
        if intro is None:
            problem(404, NO_IMPRESSION)  # exactly as for an id that does not exist
        authz.not_found("introduction")
    dealflow = (imp is not None and imp.direction == "dealflow") or \
        (intro is not None and intro.direction == "candidate")
    if intro is None and etype not in VIEWER_TYPES:
        # decisions and later outcomes belong to an introduction: find the pair's current one
        intro = session.scalars(select(IntroRequest).where(
            IntroRequest.project_id == ref.project_id, IntroRequest.candidate_kind == ref.candidate_kind,
            IntroRequest.candidate_id == ref.candidate_id).order_by(IntroRequest.id.desc())).first()
    if etype in VIEWER_TYPES:
        if not (staff or (candidate_side if dealflow else project_side)):
            authz.forbid("only the side that was shown the match reports this")
        if imp is not None and not staff and imp.viewer_user_id is not None and imp.viewer_user_id != p.user_id:
            authz.forbid("this list was shown to someone else; only they report what they did with it")
    elif etype in DECISION_TYPES:
        if intro is None or intro.status != etype:
            problem(409, f"no introduction between them was {etype}", type_="outcome-without-intro")
        deciding_is_candidate = intro.direction == "project"
        if not (staff or (candidate_side if deciding_is_candidate else project_side)):
            authz.forbid("only the deciding side reports its decision")
    else:  # met, rating, invested
        if intro is None or intro.status != "accepted":
            problem(409, f"'{etype}' needs an accepted introduction between them", type_="outcome-without-intro")
        if etype == "rating" and not (staff or project_side):
            authz.forbid("the project's side rates an engagement; a candidate does not rate its own")
        if etype == "invested" and ref.candidate_kind != "investor":
            problem(422, "only investor matches lead to investments",
                    errors=[{"location": "json", "field": "type", "message": "invested needs an investor"}])
    return intro


def _out(row: FeedbackEvent, duplicate: bool) -> dict[str, Any]:
    data = {c: getattr(row, c) for c in ("id", "event_id", "type", "project_id", "candidate_kind", "candidate_id",
                                         "impression_id", "intro_id", "rating", "amount", "notes", "occurred_at")}
    data["duplicate"] = duplicate
    return data


def _same(row: FeedbackEvent, data: dict[str, Any], p: Principal) -> bool:
    return row.actor_user_id == p.user_id and all(
        getattr(row, key) == (data.get(key) if key != "notes" else data.get(key, "")) for key in COMPARED)


def _existing(session: Session, p: Principal, data: dict[str, Any]) -> tuple[dict[str, Any], bool] | None:
    row = session.scalars(_BY_EVENT_ID, {"event_id": data["event_id"], "actor": p.user_id}).first()
    if row is None:
        return None
    if not _same(row, data, p):
        problem(409, "this event_id is already used; choose a new one for a new event", type_="event-id-reused")
    return _out(row, True), False


def record(session: Session, p: Principal, data: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Store the event; returns (event, created)."""
    imp, intro = _resolve(session, p, data)
    intro = _authorise(session, p, data["type"], imp, intro)
    found = _existing(session, p, data)
    if found is not None:
        return found
    ref: Any = intro if intro is not None else imp
    occurred = data.get("occurred_at")
    since = getattr(ref, "created_at", None)  # UTCDateTime: timezone-aware on every backend
    if occurred is not None and since is not None and occurred < since - CLOCK_SKEW:
        problem(422, "occurred_at is before the match or introduction it reports on",
                errors=[{"location": "json", "field": "occurred_at",
                         "message": f"must not be before {since.isoformat(timespec='seconds')}"}])
    if data["type"] == "rating" and intro is not None and session.scalar(
            _RATED, {"intro_id": intro.id, "actor": p.user_id}) is not None:
        problem(409, "you already rated this introduction", type_="already-rated")
    row = FeedbackEvent(
        event_id=data["event_id"], space_id=ref.space_id, type=data["type"], project_id=ref.project_id,
        candidate_kind=ref.candidate_kind, candidate_id=ref.candidate_id, impression_id=data.get("impression_id"),
        intro_id=data.get("intro_id"), rating=data.get("rating"), amount=data.get("amount"),
        notes=data.get("notes", ""), actor_user_id=p.user_id,
        occurred_at=data.get("occurred_at") or dt.datetime.now(dt.UTC),
    )
    session.add(row)
    if row.type == "invested" and row.candidate_kind == "investor":
        note_change(session, "history", row.project_id)  # every worker's investor ranker sees the new deal
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        found = _existing(session, p, data)
        if found is None:
            raise
        return found
    return _out(row, False), True
