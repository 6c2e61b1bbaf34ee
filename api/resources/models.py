"""Model versions, retraining jobs, promotion and rollback.

Models are trained on the whole network's outcomes. Training and the network's serving version are an
admin matter; an operator chooses which version serves *their* space (pin, roll back, follow the network),
so one tenant's choice never changes another's matches.
"""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from flask import current_app
from sqlalchemy import select

from api import authz
from api import schemas as s
from api.auth import auth, current_principal
from api.config import database_url
from api.extensions import db, matching
from api.problems import problem
from api.services import space_models
from api.training import promote_version, refresh_job, rollback, serving_version, start_job
from matcher.errors import ModelArtifactError
from models import Job, ModelVersion, Space, SpaceModel

bp = APIBlueprint("models", __name__, url_prefix="/api/v1", tag="Models")


class ModelVersionOut(s.Schema):
    id = s.Integer(required=True)
    status = s.String(required=True, metadata={"description": "candidate, serving (network) or retired"})
    created_at = s.DateTime(required=True)
    promoted_at = s.DateTime(allow_none=True, required=True)
    report = s.String(required=True)
    metrics = s.Dict(required=True)
    manifest = s.Dict(required=True)


class ModelVersionItem(ModelVersionOut):
    """One item of the list."""


class ModelList(s.Schema):
    serving = s.Integer(allow_none=True, required=True, metadata={"description": "the network's serving version"})
    loaded_here = s.Integer(allow_none=True, required=True)
    items = s.List(s.Nested(ModelVersionItem), required=True)


class JobOut(s.Schema):
    id = s.Integer(required=True)
    kind = s.String(required=True)
    status = s.String(required=True, metadata={"description": "queued, running, succeeded or failed"})
    progress = s.Float(required=True)
    message = s.String(required=True)
    result = s.Dict(required=True)
    created_at = s.DateTime(required=True)
    started_at = s.DateTime(allow_none=True, required=True)
    finished_at = s.DateTime(allow_none=True, required=True)


class SpaceModelIn(s.StrictSchema):
    version_id = s.Integer(required=True, validate=s.Range(min=1, max=s.MAX_ID))


class SpaceModelOut(s.Schema):
    space_id = s.Integer(required=True)
    pinned_version = s.Integer(allow_none=True, required=True)
    network_version = s.Integer(allow_none=True, required=True)
    effective_version = s.Integer(allow_none=True, required=True)
    previous_version = s.Integer(allow_none=True, required=True)


@bp.get("/models")
@bp.auth_required(auth)
@bp.output(ModelList)
@bp.doc(summary="Model versions with their metrics (newest first)")
def list_models() -> dict[str, Any]:
    authz.require_role(current_principal(), "admin", "operator")
    rows = db.reader.scalars(select(ModelVersion).order_by(ModelVersion.id.desc()).limit(100)).all()
    serving = next((r.id for r in rows if r.status == "serving"), None)
    engine = matching.engine
    return {"serving": serving, "loaded_here": engine.state.learned_version_id if engine.ready else None,
            "items": rows}


@bp.post("/models/retrain")
@bp.auth_required(auth)
@bp.output(JobOut, status_code=202)
@bp.doc(summary="Retrain in the background (admins); poll the job")
def retrain() -> Job:
    p = current_principal()
    authz.require_role(p, "admin")
    return start_job(db.session, db_url=database_url(current_app.config), var_dir=str(current_app.config["VAR_DIR"]),
                     user_id=p.user_id, retention_days=int(current_app.config.get("IMPRESSION_RETENTION_DAYS") or 0))


@bp.get("/jobs/<int(min=1, max=2147483647):job_id>")
@bp.auth_required(auth)
@bp.output(JobOut)
@bp.doc(summary="A background job's progress")
def get_job(job_id: int) -> Job:
    authz.require_role(current_principal(), "admin", "operator")
    job = db.session.get(Job, job_id)
    if job is None:
        authz.not_found("job")
    return refresh_job(db.session, job)


def _network_switch(version_id: int | None) -> ModelVersion:
    p = current_principal()
    authz.require_role(p, "admin")
    session = db.session
    try:
        if version_id is not None:
            row = promote_version(session, version_id, p.user_id)
        else:
            row = rollback(session, p.user_id)
    except LookupError as exc:
        problem(404 if version_id is not None else 409, str(exc))
    except ModelArtifactError as exc:
        session.rollback()
        problem(409, str(exc), type_="model-artifact-refused")
    session.commit()
    matching.engine.sync_model(session)  # this process at once; the others within a refresh interval
    return row


@bp.post("/models/<int(min=1, max=2147483647):version_id>/promote")
@bp.auth_required(auth)
@bp.output(ModelVersionOut)
@bp.doc(summary="Serve this version network-wide (admins; artifacts verified first)",
        responses={409: "Artifact refused"})
def promote(version_id: int) -> ModelVersion:
    return _network_switch(version_id)


@bp.post("/models/rollback")
@bp.auth_required(auth)
@bp.output(ModelVersionOut)
@bp.doc(summary="Network-wide: serve again the version that served before (admins)",
        responses={409: "Nothing to roll back to"})
def roll_back() -> ModelVersion:
    return _network_switch(None)


# -- per space -------------------------------------------------------------------------------------------
def _space_model(space_id: int) -> dict[str, Any]:
    session = db.session
    pin = session.get(SpaceModel, space_id)
    network = serving_version(session)
    network_id = network.id if network is not None else None
    return {"space_id": space_id, "pinned_version": pin.model_version_id if pin else None,
            "network_version": network_id, "effective_version": pin.model_version_id if pin else network_id,
            "previous_version": pin.previous_version_id if pin else None}


def _manage(space_id: int) -> Any:
    p = current_principal()
    authz.manage_space(p, space_id)
    if db.reader.get(Space, space_id) is None:
        authz.not_found("space")
    return p


@bp.get("/spaces/<int(min=1, max=2147483647):space_id>/model")
@bp.auth_required(auth)
@bp.output(SpaceModelOut)
@bp.doc(summary="Which model version serves this space")
def get_space_model(space_id: int) -> dict[str, Any]:
    _manage(space_id)
    return _space_model(space_id)


@bp.put("/spaces/<int(min=1, max=2147483647):space_id>/model")
@bp.auth_required(auth)
@bp.input(SpaceModelIn, arg_name="data")
@bp.output(SpaceModelOut)
@bp.doc(summary="Serve this version in this space (promote; artifacts verified first)",
        responses={409: "Artifact refused"})
def pin_space_model(space_id: int, data: dict[str, Any]) -> dict[str, Any]:
    p = _manage(space_id)
    session = db.session
    row = session.get(ModelVersion, data["version_id"])
    if row is None:
        authz.not_found("model version")
    try:
        space_models.pin(session, p, space_id, row)
    except ModelArtifactError as exc:
        problem(409, str(exc), type_="model-artifact-refused")
    session.commit()
    matching.engine.sync_model(session)
    return _space_model(space_id)


@bp.post("/spaces/<int(min=1, max=2147483647):space_id>/model/rollback")
@bp.auth_required(auth)
@bp.output(SpaceModelOut)
@bp.doc(summary="Serve again the version that served this space before", responses={409: "Nothing to roll back to"})
def rollback_space_model(space_id: int) -> dict[str, Any]:
    p = _manage(space_id)
    session = db.session
    try:
        space_models.rollback(session, p, space_id)
    except space_models.NothingToRollBack as exc:
        problem(409, str(exc), type_="nothing-to-roll-back")
    session.commit()
    matching.engine.sync_model(session)
    return _space_model(space_id)


@bp.delete("/spaces/<int(min=1, max=2147483647):space_id>/model")
@bp.auth_required(auth)
@bp.output(SpaceModelOut)
@bp.doc(summary="Follow the network's serving version again")
def unpin_space_model(space_id: int) -> dict[str, Any]:
    p = _manage(space_id)
    session = db.session
    if space_models.follow_network(session, p, space_id):
        session.commit()
        matching.engine.sync_model(session)
    return _space_model(space_id)
