"""A worker still loading its indexes serves a matching request late rather than refusing it.

Each gunicorn worker loads on its own after start-up, so /readyz answered 200 by one worker says nothing of
the next: the CI run of 2026-12-05 got a 503 from `huoban serve`'s second worker right after /readyz."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from api import create_app
from api.engine import MatchEngine
from api.extensions import db, matching
from tests.api.conftest import ApiEnv, build_env


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> ApiEnv:
    tmp = tmp_path_factory.mktemp("ready")
    env = build_env(f"sqlite:///{tmp / 'ready.db'}", tmp / "var")  # builds and saves the indexes
    with env.app.app_context():
        db.engine.dispose()
    return env


def serving_app(env: ApiEnv, monkeypatch: pytest.MonkeyPatch, gate: threading.Event, wait: float) -> Any:
    """A serving app (LOAD_MATCHER on) whose background load is held until ``gate`` is set."""
    real_load = MatchEngine.load

    def held_load(self: MatchEngine, *args: Any, **kwargs: Any) -> dict[str, Any]:
        assert gate.wait(60), "the test never released the load"
        return real_load(self, *args, **kwargs)

    monkeypatch.setattr(MatchEngine, "load", held_load)
    var = str(Path(env.app.config["VAR_DIR"]))
    return create_app({"DATABASE_URL": env.url, "VAR_DIR": var, "ENCODER": "keyword", "LOAD_MATCHER": True,
                       "RATELIMIT_ENABLED": False, "EXPLORATION_SHARE": 0.0, "TESTING": True, "NOTIFY": False,
                       "SQLITE_CHECKPOINT_SECONDS": 0, "READY_WAIT_SECONDS": wait})


def stop(app: Any, gate: threading.Event) -> None:
    gate.set()
    app.extensions["huoban.loader"].join(60)
    with app.app_context():
        db.engine.dispose()


def matches_url(env: ApiEnv) -> str:
    return f"/api/v1/projects/{env.ids['project1']}/matches?kind=mentor&k=3"


def test_a_request_during_loading_waits_for_the_load(built: ApiEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    app = serving_app(built, monkeypatch, gate, wait=30.0)
    try:
        client = app.test_client()
        headers = {"Authorization": f"Bearer {built.keys['founder1']}"}
        assert client.get("/readyz").status_code == 503  # still held
        threading.Timer(0.3, gate.set).start()
        got = client.get(matches_url(built), headers=headers)
        assert got.status_code == 200, got.get_json()
        assert len(got.get_json()["items"]) == 3
        with app.app_context():
            assert matching.engine.ready
        assert client.get("/readyz").status_code == 200
    finally:
        stop(app, gate)


def test_a_load_longer_than_the_wait_is_a_retryable_503(built: ApiEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    app = serving_app(built, monkeypatch, gate, wait=0.2)
    try:
        client = app.test_client()
        got = client.get(matches_url(built), headers={"Authorization": f"Bearer {built.keys['founder1']}"})
        assert got.status_code == 503
        assert got.mimetype == "application/problem+json"
        assert got.get_json()["type"].endswith("/matcher-not-ready")
        assert "still loading" in got.get_json()["detail"]
        assert got.headers["Retry-After"] == "5"
        operator = client.post(f"/api/v1/spaces/{built.ids['space1']}/weights/mentor/preview",
                               json={"weights": {"region": 0.3}, "sample": 2},
                               headers={"Authorization": f"Bearer {built.keys['operator1']}"})
        assert operator.status_code == 503  # the operator tools wait and refuse the same way
        assert operator.get_json()["type"].endswith("/matcher-not-ready")
    finally:
        stop(app, gate)


def test_one_request_per_worker_waits_the_others_are_told_to_retry(built: ApiEnv,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """While one request waits for the load, a second one is refused at once (a worker's other threads stay
    free for /healthz and the like), and the waiting one is served once the load is done."""
    import time

    gate = threading.Event()
    app = serving_app(built, monkeypatch, gate, wait=30.0)
    headers = {"Authorization": f"Bearer {built.keys['founder1']}"}
    first: dict[str, Any] = {}

    def waiting() -> None:
        got = app.test_client().get(matches_url(built), headers=headers)
        first.update(status=got.status_code)

    try:
        waiter = threading.Thread(target=waiting)
        waiter.start()
        deadline = time.monotonic() + 10
        while app.extensions["huoban.load_waiters"]._value and time.monotonic() < deadline:
            time.sleep(0.01)  # until the first request holds the one waiting slot
        assert app.extensions["huoban.load_waiters"]._value == 0
        started = time.monotonic()
        second = app.test_client().get(matches_url(built), headers=headers)
        assert second.status_code == 503 and second.headers["Retry-After"] == "5"
        assert time.monotonic() - started < 5  # at once, not after the 30 s wait
        assert app.test_client().get("/healthz").status_code == 200
        gate.set()
        waiter.join(30)
        assert first == {"status": 200}
    finally:
        stop(app, gate)


def test_a_bare_sqlite_error_is_503_only_when_the_database_is_busy(built: ApiEnv) -> None:
    import sqlite3

    app = create_app({"DATABASE_URL": built.url, "VAR_DIR": built.app.config["VAR_DIR"], "ENCODER": "keyword",
                      "LOAD_MATCHER": False, "RATELIMIT_ENABLED": False, "TESTING": True})

    def locked() -> None:
        raise sqlite3.OperationalError("database is locked (no write slot in this process)")

    def broken() -> None:
        raise sqlite3.OperationalError("no such table: projects")

    app.add_url_rule("/_test/locked", view_func=locked)
    app.add_url_rule("/_test/broken", view_func=broken)
    try:
        client = app.test_client()
        busy = client.get("/_test/locked")
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "2"
        bug = client.get("/_test/broken")
        assert bug.status_code == 500 and "Retry-After" not in bug.headers
        assert "projects" not in bug.get_data(as_text=True)  # nothing of the database's message leaks
    finally:
        with app.app_context():
            db.engine.dispose()


def test_no_loader_is_a_503_that_says_to_index(built: ApiEnv) -> None:
    app = create_app({"DATABASE_URL": built.url, "VAR_DIR": built.app.config["VAR_DIR"], "ENCODER": "keyword",
                      "LOAD_MATCHER": False, "RATELIMIT_ENABLED": False, "TESTING": True, "READY_WAIT_SECONDS": 30})
    try:
        got = app.test_client().get(matches_url(built),
                                    headers={"Authorization": f"Bearer {built.keys['founder1']}"})
        assert got.status_code == 503
        assert "huoban index" in got.get_json()["detail"]
        assert "Retry-After" not in got.headers
    finally:
        with app.app_context():
            db.engine.dispose()


def test_a_write_that_finds_no_write_slot_is_a_retryable_503(built: ApiEnv) -> None:
    """SQLite: the write gate gives up after its timeout with a bare sqlite3 error (raised in SQLAlchemy's
    "begin" hook, so not wrapped): the client gets the same retryable 503 as any busy database, not a 500,
    and nothing of the request is written."""
    from models.db import _GATES

    app = create_app({"DATABASE_URL": built.url, "VAR_DIR": built.app.config["VAR_DIR"], "ENCODER": "keyword",
                      "LOAD_MATCHER": False, "RATELIMIT_ENABLED": False, "TESTING": True})
    url = f"/api/v1/spaces/{built.ids['space1']}/weights/mentor"
    headers = {"Authorization": f"Bearer {built.keys['operator1']}"}
    try:
        with app.app_context():
            gate = _GATES[db.engine]
        client = app.test_client()
        before = client.get(url, headers=headers).get_json()
        gate.timeout_s = 0.2
        assert gate.lock.acquire(timeout=5)  # another thread of this process is writing
        try:
            got = client.put(url, json={"weights": {"region": 0.07}, "comment": "held"}, headers=headers)
        finally:
            gate.lock.release()
        assert got.status_code == 503, got.get_json()
        assert got.headers["Retry-After"] == "2"
        assert "busy" in got.get_json()["detail"]
        assert client.get(url, headers=headers).get_json() == before  # nothing written
        done = client.put(url, json={"weights": {"region": 0.07}, "comment": "free"}, headers=headers)
        assert done.status_code == 200, done.get_json()
    finally:
        with app.app_context():
            db.engine.dispose()
