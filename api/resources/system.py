"""Liveness, readiness, the caller's identity, and the docs page's static assets."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from flask import abort, send_from_directory
from sqlalchemy import text

from api import schemas as s
from api.auth import auth, current_principal
from api.extensions import db, limiter, matching

bp = APIBlueprint("system", __name__, tag="System")


@bp.get("/healthz")
@bp.output(s.HealthOut)
@bp.doc(summary="Alive")
@limiter.exempt
def healthz() -> dict[str, Any]:
    return {"status": "ok", "checks": {}}


@bp.get("/readyz")
@bp.output(s.HealthOut)
@bp.doc(summary="Ready: database reachable, indexes and model loaded", responses={503: "Not ready"})
@limiter.exempt
def readyz() -> Any:
    checks: dict[str, str] = {}
    try:
        db.reader.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        checks["database"] = f"unreachable: {exc.__class__.__name__}"
    engine = matching.engine
    checks["indexes"] = "ok" if engine.ready else "not loaded"
    if engine.ready:
        state = engine.state
        checks["learned_model"] = f"version {state.learned_version_id}" if state.learned else "none trained yet"
    ok = checks["database"] == "ok" and checks["indexes"] == "ok"
    return {"status": "ok" if ok else "unavailable", "checks": checks}, (200 if ok else 503)


@bp.get("/api/v1/me")
@bp.auth_required(auth)
@bp.output(s.MeOut)
@bp.doc(summary="Who the API key belongs to")
def me() -> dict[str, Any]:
    p = current_principal()
    return {"user_id": p.user_id, "role": p.role, "space_id": p.space_id, "profile_kind": p.profile_kind,
            "profile_id": p.profile_id, "name": p.name}


@bp.get("/api/v1/docs-assets/<path:name>")
@bp.doc(hide=True)
@limiter.exempt
def docs_assets(name: str) -> Any:
    import swagger_ui_bundle

    if name not in {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js",
                    "favicon-32x32.png"}:
        abort(404)
    return send_from_directory(swagger_ui_bundle.swagger_ui_path, name, max_age=86400)


class UnsubscribeQuery(s.StrictSchema):
    token = s.String(required=True, validate=s.Length(min=3, max=60))


class UnsubscribeOut(s.Schema):
    unsubscribed = s.Boolean(required=True)
    what = s.String(required=True)


@bp.get("/api/v1/unsubscribe")
@bp.input(UnsubscribeQuery, location="query", arg_name="query")
@bp.output(UnsubscribeOut)
@bp.doc(summary="Stop the weekly digest (the signed link in each digest; no sign-in needed)",
        responses={404: "Unknown or altered link"})
@limiter.limit("30 per minute")
def unsubscribe(query: dict[str, Any]) -> dict[str, Any]:
    from flask import current_app

    from api.problems import problem
    from api.services.notifications import check_unsubscribe_token
    from models import User

    user_id = check_unsubscribe_token(str(current_app.config["SECRET_KEY"]), query["token"])
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None:
        problem(404, "this unsubscribe link is unknown or was altered")
    user.notify_digest = False
    db.session.commit()
    return {"unsubscribed": True, "what": "weekly digest 每周摘要"}
