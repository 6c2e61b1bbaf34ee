"""The application factory."""

from __future__ import annotations

import gc
import json
import logging
import re
import sqlite3
import threading
from collections.abc import Mapping
from typing import Any

from apiflask import APIFlask, HTTPError
from flask import Response, current_app, request
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as SATimeoutError
from werkzeug.exceptions import HTTPException

from api.config import Config
from api.extensions import db, limiter, matching
from api.problems import PROBLEM_BASE, PROBLEM_MIMETYPE, ProblemSchema, field_errors, problem_response
from models.db import WalCheckpointer

log = logging.getLogger("huoban.api")


def create_app(config: Mapping[str, Any] | None = None) -> APIFlask:
    """Build the app: class defaults, then ``HUOBAN_*`` environment variables, then ``config``."""
    app = APIFlask("huoban", title=Config.TITLE, version=Config.VERSION, spec_path=Config.SPEC_PATH,
                   docs_path=Config.DOCS_PATH, docs_ui="swagger-ui")
    app.config.from_object(Config)
    app.config.from_prefixed_env("HUOBAN")
    if config:
        app.config.update(config)
    from api.retention import ENV, retention_days

    retention_days({ENV: str(app.config.get("IMPRESSION_RETENTION_DAYS") or 0)})  # a bad value stops the start
    app.config["HTTP_ERROR_SCHEMA"] = ProblemSchema
    app.config["VALIDATION_ERROR_SCHEMA"] = ProblemSchema
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    db.init_app(app)
    matching.init_app(app)
    limiter.init_app(app)

    @app.error_processor
    def _problem(error: HTTPError) -> Response:
        return problem_response(_listed_errors_capped(error))

    @app.before_request
    def _json_body_is_text() -> None:
        """What the schema parser cannot say clearly or cheaply: a body nested so deep that parsing it
        overflows the stack, strings holding lone UTF-16 surrogates (valid JSON escapes, but not text: every
        write of them fails) and bodies of more items than any request needs (validated item by item, they
        tie up a worker). All are refused before any handler runs, and so is a body that is not JSON sent to
        the JSON API."""
        if request.is_json:
            problem = json_body_problem(request.get_data(cache=True))
            if problem:
                raise HTTPError(problem[0], message=problem[1])
        elif (request.method in ("POST", "PUT", "PATCH") and request.path.startswith("/api/")
              and request.routing_exception is None and _sends_a_body_that_is_not_json()):
            # a JSON API: a body sent as text or a form would be read as no body at all (an empty 200)
            raise HTTPError(415, message=f"send the body as application/json, not {request.mimetype or 'untyped'}")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
        detail = exc.description or ""
        if exc.code == 400 and request.is_json:
            try:
                json.loads(request.get_data(cache=True) or b"null")
            except ValueError as err:
                detail = f"the request body is not valid JSON: {err}"
            except RecursionError:
                pass  # the detail already says so
        return problem_response(HTTPError(exc.code or 500, message=detail, headers=headers))

    @app.errorhandler(IntegrityError)
    def _integrity(exc: IntegrityError) -> Response:
        log.warning("integrity conflict: %s", str(exc.orig).splitlines()[0] if exc.orig else exc)
        return problem_response(HTTPError(409, message="this conflicts with existing data"))

    @app.errorhandler(DataError)
    def _data(exc: DataError) -> Response:
        log.warning("rejected by the database: %s", str(exc.orig).splitlines()[0] if exc.orig else exc)
        return problem_response(HTTPError(422, message="a value is out of range for this field"))

    @app.errorhandler(sqlite3.OperationalError)
    def _bare_sqlite(exc: sqlite3.OperationalError) -> Response:
        # raised bare (not wrapped by SQLAlchemy) by the write gate's "begin" hook (models.db): busy is a
        # retryable 503 like any busy database; anything else is a bug, not a reason to retry
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            return _busy(exc)
        log.error("unexpected SQLite error: %s", str(exc).splitlines()[0] if str(exc) else exc)
        return problem_response(HTTPError(500))

    @app.errorhandler(SATimeoutError)
    @app.errorhandler(OperationalError)
    def _busy(exc: Exception) -> Response:
        text = str(exc).lower()
        if "disk is full" in text or "no space left" in text or "could not extend file" in text:
            # SQLITE_FULL / ENOSPC / PostgreSQL's "could not extend file": the transaction was rolled back whole
            log.error("the database's disk is full: %s", str(exc).splitlines()[0])
            return problem_response(HTTPError(
                503, message="the database's disk is full: nothing of this request was written; retry once an "
                             "operator has freed space", headers={"Retry-After": "30"},
                extra_data={"type": PROBLEM_BASE + "storage-full"}))
        log.warning("database busy or unreachable: %s", str(exc).splitlines()[0])
        return problem_response(HTTPError(503, message="the database is busy or unreachable; retry shortly",
                                          headers={"Retry-After": "2"}))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        if isinstance(exc, HTTPError):
            return problem_response(exc)
        if isinstance(exc, HTTPException):
            headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
            return problem_response(HTTPError(exc.code or 500, message=exc.description or "", headers=headers))
        log.exception("unexpected error")
        return problem_response(HTTPError(500))

    @app.spec_processor
    def _problem_spec(spec: dict[str, Any]) -> dict[str, Any]:
        """Document errors as problem+json, and a default problem response on every operation."""
        for path_item in spec.get("paths", {}).values():
            for operation in path_item.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                for param in operation.get("parameters", []):
                    # ids are bounded ints in the URL rules (larger ones would overflow the database)
                    if param.get("in") == "path" and param["name"].rstrip("_").endswith("id"):
                        param["schema"] = {"type": "integer", "minimum": 1, "maximum": 2147483647}
                for code, response in operation["responses"].items():
                    content = response.get("content", {})
                    if str(code)[0] in "45" and "application/json" in content:
                        content[PROBLEM_MIMETYPE] = content.pop("application/json")
                    elif str(code)[0] in "45" and not content:
                        response["content"] = {PROBLEM_MIMETYPE: {"schema": {
                            "$ref": "#/components/schemas/Problem"}}}
                operation["responses"].setdefault("default", {
                    "description": "An error (RFC 9457 problem details)",
                    "content": {PROBLEM_MIMETYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
                })
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        if "Problem" not in schemas:
            schemas["Problem"] = schemas.get("Problem", {"$ref": "#/components/schemas/ProblemSchema"}) \
                if "ProblemSchema" in schemas else _problem_schema_dict()
        return spec

    from api.resources import access, growth, profiles, spaces, system
    from api.resources import matching as matching_bp

    app.register_blueprint(system.bp)
    app.register_blueprint(spaces.bp)
    for bp in profiles.blueprints:
        app.register_blueprint(bp)
    app.register_blueprint(matching_bp.bp)
    app.register_blueprint(growth.bp)
    app.register_blueprint(access.bp)
    try:
        from api.resources import models as models_bp

        app.register_blueprint(models_bp.bp)
    except ImportError:  # pragma: no cover - the learning loop adds this module
        pass

    from api.console.views import bp as console_bp

    app.register_blueprint(console_bp)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app.config["VAR_DIR"])

    @app.get("/")
    @app.doc(hide=True)
    def _root() -> Any:
        from flask import redirect

        return redirect("/console/")

    if app.config.get("LOAD_MATCHER"):  # a serving process (`huoban serve`)
        start_checkpointer(app)
        start_loading(app)
    return app


MAX_JSON_DEPTH = 64
# the longest list a request needs is 20,000 ids (AllocationIn.project_ids and .candidate_ids, both at once):
# longer arrays, and bodies of more values in all, are refused before they are validated item by item
MAX_JSON_ARRAY = 50_000
MAX_JSON_VALUES = 100_000  # array items and object members at every depth, plus the body itself
MAX_LISTED_ERRORS = 50  # per-field errors listed in one validation problem; the rest are counted


_LONG_NUMBER = re.compile(rb"\d{4300}")


def _sends_a_body_that_is_not_json() -> bool:
    """A non-JSON request to the JSON API that must be refused: a body (a length, or chunked) in a content type
    its operation does not declare (only the import reads a form), or untyped. A request without a body is
    let through whatever type it names: clients such as `curl -d ''` or Java's HttpURLConnection label a
    body-less POST (accept, revoke, retrain...) as a form."""
    if not request.content_length and "chunked" not in request.headers.get("Transfer-Encoding", "").lower():
        return False
    if request.mimetype:
        view = current_app.view_functions.get(request.endpoint or "")
        declared = (getattr(view, "_spec", None) or {}).get("content_type") or ()  # set by @input for its body
        return request.mimetype not in ((declared,) if isinstance(declared, str) else declared)
    return True


def _listed_errors_capped(error: HTTPError) -> HTTPError:
    """A validation problem lists the first :data:`MAX_LISTED_ERRORS` field errors and counts the rest."""
    if error.status_code != 422 or not isinstance(error.detail, Mapping):
        return error
    errors = field_errors(error.detail)
    if len(errors) <= MAX_LISTED_ERRORS:
        return error
    listed: dict[str, dict[str, list[str]]] = {}
    for e in errors[:MAX_LISTED_ERRORS]:
        listed.setdefault(e["location"], {}).setdefault(e["field"], []).append(e["message"])
    omitted = len(errors) - MAX_LISTED_ERRORS
    return HTTPError(422, message=error.message, detail=listed, headers=error.headers, extra_data={
        **(error.extra_data or {}), "errors_omitted": omitted,
        "detail": f"the request did not validate: {len(errors)} errors, the first {MAX_LISTED_ERRORS} listed"})


def json_body_problem(data: bytes) -> tuple[int, str] | None:
    """Why a JSON request body must be refused before parsing by schema (the status and the detail), or None
    (an invalid body is left to the parser, which names the error)."""
    # Python refuses to read integers of more than 4,300 digits with a ValueError the JSON parser's callers do
    # not expect (a 500): such a body can only be as long
    if len(data) > 4300 and _LONG_NUMBER.search(data):
        return 400, "a number in the request body has more than 4300 digits"
    # the common case costs three byte counts: the body cannot nest deeper than its brackets, no array holds
    # more items than one plus the commas, nor the body more values than one plus its brackets and commas; and
    # a lone surrogate can only arrive escaped (raw, it is not UTF-8 and the parser refuses it)
    if not data:
        return None
    brackets = data.count(b"[") + data.count(b"{")
    commas = data.count(b",")
    if (brackets <= MAX_JSON_DEPTH and commas < MAX_JSON_ARRAY and brackets + commas < MAX_JSON_VALUES
            and b"\\ud" not in data and b"\\uD" not in data):
        return None
    try:
        body = json.loads(data)
    except RecursionError:
        return 400, f"the request body is nested too deeply (more than {MAX_JSON_DEPTH} levels)"
    except ValueError:
        return None
    values = 1
    stack: list[tuple[Any, int]] = [(body, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return 400, f"the request body is nested too deeply (more than {MAX_JSON_DEPTH} levels)"
        if isinstance(value, str):
            if not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    return 400, ("a string in the request body holds a lone UTF-16 surrogate (\\ud800-\\udfff), "
                                 "which is not text")
        elif isinstance(value, dict | list):
            if isinstance(value, list) and len(value) > MAX_JSON_ARRAY:
                return 413, (f"an array in the request body has {len(value)} items; at most {MAX_JSON_ARRAY} are "
                             "accepted")
            values += len(value)
            if values > MAX_JSON_VALUES:
                return 413, f"the request body holds more than {MAX_JSON_VALUES} values (array items and members)"
            if isinstance(value, dict):
                stack.extend((k, depth + 1) for k in value)
                stack.extend((v, depth + 1) for v in value.values())
            else:
                stack.extend((v, depth + 1) for v in value)
    return None


def start_checkpointer(app: APIFlask) -> WalCheckpointer | None:
    """On SQLite, move WAL checkpoints off the requests' commits (see :class:`models.db.WalCheckpointer`)."""
    checkpointer = WalCheckpointer(app.extensions[db.KEY]["engine"],
                                   float(app.config.get("SQLITE_CHECKPOINT_SECONDS", 1.0)))
    if not checkpointer.start():
        return None
    app.extensions["huoban.checkpointer"] = checkpointer
    return checkpointer


def _secret_key(var_dir: str) -> str:
    """The session-signing key, created once per deployment under var/ (mode 600) and shared by workers."""
    import os
    import secrets
    from pathlib import Path

    path = Path(var_dir) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
        try:
            os.link(tmp, path)  # first writer wins; the others read its key
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return path.read_text().strip()


def _problem_schema_dict() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {"type": "array", "items": {"type": "object", "required": ["field", "message"], "properties": {
                "location": {"type": "string"}, "line": {"type": "integer"}, "field": {"type": "string"},
                "message": {"type": "string"}}}},
        },
    }


def freeze_heap() -> None:
    """Take what is alive now (profile tables, indexes, models and every imported module: objects that live as
    long as the process) out of the cyclic garbage collector's walks.

    Each full collection walked all of them: ~150 ms at 10,000 profiles per kind (measured with gc.collect()
    after loading; ~0 ms once frozen), with the GIL held, stalling every request of the worker meanwhile.
    Objects made later (request garbage, changed profiles) are collected as usual; frozen ones are still
    freed by reference counting when they go."""
    gc.collect()
    gc.freeze()


def start_loading(app: APIFlask) -> threading.Thread:
    """Load indexes (and the serving model) in the background: /healthz answers at once, /readyz once loaded."""

    def load() -> None:
        with app.app_context():
            engine = matching.engine
            try:
                report = engine.load(db.factory)
                log.info("matcher loaded: %s%s", report["kinds"],
                         "; lexical rows made again under the current glossary (run `huoban index` to save them)"
                         if report.get("lexical_refitted") else "")
            except Exception:  # noqa: BLE001 - /readyz reports it
                log.exception("matcher not loaded; run `huoban index`")
                return
            finally:
                loaded.set()  # requests waiting for the indexes go on (served, or told to run `huoban index`)
            try:
                from api.services.learning import load_serving_model

                load_serving_model(app)
            except ImportError:  # pragma: no cover
                pass
            except Exception:  # noqa: BLE001 - serve without a learned model rather than not at all
                log.exception("learned model not loaded; serving with operator weights only")
            if app.config.get("GC_FREEZE", True):
                freeze_heap()

    loaded = threading.Event()
    app.extensions["huoban.loaded"] = loaded
    # one request per worker may wait for the load; the others are told to retry at once, so a worker's other
    # threads stay free for /healthz, /readyz and everything that needs no indexes
    app.extensions["huoban.load_waiters"] = threading.BoundedSemaphore(1)
    thread = threading.Thread(target=load, name="huoban-load", daemon=True)
    thread.start()
    app.extensions["huoban.loader"] = thread
    return thread
