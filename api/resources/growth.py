"""A project's growth record (成长档案): milestones, closed rounds, stage and incubation history."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint

from api import schemas as s
from api.auth import auth, current_principal
from api.extensions import db
from api.services import growth as svc
from api.services import profiles as profile_svc

bp = APIBlueprint("growth", __name__, url_prefix="/api/v1/projects/<int(min=1, max=2147483647):project_id>",
                  tag="Growth records")
ID = "<int(min=1, max=2147483647):item_id>"


def _project(project_id: int, *, write: bool = False) -> Any:
    p = current_principal()
    session = db.session if write else db.reader
    project = profile_svc.get_visible(session, p, "project", project_id)
    svc.editable(p, project)
    return project


@bp.get("/growth")
@bp.auth_required(auth)
@bp.output(s.GrowthOut)
@bp.doc(summary="The project's growth record", responses={403: "Forbidden", 404: "Not found"})
def get_record(project_id: int) -> dict[str, Any]:
    return svc.record(db.reader, _project(project_id))


@bp.post("/milestones")
@bp.auth_required(auth)
@bp.input(s.MilestoneIn, arg_name="data")
@bp.output(s.MilestoneOut, status_code=201)
@bp.doc(summary="Record a milestone (founders and the space's operators)")
def add_milestone(project_id: int, data: dict[str, Any]) -> dict[str, Any]:
    project = _project(project_id, write=True)
    m = svc.add_milestone(db.session, current_principal(), project, data)
    db.session.commit()
    return svc.milestone_out(m)


@bp.delete(f"/milestones/{ID}")
@bp.auth_required(auth)
@bp.output({}, status_code=204)
@bp.doc(summary="Remove a milestone")
def delete_milestone(project_id: int, item_id: int) -> tuple[str, int]:
    project = _project(project_id, write=True)
    svc.delete_milestone(db.session, current_principal(), project, item_id)
    db.session.commit()
    return "", 204


@bp.post("/rounds")
@bp.auth_required(auth)
@bp.input(s.RoundIn, arg_name="data")
@bp.output(s.RoundOut, status_code=201)
@bp.doc(summary="Record a financing round the project closed",
        description="Each Huoban investor of the round gets a portfolio row (the investor ranker learns from it).")
def add_round(project_id: int, data: dict[str, Any]) -> dict[str, Any]:
    session = db.session
    project = _project(project_id, write=True)
    r = svc.add_round(session, current_principal(), project, data)
    session.commit()
    return next(x for x in svc.record(session, project)["rounds"] if x["id"] == r.id)


@bp.delete(f"/rounds/{ID}")
@bp.auth_required(auth)
@bp.output({}, status_code=204)
@bp.doc(summary="Remove a round (and the portfolio rows it made)")
def delete_round(project_id: int, item_id: int) -> tuple[str, int]:
    project = _project(project_id, write=True)
    svc.delete_round(db.session, current_principal(), project, item_id)
    db.session.commit()
    return "", 204


@bp.put("/incubation")
@bp.auth_required(auth)
@bp.input(s.IncubationIn, arg_name="data")
@bp.output(s.GrowthOut)
@bp.doc(summary="Graduate, close or resume a project's incubation (operators and admins)")
def set_incubation(project_id: int, data: dict[str, Any]) -> dict[str, Any]:
    session = db.session
    project = _project(project_id, write=True)
    svc.set_incubation(session, current_principal(), project, data)
    session.commit()
    return svc.record(session, project)
