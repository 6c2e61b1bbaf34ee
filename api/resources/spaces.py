"""Spaces (the tenants) and the operator tools that hang off them: weights, preview, allocations, metrics,
imports and the audit trail."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from apiflask.fields import File
from apiflask.validators import FileSize
from flask import current_app
from sqlalchemy.exc import IntegrityError

from api import authz
from api import schemas as s
from api.auth import auth, current_principal
from api.extensions import db
from api.problems import problem
from api.services import audit as audit_svc
from api.services import importer, operators
from api.services import profiles as profile_svc
from models import Space

bp = APIBlueprint("spaces", __name__, url_prefix="/api/v1/spaces", tag="Spaces")


def _manage(space_id: int) -> None:
    """Operator work on an existing space (404 for unknown or other tenants, 403 for other roles)."""
    authz.manage_space(current_principal(), space_id)
    if db.reader.get(Space, space_id) is None:
        authz.not_found("space")


def _space(space_id: int) -> Space:
    p = current_principal()
    row = db.reader.get(Space, space_id)
    if row is None or not authz.space_visible(p, space_id):
        authz.not_found("space")
    return row


@bp.get("")
@bp.auth_required(auth)
@bp.input(s.PageQuery, location="query", arg_name="args")
@bp.output(s.SpacePage)
@bp.doc(summary="List spaces")
def list_spaces(args: dict[str, Any]) -> dict[str, Any]:
    p = current_principal()
    rows, meta = profile_svc.page(db.reader, authz.spaces_query(p), args["page"], args["per_page"], Space.id)
    return {"items": rows, "meta": meta}


@bp.get("/<int(min=1, max=2147483647):space_id>")
@bp.auth_required(auth)
@bp.output(s.SpaceOut)
@bp.doc(summary="Get a space")
def get_space(space_id: int) -> Space:
    return _space(space_id)


@bp.post("")
@bp.auth_required(auth)
@bp.input(s.SpaceIn, arg_name="data")
@bp.output(s.SpaceOut, status_code=201)
@bp.doc(summary="Create a space (admins)", responses={409: "Slug taken"})
def create_space(data: dict[str, Any]) -> Space:
    p = current_principal()
    authz.require_role(p, "admin")
    session = db.session
    row = Space(**data)
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        problem(409, f"the slug {data['slug']!r} is taken", type_="slug-taken")
    return row


@bp.patch("/<int(min=1, max=2147483647):space_id>")
@bp.auth_required(auth)
@bp.input(s.SpacePatch, arg_name="data")
@bp.output(s.SpaceOut)
@bp.doc(summary="Update a space (its operators, admins)")
def patch_space(space_id: int, data: dict[str, Any]) -> Space:
    _manage(space_id)
    session = db.session
    row = session.get(Space, space_id)
    if row is None:
        authz.not_found("space")
    for key, value in data.items():
        setattr(row, key, value)
    session.commit()
    return row


# -- weights ---------------------------------------------------------------------------------------------
def _weight_kind(kind: str) -> str:
    if kind not in s.WEIGHT_KINDS:
        authz.not_found("weight-set kind")
    return kind


@bp.get("/<int(min=1, max=2147483647):space_id>/weights/<kind>")
@bp.auth_required(auth)
@bp.output(s.WeightSetOut)
@bp.doc(summary="Current weights for a candidate kind (mentor, investor, provider, dealflow)")
def get_weights(space_id: int, kind: str) -> dict[str, Any]:
    _manage(space_id)
    return operators.get_weights(db.reader, space_id, _weight_kind(kind))


@bp.put("/<int(min=1, max=2147483647):space_id>/weights/<kind>")
@bp.auth_required(auth)
@bp.input(s.WeightsIn, arg_name="data")
@bp.output(s.WeightSetOut)
@bp.doc(summary="Save a new weight-set version (audited)")
def put_weights(space_id: int, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    p = current_principal()
    _manage(space_id)
    return operators.put_weights(db.session, p, space_id, _weight_kind(kind), data)


@bp.get("/<int(min=1, max=2147483647):space_id>/weights/<kind>/versions")
@bp.auth_required(auth)
@bp.output(s.WeightHistory)
@bp.doc(summary="All saved versions, newest first")
def weight_history(space_id: int, kind: str) -> dict[str, Any]:
    _manage(space_id)
    return {"items": operators.history(db.reader, space_id, _weight_kind(kind))}


@bp.post("/<int(min=1, max=2147483647):space_id>/weights/<kind>/preview")
@bp.auth_required(auth)
@bp.input(s.PreviewIn, arg_name="data")
@bp.output(s.PreviewOut)
@bp.doc(summary="Dry run of proposed weights: top-k changes and offline metrics (nothing is saved)")
def preview_weights(space_id: int, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    _manage(space_id)
    return operators.preview(db.session, space_id, _weight_kind(kind), data, data["sample"])


# -- allocations, metrics, audit ----------------------------------------------------------------------------
@bp.post("/<int(min=1, max=2147483647):space_id>/allocations")
@bp.auth_required(auth)
@bp.input(s.AllocationIn, arg_name="data")
@bp.output(s.AllocationOut)
@bp.doc(summary="Allocate a cohort: maximise total score within every capacity")
def allocations(space_id: int, data: dict[str, Any]) -> dict[str, Any]:
    p = current_principal()
    _manage(space_id)
    return operators.allocation(db.session, p, space_id, data)


@bp.get("/<int(min=1, max=2147483647):space_id>/metrics")
@bp.auth_required(auth)
@bp.input(s.MetricsQuery, location="query", arg_name="args")
@bp.output(s.MetricsOut)
@bp.doc(summary="Outcome metrics: intro acceptance, time to accept, 投融资转化率, mentor load and its Gini, coverage")
def space_metrics(space_id: int, args: dict[str, Any]) -> dict[str, Any]:
    _manage(space_id)
    return operators.metrics(db.reader, space_id, args.get("since"))


class AuditEntry(s.Schema):
    id = s.Integer(required=True)
    action = s.String(required=True)
    object_type = s.String(required=True)
    object_id = s.String(required=True)
    actor_user_id = s.Integer(allow_none=True, required=True)
    detail = s.Dict(required=True)
    created_at = s.DateTime(required=True)


class AuditList(s.Schema):
    items = s.List(s.Nested(AuditEntry), required=True)


@bp.get("/<int(min=1, max=2147483647):space_id>/audit")
@bp.auth_required(auth)
@bp.output(AuditList)
@bp.doc(summary="Audit trail of the space (newest first)")
def audit(space_id: int) -> dict[str, Any]:
    _manage(space_id)
    return {"items": operators.audit(db.reader, space_id)}


class ImportFile(s.StrictSchema):
    kind = s.String(required=True, validate=s.OneOf(("project", "mentor", "investor", "provider")))
    file = File(required=True, validate=FileSize(max="10 MiB"))


@bp.post("/<int(min=1, max=2147483647):space_id>/import")
@bp.auth_required(auth)
@bp.input(ImportFile, location="form_and_files", arg_name="data")
@bp.output(s.ImportOut, status_code=201)
@bp.doc(summary="Import profiles from CSV or XLSX (all or nothing; bad rows reported with their row numbers)")
def import_profiles(space_id: int, data: dict[str, Any]) -> dict[str, Any]:
    _manage(space_id)
    upload = data["file"]
    payloads = importer.parse(data["kind"], upload.filename or "upload.csv", upload.read())
    session = db.session
    if session.get(Space, space_id) is None:
        authz.not_found("space")
    ids = importer.import_rows(session, data["kind"], space_id, payloads)
    audit_svc.record(session, current_principal(), "import.run", data["kind"], f"{len(ids)} rows", space_id,
                     file=upload.filename or "", ids=ids[:1000])
    session.commit()
    profile_svc.refresh_index(session, data["kind"], ids)
    current_app.logger.info("imported %d %s profiles into space %d", len(ids), data["kind"], space_id)
    return {"kind": data["kind"], "created": len(ids), "ids": ids}

