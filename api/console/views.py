"""The web console: server-rendered pages for operators, founders, investors, mentors and providers.

The console signs people in with email and password (scrypt hashes), keeps them in an HttpOnly SameSite
session cookie, checks a CSRF token on every state-changing request, and acts through the same services
and the same authorisation rules (``api.authz``) as the API: a console session becomes the same
:class:`~api.auth.Principal` an API key does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from apiflask import APIBlueprint, HTTPError
from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from sqlalchemy import delete, or_, select

from api import authz
from api.auth import Principal
from api.console.i18n import factor, problem_text, translate
from api.engine import CANDIDATE_MODELS
from api.extensions import db, limiter, matching
from api.schemas import parse_db_int
from api.security import hash_secret, needs_rehash, verify_secret
from api.services import access as access_svc
from api.services import audit, importer, operators, sheets
from api.services import feedback as feedback_svc
from api.services import intros as intro_svc
from api.services import matching as match_svc
from api.services import profiles as profile_svc
from api.services import report as report_svc
from matcher.config import WEIGHT_LIMIT, WEIGHT_NAMES
from matcher.taxonomy import INDUSTRIES, NEEDS, PROVIDER_CATEGORIES, REGIONS, ROUNDS, STAGES
from models import ConsoleSession, IntroRequest, ModelVersion, Project, Space, SpaceModel, User

# an APIBlueprint only because apiflask expects one; the console stays out of the OpenAPI document
bp = APIBlueprint("console", __name__, url_prefix="/console", template_folder="templates", static_folder="static",
                  enable_openapi=False)
NODE_MODULES = Path(__file__).resolve().parent / "node_modules"
_DUMMY = "scrypt$16384$8$5$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"  # today's cost


# -- language, identity, CSRF -------------------------------------------------------------------------------
def lang() -> str:
    chosen = request.args.get("lang")
    if chosen in ("zh", "en"):
        return chosen
    return "en" if request.cookies.get("lang") == "en" else "zh"


@bp.after_request
def _remember_lang(response: Response) -> Response:
    chosen = request.args.get("lang")
    if chosen in ("zh", "en"):
        response.set_cookie("lang", chosen, max_age=3600 * 24 * 365, samesite="Lax", httponly=True)
    return response


def csrf_token() -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def _csrf_ok() -> bool:
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    expected = session.get("csrf") or ""
    return bool(expected) and hmac.compare_digest(str(sent), str(expected))


@bp.before_request
def _guards() -> Any:
    if request.method not in ("GET", "HEAD", "OPTIONS") and not _csrf_ok():
        return render_error(400, "CSRF token missing or invalid", "CSRF token missing or invalid")
    uid = session.get("uid")
    if uid is not None:
        user = db.reader.scalars(select(User).join(ConsoleSession, ConsoleSession.user_id == User.id).where(
            User.id == uid, ConsoleSession.token_hash == _session_hash(session.get("sid")),
            ConsoleSession.expires_at > dt.datetime.now(dt.UTC))).first()
        if user is None or not user.active:  # signed out (elsewhere too), expired or deactivated
            session.clear()
        else:
            g.principal = Principal.from_user(user)
            g.user = user
    return None


def _session_hash(sid: Any) -> str:
    return hashlib.sha256(sid.encode()).hexdigest() if isinstance(sid, str) and sid else "-"


def _start_session(user: User) -> None:
    """A new server-side session for the user: its random token goes in the signed cookie, its hash here."""
    sid = secrets.token_urlsafe(32)
    now = dt.datetime.now(dt.UTC)
    lifetime = dt.timedelta(seconds=int(current_app.config.get("PERMANENT_SESSION_LIFETIME", 8 * 3600)))
    with db.factory() as writer, writer.begin():
        writer.execute(delete(ConsoleSession).where(ConsoleSession.expires_at < now))
        writer.add(ConsoleSession(token_hash=_session_hash(sid), user_id=user.id, created_at=now,
                                  expires_at=now + lifetime))
    session["sid"] = sid


def _end_session() -> None:
    sid = session.get("sid")
    if sid:
        with db.factory() as writer, writer.begin():
            writer.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == _session_hash(sid)))


# the deal-flow filter offers all China, the macro regions and the provinces (a city is typed in the API)
_REGION_CHOICES = [p for p in REGIONS if p.level in ("nationwide", "macro", "province", "municipality")]


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    language = lang() if request else "zh"

    def t(key: str) -> str:
        return translate(key, language)

    def label(vocab_name: str, code: str | None) -> str:
        vocab = {"stage": STAGES, "round": ROUNDS, "industry": INDUSTRIES, "need": NEEDS, "region": REGIONS,
                 "category": PROVIDER_CATEGORIES}[vocab_name]
        if not code or code not in vocab:
            return code or ""
        return vocab.zh(code) if language == "zh" else vocab.en(code)

    def factor_label(name: str) -> str:
        return factor(name, language)[0]

    def factor_help(name: str) -> str:
        return factor(name, language)[1]

    return {"t": t, "lang": language, "csrf_token": csrf_token, "label": label, "principal": g.get("principal"),
            "factor_label": factor_label, "factor_help": factor_help,
            "vocab": {"round": ROUNDS, "industry": INDUSTRIES, "region": _REGION_CHOICES}}


def render_error(status: int, zh: str, en: str) -> Response:
    message = zh if lang() == "zh" else en
    return Response(render_template("error.html", status=status, message=message), status=status)


def login_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            p: Principal | None = g.get("principal")
            if p is None:
                return redirect(url_for("console.login", next=request.path))
            if roles and p.role not in roles:
                return render_error(403, "无权访问此页面", "You may not open this page")
            try:
                return view(*args, **kwargs)
            except HTTPError as err:  # the services speak problem details; the console speaks pages
                if request.accept_mimetypes.best == "application/json" or request.is_json:
                    return jsonify({"status": err.status_code, "detail": err.message}), err.status_code
                kind = (err.extra_data or {}).get("type")
                zh = problem_text(kind, err.status_code, err.message or "", "zh")
                en = problem_text(kind, err.status_code, err.message or "", "en")
                if err.status_code in (403, 404):
                    return render_error(err.status_code, zh, en)
                flash(zh if lang() == "zh" else en, "error")
                return redirect(request.referrer or url_for("console.home"))
        return wrapped
    return decorator


# -- sign in ----------------------------------------------------------------------------------------------
@bp.get("/login")
def login() -> str:
    return render_template("login.html", next=request.args.get("next", ""))


def _login_account() -> str:
    """Sign-in throttle per account (besides the one per address): a guesser spread over many addresses
    still gets 10 tries a minute at one account."""
    return "login:" + (request.form.get("email") or "").strip().lower()


@bp.post("/login")
@limiter.limit("10 per minute")
@limiter.limit("10 per minute", key_func=_login_account)
def login_post() -> Any:
    email = (request.form.get("email") or "").strip().lower()
    password = request.form.get("password") or ""
    user = db.reader.scalars(select(User).where(User.email == email)).first() if email else None
    ok = verify_secret(password, user.password_hash) if user and user.password_hash and user.active else \
        verify_secret(password, _DUMMY)  # same cost either way: no hint which emails exist
    if not (ok and user):
        return Response(render_template("login.html", error=True, next=request.form.get("next", "")), status=401)
    if needs_rehash(user.password_hash or ""):  # made with weaker parameters: re-hash with today's
        with db.factory() as writer, writer.begin():
            stored = writer.get(User, user.id)
            if stored is not None:
                stored.password_hash = hash_secret(password)
    session.clear()
    session["uid"] = user.id
    _start_session(user)
    csrf_token()
    target = request.form.get("next") or ""
    return redirect(target if target.startswith("/console/") else url_for("console.home"))


@bp.post("/logout")
def logout() -> Any:
    _end_session()  # the cookie, copied or not, no longer signs anyone in
    session.clear()
    return redirect(url_for("console.login"))


@bp.get("/")
@login_required()
def home() -> Any:
    role = g.principal.role
    target = {"operator": "console.dashboard", "admin": "console.dashboard", "founder": "console.project",
              "investor": "console.dealflow", "mentor": "console.intros", "provider": "console.intros"}[role]
    return redirect(url_for(target))


@bp.get("/vendor/chart.js")
def chart_js() -> Any:
    return send_from_directory(NODE_MODULES / "chart.js" / "dist", "chart.umd.min.js", max_age=86400)


# -- operator ---------------------------------------------------------------------------------------------
def _space_id() -> int:
    p = g.principal
    if p.role == "admin":
        sid = request.values.get("space", type=int) or session.get("space")
        if sid is None:
            sid = db.reader.scalar(select(Space.id).order_by(Space.id).limit(1))
        session["space"] = sid
        return int(sid)
    return int(p.space_id)


@bp.get("/space")
@login_required("operator", "admin")
def dashboard() -> str:
    sid = _space_id()
    authz.manage_space(g.principal, sid)
    data = operators.metrics(db.reader, sid, None)
    names = dict(db.reader.execute(select(Project.id, Project.name).where(
        Project.id.in_(data["projects_without_accepted_intro"][:50]))).all())
    space = db.reader.get(Space, sid)
    return render_template("dashboard.html", m=data, names=names, space=space)


def _report_period() -> tuple[dt.date, dt.date]:
    def day(name: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(request.args.get(name, ""))
        except ValueError:
            return None

    end = day("to") or dt.date.today()
    if not 1990 <= end.year <= 2100:
        end = dt.date.today()
    start = day("from") or dt.date(end.year, 1, 1)
    if start > end or (end - start).days > 3660 or start.year < 1990:
        start = dt.date(end.year, 1, 1)
    return start, end


@bp.get("/space/report")
@login_required("operator", "admin")
def report_page() -> str:
    sid = _space_id()
    authz.manage_space(g.principal, sid)
    start, end = _report_period()
    data = report_svc.performance(db.reader, sid, start, end)
    space = db.reader.get(Space, sid)
    top = max([max(m["requested"], m["accepted"]) for m in data["monthly"]] or [1]) or 1
    top_cat = max([c["engagements"] for c in data["providers_by_category"]] or [1]) or 1
    return render_template("report.html", r=data, space=space, start=start, end=end, top=top, top_cat=top_cat)


@bp.get("/space/access")
@login_required("operator", "admin")
def access_page() -> Any:
    sid = _space_id()
    authz.manage_space(g.principal, sid)
    return _access_render(sid, None)


def _access_render(sid: int, shown: dict[str, Any] | None) -> Response:
    show_all = request.args.get("all") == "1"
    with db.factory() as fresh:  # after a change: this request's reader may predate it
        body = render_template("access.html", keys=access_svc.list_keys(fresh, sid, include_inactive=show_all),
                               users=access_svc.list_users(fresh, sid), space=fresh.get(Space, sid),
                               roles=list(access_svc.MANAGED_ROLES), show_all=show_all, shown=shown,
                               me=g.principal.user_id)
    response = Response(body, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"  # a new key or password is in this page, once
    return response


def _access_action(action: Callable[[Any, int], Any]) -> Any:
    """Run one access change of the operator's space in one transaction. A new key or password is shown in
    this very answer (never in a URL, a cookie or the session: the page is its only copy)."""
    sid = _space_id()
    with db.factory() as writer, writer.begin():
        shown = action(writer, sid)
    if not shown:
        flash(translate("done", lang()), "ok")
        return redirect(url_for("console.access_page"))
    return _access_render(sid, shown)


def _form_int(name: str, low: int = 1, high: int = 2147483647) -> int | None:
    raw = (request.form.get(name) or "").strip()
    if not raw:
        return None
    value = parse_db_int(raw, low, high)
    if value is None:
        raise HTTPError(422, message=translate("bad_number", lang()).format(field=name))
    return value


@bp.post("/space/access/keys")
@login_required("operator", "admin")
def access_create_key() -> Any:
    role = request.form.get("role", "")
    profile_id, days = _form_int("profile_id"), _form_int("expires_in_days", 1, 3650)
    name = (request.form.get("name") or "").strip()[:200]
    return _access_action(lambda w, sid: {"key": access_svc.create_key(
        w, g.principal, sid, role=role, profile_id=profile_id, name=name, expires_in_days=days)[0]})


@bp.post("/space/access/keys/<int(min=1, max=2147483647):key_id>/<any(revoke, rotate):op>")
@login_required("operator", "admin")
def access_key(key_id: int, op: str) -> Any:
    if op == "revoke":
        return _access_action(lambda w, sid: access_svc.revoke(w, g.principal, sid, key_id) and None)
    days = _form_int("expires_in_days", 1, 3650)
    return _access_action(lambda w, sid: {"key": access_svc.rotate(w, g.principal, sid, key_id, days)[0]})


@bp.post("/space/access/users/<int(min=1, max=2147483647):user_id>/<any(deactivate, reactivate, password):op>")
@login_required("operator", "admin")
def access_user(user_id: int, op: str) -> Any:
    if op == "password":
        return _access_action(lambda w, sid: {"password": access_svc.reset_password(w, g.principal, sid, user_id)[1],
                                              "user_id": user_id})
    return _access_action(lambda w, sid: access_svc.set_user_active(w, g.principal, sid, user_id,
                                                                    op == "reactivate") and None)


@bp.get("/space/report.xlsx")
@login_required("operator", "admin")
def report_xlsx() -> Any:
    sid = _space_id()
    authz.manage_space(g.principal, sid)
    start, end = _report_period()
    space = db.reader.get(Space, sid)
    body = report_svc.workbook(report_svc.performance(db.reader, sid, start, end), space.name if space else "")
    return sheets.download(body, f"huoban-report-{start}-{end}.xlsx", sheets.XLSX_TYPE)


@bp.get("/space/weights")
@login_required("operator", "admin")
def weights() -> str:
    sid = _space_id()
    authz.manage_space(g.principal, sid)
    kind = request.args.get("kind", "mentor")
    if kind not in WEIGHT_KINDS:
        abort(404)
    current = operators.get_weights(db.reader, sid, kind)
    trail = [a for a in operators.audit(db.reader, sid, 200) if a["action"] == "weights.update"
             and a["detail"].get("kind") == kind]
    return render_template("weights.html", kind=kind, current=current, names=WEIGHT_NAMES, trail=trail)


WEIGHT_KINDS = ("mentor", "investor", "provider", "dealflow")


def _number(raw: Any, default: float, low: float, high: float) -> float:
    """A form or JSON number within [low, high]; anything else is a 400 (not a 500)."""
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except (TypeError, ValueError):
        abort(400, description=f"{raw!r} is not a number")
    if not low <= value <= high:  # NaN fails this too
        abort(400, description=f"{raw!r} must lie in [{low:g}, {high:g}]")
    return value


@bp.post("/space/weights/<kind>/preview")
@login_required("operator", "admin")
def weights_preview(kind: str) -> Any:
    if kind not in WEIGHT_KINDS:
        abort(404)
    sid = _space_id()
    authz.manage_space(g.principal, sid)
    body = request.get_json(silent=True) or {}
    if not isinstance(body, dict):
        abort(400)
    data = {"weights": _weights_from(body.get("weights", {})),
            "diversity": _number(body.get("diversity"), 0.0, 0.0, 1.0), "k": 10}
    result = operators.preview(db.session, sid, kind, data, 8)
    return jsonify(result)


def _weights_from(raw: Any) -> dict[str, float]:
    if not isinstance(raw, dict):
        abort(400)
    out: dict[str, float] = {}
    for name, value in raw.items():
        if name in WEIGHT_NAMES:
            out[name] = _number(value, 0.0, -WEIGHT_LIMIT, WEIGHT_LIMIT)
    return out


@bp.post("/space/weights/<kind>")
@login_required("operator", "admin")
def weights_save(kind: str) -> Any:
    if kind not in WEIGHT_KINDS:
        abort(404)
    sid = _space_id()
    authz.manage_space(g.principal, sid)
    weights_in = _weights_from({k: v for k, v in request.form.items() if k in WEIGHT_NAMES})
    data = {"weights": weights_in, "diversity": _number(request.form.get("diversity"), 0.0, 0.0, 1.0),
            "comment": request.form.get("comment", "")[:1000]}
    operators.put_weights(db.session, g.principal, sid, kind, data)
    flash(translate("saved", lang()), "ok")
    return redirect(url_for("console.weights", kind=kind))


@bp.route("/space/allocation", methods=["GET", "POST"])
@login_required("operator", "admin")
def allocation() -> str:
    sid = _space_id()
    authz.manage_space(g.principal, sid)
    result = None
    if request.method == "POST":
        data = {"kind": request.form.get("kind", "mentor")
                if request.form.get("kind") in ("mentor", "investor", "provider")
                else "mentor", "per_project": int(_number(request.form.get("per_project"), 1, 1, 5)),
                "cover": bool(request.form.get("cover")), "candidates_per_project": 30}
        result = operators.allocation(db.session, g.principal, sid, data)
    return render_template("allocation.html", result=result, kind=request.form.get("kind", "mentor"))


def _posted_pairs() -> tuple[str, list[dict[str, int]]]:
    kind = request.form.get("kind", "")
    if kind not in ("mentor", "investor", "provider"):
        abort(400)
    pairs = []
    for value in request.form.getlist("pair")[:2000]:
        pid, _, cid = value.partition(":")
        project_id, candidate_id = parse_db_int(pid), parse_db_int(cid)
        if project_id is None or candidate_id is None:
            abort(400)
        pairs.append({"project_id": project_id, "candidate_id": candidate_id})
    if not pairs:
        abort(400)
    return kind, pairs


@bp.post("/space/allocation/intros")
@login_required("operator", "admin")
def allocation_intros() -> Any:
    sid = _space_id()
    authz.manage_space(g.principal, sid)
    kind, pairs = _posted_pairs()
    data = {"kind": kind, "pairs": pairs, "message": (request.form.get("message") or "").strip()[:500],
            "dry_run": request.form.get("action") != "create"}
    result = operators.allocation_intros(db.session, g.principal, sid, data,
                                         int(current_app.config["INTRO_EXPIRY_DAYS"]))
    return render_template("allocation.html", result=None, intros=result, kind=kind, pairs=request.form.getlist("pair"),
                           message=data["message"])


@bp.post("/space/allocation.csv")
@login_required("operator", "admin")
def allocation_csv() -> Any:
    sid = _space_id()
    authz.manage_space(g.principal, sid)
    kind, pairs = _posted_pairs()
    names = {int(i): n for i, n in db.reader.execute(select(Project.id, Project.name).where(
        Project.id.in_({p["project_id"] for p in pairs}), Project.space_id == sid)).all()}
    model = CANDIDATE_MODELS[kind]
    cands = {int(i): n for i, n in db.reader.execute(select(model.id, model.name).where(
        model.id.in_({p["candidate_id"] for p in pairs}), or_(model.space_id.is_(None), model.space_id == sid))).all()}
    # only this space's projects and the candidates it may use (another tenant's ids are not named)
    rows = [[p["project_id"], names[p["project_id"]], p["candidate_id"], cands[p["candidate_id"]]]
            for p in pairs if p["project_id"] in names and p["candidate_id"] in cands]
    body = sheets.to_csv(["项目编号 Project id", "项目 Project", f"{kind} id", "对象 Candidate"], rows)
    return sheets.download(body, f"huoban-allocation-{kind}.csv", sheets.CSV_TYPE)


@bp.route("/space/dealflow", methods=["GET", "POST"])
@login_required("operator", "admin")
def curation() -> Any:
    sid = _space_id()
    authz.manage_space(g.principal, sid)
    if request.method == "POST":
        project = db.session.get(Project, request.form.get("project_id", type=int) or 0)
        if project is None or project.space_id != sid:
            abort(404)
        curated = {"dealflow_curated": request.form.get("curated") == "1"}
        changed = audit.changes(project, curated)
        profile_svc.update(db.session, "project", project, curated)
        if changed:
            audit.record(db.session, g.principal, "project.curate", "project", project.id, sid, changes=changed)
        db.session.commit()
        profile_svc.refresh_index(db.session, "project", [project.id])
        return redirect(url_for("console.curation"))
    rows = db.reader.scalars(select(Project).where(Project.space_id == sid).order_by(Project.id)).all()
    return render_template("curation.html", projects=rows)


@bp.route("/space/import", methods=["GET", "POST"])
@login_required("operator", "admin")
def import_page() -> Any:
    sid = _space_id()
    authz.manage_space(g.principal, sid)
    errors: list[dict[str, Any]] = []
    result: dict[str, Any] | None = None
    if request.method == "POST":
        kind = request.form.get("kind", "project")
        upload = request.files.get("file")
        if kind not in importer.SCHEMAS or upload is None:
            abort(400)
        filename = upload.filename or "upload.csv"
        try:
            plan = importer.plan(db.session, kind, sid, filename, upload.read())
            if request.form.get("dry_run"):
                db.session.rollback()
                result = plan.summary(dry_run=True)
            else:
                ids = importer.apply(db.session, g.principal, plan, filename)
                db.session.commit()
                profile_svc.refresh_index(db.session, kind, ids)
                result = plan.summary(dry_run=False, ids=ids)
        except HTTPError as err:
            db.session.rollback()
            errors = list((err.extra_data or {}).get("errors") or [{"line": 0, "field": "", "message": err.message}])
        # the importer's English and field codes in the reader's words (issue 19)
        from api.console.import_errors import readable

        errors = [readable(e, kind, lang()) for e in errors]
        for row in (result or {}).get("rows") or []:
            row["errors"] = [readable(e, kind, lang()) for e in row["errors"]]
    return render_template("import.html", errors=errors, result=result, space_id=sid,
                           kinds=("project", "mentor", "investor", "provider"))


@bp.route("/space/import/template/<kind>")
@login_required("operator", "admin")
def import_template(kind: str) -> Any:
    sid = _space_id()
    authz.manage_space(g.principal, sid)
    if kind not in importer.SCHEMAS:
        abort(404)
    return sheets.download(sheets.template(kind), f"huoban-{kind}-template.xlsx", sheets.XLSX_TYPE)


@bp.route("/space/export/<kind>.<fmt>")
@login_required("operator", "admin")
def export_file(kind: str, fmt: str) -> Any:
    sid = _space_id()
    authz.manage_space(g.principal, sid)
    if fmt not in ("csv", "xlsx") or kind not in (*importer.SCHEMAS, "intro", "outcome"):
        abort(404)
    body, filename, mimetype, n = sheets.export_file(db.reader, kind, sid, fmt)
    audit.record(db.session, g.principal, "export.run", kind, f"{n} rows", sid, format=fmt)
    db.session.commit()
    return sheets.download(body, filename, mimetype)


@bp.route("/space/models", methods=["GET", "POST"])
@login_required("operator", "admin")
def models_page() -> Any:
    sid = _space_id()
    authz.manage_space(g.principal, sid)
    session_ = db.session
    if request.method == "POST":
        from api.services import space_models
        from matcher.errors import ModelArtifactError

        # the API's pin, rollback and follow (api/services/space_models.py): the same rules and audit entries
        action = request.form.get("action")
        p = g.principal
        if action == "use":
            row = session_.get(ModelVersion, request.form.get("version", type=int) or 0)
            if row is None:
                abort(404)
            try:
                space_models.pin(session_, p, sid, row)
            except ModelArtifactError as exc:
                abort(409, description=f"version {row.id} cannot be served: {exc}")
        elif action == "rollback":
            try:
                space_models.rollback(session_, p, sid)
            except space_models.NothingToRollBack as exc:
                abort(409, description=str(exc))
        elif action == "follow":
            space_models.follow_network(session_, p, sid)
        else:
            abort(400)
        session_.commit()
        matching.engine.sync_model(session_)
        return redirect(url_for("console.models_page"))
    rows = session_.scalars(select(ModelVersion).order_by(ModelVersion.id.desc()).limit(30)).all()
    pin = session_.get(SpaceModel, sid)
    return render_template("models.html", versions=rows, pin=pin, summaries={v.id: _version_summary(v) for v in rows})


def _version_summary(version: ModelVersion) -> dict[str, Any]:
    """What a version's figures say, by kind: offline NDCG@10 of its model and of the weights alone, and the
    investor ranker's choice with its validation-year NDCG@10 (the console words them; the raw report stays
    available as a log)."""
    refused = {kind for kind, info in ((version.manifest or {}).get("kinds") or {}).items()
               if isinstance(info, dict) and info.get("refused")}
    kinds = {kind: {"candidate": (m.get("candidate") or {}).get("ndcg@10"),
                    "weights_only": (m.get("weights_only") or {}).get("ndcg@10"), "refused": kind in refused}
             for kind, m in sorted((version.metrics or {}).items()) if isinstance(m, dict)}
    history = (version.manifest or {}).get("history") or {}
    selected = str(history.get("selected") or "")
    val = history.get("validation") or {}
    ranker = None
    if selected:
        choice = "learned" if selected == "learned" else "blend" if selected.startswith("blend:") else "simple"
        # the validation score of what serves: the anchored model, the blend at its weight, or the simple rule
        served = (val.get("anchored") or {}).get("ndcg@10", val.get("learned")) if choice == "learned" else \
            ((val.get("blend") or {}).get("ndcg@10") or {}).get(f"{(val.get('blend') or {}).get('weight', 0):g}") \
            if choice == "blend" else val.get("best_baseline_ndcg@10")
        ranker = {"choice": choice, "learned": served, "best": val.get("best_baseline_ndcg@10")}
    return {"kinds": kinds, "ranker": ranker}


# -- founder ----------------------------------------------------------------------------------------------
@bp.get("/project")
@login_required("founder")
def project() -> str:
    p = g.principal
    kind = request.args.get("kind", "mentor")
    if kind not in ("mentor", "investor", "provider"):
        abort(404)
    session_ = db.reader  # reads only: the impressions go to the log (or to db.session if it is off)
    row = profile_svc.get_visible(session_, p, "project", int(p.profile_id))
    result = match_svc.serve(session_, kind=kind, query_id=row.id, space_id=row.space_id, direction="matches", k=10,
                             viewer_user_id=p.user_id, exclude=match_svc.excluded_candidates(session_, row.id, kind),
                             writer=db.session)
    intros = [intro_svc.to_dict(session_, p, i) for i in session_.scalars(
        authz.intros_query(p).order_by(IntroRequest.id.desc()).limit(50))]
    return render_template("project.html", project=row, kind=kind, result=result, intros=intros)


@bp.post("/intros")
@login_required("founder", "investor", "operator", "admin")
def intro_create() -> Any:
    p = g.principal
    data = {"project_id": request.form.get("project_id", type=int), "candidate_kind": request.form.get("kind"),
            "candidate_id": request.form.get("candidate_id", type=int),
            "impression_id": request.form.get("impression_id", type=int),
            "message": (request.form.get("message") or "").strip()[:500]}
    if not data["project_id"] or data["candidate_kind"] not in CANDIDATE_MODELS or not data["candidate_id"]:
        abort(400)
    intro_svc.impression_ready(data)  # before expire_due opens the write transaction
    session_ = db.session
    intro_svc.expire_due(session_)
    intro_svc.create(session_, p, data, int(current_app.config["INTRO_EXPIRY_DAYS"]))
    session_.commit()
    flash(translate("requested", lang()), "ok")
    return redirect(request.referrer or url_for("console.home"))


@bp.post("/intros/<int:intro_id>/feedback")
@login_required("founder", "investor", "mentor", "provider")
def intro_feedback(intro_id: int) -> Any:
    p = g.principal
    rating = request.form.get("rating", type=int)
    data = {"event_id": f"console-{uuid.uuid4().hex}", "type": "rating", "intro_id": intro_id,
            "impression_id": None, "rating": rating if rating in (1, 2, 3, 4, 5) else None,
            "notes": (request.form.get("notes") or "")[:2000], "amount": None, "occurred_at": None}
    if data["rating"] is None:
        abort(400)
    feedback_svc.record(db.session, p, data)
    flash(translate("thanks", lang()), "ok")
    return redirect(request.referrer or url_for("console.home"))


# -- investor ---------------------------------------------------------------------------------------------
@bp.get("/dealflow")
@login_required("investor")
def dealflow() -> str:
    p = g.principal
    session_ = db.reader  # reads only, as in project()
    investor = profile_svc.get_visible(session_, p, "investor", int(p.profile_id))
    filters = {k: request.args.get(k) for k in ("round", "industry", "region") if request.args.get(k)}
    exclude = match_svc.excluded_projects(session_, investor.id)
    if filters:
        from api.resources.matching import _filtered_out

        exclude = exclude + _filtered_out(session_, filters)
    result = match_svc.serve(session_, kind="investor", query_id=investor.id, space_id=investor.space_id or 0,
                             direction="dealflow", k=20, viewer_user_id=p.user_id, exclude=exclude, writer=db.session)
    intros = [intro_svc.to_dict(session_, p, i) for i in session_.scalars(
        authz.intros_query(p).order_by(IntroRequest.id.desc()).limit(50))]
    return render_template("dealflow.html", investor=investor, result=result, filters=filters, intros=intros)


@bp.get("/profile")
@login_required("investor", "mentor", "provider")
def profile() -> str:
    p = g.principal
    row = profile_svc.get_visible(db.reader, p, str(p.profile_kind), int(p.profile_id))
    return render_template("profile.html", row=row, kind=p.profile_kind)


@bp.get("/projects/<int:project_id>")
@login_required()
def project_detail(project_id: int) -> Any:
    p = g.principal
    row = db.reader.get(Project, project_id)
    if row is None or not authz.project_visible(db.reader, p, row):
        return render_error(404, "找不到该页面或对象", "Page or object not found")
    show = authz.project_contacts_visible(db.reader, p, row)
    return render_template("project_detail.html", row=row, show_contacts=show)


# -- mentor / provider ------------------------------------------------------------------------------------
@bp.get("/intros")
@login_required("mentor", "provider", "investor", "founder")
def intros() -> str:
    p = g.principal
    session_ = db.session
    intro_svc.expire_due(session_)
    session_.commit()
    rows = []
    for intro in session_.scalars(authz.intros_query(p).order_by(IntroRequest.id.desc()).limit(100)):
        row = intro_svc.to_dict(session_, p, intro)
        deciding = "candidate" if intro.direction == "project" else "project"
        row["mine_to_decide"] = authz.intro_party(p, intro) in (deciding, "admin") and intro.status == "pending"
        project = session_.get(Project, intro.project_id)
        row["project"] = None if project is None else {
            "one_liner": project.one_liner, "stage": project.stage, "needs": list(project.needs),
            "city": project.city}
        rows.append(row)
    capacity = None
    if p.profile_kind in ("mentor", "provider"):
        me = session_.get(CANDIDATE_MODELS[str(p.profile_kind)], p.profile_id)
        if me is not None:
            capacity = (me.capacity - intro_svc.active_load(session_, str(p.profile_kind), me.id), me.capacity)
    return render_template("intros.html", intros=rows, capacity=capacity)


@bp.post("/intros/<int:intro_id>/<any(accept, decline):decision>")
@login_required("mentor", "provider", "founder", "investor")
def intro_decide(intro_id: int, decision: str) -> Any:
    session_ = db.session
    intro = intro_svc.decide(session_, g.principal, intro_id, decision == "accept")
    session_.commit()
    profile_svc.refresh_index(session_, intro.candidate_kind, [intro.candidate_id])
    return redirect(request.referrer or url_for("console.intros"))


__all__ = ["bp", "csrf_token"]
