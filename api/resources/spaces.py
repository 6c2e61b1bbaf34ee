"""Spaces (the tenants) and the operator tools that hang off them: weights, preview, allocations, metrics,
imports and the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from apiflask import APIBlueprint
from apiflask.fields import File
from apiflask.validators import FileSize
from flask import Response, current_app
from sqlalchemy.exc import IntegrityError

from api import authz
from api import schemas as s
from api.auth import auth, current_principal
from api.extensions import db
from api.problems import problem
from api.services import audit as audit_svc
from api.services import importer, operators, sheets
from api.services import profiles as profile_svc
from api.services import report as report_svc
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
        session.flush()  # the id, for the audit entry (a taken slug fails here)
        audit_svc.record(session, p, "space.create", "space", row.id, row.id, slug=row.slug, name=row.name,
                         city=row.city)
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
    changed = audit_svc.changes(row, data)
    for key, value in data.items():
        setattr(row, key, value)
    if changed:
        audit_svc.record(session, current_principal(), "space.update", "space", row.id, row.id, changes=changed)
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


@bp.post("/<int(min=1, max=2147483647):space_id>/allocations/intros")
@bp.auth_required(auth)
@bp.input(s.AllocationIntrosIn, arg_name="data")
@bp.output(s.AllocationIntrosOut)
@bp.doc(summary="Ask for the introductions of an allocation (or, with dry_run, say which could be asked for)",
        description="Each pair becomes an introduction request from the project's side, as if its founder had "
                    "asked; pairs that cannot be asked for are skipped with the reason.")
def allocation_intros(space_id: int, data: dict[str, Any]) -> dict[str, Any]:
    _manage(space_id)
    return operators.allocation_intros(db.session, current_principal(), space_id, data,
                                       int(current_app.config["INTRO_EXPIRY_DAYS"]))


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
    dry_run = s.Boolean(load_default=False, metadata={"description": "report what would happen; write nothing"})


@bp.post("/<int(min=1, max=2147483647):space_id>/import")
@bp.auth_required(auth)
@bp.input(ImportFile, location="form_and_files", arg_name="data")
@bp.output(s.ImportOut, status_code=201)
@bp.doc(summary="Import profiles from CSV or XLSX (all or nothing; bad rows reported with their row numbers)",
        description="Headers in Chinese or English; UTF-8 or GBK; a row whose external_id (or Huoban id) is a "
                    "profile of the space updates it. With dry_run=true the answer (200) says what each row "
                    "would do and nothing is written. Templates: GET /api/v1/import-templates/{kind}.")
def import_profiles(space_id: int, data: dict[str, Any]) -> Any:
    _manage(space_id)
    upload = data["file"]
    filename = upload.filename or "upload.csv"
    session = db.session
    if session.get(Space, space_id) is None:
        authz.not_found("space")
    plan = importer.plan(session, data["kind"], space_id, filename, upload.read())
    if data["dry_run"]:
        session.rollback()
        return plan.summary(dry_run=True), 200
    ids = importer.apply(session, current_principal(), plan, filename)
    session.commit()
    profile_svc.refresh_index(session, data["kind"], ids)
    current_app.logger.info("imported %d %s profiles into space %d (%d updated)", len(ids), data["kind"], space_id,
                            plan.count("update"))
    return plan.summary(dry_run=False, ids=ids)



class TemplateQuery(s.StrictSchema):
    kind = s.String(required=True, validate=s.OneOf(("project", "mentor", "investor", "provider")))


class ExportQuery(s.StrictSchema):
    kind = s.String(required=True, validate=s.OneOf(("project", "mentor", "investor", "provider", "intro",
                                                     "outcome")))
    format = s.String(load_default="xlsx", validate=s.OneOf(("xlsx", "csv")))


@bp.get("/<int(min=1, max=2147483647):space_id>/import/template")
@bp.auth_required(auth)
@bp.input(TemplateQuery, location="query", arg_name="query")
@bp.doc(summary="The XLSX import template of a kind (bilingual headers, an example row, drop-down lists)",
        responses={200: {"description": "an XLSX workbook", "content": {sheets.XLSX_TYPE: {}}}})
def import_template(space_id: int, query: dict[str, Any]) -> Response:
    _manage(space_id)
    return sheets.download(sheets.template(query["kind"]), f"huoban-{query['kind']}-template.xlsx", sheets.XLSX_TYPE)


@bp.get("/<int(min=1, max=2147483647):space_id>/export")
@bp.auth_required(auth)
@bp.input(ExportQuery, location="query", arg_name="query")
@bp.doc(summary="Export the space's profiles of a kind, its introductions or its outcomes (XLSX or CSV)",
        description="Profiles export with the import headers, so the sheet imports back (its id column "
                    "updates the same profiles). Cells that a spreadsheet would run as a formula are quoted.",
        responses={200: {"description": "an XLSX workbook or a UTF-8 CSV with BOM",
                         "content": {sheets.XLSX_TYPE: {}, "text/csv": {}}}})
def export(space_id: int, query: dict[str, Any]) -> Response:
    _manage(space_id)
    kind, fmt = query["kind"], query["format"]
    body, filename, mimetype, n = sheets.export_file(db.reader, kind, space_id, fmt)
    audit_svc.record(db.session, current_principal(), "export.run", kind, f"{n} rows", space_id, format=fmt)
    db.session.commit()
    return sheets.download(body, filename, mimetype)


def report_period(query: dict[str, Any]) -> tuple[dt.date, dt.date]:
    end = query.get("to") or dt.date.today()
    start = query.get("from_") or dt.date(end.year, 1, 1)
    if start > end:
        problem(422, "from must not be after to", errors=[{"location": "query", "field": "from",
                                                          "message": "after to"}])
    return start, end


@bp.get("/<int(min=1, max=2147483647):space_id>/report")
@bp.auth_required(auth)
@bp.input(s.ReportQuery, location="query", arg_name="query")
@bp.output(s.ReportOut)
@bp.doc(summary="The performance report (绩效评价) of the space for a period, as JSON or an XLSX workbook",
        description="Every figure carries its definition in Chinese and English.",
        responses={200: {"description": "the report", "content": {"application/json": {}, sheets.XLSX_TYPE: {}}}})
def report(space_id: int, query: dict[str, Any]) -> Any:
    _manage(space_id)
    start, end = report_period(query)
    data = report_svc.performance(db.reader, space_id, start, end)
    if query["format"] == "xlsx":
        space = db.reader.get(Space, space_id)
        return sheets.download(report_svc.workbook(data, space.name if space else ""),
                         f"huoban-space{space_id}-report-{start}-{end}.xlsx", sheets.XLSX_TYPE)
    return {**data, "from_": data["from"]}
