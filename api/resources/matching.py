"""Matches for a project and deal flow for an investor; introductions; feedback."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from flask import current_app
from sqlalchemy import select

from api import authz
from api import schemas as s
from api.auth import auth, current_principal
from api.extensions import db
from api.services import feedback as feedback_svc
from api.services import intros as intro_svc
from api.services import matching as svc
from api.services import profiles as profile_svc
from models import IntroRequest

bp = APIBlueprint("matching", __name__, url_prefix="/api/v1", tag="Matching")


@bp.get("/projects/<int(min=1, max=2147483647):project_id>/matches")
@bp.auth_required(auth)
@bp.input(s.MatchQuery, location="query", arg_name="args")
@bp.output(s.MatchList)
@bp.doc(summary="Ranked mentors, investors or providers for a project, with explanations",
        description="Every served list is logged as impressions for the learning loop.",
        responses={503: "The matcher is still loading"})
def project_matches(project_id: int, args: dict[str, Any]) -> Any:
    p = current_principal()
    session = db.reader  # reads and ranking take no write lock; only the impression log writes
    project = profile_svc.visible_project_ref(session, p, project_id)
    if not (p.is_admin or (p.role == "operator" and p.space_id == project.space_id) or p.owns("project", project_id)):
        authz.forbid("matches are for the project's founders and operators")
    exclude = svc.excluded_candidates(session, project_id, args["kind"])
    result = svc.serve(session, kind=args["kind"], query_id=project_id, space_id=project.space_id,
                       direction="matches", k=args["k"], viewer_user_id=p.user_id, diversity=args.get("diversity"),
                       exclude=exclude, writer=db.session)
    return svc.response(result)


@bp.get("/investors/<int(min=1, max=2147483647):investor_id>/dealflow")
@bp.auth_required(auth)
@bp.input(s.DealflowQuery, location="query", arg_name="args")
@bp.output(s.MatchList)
@bp.doc(summary="Curated projects ranked against an investor's thesis (contacts withheld)",
        responses={503: "The matcher is still loading"})
def dealflow(investor_id: int, args: dict[str, Any]) -> Any:
    p = current_principal()
    session = db.reader
    investor = profile_svc.get_visible(session, p, "investor", investor_id)
    if not (p.is_admin or p.owns("investor", investor_id)
            or (p.role == "operator" and investor.space_id in (None, p.space_id))):
        authz.forbid("deal flow is for the investor (and operators)")
    space_id = investor.space_id or (p.space_id if p.role == "operator" else None)
    exclude = svc.excluded_projects(session, investor_id)
    k = args["k"]
    filters = {key: args[key] for key in ("round", "industry", "region") if args.get(key)}
    if p.role == "operator":
        filters["space_id"] = p.space_id  # an operator previews deal flow of their own space only
    if filters:
        # filtered deal flow: projects failing the filters are excluded before ranking
        exclude = exclude + _filtered_out(session, filters)
    result = svc.serve(session, kind="investor", query_id=investor_id, space_id=space_id or 0,
                       direction="dealflow", k=k, viewer_user_id=p.user_id, exclude=exclude, writer=db.session)
    return svc.response(result)


def _filtered_out(session: Any, filters: dict[str, str]) -> list[int]:
    from models import Project

    query = profile_svc.apply_filters("project", select(Project.id).where(Project.dealflow_curated.is_(True)),
                                      {**filters})
    keep = set(session.scalars(query))
    every = set(session.scalars(select(Project.id).where(Project.dealflow_curated.is_(True))))
    return sorted(every - keep)


# -- introductions --------------------------------------------------------------------------------------
@bp.post("/intros")
@bp.auth_required(auth)
@bp.input(s.IntroIn, arg_name="data")
@bp.output(s.IntroOut, status_code=201)
@bp.doc(summary="Ask for an introduction (founder -> candidate; investor -> project from deal flow)",
        responses={409: "Duplicate, inactive or no capacity left"})
def create_intro(data: dict[str, Any]) -> dict[str, Any]:
    p = current_principal()
    intro_svc.impression_ready(data)  # before expire_due opens the write transaction
    session = db.session
    intro_svc.expire_due(session)
    intro = intro_svc.create(session, p, data, int(current_app.config["INTRO_EXPIRY_DAYS"]))
    session.commit()
    return intro_svc.to_dict(session, p, intro)


@bp.get("/intros")
@bp.auth_required(auth)
@bp.input(s.IntroQuery, location="query", arg_name="args")
@bp.output(s.IntroPage)
@bp.doc(summary="Introductions the caller is part of")
def list_intros(args: dict[str, Any]) -> dict[str, Any]:
    p = current_principal()
    session = db.session
    intro_svc.expire_due(session)
    session.commit()
    query = authz.intros_query(p)
    status = args.get("status")
    if status == "ended":
        query = query.where(IntroRequest.ended_at.is_not(None))
    elif status:
        query = query.where(IntroRequest.status == status)
        if status == "accepted":
            query = query.where(IntroRequest.ended_at.is_(None))
    rows, meta = profile_svc.page(session, query, args["page"], args["per_page"], IntroRequest.id.desc())
    return {"items": [intro_svc.to_dict(session, p, r) for r in rows], "meta": meta}


@bp.get("/intros/<int(min=1, max=2147483647):intro_id>")
@bp.auth_required(auth)
@bp.output(s.IntroOut)
@bp.doc(summary="One introduction; contacts once both sides accepted")
def get_intro(intro_id: int) -> dict[str, Any]:
    p = current_principal()
    session = db.session
    intro_svc.expire_due(session)
    session.commit()
    intro, _ = intro_svc.get_for(session, p, intro_id)
    return intro_svc.to_dict(session, p, intro)


def _decide(intro_id: int, accept: bool) -> dict[str, Any]:
    p = current_principal()
    session = db.session
    intro = intro_svc.decide(session, p, intro_id, accept)
    session.commit()
    profile_svc.refresh_index(session, intro.candidate_kind, [intro.candidate_id])
    return intro_svc.to_dict(session, p, intro)


@bp.post("/intros/<int(min=1, max=2147483647):intro_id>/accept")
@bp.auth_required(auth)
@bp.input(s.IntroDecision, arg_name="data")
@bp.output(s.IntroOut)
@bp.doc(summary="Accept (the introduced side); capacity is enforced atomically",
        responses={409: "Already decided, expired, or no capacity left"})
def accept_intro(intro_id: int, data: dict[str, Any]) -> dict[str, Any]:
    return _decide(intro_id, True)


@bp.post("/intros/<int(min=1, max=2147483647):intro_id>/decline")
@bp.auth_required(auth)
@bp.input(s.IntroDecision, arg_name="data")
@bp.output(s.IntroOut)
@bp.doc(summary="Decline (the introduced side)", responses={409: "Already decided or expired"})
def decline_intro(intro_id: int, data: dict[str, Any]) -> dict[str, Any]:
    return _decide(intro_id, False)


@bp.post("/intros/<int(min=1, max=2147483647):intro_id>/end")
@bp.auth_required(auth)
@bp.output(s.IntroOut)
@bp.doc(summary="End an accepted engagement (frees the mentor's or provider's capacity)",
        responses={409: "Not an ongoing engagement"})
def end_intro(intro_id: int) -> dict[str, Any]:
    p = current_principal()
    session = db.session
    intro = intro_svc.end(session, p, intro_id)
    session.commit()
    profile_svc.refresh_index(session, intro.candidate_kind, [intro.candidate_id])
    return intro_svc.to_dict(session, p, intro)


# -- feedback ---------------------------------------------------------------------------------------------
@bp.post("/feedback")
@bp.auth_required(auth)
@bp.input(s.FeedbackIn, arg_name="data")
@bp.output(s.FeedbackOut, status_code=201)
@bp.doc(summary="Record what happened after a match (idempotent on event_id)",
        description="A repeated event_id returns the stored event with duplicate=true and status 200.",
        responses={200: "Already recorded", 409: "event_id reused for a different event"})
def post_feedback(data: dict[str, Any]) -> Any:
    p = current_principal()
    event, created = feedback_svc.record(db.session, p, data)
    if created:
        from api.services.learning import maybe_retrain

        maybe_retrain()
    return event, (201 if created else 200)
