"""Extensions, created unbound at import and bound to an app with ``init_app``.

* :data:`db` - the SQLAlchemy engine of the app and request-scoped sessions: ``db.session`` (writes;
  ``BEGIN IMMEDIATE`` on SQLite) and ``db.reader`` (read-only, deferred).
* :data:`matching` - the process's :class:`~api.engine.MatchEngine` (indexes, learned models).
* :data:`limiter` - per-key rate limits.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

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


db = Database()
matching = Matching()
limiter = Limiter(key_func=rate_key)
