"""RFC 9457 problem details: every error of the API is ``application/problem+json``.

One processor builds them all (validation errors, HTTP errors raised by Flask or by views, and unexpected
exceptions, which are logged and reported as a bare 500 without internals). Validation failures carry
per-field ``errors``: ``[{"location": "json", "field": "industries.0", "message": "..."}]``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, NoReturn

from apiflask import HTTPError, Schema
from apiflask.fields import Integer, List, Nested, String
from flask import Response, json

PROBLEM_MIMETYPE = "application/problem+json"
PROBLEM_BASE = "https://huoban.dev/problems/"
log = logging.getLogger("huoban.api")

_TITLES = {
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
    409: "Conflict", 410: "Gone", 413: "Payload Too Large", 415: "Unsupported Media Type",
    422: "Validation Error", 429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable",
}


class FieldErrorSchema(Schema):
    location = String(metadata={"description": "json, query, path, form, files or headers"})
    line = Integer(metadata={"description": "row of an imported file (the header is row 1)"})
    field = String(required=True, metadata={"description": "dotted path of the field ('' for the whole body)"})
    message = String(required=True)


class ProblemSchema(Schema):
    type = String(required=True, metadata={"example": "about:blank"})
    title = String(required=True)
    status = Integer(required=True)
    detail = String(required=True)
    errors = List(Nested(FieldErrorSchema), metadata={"description": "per-field validation errors"})
    errors_omitted = Integer(metadata={"description": "validation errors not listed (only the first 50 are)"})


def problem(status: int, detail: str, *, type_: str | None = None, title: str | None = None,
            headers: Mapping[str, str] | None = None, **extra: Any) -> NoReturn:
    """Raise a problem response from anywhere in a request."""
    data: dict[str, Any] = dict(extra)
    if type_:
        data["type"] = PROBLEM_BASE + type_
    if title:
        data["title"] = title
    raise HTTPError(status, message=detail, extra_data=data, headers=dict(headers or {}))


def _flatten(detail: Any, prefix: str = "") -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            name = str(key) if key != "_schema" else ""
            out.extend(_flatten(value, f"{prefix}.{name}" if prefix and name else (name or prefix)))
    elif isinstance(detail, list | tuple):
        if all(isinstance(x, str) for x in detail):
            out.extend((prefix, str(x)) for x in detail)
        else:
            for x in detail:
                out.extend(_flatten(x, prefix))
    else:
        out.append((prefix, str(detail)))
    return out


def field_errors(detail: Any) -> list[dict[str, str]]:
    """apiflask/webargs error detail ({location: {field: [messages]}}) -> a flat list."""
    errors: list[dict[str, str]] = []
    if isinstance(detail, Mapping):
        for location, fields in detail.items():
            for field, message in _flatten(fields):
                errors.append({"location": str(location), "field": field, "message": message})
    return errors


def problem_response(error: HTTPError) -> Response:
    status = int(error.status_code)
    extra = dict(error.extra_data or {})
    body: dict[str, Any] = {
        "type": extra.pop("type", "about:blank"),
        "title": extra.pop("title", _TITLES.get(status, "Error")),
        "status": status,
        "detail": "",
    }
    if status == 422 and isinstance(error.detail, Mapping) and error.detail:
        body["type"] = PROBLEM_BASE + "validation-error"
        body["detail"] = "the request did not validate; see errors"
        body["errors"] = field_errors(error.detail)
    else:
        message = error.message or ""
        body["detail"] = message if message and message != body["title"] else _default_detail(status)
    body.update(extra)
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_MIMETYPE)
    for key, value in (error.headers or {}).items():
        if key.lower() != "content-type":
            response.headers[key] = value
    return response


def _default_detail(status: int) -> str:
    return {
        401: "a valid API key is required: send Authorization: Bearer <key>",
        403: "your role may not do this",
        404: "no such resource",
        405: "this method is not allowed here",
        413: "the request body is too large",
        415: "send application/json",
        429: "too many requests; slow down and retry later",
        500: "internal error; it was logged",
    }.get(status, _TITLES.get(status, "error"))
