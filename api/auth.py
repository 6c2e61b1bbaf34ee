"""Who is calling: API keys (``Authorization: Bearer hb_<prefix>_<secret>``) resolve to a :class:`Principal`.

Keys are stored as SHA-256 hashes of their 256-bit secret (legacy scrypt hashes are replaced on first use);
a verified key is remembered per process for a few minutes (:class:`~api.security.KeyCache`). The console signs users
in with a password instead and builds the same :class:`Principal`, so one authorisation layer
(:mod:`api.authz`) serves both.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

from apiflask import HTTPTokenAuth
from flask import current_app, g, request
from sqlalchemy import bindparam, select

from api.extensions import db
from api.security import KeyCache, hash_api_key, key_prefix, verify_api_key
from models import ApiKey, User


@dataclass(frozen=True)
class Principal:
    user_id: int
    role: str
    space_id: int | None
    profile_kind: str | None
    profile_id: int | None
    name: str = ""
    key_id: int | None = None

    @classmethod
    def from_user(cls, user: User, key_id: int | None = None) -> Principal:
        return cls(user_id=user.id, role=user.role, space_id=user.space_id, profile_kind=user.profile_kind,
                   profile_id=user.profile_id, name=user.name, key_id=key_id)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def owns(self, kind: str, id_: int) -> bool:
        return self.profile_kind == kind and self.profile_id == id_


auth = HTTPTokenAuth(scheme="Bearer", description="An API key created with `huoban key create`.")

_CACHE_KEY = "huoban.keycache"


def _cache() -> KeyCache:
    cache = current_app.extensions.get(_CACHE_KEY)
    if cache is None:
        cache = current_app.extensions[_CACHE_KEY] = KeyCache()
    return cache  # type: ignore[no-any-return]


_DUMMY_HASH = hash_api_key("hb_000000000000_not-a-real-key")


class _LegacyFailures:
    """Wrong secrets per legacy key and client address (a legacy key is stored with the slow scrypt hash of older
    releases, and re-stored as SHA-256 on its first good use). Junk guessed at a known legacy prefix would cost
    ~42 ms of scrypt each; after ``limit`` wrong ones within ``window`` seconds from one address, that address's
    tries at that key are refused without hashing until the window ends (per process). The owner, from another
    address, is not affected; its first good use ends the matter. Many addresses are bounded by the per-address
    rate limits."""

    def __init__(self, limit: int = 5, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[tuple[int, str], tuple[float, int]] = {}
        self._lock = threading.Lock()

    def _live(self, key: tuple[int, str], now: float) -> tuple[float, int]:
        start, count = self._seen.get(key, (now, 0))
        return (now, 0) if now - start >= self.window else (start, count)

    def blocked(self, key: tuple[int, str]) -> bool:
        with self._lock:
            return self._live(key, time.monotonic())[1] >= self.limit

    def failed(self, key: tuple[int, str]) -> None:
        with self._lock:
            now = time.monotonic()
            start, count = self._live(key, now)
            if len(self._seen) > 10_000:  # bounded: forget the stale ones
                self._seen = {k: v for k, v in self._seen.items() if now - v[0] < self.window}
            self._seen[key] = (start, count + 1)


_legacy_failures = _LegacyFailures()

# built once (every request runs it): the key's state and its user's, as plain columns
_KEY_BY_PREFIX = (select(ApiKey.id, ApiKey.key_hash, ApiKey.revoked_at, ApiKey.expires_at,
                         User.id.label("user_id"), User.active,
                         User.role, User.space_id, User.profile_kind, User.profile_id, User.name)
                  .join(User, ApiKey.user_id == User.id).where(ApiKey.prefix == bindparam("prefix")))


def principal_for_key(token: str) -> Principal | None:
    prefix = key_prefix(token)
    if prefix is None:
        verify_api_key(token, _DUMMY_HASH)  # the same cost as a real check: no timing hint
        return None
    # the request's read session: a read request (GET) goes on reading in the same transaction; any other
    # ends it at once, so that no snapshot stays open while its handler writes (an open snapshot holds WAL
    # checkpoints back)
    reader = db.reader
    found = reader.connection().execute(_KEY_BY_PREFIX, {"prefix": prefix}).first()
    if request.method not in ("GET", "HEAD"):
        reader.commit()
    if found is None or found.revoked_at is not None or not found.active or (
            found.expires_at is not None and found.expires_at <= dt.datetime.now(dt.UTC)):
        if _cache().get(token) is None:
            verify_api_key(token, _DUMMY_HASH)
        return None
    key_id, key_hash = found.id, found.key_hash
    cache = _cache()
    if cache.get(token) != key_id:
        legacy = not key_hash.startswith("sha256$")
        # per key and client address: guesses from one address cannot lock the owner out from another
        guess = (key_id, request.remote_addr or "")
        if legacy and _legacy_failures.blocked(guess):
            return None  # a slow legacy hash guessed at too often from here: no more scrypt runs for a while
        if not verify_api_key(token, key_hash):
            if legacy:
                _legacy_failures.failed(guess)
            return None
        cache.put(token, key_id)
        # recorded on a cache miss only, so a busy key costs one write per cache lifetime
        with db.factory() as writer, writer.begin():
            key = writer.get(ApiKey, key_id)
            if key is not None:
                key.last_used_at = dt.datetime.now(dt.UTC)
                if not key.key_hash.startswith("sha256$"):  # a legacy scrypt hash, checked once more
                    key.key_hash = hash_api_key(token)
    return Principal(user_id=found.user_id, role=found.role, space_id=found.space_id,
                     profile_kind=found.profile_kind, profile_id=found.profile_id, name=found.name, key_id=key_id)


@auth.verify_token
def _verify(token: str) -> Principal | None:
    principal = principal_for_key(token)
    if principal is not None:
        g.principal = principal
    return principal


def current_principal() -> Principal:
    principal = g.get("principal")
    if principal is None:  # pragma: no cover - views always run behind auth
        from api.problems import problem

        problem(401, "a valid API key is required: send Authorization: Bearer <key>")
    return principal  # type: ignore[no-any-return]


def forget_key(key_id: int) -> None:
    _cache().forget_id(key_id)


def verified_key_id(token: str) -> int | None:
    """The key id if this exact token was verified recently in this process (no database, no hashing)."""
    return _cache().get(token)
