"""Users and API keys: creation rules shared by the CLI, the API and the demo set-up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.security import generate_api_key, hash_secret
from models import PROFILE_KINDS, PROFILE_MODELS, ROLES, ApiKey, ConsoleSession, Space, User

# Which profile kind each role links to (None: no profile).
ROLE_PROFILE = {"admin": None, "operator": None, "founder": "project", "mentor": "mentor",
                "investor": "investor", "provider": "provider"}


class AccountError(ValueError):
    pass


@dataclass(frozen=True)
class ProfileRef:
    kind: str
    id: int

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"


def parse_profile(value: str) -> ProfileRef:
    kind, sep, raw_id = value.partition(":")
    if not sep or kind not in PROFILE_KINDS:
        raise AccountError(f"expected KIND:ID with KIND one of {', '.join(PROFILE_KINDS)}, got {value!r}")
    try:
        pid = int(raw_id)
    except ValueError:
        raise AccountError(f"profile id must be an integer, got {raw_id!r}") from None
    if pid <= 0:
        raise AccountError("profile id must be positive")
    return ProfileRef(kind, pid)


def resolve_user(
    session: Session,
    *,
    role: str,
    space_id: int | None = None,
    profile: ProfileRef | None = None,
    name: str = "",
    email: str | None = None,
) -> User:
    """Validate the role/space/profile combination; return the matching user, creating it if needed."""
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; valid roles: {', '.join(ROLES)}")
    wanted_kind = ROLE_PROFILE[role]
    if wanted_kind is None and profile is not None:
        raise AccountError(f"role {role} takes no --profile")
    if wanted_kind is not None:
        if profile is None:
            raise AccountError(f"role {role} needs --profile {wanted_kind}:ID")
        if profile.kind != wanted_kind:
            raise AccountError(f"role {role} links to a {wanted_kind} profile, not a {profile.kind}")
        row = session.get(PROFILE_MODELS[profile.kind], profile.id)
        if row is None:
            raise AccountError(f"no {profile.kind} with id {profile.id}")
        profile_space = row.space_id
        if space_id is not None and profile_space is not None and space_id != profile_space:
            raise AccountError(f"{profile} belongs to space {profile_space}, not {space_id}")
        if space_id is None:
            space_id = profile_space
    if role == "operator" and space_id is None:
        raise AccountError("role operator needs --space SPACE_ID")
    if role == "admin" and space_id is not None:
        raise AccountError("role admin is network-wide and takes no --space")
    if space_id is not None and session.get(Space, space_id) is None:
        raise AccountError(f"no space with id {space_id}")

    query = select(User).where(
        User.role == role,
        User.space_id.is_(None) if space_id is None else User.space_id == space_id,
        User.profile_kind.is_(None) if profile is None else User.profile_kind == profile.kind,
        User.profile_id.is_(None) if profile is None else User.profile_id == profile.id,
    )
    if email is not None:
        query = query.where(User.email == email)
    user = session.scalars(query.order_by(User.id).limit(1)).first()
    if user is None:
        user = User(role=role, space_id=space_id, profile_kind=profile.kind if profile else None,
                    profile_id=profile.id if profile else None, name=name, email=email)
        session.add(user)
        session.flush()
    return user


def create_api_key(
    session: Session,
    *,
    role: str,
    space_id: int | None = None,
    profile: ProfileRef | None = None,
    name: str = "",
    expires_at: dt.datetime | None = None,
) -> str:
    """Create a key for the (possibly new) user of this role/space/profile; return the plaintext key."""
    user = resolve_user(session, role=role, space_id=space_id, profile=profile, name=name)
    return _new_key(session, user.id, name, expires_at)


def new_user_key(session: Session, user: User, name: str = "", expires_at: dt.datetime | None = None) -> str:
    """A key for this very user (the plaintext key, shown once)."""
    return _new_key(session, user.id, name, expires_at)


def _new_key(session: Session, user_id: int, name: str, expires_at: dt.datetime | None) -> str:
    if expires_at is not None and expires_at <= dt.datetime.now(dt.UTC):
        raise AccountError("a key's expiry must lie in the future")
    new = generate_api_key()
    session.add(ApiKey(user_id=user_id, prefix=new.prefix, key_hash=new.hash, name=name, expires_at=expires_at))
    session.flush()
    return new.key


_MAX_ID = 2**31 - 1  # primary keys are INTEGER columns: a larger number is no id (PostgreSQL refuses to compare it)


def _as_id(ref: str) -> int | None:
    """``ref`` as a row id, or None when it cannot be one."""
    return int(ref) if ref.isascii() and ref.isdigit() and int(ref) <= _MAX_ID else None


def find_key(session: Session, ref: str) -> ApiKey:
    """A key by its public prefix (``hb_<prefix>_...`` or the prefix alone) or its id. The prefix is looked up
    first: it is 12 hex characters, all of them digits for about one key in 280 (``587776591741``), and such a
    prefix must still name its key rather than be read as an id."""
    ref = ref.strip()
    prefix = ref.split("_")[1] if ref.startswith("hb_") and ref.count("_") >= 2 else ref
    row = session.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).first()
    if row is None and (key_id := _as_id(ref)) is not None:
        row = session.get(ApiKey, key_id)
    if row is None:
        raise AccountError(f"no API key {ref!r} (give its id or its prefix; `huoban key list` shows both)")
    return row


def revoke_key(session: Session, key: ApiKey) -> bool:
    """Revoke a key at once (every worker checks revocation on each request); False if it already was."""
    if key.revoked_at is not None:
        return False
    key.revoked_at = dt.datetime.now(dt.UTC)
    return True


def rotate_key(session: Session, key: ApiKey, expires_at: dt.datetime | None = None) -> str:
    """A new key for the same user and label; the old one is revoked in the same transaction."""
    if key.revoked_at is not None:
        raise AccountError(f"key {key.id} is revoked; create a new one instead")
    new = _new_key(session, key.user_id, key.name, expires_at)
    revoke_key(session, key)
    return new


def find_user(session: Session, ref: str) -> User:
    ref = ref.strip()
    user_id = _as_id(ref)
    user = session.get(User, user_id) if user_id is not None else \
        session.scalars(select(User).where(User.email == ref.lower())).first()
    if user is None:
        raise AccountError(f"no user {ref!r} (give an id or an email)")
    return user


def set_active(session: Session, user: User, active: bool) -> None:
    """Deactivate (or reactivate) a user: their keys and console sessions stop working on the next request;
    deactivating also ends their console sessions."""
    user.active = active
    if not active:
        session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id))


def set_password(user: User, password: str) -> None:
    if len(password) < 8:
        raise AccountError("passwords need at least 8 characters")
    user.password_hash = hash_secret(password)
