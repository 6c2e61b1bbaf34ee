"""The buffered impression log: reserved ids, group commit, visibility for feedback across processes."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, select, update

from api import create_app
from api.extensions import db
from api.services.impression_log import ImpressionLog
from models import Impression, Project
from models.db import make_engine
from tests.api.conftest import ApiEnv, flush_impressions


def app_log(env: ApiEnv) -> ImpressionLog:
    from api.services.impression_log import current_log

    with env.app.app_context():
        return current_log()


def rows_for(project_id: int, space_id: int, n: int = 3) -> list[dict[str, Any]]:
    now = dt.datetime.now(dt.UTC)
    rid = str(uuid.uuid4())
    return [{"request_id": rid, "space_id": space_id, "direction": "matches", "project_id": project_id,
             "candidate_kind": "mentor", "candidate_id": 1000 + i, "position": i + 1, "score": 1.0 - i / 10,
             "features": {"sem_need": 0.5}, "propensity": 1.0, "explored": False, "model_version_id": None,
             "weight_set_id": None, "viewer_user_id": None, "created_at": now} for i in range(n)]


@pytest.fixture
def engine(env: ApiEnv):  # type: ignore[no-untyped-def]
    flush_impressions(env)
    eng = make_engine(env.url)
    yield eng
    eng.dispose()


def stored(engine: Any, ids: list[int]) -> dict[int, Any]:
    with engine.connect() as conn:
        return {r.id: r for r in conn.execute(select(Impression.id, Impression.space_id, Impression.project_id)
                                              .where(Impression.id.in_(ids)))}


def test_reserved_ids_never_collide_with_rows_inserted_elsewhere(env: ApiEnv, engine: Any) -> None:
    log = ImpressionLog(engine, interval=60)  # no background write during the test
    pid, sid = env.ids["project1"], env.ids["space1"]
    ids = log.append(rows_for(pid, sid))
    assert ids is not None and len(set(ids)) == 3
    # a row written without an id (the simulator, the log switched off) takes the next id after every
    # reserved block, so the buffered rows still fit where they were promised
    with engine.begin() as conn:
        other = conn.execute(insert(Impression).returning(Impression.id), rows_for(pid, sid, 1)).scalar_one()
    assert other > max(ids) and other >= ids[0] + log.block
    assert stored(engine, ids) == {}  # buffered, not written yet
    assert log.flush() == 3
    assert set(stored(engine, ids)) == set(ids)
    more = log.append(rows_for(pid, sid, 2))
    assert more is not None and more[0] == ids[-1] + 1  # the same block goes on
    assert log.flush() == 2


def test_two_processes_reserve_disjoint_blocks(env: ApiEnv, engine: Any) -> None:
    other_engine = make_engine(env.url)
    try:
        a, b = ImpressionLog(engine, interval=60, block=50), ImpressionLog(other_engine, interval=60, block=50)
        pid, sid = env.ids["project1"], env.ids["space1"]
        got: list[int] = []
        for _ in range(30):  # both run through several blocks
            got += a.append(rows_for(pid, sid, 4)) or []
            got += b.append(rows_for(pid, sid, 3)) or []
        assert len(got) == 30 * 7 == len(set(got))
        assert a.flush() == 120 and b.flush() == 90
        assert set(stored(engine, got)) == set(got)
    finally:
        other_engine.dispose()


def test_the_writer_thread_writes_within_its_interval_and_stops_when_idle(env: ApiEnv, engine: Any) -> None:
    log = ImpressionLog(engine, interval=0.05)
    ids = log.append(rows_for(env.ids["project1"], env.ids["space1"]))
    assert ids is not None
    deadline = time.monotonic() + 5
    # (the rows are visible once committed; the counters and the pending set follow right after: wait for both)
    while (log.is_pending(ids[0]) or len(stored(engine, ids)) < 3) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert set(stored(engine, ids)) == set(ids) and log.batches == 1 and not log.is_pending(ids[0])
    thread = log._thread
    assert thread is not None
    thread.join(timeout=5)  # a second without rows: the thread ends (the next append starts another)
    assert not thread.is_alive() and log._thread is None


def test_a_row_takes_its_projects_space_at_write_time_and_a_deleted_project_drops_only_its_rows(
        env: ApiEnv, engine: Any) -> None:
    log = ImpressionLog(engine, interval=60)
    with engine.begin() as conn:
        template = conn.execute(select(Project.__table__).where(Project.id == env.ids["project1b"])).mappings().one()
        values = {k: v for k, v in template.items() if k not in ("id",)}
        moved = conn.execute(insert(Project).returning(Project.id), {**values, "name": "moved"}).scalar_one()
        doomed = conn.execute(insert(Project).returning(Project.id), {**values, "name": "doomed"}).scalar_one()
    kept = log.append(rows_for(moved, env.ids["space1"]))
    lost = log.append(rows_for(doomed, env.ids["space1"]))
    assert kept is not None and lost is not None
    with engine.begin() as conn:  # both change while the rows wait in the buffer
        conn.execute(update(Project).where(Project.id == moved).values(space_id=env.ids["space2"]))
        conn.execute(delete(Project).where(Project.id == doomed))
    assert log.flush() == 3
    rows = stored(engine, kept + lost)
    assert set(rows) == set(kept) and {r.space_id for r in rows.values()} == {env.ids["space2"]}


def test_make_visible_waits_for_another_process_and_not_for_ids_never_given(env: ApiEnv, engine: Any) -> None:
    other_engine = make_engine(env.url)
    try:
        serving = ImpressionLog(engine, interval=60)
        asking = ImpressionLog(other_engine, interval=0.05, wait_s=5)
        ids = serving.append(rows_for(env.ids["project1"], env.ids["space1"]))
        assert ids is not None
        timer = threading.Timer(0.3, serving.flush)  # the serving worker's batch, a moment later
        timer.start()
        started = time.monotonic()
        assert asking.make_visible(ids[1], exists=asking.exists) is True
        assert 0.25 < time.monotonic() - started < 5
        timer.join()
        assert asking.make_visible(ids[1], exists=asking.exists) is False  # already there: no wait
        with engine.connect() as conn:
            top = conn.execute(select(func.max(Impression.id))).scalar_one()
        started = time.monotonic()
        assert asking.make_visible(top + 10**6, exists=asking.exists) is False
        assert time.monotonic() - started < 1  # beyond every reserved id: answered at once
    finally:
        other_engine.dispose()


@contextlib.contextmanager
def held_log(env: ApiEnv) -> Iterator[ImpressionLog]:
    """The app's log replaced by one that writes only when told to (no writer thread of an earlier test
    can flush in between), put back afterwards."""
    from api.services.impression_log import _APP_KEY

    flush_impressions(env)
    before = app_log(env)
    with env.app.app_context():
        held = ImpressionLog(db.engine, interval=60)
    env.app.extensions[_APP_KEY] = held
    try:
        yield held
    finally:
        held.flush()
        env.app.extensions[_APP_KEY] = before


def test_feedback_to_another_worker_moments_after_the_list_was_served(env: ApiEnv) -> None:
    """Two apps on one database stand for two gunicorn workers: the list is served by one (its impressions
    still buffered), the founder's feedback lands on the other at once and waits for the first's batch."""
    with held_log(env) as serving:
        served = env.call("founder1", "get", f"/api/v1/projects/{env.ids['project1']}/matches?kind=mentor&k=3")
        assert served.status_code == 200
        impression_id = served.json["items"][0]["impression_id"]
        assert serving.is_pending(impression_id)
        other = create_app({**{k: env.app.config[k] for k in ("DATABASE_URL", "VAR_DIR", "ENCODER")},
                            "LOAD_MATCHER": False, "RATELIMIT_ENABLED": False, "TESTING": True,
                            "IMPRESSION_FLUSH_SECONDS": 0.5})  # waits up to 2 s: room for a slow CI machine
        try:
            with other.app_context():
                assert db.reader.scalar(select(Impression.id).where(Impression.id == impression_id)) is None
            timer = threading.Timer(0.1, serving.flush)  # the serving worker's next batch
            timer.start()
            r = other.test_client().post("/api/v1/feedback", headers=env.headers("founder1"), json={
                "event_id": f"cross-{uuid.uuid4().hex}", "type": "viewed", "impression_id": impression_id})
            timer.join()
            assert r.status_code == 201, r.json
            assert r.json["impression_id"] == impression_id
            assert r.json["candidate_id"] == served.json["items"][0]["subject"]["id"]
        finally:
            with other.app_context():
                db.engine.dispose()


def test_feedback_in_the_same_worker_writes_the_buffer_first(env: ApiEnv) -> None:
    with held_log(env) as log:
        served = env.call("founder1", "get", f"/api/v1/projects/{env.ids['project1']}/matches?kind=provider&k=2")
        impression_id = served.json["items"][1]["impression_id"]
        assert log.is_pending(impression_id)
        r = env.call("founder1", "post", "/api/v1/feedback",
                     json={"event_id": f"same-{uuid.uuid4().hex}", "type": "dismissed", "impression_id": impression_id})
        assert r.status_code == 201, r.json
        assert not log.is_pending(impression_id) and log.batches == 1


def test_the_wait_for_another_worker_is_short_and_bounded_in_number(env: ApiEnv, engine: Any) -> None:
    """An id inside some worker's reserved block that never gets written (the block's unused rest) must not
    hold request threads: each wait is bounded, and a request arriving while ``waiters`` others wait (two,
    a worker's request threads) does not wait."""
    holder = ImpressionLog(engine, interval=60)
    ids = holder.append(rows_for(env.ids["project1"], env.ids["space1"], 1))
    assert ids is not None
    never = ids[0] + 5  # reserved by `holder`, never used
    asking = ImpressionLog(engine, interval=0.05)
    assert asking.wait_s == pytest.approx(0.25)
    started = time.monotonic()
    assert asking.make_visible(never, exists=asking.exists) is False
    assert asking.wait_s <= time.monotonic() - started < 5  # waited its bound, then gave up
    looked: list[int] = []

    def exists(impression_id: int) -> bool:
        looked.append(impression_id)
        return asking.exists(impression_id)

    assert asking._waiter.acquire(blocking=False)  # two other requests of this process are waiting
    assert asking._waiter.acquire(blocking=False)
    try:
        assert asking.make_visible(never, exists=exists) is False
    finally:
        asking._waiter.release()
        asking._waiter.release()
    assert looked == [never]  # one look, no polling: it did not wait
    asking.make_visible(never, exists=exists)
    assert len(looked) > 3  # free again: this one polls until its bound
    holder.flush()


def test_a_busy_database_keeps_the_rows_and_a_refused_row_costs_only_itself(env: ApiEnv, engine: Any,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    log = ImpressionLog(engine, interval=60)
    ids = log.append(rows_for(env.ids["project1"], env.ids["space1"], 4))
    assert ids is not None
    real_begin = engine.begin
    calls = {"n": 0}

    def busy_once() -> Any:
        calls["n"] += 1
        if calls["n"] == 1:  # as the write gate raises it after 30 s without the write slot
            raise sqlite3.OperationalError("database is locked (no write slot in this process)")
        return real_begin()

    monkeypatch.setattr(engine, "begin", busy_once)
    with pytest.raises(sqlite3.OperationalError):
        log.flush()
    assert all(log.is_pending(i) for i in ids) and log.dropped == 0  # kept, in order
    # one row of the batch now collides with a row written meanwhile under its id: only that row is refused
    with engine.connect() as conn, conn.begin():
        conn.execute(insert(Impression), [{**rows_for(env.ids["project1"], env.ids["space1"], 1)[0], "id": ids[2]}])
    assert log.flush() == 3
    assert log.dropped == 1 and not any(log.is_pending(i) for i in ids)
    assert set(stored(engine, ids)) == set(ids)  # three from the batch, one from the collision


def test_unknown_impression_is_still_a_404(env: ApiEnv) -> None:
    r = env.call("founder1", "post", "/api/v1/feedback",
                 json={"event_id": f"none-{uuid.uuid4().hex}", "type": "viewed", "impression_id": 2_000_000_000})
    assert r.status_code == 404 and r.headers["Content-Type"].startswith("application/problem+json")


def test_a_batch_and_a_move_of_its_project_never_interleave(env: ApiEnv, engine: Any) -> None:
    """The move runs as profiles.update runs it, in another process's transaction; the batch written
    meanwhile waits for it (PostgreSQL: FOR SHARE on the project row; SQLite: the single writer), so its rows
    land in the new space rather than in the old one after the move has carried the rest along."""
    from sqlalchemy.orm import Session

    from api.services.profiles import _move_project

    log = ImpressionLog(engine, interval=60)
    with engine.begin() as conn:
        template = conn.execute(select(Project.__table__).where(Project.id == env.ids["project1b"])).mappings().one()
        pid = conn.execute(insert(Project).returning(Project.id),
                           {**{k: v for k, v in template.items() if k != "id"}, "name": "mover",
                            "space_id": env.ids["space1"]}).scalar_one()
    ids = log.append(rows_for(pid, env.ids["space1"]))
    assert ids is not None
    mover = make_engine(env.url)
    try:
        with Session(mover) as session:
            row = session.get(Project, pid)
            row.space_id = env.ids["space2"]
            _move_project(session, pid, env.ids["space2"])
            writer = threading.Thread(target=log.flush)
            writer.start()
            writer.join(0.5)
            assert writer.is_alive()  # waiting for the move
            session.commit()
        writer.join(10)
        assert not writer.is_alive()
    finally:
        mover.dispose()
    assert {r.space_id for r in stored(engine, ids).values()} == {env.ids["space2"]}


@pytest.mark.parametrize("error", ["pool_timeout", "unexpected"])
def test_any_failure_of_a_write_keeps_the_batch(env: ApiEnv, engine: Any, monkeypatch: pytest.MonkeyPatch,
                                                error: str) -> None:
    """Not only the errors known to be transient: a pool timeout (SQLAlchemy's own TimeoutError, not a
    DBAPI error) or anything else raised while writing leaves every row of the batch pending, in order, and
    the next flush writes them; none is counted as dropped."""
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    log = ImpressionLog(engine, interval=60)
    ids = log.append(rows_for(env.ids["project1"], env.ids["space1"], 3))
    assert ids is not None
    real_begin = engine.begin
    calls = {"n": 0}

    def fails_once() -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise PoolTimeout("QueuePool limit reached") if error == "pool_timeout" else RuntimeError("boom")
        return real_begin()

    monkeypatch.setattr(engine, "begin", fails_once)
    with pytest.raises((PoolTimeout, RuntimeError)):
        log.flush()
    assert all(log.is_pending(i) for i in ids) and log.dropped == 0
    assert log.flush() == 3
    assert set(stored(engine, ids)) == set(ids) and not any(log.is_pending(i) for i in ids)


def test_a_failure_while_writing_row_by_row_keeps_the_unwritten_rows(env: ApiEnv, engine: Any,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch is refused (a constraint), so the rows are written one by one; a pool timeout on the second
    row (not a refusal of that row) keeps it and the rest pending, none counted as dropped, and the next flush
    writes them: only a row the database refuses is ever dropped."""
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    log = ImpressionLog(engine, interval=60)
    ids = log.append(rows_for(env.ids["project1"], env.ids["space1"], 3))
    assert ids is not None
    real_begin = engine.begin
    calls = {"n": 0}

    def scripted() -> Any:
        calls["n"] += 1
        if calls["n"] == 1:  # the whole batch: refused
            raise IntegrityError("INSERT INTO impressions ...", {}, Exception("a refused row"))
        if calls["n"] == 3:  # the second row on its own: the pool is exhausted
            raise PoolTimeout("QueuePool limit reached")
        return real_begin()

    monkeypatch.setattr(engine, "begin", scripted)
    with pytest.raises(PoolTimeout):
        log.flush()
    assert list(stored(engine, ids)) == [ids[0]]  # the first row went in on its own
    assert not log.is_pending(ids[0]) and log.is_pending(ids[1]) and log.is_pending(ids[2])
    assert log.dropped == 0
    assert log.flush() == 2
    assert set(stored(engine, ids)) == set(ids) and log.dropped == 0
