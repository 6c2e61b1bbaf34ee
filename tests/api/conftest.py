"""An API over a small seeded ecosystem, on SQLite and on PostgreSQL, with one API key per role.

Module-scoped (seeding, indexing and scrypt-hashing keys once per module and backend); tests that write
clean up after themselves or use objects of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from api.accounts import ProfileRef, create_api_key
from models import Investor, Mentor, Project, Provider
from models.db import make_engine, make_session_factory, session_scope, upgrade
from seed_data import SeedPlan
from seed_data.loader import seed
from tests.conftest import PgSchema, require_pg


@dataclass
class ApiEnv:
    app: Any
    url: str
    keys: dict[str, str]
    ids: dict[str, int]
    extra: dict[str, Any] = field(default_factory=dict)

    def client(self) -> Any:
        return self.app.test_client()

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[who]}"} if who != "anon" else {}

    def call(self, who: str, method: str, path: str, **kw: Any) -> Any:
        return getattr(self.client(), method)(path, headers={**self.headers(who), **kw.pop("headers", {})}, **kw)


def build_env(url: str, var: Path, **config: Any) -> ApiEnv:
    from api import create_app
    from api.extensions import db, matching

    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        seed(session, SeedPlan(seed=3, spaces=20, projects=160, mentors=60, investors=40, providers=40))
    ids: dict[str, int] = {}
    with factory() as session:
        counts: dict[int, int] = {}
        for sid in session.scalars(select(Project.space_id)):
            counts[sid] = counts.get(sid, 0) + 1
        space1, space2 = sorted(counts, key=lambda s: (-counts[s], s))[:2]
        ids["space1"], ids["space2"] = space1, space2
        p1 = session.scalars(select(Project).where(Project.space_id == space1).order_by(Project.id)).all()
        p2 = session.scalars(select(Project).where(Project.space_id == space2).order_by(Project.id)).all()
        ids["project1"] = p1[0].id
        ids["project1b"] = p1[1].id
        ids["project2"] = p2[0].id
        curated = [p for p in session.scalars(select(Project).order_by(Project.id)) if p.dealflow_curated]
        ids["curated"] = curated[0].id
        ids["uncurated"] = session.scalars(select(Project.id).where(Project.dealflow_curated.is_(False))
                                           .order_by(Project.id)).first()
        ids["mentor"] = session.scalars(select(Mentor.id).where(Mentor.space_id.is_(None), Mentor.active.is_(True))
                                        .order_by(Mentor.id)).first()
        ids["mentor_private2"] = session.scalars(select(Mentor.id).where(Mentor.space_id == space2)
                                                 .order_by(Mentor.id)).first() or 0
        ids["investor"] = session.scalars(select(Investor.id).where(Investor.space_id.is_(None))
                                          .order_by(Investor.id)).first()
        ids["provider"] = session.scalars(select(Provider.id).where(Provider.space_id.is_(None))
                                          .order_by(Provider.id)).first()
    keys: dict[str, str] = {}
    with session_scope(factory) as session:
        keys["admin"] = create_api_key(session, role="admin")
        keys["operator1"] = create_api_key(session, role="operator", space_id=ids["space1"])
        keys["operator2"] = create_api_key(session, role="operator", space_id=ids["space2"])
        keys["founder1"] = create_api_key(session, role="founder", profile=ProfileRef("project", ids["project1"]))
        keys["founder2"] = create_api_key(session, role="founder", profile=ProfileRef("project", ids["project2"]))
        keys["mentor"] = create_api_key(session, role="mentor", profile=ProfileRef("mentor", ids["mentor"]))
        keys["investor"] = create_api_key(session, role="investor", profile=ProfileRef("investor", ids["investor"]))
        keys["provider"] = create_api_key(session, role="provider", profile=ProfileRef("provider", ids["provider"]))
    engine.dispose()
    settings = {"DATABASE_URL": url, "VAR_DIR": str(var), "ENCODER": "keyword", "LOAD_MATCHER": False,
                "RATELIMIT_ENABLED": False, "EXPLORATION_SHARE": 0.0, "TESTING": True, **config}
    app = create_app(settings)
    with app.app_context():
        matching.engine.build(db.factory)
    return ApiEnv(app=app, url=url, keys=keys, ids=ids)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def env(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiEnv]:
    tmp = tmp_path_factory.mktemp("api")
    if request.param == "sqlite":
        built = build_env(f"sqlite:///{tmp / 'api.db'}", tmp / "var")
        yield built
        _dispose(built)
        return
    require_pg()
    schema = PgSchema()
    schema.create()
    try:
        built = build_env(schema.url, tmp / "var")
        yield built
        _dispose(built)
    finally:
        schema.drop()


def console_operator(env: ApiEnv, space_id: int, email: str) -> Any:
    """A test client signed in to the console as an operator of ``space_id`` (a new user per email)."""
    import re

    from api.accounts import resolve_user, set_password

    with env.app.app_context():
        from api.extensions import db

        user = resolve_user(db.session, role="operator", space_id=space_id, email=email)
        set_password(user, "correct horse battery")
        db.session.commit()
    client = env.client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/console/login").get_data(as_text=True))
    assert token is not None
    assert client.post("/console/login", data={"email": email, "password": "correct horse battery",
                                               "csrf_token": token.group(1)}).status_code == 302
    return client


def flush_impressions(env: ApiEnv) -> int:
    """Write the impressions this process still buffers (served lists are logged within
    ``IMPRESSION_FLUSH_SECONDS``; a test that reads the log at once flushes first)."""
    from api.services.impression_log import current_log

    with env.app.app_context():
        return current_log().flush()


def _dispose(env: ApiEnv) -> None:
    from api.extensions import db

    flush_impressions(env)
    with env.app.app_context():
        db.engine.dispose()
