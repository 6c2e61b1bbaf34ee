"""A space's keys and users, for its operators (and admins): list, create, revoke, rotate; deactivate,
reactivate, reset a console password. The rules are in :mod:`api.services.access`."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint

from api import schemas as s
from api.auth import auth, current_principal
from api.extensions import db
from api.services import access

bp = APIBlueprint("access", __name__, url_prefix="/api/v1/spaces", tag="Access")
SPACE = "/<int(min=1, max=2147483647):space_id>"
KEY = SPACE + "/keys/<int(min=1, max=2147483647):key_id>"
USER = SPACE + "/users/<int(min=1, max=2147483647):user_id>"


class KeyItem(s.Schema):
    id = s.Integer(required=True)
    prefix = s.String(required=True, metadata={"description": "the key's public prefix (the key is never shown)"})
    name = s.String(required=True)
    role = s.String(required=True)
    user_id = s.Integer(required=True)
    user_name = s.String(required=True)
    email = s.String(allow_none=True, required=True)
    profile = s.String(allow_none=True, required=True)
    created_at = s.DateTime(required=True)
    last_used_at = s.DateTime(allow_none=True, required=True)
    expires_at = s.DateTime(allow_none=True, required=True)
    state = s.String(required=True, metadata={"description": "active, revoked, expired or inactive_user"})


class KeyOut(KeyItem):
    """One key (its own OpenAPI component: KeyItem is nested in lists)."""


class KeyList(s.Schema):
    items = s.List(s.Nested(KeyItem), required=True)


class KeyListQuery(s.StrictSchema):
    all = s.Boolean(load_default=False, metadata={"description": "include revoked and expired keys"})


class KeyIn(s.StrictSchema):
    role = s.String(required=True, validate=s.OneOf(tuple(access.MANAGED_ROLES)))
    profile_id = s.Integer(validate=s.Range(min=1, max=2147483647),
                           metadata={"description": "the project (founder) or candidate the key acts for"})
    name = s.String(load_default="", validate=s.Length(max=200))
    expires_in_days = s.Integer(validate=s.Range(min=1, max=3650),
                                metadata={"description": "default: valid until revoked"})


class RotateIn(s.StrictSchema):
    expires_in_days = s.Integer(validate=s.Range(min=1, max=3650))


class KeyCreated(s.Schema):
    key = s.String(required=True, metadata={"description": "shown this once; only its hash is stored"})
    item = s.Nested(KeyItem, required=True)


class UserItem(s.Schema):
    id = s.Integer(required=True)
    name = s.String(required=True)
    email = s.String(allow_none=True, required=True)
    role = s.String(required=True)
    profile_kind = s.String(allow_none=True, required=True)
    profile_id = s.Integer(allow_none=True, required=True)
    active = s.Boolean(required=True)


class UserOut(UserItem):
    """One user (its own OpenAPI component)."""


class UserList(s.Schema):
    items = s.List(s.Nested(UserItem), required=True)


class PasswordReset(s.Schema):
    user = s.Nested(UserItem, required=True)
    password = s.String(required=True, metadata={"description": "a new console password, shown this once"})


def _item(key: Any, user: Any) -> dict[str, Any]:
    import datetime as dt

    return access.key_row(key, user, dt.datetime.now(dt.UTC))


@bp.get(SPACE + "/keys")
@bp.auth_required(auth)
@bp.input(KeyListQuery, location="query", arg_name="args")
@bp.output(KeyList)
@bp.doc(summary="The space's API keys (operators of the space, admins)")
def list_keys(space_id: int, args: dict[str, Any]) -> dict[str, Any]:
    from api import authz

    authz.manage_space(current_principal(), space_id)
    return {"items": access.list_keys(db.reader, space_id, include_inactive=args["all"])}


@bp.post(SPACE + "/keys")
@bp.auth_required(auth)
@bp.input(KeyIn, arg_name="data")
@bp.output(KeyCreated, status_code=201)
@bp.doc(summary="Create a key for a user of the space (audited; the key is shown once)")
def create_key(space_id: int, data: dict[str, Any]) -> dict[str, Any]:
    session = db.session
    key, row = access.create_key(session, current_principal(), space_id, role=data["role"],
                                 profile_id=data.get("profile_id"), name=data["name"],
                                 expires_in_days=data.get("expires_in_days"))
    session.commit()
    return {"key": key, "item": _item(row, row.user)}


@bp.post(KEY + "/revoke")
@bp.auth_required(auth)
@bp.output(KeyOut)
@bp.doc(summary="Revoke a key at once (audited)")
def revoke_key(space_id: int, key_id: int) -> dict[str, Any]:
    session = db.session
    key, user = access.revoke(session, current_principal(), space_id, key_id)
    session.commit()
    return _item(key, user)


@bp.post(KEY + "/rotate")
@bp.auth_required(auth)
@bp.input(RotateIn, arg_name="data")
@bp.output(KeyCreated, status_code=201)
@bp.doc(summary="Replace a key: a new one for the same user (shown once), the old one revoked (audited)")
def rotate_key(space_id: int, key_id: int, data: dict[str, Any]) -> dict[str, Any]:
    session = db.session
    new, row, user = access.rotate(session, current_principal(), space_id, key_id, data.get("expires_in_days"))
    session.commit()
    return {"key": new, "item": _item(row, user)}


@bp.get(SPACE + "/users")
@bp.auth_required(auth)
@bp.output(UserList)
@bp.doc(summary="The space's users")
def list_users(space_id: int) -> dict[str, Any]:
    from api import authz

    authz.manage_space(current_principal(), space_id)
    return {"items": access.list_users(db.reader, space_id)}


@bp.post(USER + "/deactivate")
@bp.auth_required(auth)
@bp.output(UserOut)
@bp.doc(summary="Deactivate a user: their keys and console sessions stop working (audited)")
def deactivate_user(space_id: int, user_id: int) -> Any:
    session = db.session
    user = access.set_user_active(session, current_principal(), space_id, user_id, False)
    session.commit()
    return user


@bp.post(USER + "/reactivate")
@bp.auth_required(auth)
@bp.output(UserOut)
@bp.doc(summary="Reactivate a user (audited)")
def reactivate_user(space_id: int, user_id: int) -> Any:
    session = db.session
    user = access.set_user_active(session, current_principal(), space_id, user_id, True)
    session.commit()
    return user


@bp.post(USER + "/password-reset")
@bp.auth_required(auth)
@bp.output(PasswordReset)
@bp.doc(summary="A new console password for the user, shown once; their sessions end (audited)")
def password_reset(space_id: int, user_id: int) -> dict[str, Any]:
    session = db.session
    user, password = access.reset_password(session, current_principal(), space_id, user_id)
    session.commit()
    return {"user": user, "password": password}
