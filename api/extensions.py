"""Extensions, created unbound at import and bound to an app with ``init_app``.

* :data:`db` - the SQLAlchemy engine of the app and request-scoped sessions: ``db.session`` (writes;
  ``BEGIN IMMEDIATE`` on SQLite) and ``db.reader`` (read-only, deferred).
* :data:`matching` - the process's :class:`~api.engine.MatchEngine` (indexes, learned models).
* :data:`limiter` - per-key rate limits (:class:`RateLimiter`: a Redis outage degrades to per-process limits).
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.config import database_url
from api.engine import EngineSettings, MatchEngine
from matcher.config import DEFAULT_ENCODER
from models.db import make_engine, make_session_factory, reader

log = logging.getLogger("huoban.api")


class Database:
    KEY = "huoban.db"

    def init_app(self, app: Flask) -> None:
        engine = make_engine(database_url(app.config), pool_size=int(app.config.get("DB_POOL_SIZE", 10)),
                             max_overflow=int(app.config.get("DB_MAX_OVERFLOW", 20)),
                             pool_timeout=float(app.config.get("DB_POOL_TIMEOUT", 30)))
        app.extensions[self.KEY] = {
            "engine": engine,
            "writer": make_session_factory(engine),
            "reader": make_session_factory(reader(engine)),
        }
        app.teardown_appcontext(self._teardown)

    @staticmethod
    def _state() -> dict[str, Any]:
        return current_app.extensions[Database.KEY]  # type: ignore[no-any-return]

    @property
    def engine(self) -> Engine:
        return self._state()["engine"]  # type: ignore[no-any-return]

    @property
    def factory(self) -> sessionmaker[Session]:
        return self._state()["writer"]  # type: ignore[no-any-return]

    @property
    def read_factory(self) -> sessionmaker[Session]:
        return self._state()["reader"]  # type: ignore[no-any-return]

    @property
    def session(self) -> Session:
        """The request's writing session (commit explicitly)."""
        if "db_session" not in g:
            g.db_session = self._state()["writer"]()
        return g.db_session  # type: ignore[no-any-return]

    @property
    def reader(self) -> Session:
        """The request's read-only session."""
        if "db_reader" not in g:
            g.db_reader = self._state()["reader"]()
        return g.db_reader  # type: ignore[no-any-return]

    @staticmethod
    def _teardown(_exc: BaseException | None) -> None:
        for name in ("db_session", "db_reader"):
            session = g.pop(name, None)
            if session is not None:
                try:
                    session.close()
                except Exception:  # noqa: BLE001 - the connection died under it (cut, restarted): drop it
                    log.warning("closing a database session failed; its connection is discarded")
                    with contextlib.suppress(Exception):
                        session.invalidate()


class Matching:
    KEY = "huoban.matching"

    def init_app(self, app: Flask) -> None:
        settings = EngineSettings(var_dir=__import__("pathlib").Path(app.config["VAR_DIR"]),
                                  encoder=app.config.get("ENCODER") or DEFAULT_ENCODER)
        app.extensions[self.KEY] = MatchEngine(settings)

    @property
    def engine(self) -> MatchEngine:
        return current_app.extensions[self.KEY]  # type: ignore[no-any-return]


def rate_key() -> str:
    """Rate-limit bucket: the API key when this exact key was verified recently, else the client address
    (so guesses with someone's key prefix spend the guesser's budget, not the key owner's)."""
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        from api.auth import verified_key_id

        key_id = verified_key_id(auth[7:].strip())
        if key_id is not None:
            return f"key:{key_id}"
    return f"ip:{get_remote_address()}"


# the storage schemes served by limits' RedisStorage (redis-py's from_url), which take socket timeouts
_REDIS_SCHEMES = ("redis", "rediss", "redis+unix")


class RateLimiter(Limiter):
    """flask-limiter's limiter, kept serving when its storage (Redis) fails.

    With ``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED`` (the default, :class:`api.config.Config`) a storage error
    switches every limit, the sign-in throttles included, to counters in this process's memory: the same
    limits, counted per process rather than across workers. flask-limiter tries the storage again with a
    backoff of 1 to 32 seconds and counts there again as soon as it answers. Both switches are logged as
    warnings on ``huoban.api`` (flask-limiter's own logger has only a NullHandler: its messages are lost).
    A Redis connection gets ``RATELIMIT_STORAGE_TIMEOUT`` seconds to connect and to answer, so a hung or
    unroutable server counts as down within that time instead of holding the request for the TCP timeout."""

    _where = "(memory)"
    _dead = False

    def init_app(self, app: Flask) -> None:
        parts = urlsplit(str(app.config.get("RATELIMIT_STORAGE_URI") or "memory://"))
        self._where = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"  # never the password
        if parts.scheme in _REDIS_SCHEMES:
            timeout = float(app.config.get("RATELIMIT_STORAGE_TIMEOUT", 1.0))
            app.config["RATELIMIT_STORAGE_OPTIONS"] = {
                "socket_connect_timeout": timeout, "socket_timeout": timeout,
                **(app.config.get("RATELIMIT_STORAGE_OPTIONS") or {})}
        super().init_app(app)

    # flask-limiter flips this flag when the storage fails and when it answers again (its own logger reports
    # that to no handler): the property makes each switch a warning in Huoban's log
    @property
    def _storage_dead(self) -> bool:
        return self._dead

    @_storage_dead.setter
    def _storage_dead(self, dead: bool) -> None:
        if dead and not self._dead:
            log.warning("rate-limit storage %s unreachable: limits are counted in this process's memory (per "
                        "worker, not shared) until it answers again", self._where)
        elif self._dead and not dead:
            log.warning("rate-limit storage %s is back: limits are counted there again", self._where)
        self._dead = dead


db = Database()
matching = Matching()
limiter = RateLimiter(key_func=rate_key)
