"""SQLite write transactions: queued per process, retried across processes, the slot always given back."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from models.db import make_engine, reader


def counter(tmp_path: Path) -> tuple[Engine, Engine]:
    url = f"sqlite:///{tmp_path / 'gate.db'}"
    a, b = make_engine(url), make_engine(url)  # two engines: two gates, as two worker processes have
    with a.begin() as conn:
        conn.execute(text("CREATE TABLE c (n INTEGER NOT NULL)"))
        conn.execute(text("INSERT INTO c VALUES (0)"))
    return a, b


def bump(engine: Engine, times: int, errors: list[BaseException]) -> None:
    try:
        for _ in range(times):
            with engine.begin() as conn:  # read-then-write: lost updates would show if writers interleaved
                n = conn.execute(text("SELECT n FROM c")).scalar_one()
                conn.execute(text("UPDATE c SET n = :n"), {"n": n + 1})
    except BaseException as exc:  # noqa: BLE001 - reported by the test
        errors.append(exc)


def test_concurrent_writers_in_and_across_processes_lose_nothing(tmp_path: Path) -> None:
    a, b = counter(tmp_path)
    errors: list[BaseException] = []
    threads = [threading.Thread(target=bump, args=(engine, 40, errors)) for engine in (a, a, a, b, b, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    with reader(a).connect() as conn:
        assert conn.execute(text("SELECT n FROM c")).scalar_one() == 240


def test_the_slot_is_given_back_after_rollback_and_close(tmp_path: Path) -> None:
    a, _ = counter(tmp_path)
    with pytest.raises(RuntimeError), a.begin() as conn:
        conn.execute(text("UPDATE c SET n = 5"))
        raise RuntimeError("boom")
    session = Session(a)
    session.execute(text("UPDATE c SET n = 6"))
    session.close()  # neither committed nor rolled back explicitly
    conn = a.connect()
    conn.execute(text("UPDATE c SET n = 7"))
    conn.close()
    # another thread can write at once (it would wait 30 s if any of the above had kept the slot)
    done = threading.Event()

    def write() -> None:
        with a.begin() as c:
            c.execute(text("UPDATE c SET n = 8"))
        done.set()

    started = time.monotonic()
    threading.Thread(target=write).start()
    assert done.wait(timeout=5)
    assert time.monotonic() - started < 5
    with a.connect() as c:
        assert c.execute(text("SELECT n FROM c")).scalar_one() == 8


def test_readers_do_not_wait_for_a_writer(tmp_path: Path) -> None:
    a, _ = counter(tmp_path)
    with a.begin() as writer:
        writer.execute(text("UPDATE c SET n = 1"))
        with reader(a).connect() as r:  # WAL: the reader sees the last committed state, without waiting
            assert r.execute(text("SELECT n FROM c")).scalar_one() == 0


def test_wal_checkpoints_move_to_the_background_thread(tmp_path: Path) -> None:
    from models.db import WalCheckpointer

    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    checkpointer = WalCheckpointer(engine, interval=0.05)
    assert checkpointer.start()
    try:
        with engine.begin() as conn:
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one() == 0  # no checkpoint on commit
            conn.execute(text("CREATE TABLE t (x TEXT)"))
        for i in range(50):  # ~1,800 pages of log: past SQLite's own threshold of 1,000
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO t VALUES (:x)"), [{"x": f"{i}-{j}" * 800} for j in range(40)])
        deadline = time.monotonic() + 10
        while checkpointer.runs < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert checkpointer.runs >= 3
        busy, logged, done = checkpointer.checkpoint()
        assert busy == 0 and done == logged  # everything in the log made it into the database file
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM t")).scalar_one() == 2000
        wal = tmp_path / "wal.db-wal"
        with engine.begin() as conn:  # something in the log again
            conn.execute(text("INSERT INTO t VALUES ('x')"))
        assert wal.stat().st_size > 0
        checkpointer.truncate()  # a large, fully copied log is reset to nothing when no snapshot holds it
        assert wal.stat().st_size == 0
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM t")).scalar_one() == 2001
    finally:
        checkpointer.stop()
        engine.dispose()


def test_checkpointer_leaves_memory_databases_alone() -> None:
    from models.db import WalCheckpointer

    assert not WalCheckpointer(make_engine("sqlite://"), interval=1.0).start()


def test_a_new_sqlite_database_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    """It holds contacts and password hashes; SQLite gives its -wal and -shm files the same permissions."""
    import stat

    from models.db import make_engine, upgrade

    url = f"sqlite:///{tmp_path / 'var' / 'huoban.db'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        files = [p for p in (tmp_path / "var").iterdir() if p.name.startswith("huoban.db")]
        assert any(p.name.endswith("-wal") for p in files)
        for p in files:
            assert stat.S_IMODE(p.stat().st_mode) & 0o077 == 0, (p.name, oct(p.stat().st_mode))
    finally:
        engine.dispose()


def test_a_silent_postgresql_server_fails_the_connection_in_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that accepts TCP and never answers (a hung host behind a load balancer) must not hold a worker
    for the operating system's TCP timeout: the attempt fails with an error the API turns into a 503."""
    import socket

    from sqlalchemy.exc import OperationalError

    import models.db as mdb

    monkeypatch.setattr(mdb, "PG_CONNECT_TIMEOUT", 1)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # the kernel accepts; nobody ever speaks
    port = listener.getsockname()[1]
    outcome: list[BaseException | None] = []

    def connect() -> None:
        engine = make_engine(f"postgresql://postgres@127.0.0.1:{port}/test")
        try:
            with engine.connect():
                outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - recorded for the assertion
            outcome.append(exc)
        finally:
            engine.dispose()

    worker = threading.Thread(target=connect, daemon=True)
    worker.start()
    worker.join(timeout=30)
    listener.close()
    assert not worker.is_alive(), "the connection attempt to a silent server did not give up"
    assert len(outcome) == 1 and isinstance(outcome[0], OperationalError), outcome
