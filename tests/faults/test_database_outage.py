"""Faults of the real PostgreSQL server: connections cut under load give clear 503s, never a 500, lose no
acknowledged write, and the service recovers by itself."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import FeedbackEvent
from tests.api.conftest import ApiEnv, _dispose, build_env
from tests.conftest import PG_URL, PgSchema, require_pg


@pytest.fixture(scope="module")
def pg_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiEnv]:
    require_pg()
    schema = PgSchema()
    schema.create()
    try:
        # the service's connections carry their own application name: only they are cut, nobody else's
        env = build_env(f"{schema.url}&application_name={APP_NAME}", Path(tmp_path_factory.mktemp("faults")))
        try:
            yield env
        finally:
            _dispose(env)
    finally:
        schema.drop()


APP_NAME = f"hbfault{uuid.uuid4().hex[:8]}"


def _cut_connections(stop: threading.Event, cuts: list[int]) -> None:
    """Terminate every connection of the service under test, again and again, until ``stop``."""
    import psycopg

    with psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        while not stop.is_set():
            killed = conn.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                  "WHERE application_name = %s", (APP_NAME,)).fetchone()
            cuts.append(int(killed[0]) if killed else 0)
            time.sleep(0.02)


@pytest.mark.pg
def test_connections_cut_under_load_give_503s_then_recover(pg_env: ApiEnv) -> None:
    env = pg_env
    pid = env.ids["project1"]
    c = env.client()
    items = env.call("founder1", "get", f"/api/v1/projects/{pid}/matches?kind=mentor&k=5").json["items"]
    impression = items[0]["impression_id"]
    stop = threading.Event()
    cuts: list[int] = []
    killer = threading.Thread(target=_cut_connections, args=(stop, cuts), daemon=True)
    codes: list[int] = []
    acknowledged: list[str] = []
    killer.start()
    try:
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline:
            r = c.get(f"/api/v1/projects/{pid}/matches?kind=mentor&k=5&nocache={uuid.uuid4().hex[:6]}",
                      headers=env.headers("founder1"))
            codes.append(r.status_code)
            event_id = f"fault-{uuid.uuid4().hex[:16]}"
            w = c.post("/api/v1/feedback", json={"event_id": event_id, "type": "viewed", "impression_id": impression},
                       headers=env.headers("founder1"))
            codes.append(w.status_code)
            if w.status_code == 201:
                acknowledged.append(event_id)
            if w.status_code == 503:
                assert w.content_type == "application/problem+json" and w.headers.get("Retry-After")
    finally:
        stop.set()
        killer.join(timeout=10)
    print({code: codes.count(code) for code in set(codes)}, "connections cut:", sum(cuts))
    assert sum(cuts) > 0, "nothing was cut: the test tested nothing"
    assert set(codes) <= {200, 201, 503}, sorted(set(codes))
    # recovery without a restart
    after = [c.get(f"/api/v1/projects/{pid}/matches?kind=mentor&k=5", headers=env.headers("founder1")).status_code
             for _ in range(5)]
    assert after[-3:] == [200, 200, 200], after
    with env.app.app_context():
        from api.extensions import db

        stored = db.reader.scalar(select(func.count()).select_from(FeedbackEvent)
                                  .where(FeedbackEvent.event_id.in_(acknowledged))) if acknowledged else 0
        db.reader.rollback()
    assert stored == len(acknowledged)
