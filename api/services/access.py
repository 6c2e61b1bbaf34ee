"""Keys and users of one space, managed by its operators (API and console) with the rules of the CLI.

An operator manages the access of its own space only: keys of users whose space it is, new keys for its
projects and for the mentors, investors and providers the space owns (network-wide profiles get their keys
from an admin), and other operators of the space. It cannot mint admin keys nor touch another space's users
(404, as for every other resource of another tenant). Every change is audited; a key is shown once, when it
is created or rotated, and only its hash is stored.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api import authz
from api.accounts import (
    AccountError,
    ProfileRef,
    create_api_key,
    new_user_key,
    revoke_key,
    rotate_key,
    set_active,
    set_password,
)
from api.auth import Principal
from api.problems import problem
from api.services import audit
from models import PROFILE_MODELS, ApiKey, ConsoleSession, User

# roles an operator may give keys for, and the profile kind each links to
MANAGED_ROLES = {"operator": None, "founder": "project", "mentor": "mentor", "investor": "investor",
                 "provider": "provider"}


def key_state(key: ApiKey, user: User, now: dt.datetime) -> str:
    expires = key.expires_at
    if key.revoked_at is not None:
        return "revoked"
    if expires is not None and expires <= now:
        return "expired"
    return "active" if user.active else "inactive_user"


def key_row(key: ApiKey, user: User, now: dt.datetime) -> dict[str, Any]:
    return {"id": key.id, "prefix": f"hb_{key.prefix}_…", "name": key.name, "role": user.role, "user_id": user.id,
            "user_name": user.name, "email": user.email,
            "profile": f"{user.profile_kind}:{user.profile_id}" if user.profile_kind else None,
            "created_at": key.created_at, "last_used_at": key.last_used_at, "expires_at": key.expires_at,
            "state": key_state(key, user, now), "user_active": user.active}


def list_keys(session: Session, space_id: int, *, include_inactive: bool = False) -> list[dict[str, Any]]:
    """The keys of the space's users, newest first (never a key nor its hash)."""
    now = dt.datetime.now(dt.UTC)
    rows = session.execute(select(ApiKey, User).join(User, ApiKey.user_id == User.id)
                           .where(User.space_id == space_id).order_by(ApiKey.id.desc())).all()
    owned: dict[int, bool] = {}
    out = [key_row(k, u, now) for k, u in rows
           if owned.setdefault(u.id, _owned(session, u, space_id))]
    return out if include_inactive else [r for r in out if r["state"] == "active"]


def _expiry(days: int | None) -> dt.datetime | None:
    return None if days is None else dt.datetime.now(dt.UTC) + dt.timedelta(days=days)


def create_key(session: Session, p: Principal, space_id: int, *, role: str, profile_id: int | None, name: str,
               expires_in_days: int | None) -> tuple[str, ApiKey]:
    """A new key for the space's user of this role (and profile); returns (plaintext key, row)."""
    authz.manage_space(p, space_id)
    kind = MANAGED_ROLES.get(role)
    if role not in MANAGED_ROLES:
        problem(422, f"operators give keys to {', '.join(MANAGED_ROLES)}; admin keys come from an admin",
                type_="role-not-allowed")
    profile = None
    if kind is None:
        if profile_id is not None:
            problem(422, f"role {role} takes no profile_id", type_="bad-key-request")
    else:
        if profile_id is None:
            problem(422, f"role {role} needs the profile_id of a {kind}", type_="bad-key-request")
        row = session.get(PROFILE_MODELS[kind], profile_id)
        if row is None or getattr(row, "archived_at", None) is not None or row.space_id != space_id:
            # another tenant's profile looks like a missing one; a network-wide one is the admins'
            if row is not None and row.space_id is None and getattr(row, "archived_at", None) is None:
                problem(403, f"this {kind} is network-wide: its keys come from an admin", type_="network-profile")
            authz.not_found(kind)
        profile = ProfileRef(kind, int(profile_id))  # type: ignore[arg-type]
    try:
        if role == "operator":
            # a new colleague gets a user of their own (never the first operator's account, nor a
            # deactivated one): what their key does is audited as them, and revoking it touches nobody else
            user = User(role="operator", space_id=space_id, name=name)
            session.add(user)
            session.flush()
            key = new_user_key(session, user, name, _expiry(expires_in_days))
        else:
            key = create_api_key(session, role=role, space_id=space_id, profile=profile, name=name,
                                 expires_at=_expiry(expires_in_days))
    except AccountError as exc:
        problem(422, str(exc), type_="bad-key-request")
    row_ = session.scalars(select(ApiKey).where(ApiKey.prefix == key.split("_")[1])).one()
    audit.record(session, p, "key.create", "api_key", row_.id, space_id, role=role, user_id=row_.user_id,
                 profile=str(profile) if profile else None, expires_at=row_.expires_at)
    return key, row_


def _owned(session: Session, user: User, space_id: int) -> bool:
    """The user is the space's: of this space, and acting for nothing but the space's own (live) profile. A user
    linked to a network-wide profile (made by an admin, or whose profile an admin moved) is an admin's."""
    if user.space_id != space_id:
        return False
    if user.profile_kind is None:
        return user.role == "operator"
    row = session.get(PROFILE_MODELS[user.profile_kind], user.profile_id)
    return row is not None and row.space_id == space_id and getattr(row, "archived_at", None) is None


def _space_key(session: Session, p: Principal, space_id: int, key_id: int) -> tuple[ApiKey, User]:
    authz.manage_space(p, space_id)
    found = session.execute(select(ApiKey, User).join(User, ApiKey.user_id == User.id)
                            .where(ApiKey.id == key_id, User.space_id == space_id)
                            .with_for_update(of=ApiKey)).first()  # two rotations of one key: one waits
    if found is None or not _owned(session, found[1], space_id):
        authz.not_found("key")
    return found[0], found[1]


def revoke(session: Session, p: Principal, space_id: int, key_id: int) -> tuple[ApiKey, User]:
    key, user = _space_key(session, p, space_id, key_id)
    if revoke_key(session, key):
        audit.record(session, p, "key.revoke", "api_key", key.id, space_id, user_id=user.id)
    return key, user


def rotate(session: Session, p: Principal, space_id: int, key_id: int, expires_in_days: int | None
           ) -> tuple[str, ApiKey, User]:
    key, user = _space_key(session, p, space_id, key_id)
    if key.revoked_at is not None:
        problem(409, f"key {key.id} is revoked; create a new one instead", type_="key-revoked")
    new = rotate_key(session, key, _expiry(expires_in_days))
    row = session.scalars(select(ApiKey).where(ApiKey.prefix == new.split("_")[1])).one()
    audit.record(session, p, "key.rotate", "api_key", key.id, space_id, user_id=user.id, new_key_id=row.id)
    return new, row, user


def _space_user(session: Session, p: Principal, space_id: int, user_id: int) -> User:
    authz.manage_space(p, space_id)
    user = session.get(User, user_id)
    if user is None or not _owned(session, user, space_id):
        authz.not_found("user")
    return user


def set_user_active(session: Session, p: Principal, space_id: int, user_id: int, active: bool) -> User:
    """Deactivate (keys and console sessions stop working on the next request) or reactivate a user."""
    user = _space_user(session, p, space_id, user_id)
    if not active and user.id == p.user_id:
        problem(409, "you cannot deactivate yourself; ask another operator or an admin", type_="self-deactivation")
    if user.active != active:
        set_active(session, user, active)
        audit.record(session, p, "user.activate" if active else "user.deactivate", "user", user.id, space_id)
    return user


def reset_password(session: Session, p: Principal, space_id: int, user_id: int) -> tuple[User, str]:
    """A new random console password for the user, shown once; their console sessions end."""
    user = _space_user(session, p, space_id, user_id)
    if not user.email:
        problem(409, "this user has no email to sign in with; give them an API key instead", type_="no-email")
    password = secrets.token_urlsafe(12)
    set_password(user, password)
    session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id))
    audit.record(session, p, "user.password_reset", "user", user.id, space_id)
    return user, password


def list_users(session: Session, space_id: int) -> list[User]:
    return [u for u in session.scalars(select(User).where(User.space_id == space_id).order_by(User.id))
            if _owned(session, u, space_id)]
