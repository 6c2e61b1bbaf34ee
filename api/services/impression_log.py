"""The impression log's writer: served lists are answered at once and their impressions written in batches.

Every served list logs one row per shown candidate (2,400 rows a second at 240 lists a second). Written in the
request, each list cost a write transaction of its own: on SQLite a wait for the single write lock (held by
the other worker, by a feedback write, or by a WAL checkpoint that waits for readers) and ~25 WAL pages per
list. Here a request only appends its rows to this process's buffer and a background thread writes the
buffer in one transaction every ``interval`` seconds (group commit).

The response still carries the impression ids, so ids are handed out before the rows exist: each process
reserves blocks of ids from the database's own counter (SQLite: the table's AUTOINCREMENT counter in
``sqlite_sequence``; PostgreSQL: the column's sequence), so rows inserted elsewhere without an id (the
simulator, imports) never collide with a reserved block.

An impression is *visible* once its batch committed, at most ~``interval`` later. A feedback event or an
introduction that names an impression calls :meth:`ImpressionLog.make_visible` first: an id still buffered in
this process is written at once; an id that another process reserved is waited for (up to ``wait_s``).

What can be lost: the buffer of a process killed without a chance to exit (SIGKILL, a crash) - at most
``interval`` seconds of impressions. A normal exit (gunicorn's graceful stop, SIGTERM) writes it first.
A batch the database refuses as a whole (a constraint, such as a project deleted meanwhile) is written row
by row and only the refused rows are dropped, with an error in the log; while the database is unreachable
the rows stay buffered (up to ``max_pending`` rows, then the oldest are dropped, with an error).
"""

from __future__ import annotations

import atexit
import collections
import logging
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Engine, bindparam, insert, select, text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from models import Impression, Project
from models.db import holds_write_gate, reader

log = logging.getLogger("huoban.impressions")

_TABLE = Impression.__table__
_PROJECTS = Project.__table__
# An impression's space is its project's space *when the row is written*: a project moved to another space
# meanwhile takes its whole history along (profiles.update), including rows that were still buffered. A row
# whose project was deleted meanwhile selects nothing and is not written. On PostgreSQL the project row is
# read FOR SHARE: a batch and a move touching the same project then follow one another (the move updates the
# project row before its history), never interleave (SQLite has one writer at a time anyway).
_COPIED = [c for c in _TABLE.c if c.name != "space_id"]
_INSERT = insert(_TABLE).from_select(
    [c.name for c in _COPIED] + ["space_id"],
    select(*[bindparam(c.name, type_=c.type) for c in _COPIED], _PROJECTS.c.space_id)
    .where(_PROJECTS.c.id == bindparam("project_id", type_=_PROJECTS.c.id.type)).with_for_update(read=True))
_EXISTS = select(_TABLE.c.id).where(_TABLE.c.id == bindparam("id"))  # built once

_LIVE: weakref.WeakSet[ImpressionLog] = weakref.WeakSet()
# the database is away or busy (SQLite's write gate raises sqlite3's own error, unwrapped): keep the rows
_TRANSIENT = (OperationalError, InterfaceError, sqlite3.OperationalError)


class _Unsettled(Exception):
    def __init__(self, rest: list[dict[str, Any]], cause: BaseException) -> None:
        super().__init__(str(cause))
        self.rest = rest
        self.cause = cause


class ImpressionLog:
    """One per app and process. ``interval`` <= 0, or a database without a reservable counter: rows are
    written by the caller's transaction, as before (``buffered`` is False)."""

    def __init__(self, engine: Engine, interval: float = 0.05, *, block: int = 2048, wait_s: float | None = None,
                 max_pending: int = 200_000, waiters: int = 2) -> None:
        self.engine = engine
        self.interval = interval
        self.block = block
        # long enough for another worker's next batch (it writes every `interval`), short enough that ids
        # which will never appear (the unused rest of a block, a deleted project's rows) cost little
        self.wait_s = wait_s if wait_s is not None else max(0.25, 4 * interval)
        self.max_pending = max_pending
        self.backend = engine.url.get_backend_name()
        self.buffered = interval > 0 and self.backend in ("sqlite", "postgresql")
        self._lock = threading.Lock()  # the buffer, the reserved ids, the thread handle (never held for I/O)
        self._reserve_lock = threading.Lock()  # one reservation at a time
        self._write_lock = threading.Lock()  # one batch at a time, in order
        # requests of this process that may wait for another process's batch at once: `huoban serve` runs two
        # request threads a worker; with one waiter, ~10 % of feedback posted at once after a list got a 404
        # (tests/faults/test_worker_kill.py: 33 of 388 and 37 of 347 first tries), with two none (0 of 754, 651)
        self._waiter = threading.Semaphore(max(1, waiters))
        self._reset()
        self.written = 0
        self.dropped = 0
        self.batches = 0
        _LIVE.add(self)

    def _reset(self) -> None:
        self._pid = os.getpid()
        self._pending: collections.deque[dict[str, Any]] = collections.deque()
        self._pending_ids: set[int] = set()
        self._ids: collections.deque[int] = collections.deque()
        self._thread: threading.Thread | None = None

    def _check_fork(self) -> None:
        if os.getpid() != self._pid:  # a forked child owns neither the parent's buffer nor its thread
            self._reset()

    # -- ids ------------------------------------------------------------------------------------------------
    def _reserve(self, n: int) -> list[int]:
        """``n`` fresh ids from the database's counter, in one short write transaction."""
        with self.engine.begin() as conn:
            if self.backend == "sqlite":
                seq = conn.execute(text("SELECT seq FROM sqlite_sequence WHERE name = :t"),
                                   {"t": _TABLE.name}).scalar()
                top = conn.execute(text(f"SELECT coalesce(max(id), 0) FROM {_TABLE.name}")).scalar() or 0
                start = max(int(seq or 0), int(top)) + 1
                end = start + n - 1
                if seq is None:
                    conn.execute(text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :s)"),
                                 {"t": _TABLE.name, "s": end})
                else:
                    conn.execute(text("UPDATE sqlite_sequence SET seq = :s WHERE name = :t"),
                                 {"t": _TABLE.name, "s": end})
                return list(range(start, end + 1))
            rows = conn.execute(text(f"SELECT nextval(pg_get_serial_sequence('{_TABLE.name}', 'id')) "
                                     "FROM generate_series(1, :n)"), {"n": n}).scalars().all()
            return sorted(int(r) for r in rows)

    def _high_water(self) -> int:
        """The largest id any process has been given (reserved or written)."""
        with reader(self.engine).connect() as conn:
            if self.backend == "sqlite":
                value = conn.execute(text("SELECT seq FROM sqlite_sequence WHERE name = :t"),
                                     {"t": _TABLE.name}).scalar()
            else:
                sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": _TABLE.name}).scalar()
                value = conn.execute(text(f"SELECT last_value FROM {sequence}")).scalar()
        return int(value or 0)

    # -- the request side -----------------------------------------------------------------------------------
    def append(self, rows: Sequence[dict[str, Any]]) -> list[int] | None:
        """Give each row an id, buffer them, and return the ids (in the rows' order). None when ids ran out
        while this thread holds SQLite's write slot (reserving more would wait for itself): the caller
        writes the rows in its own transaction instead."""
        ids = self._take_ids(len(rows))
        if ids is None:
            return None
        with self._lock:
            for id_, row in zip(ids, rows, strict=True):
                row["id"] = id_
                self._pending.append(row)
                self._pending_ids.add(id_)
            overflow = len(self._pending) - self.max_pending
            if overflow > 0:
                for _ in range(overflow):
                    self._pending_ids.discard(self._pending.popleft()["id"])
                self.dropped += overflow
                log.error("impression buffer full (%d rows): dropped the %d oldest", self.max_pending, overflow)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="huoban-impressions", daemon=True)
                self._thread.start()
        return ids

    def _take_ids(self, n: int) -> list[int] | None:
        with self._lock:
            self._check_fork()
            if len(self._ids) >= n:
                return [self._ids.popleft() for _ in range(n)]
        if holds_write_gate(self.engine):
            return None
        with self._reserve_lock:  # the database write happens outside _lock: serving goes on meanwhile
            with self._lock:
                if len(self._ids) >= n:  # another thread reserved meanwhile
                    return [self._ids.popleft() for _ in range(n)]
            fresh = self._reserve(max(self.block, n))
            with self._lock:
                self._check_fork()
                self._ids.extend(fresh)
                return [self._ids.popleft() for _ in range(n)]

    def is_pending(self, impression_id: int) -> bool:
        with self._lock:
            self._check_fork()
            return impression_id in self._pending_ids

    def make_visible(self, impression_id: int, exists: Callable[[int], bool] | None = None) -> bool:
        """Make sure a committed transaction holds this impression if it was served at all: write it now if it
        waits in this process's buffer; with ``exists``, wait (up to ``wait_s``) for an id that another
        process reserved but has not written yet. True when something was written or waited for.

        The wait happens before anything is authorised (the row is not there to authorise against), so it is
        bounded twice: ``wait_s`` (~4 batch intervals) and ``waiters`` waiting requests per process - one more
        meanwhile does not wait (its caller answers 404 and the client may retry). What the wait reveals is
        whether an id has been handed out, which the ids in any served list already tell."""
        if not self.buffered:
            return False
        if self.is_pending(impression_id):
            self._not_in_a_write()
            self.flush()
            return True
        if exists is None or exists(impression_id):
            return False
        self._not_in_a_write()
        if impression_id > self._high_water():
            return False  # never handed out: the caller answers 404
        if not self._waiter.acquire(blocking=False):
            return False
        try:
            deadline = time.monotonic() + self.wait_s
            while time.monotonic() < deadline:
                time.sleep(min(self.interval, 0.02))
                if exists(impression_id):
                    return True
            return False
        finally:
            self._waiter.release()

    def _not_in_a_write(self) -> None:
        if holds_write_gate(self.engine):
            raise RuntimeError("make_visible() inside a write transaction of this thread: call it before the "
                               "transaction starts (the batch it needs would wait for that transaction)")

    def exists(self, impression_id: int) -> bool:
        with reader(self.engine).connect() as conn:
            return conn.execute(_EXISTS, {"id": impression_id}).first() is not None

    # -- the writer -----------------------------------------------------------------------------------------
    def _run(self) -> None:
        idle = 0.0
        while True:
            time.sleep(self.interval)
            with self._lock:
                if os.getpid() != self._pid:
                    return
                if not self._pending:
                    idle += self.interval
                    if idle >= 1.0:  # nothing served for a second: stop; the next append starts a new thread
                        self._thread = None
                        return
                    continue
            idle = 0.0
            try:
                self.flush()
            except Exception:  # noqa: BLE001 - the rows stay buffered; try again next interval
                log.exception("writing impressions failed; retrying")

    def flush(self) -> int:
        """Write everything buffered now, in one transaction; returns the rows written."""
        with self._write_lock:
            with self._lock:
                self._check_fork()
                batch = list(self._pending)
                self._pending.clear()
            if not batch:
                return 0
            try:
                written = self._write(batch)
            except _Unsettled as exc:
                with self._lock:  # back to the front, in order: nothing is lost while the database is away
                    self._pending.extendleft(reversed(exc.rest))
                    unsettled = {row["id"] for row in exc.rest}
                    for row in batch:
                        if row["id"] not in unsettled:
                            self._pending_ids.discard(row["id"])
                raise exc.cause from None
            with self._lock:
                for row in batch:
                    self._pending_ids.discard(row["id"])
            return written

    def _write(self, batch: list[dict[str, Any]]) -> int:
        """Write a batch: settled rows are written or dropped (refused by the database); on a transient error
        the rows not yet settled are raised back in :class:`_Unsettled`."""
        try:
            with self.engine.begin() as conn:
                # (drivers do not agree on an executemany's row count: count the rows with a project instead)
                alive = set(conn.execute(select(_PROJECTS.c.id).where(
                    _PROJECTS.c.id.in_({row["project_id"] for row in batch}))).scalars())
                conn.execute(_INSERT, batch)
            written = sum(1 for row in batch if row["project_id"] in alive)
            self.batches += 1
            self.written += written
            self.dropped += len(batch) - written  # rows whose project was deleted meanwhile
            return written
        except _TRANSIENT as exc:
            raise _Unsettled(batch, exc) from exc
        except DBAPIError:
            pass  # some row is refused (a constraint, a value): write the others one by one
        except Exception as exc:  # anything else (a pool timeout, a bug): nothing is known written, keep it all
            raise _Unsettled(batch, exc) from exc
        written = 0
        for i, row in enumerate(batch):
            try:
                with self.engine.begin() as conn:
                    conn.execute(_INSERT, [row])
                written += 1
            except _TRANSIENT as exc:
                self.written += written
                raise _Unsettled(batch[i:], exc) from exc
            except DBAPIError as exc:
                self.dropped += 1
                log.error("impression %s (project %s, %s %s) refused and dropped: %s", row["id"],
                          row.get("project_id"), row.get("candidate_kind"), row.get("candidate_id"),
                          getattr(exc, "orig", exc))
            except Exception as exc:  # not a refusal of this row: keep it and the rest
                self.written += written
                raise _Unsettled(batch[i:], exc) from exc
        self.written += written
        self.batches += 1
        return written

    def close(self) -> None:
        """Write what is buffered (at exit)."""
        if not self.buffered or os.getpid() != self._pid:
            return
        try:
            self.flush()
        except Exception as exc:  # noqa: BLE001 - at exit: say so, and let the other logs write theirs
            log.error("impressions lost at exit: %s", exc)


@atexit.register
def _flush_all() -> None:
    for item in list(_LIVE):
        item.close()


_APP_KEY = "huoban.impression_log"
_CREATE = threading.Lock()


def current_log() -> ImpressionLog:
    """The app's log in this process (``IMPRESSION_FLUSH_SECONDS``; 0 writes in the request)."""
    from flask import current_app

    from api.extensions import db

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get(_APP_KEY)
    if found is None:
        with _CREATE:  # one log per app: two would hand out ids the other's feedback path cannot find
            found = app.extensions.get(_APP_KEY)
            if found is None:
                found = app.extensions[_APP_KEY] = ImpressionLog(
                    db.engine, float(app.config.get("IMPRESSION_FLUSH_SECONDS", 0.05)))
    return found  # type: ignore[no-any-return]
