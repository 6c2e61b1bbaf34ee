"""CRUD for projects, mentors, investors and providers (one blueprint each, one shared implementation).

Lists are paginated and filtered (stage, round, industry, need, region, text query and kind-specific
filters); every write logs an index change and updates this process's matcher before responding."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint, Schema
from flask import request

from api import authz
from api import schemas as s
from api.auth import auth, current_principal
from api.extensions import db
from api.services import audit
from api.services import profiles as svc

KINDS: dict[str, dict[str, Any]] = {
    "project": {"in": s.ProjectIn, "out": s.ProjectOut, "page": s.ProjectPage, "filter": s.ProjectFilterQuery,
                "plural": "projects"},
    "mentor": {"in": s.MentorIn, "out": s.MentorOut, "page": s.MentorPage, "filter": s.MentorFilterQuery,
               "plural": "mentors"},
    "investor": {"in": s.InvestorIn, "out": s.InvestorOut, "page": s.InvestorPage,
                 "filter": s.InvestorFilterQuery, "plural": "investors"},
    "provider": {"in": s.ProviderIn, "out": s.ProviderOut, "page": s.ProviderPage,
                 "filter": s.ProviderFilterQuery, "plural": "providers"},
}

# Fields a profile's own user may not change (tenancy, curation, capacity are operator decisions).
# (external_id is the space's key: an owner who changed it could make the next import overwrite another row)
OWNER_READONLY = {"project": {"space_id", "dealflow_curated", "external_id"},
                  "mentor": {"space_id", "capacity", "external_id"},
                  "investor": {"space_id", "capacity", "external_id"},
                  "provider": {"space_id", "capacity", "external_id"}}


def make_blueprint(kind: str) -> APIBlueprint:
    spec = KINDS[kind]
    plural = spec["plural"]
    bp = APIBlueprint(plural, __name__, url_prefix=f"/api/v1/{plural}", tag=plural.capitalize())
    in_schema: type[Schema] = spec["in"]

    @bp.get("")
    @bp.auth_required(auth)
    @bp.input(spec["filter"], location="query", arg_name="args")
    @bp.output(spec["page"])
    @bp.doc(summary=f"List {plural}", description="Paginated; only what the caller may see.")
    def list_(args: dict[str, Any]) -> dict[str, Any]:
        p = current_principal()
        session = db.reader
        query = svc.apply_filters(kind, svc.list_query(p, kind), args)
        model = svc.PROFILE_MODELS[kind]
        rows, meta = svc.page(session, query, args["page"], args["per_page"], model.id)
        return {"items": svc.serialize(session, p, kind, rows), "meta": meta}

    @bp.get("/<int(min=1, max=2147483647):id_>")
    @bp.auth_required(auth)
    @bp.output(spec["out"])
    @bp.doc(summary=f"Get one {kind}", responses={404: "Not found (or not visible to you)"})
    def get_(id_: int) -> dict[str, Any]:
        p = current_principal()
        session = db.reader
        row = svc.get_visible(session, p, kind, id_)
        return svc.serialize(session, p, kind, [row])[0]

    @bp.post("")
    @bp.auth_required(auth)
    @bp.input(in_schema, arg_name="data")
    @bp.output(spec["out"], status_code=201)
    @bp.doc(summary=f"Create a {kind}", responses={403: "Forbidden", 404: "Space not found"})
    def create(data: dict[str, Any]) -> dict[str, Any]:
        p = current_principal()
        session = db.session
        if kind == "project":
            data["space_id"] = svc.space_of_new_project(p, data)
        else:
            data["space_id"] = data.get("space_id")
            authz.can_create_candidate(p, data["space_id"])
        if data.get("space_id") is not None and session.get(svc.Space, data["space_id"]) is None:
            authz.not_found("space")
        row = svc.create(session, kind, data)
        audit.record(session, p, f"{kind}.create", kind, row.id, row.space_id, name=row.name)
        session.commit()
        svc.refresh_index(session, kind, [row.id])
        return svc.serialize(session, p, kind, [row])[0]

    @bp.patch("/<int(min=1, max=2147483647):id_>")
    @bp.auth_required(auth)
    @bp.input(in_schema(partial=True), arg_name="data")
    @bp.output(spec["out"])
    @bp.doc(summary=f"Update a {kind}", responses={403: "Forbidden", 404: "Not found"})
    def patch(id_: int, data: dict[str, Any]) -> dict[str, Any]:
        p = current_principal()
        session = db.session
        row = svc.get_visible(session, p, kind, id_)
        allowed = authz.can_edit_project(p, row) if kind == "project" else authz.can_edit_candidate(p, kind, row)
        if not allowed:
            authz.forbid(f"you may not edit this {kind}")
        if p.owns(kind, id_) and not p.is_admin:
            blocked = sorted(OWNER_READONLY[kind] & set(data))
            if blocked:
                authz.forbid(f"only operators may change {', '.join(blocked)}")
        if "space_id" in data and data["space_id"] != row.space_id:
            if not p.is_admin:
                authz.forbid("only admins move profiles between spaces")
            if data["space_id"] is not None and session.get(svc.Space, data["space_id"]) is None:
                svc.problem(422, f"no space with id {data['space_id']}",
                            errors=[{"location": "json", "field": "space_id", "message": "no such space"}])
            if kind == "project" and data["space_id"] is None:
                svc.problem(422, "a project belongs to a space",
                            errors=[{"location": "json", "field": "space_id", "message": "required"}])
        if kind == "investor":
            lo = data.get("ticket_min", row.ticket_min)
            hi = data.get("ticket_max", row.ticket_max)
            if lo > hi:
                svc.problem(422, "ticket_min must not exceed ticket_max",
                            errors=[{"location": "json", "field": "ticket_max", "message": "below ticket_min"}])
        changed = audit.changes(row, data)
        space_before = row.space_id
        svc.update(session, kind, row, data, user_id=p.user_id)
        if changed:
            audit.record(session, p, f"{kind}.update", kind, row.id, space_before, changes=changed)
        session.commit()
        svc.refresh_index(session, kind, [row.id])
        return svc.serialize(session, p, kind, [row])[0]

    @bp.delete("/<int(min=1, max=2147483647):id_>")
    @bp.auth_required(auth)
    @bp.output({}, status_code=204)
    @bp.doc(summary=f"Delete a {kind}",
            description="A profile with history (introductions, feedback, impressions, investments; a project's "
                        "milestones, financing rounds and stage or incubation changes) is archived: it leaves "
                        "every list and match and its users lose access, while its history stays. An admin "
                        "erases it with ?hard=true. Either is recorded in the audit log, with the history's "
                        "row counts.",
            responses={403: "Forbidden", 404: "Not found"})
    def delete(id_: int) -> tuple[str, int]:
        p = current_principal()
        session = db.session
        row = svc.get_visible(session, p, kind, id_)
        owner_only = p.owns(kind, id_) and not p.is_admin
        allowed = authz.can_edit_project(p, row) if kind == "project" else authz.can_edit_candidate(p, kind, row)
        if not allowed or owner_only:
            authz.forbid(f"you may not delete this {kind}")
        hard = request.args.get("hard", "").lower() in ("1", "true", "yes")
        if hard and not p.is_admin:
            authz.forbid("only an admin erases a profile with its history; without ?hard=true it is archived")
        history = svc.history_counts(session, kind, id_)
        erase = hard or not any(history.values())
        audit.record(session, p, f"{kind}.{'delete' if erase else 'archive'}", kind, id_, row.space_id,
                     name=row.name, history=history)
        if erase:
            svc.delete(session, kind, row)
        else:
            svc.archive(session, kind, row)
        session.commit()
        svc.refresh_index(session, kind, [id_])
        return "", 204

    return bp


blueprints = [make_blueprint(kind) for kind in KINDS]
