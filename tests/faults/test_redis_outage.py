"""Faults of the rate limits' Redis (``HUOBAN_RATELIMIT_STORAGE_URI=redis://...``): Redis refusing connections,
accepting them and never answering, or killed and restarted under a running service. Requests are served,
never a 500, and still limited, in each process's memory while Redis is away (a warning in the log); once it is
back, the counts are kept in Redis again.

Each case runs the service in a process of its own (:func:`_serve`, driven over its stdin and stdout):
flask-limiter's limiter is one object per process, whose storage the last app to configure it sets for every
app, and whose default limits the first one does, so an app of this process could not be given a dead Redis
(or its own limit) without the others sharing it."""

from __future__ import annotations

import json
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 3  # RATELIMIT_DEFAULT of the workers: 3 requests a minute per key and endpoint
PROJECT = {"name": "限流项目", "one_liner": "限流", "stage": "seed", "industries": ["ai"], "city": "shenzhen",
           "needs": ["financing"], "round_sought": "angel", "funding_sought": 1_000_000}


def _serve() -> None:
    """The worker: an app limiting in the storage named by ``argv[3]``; each line of stdin is a request (JSON),
    answered by one line ``@@{"status": ..., "type": ..., "body": ...}`` on stdout. Logging is left as the
    service leaves it (warnings of Huoban's loggers reach stderr), so the test reads what an operator would."""
    url, var, storage, prefix, extra = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], json.loads(sys.argv[5])
    from api import create_app

    app = create_app({"DATABASE_URL": url, "VAR_DIR": var, "ENCODER": "keyword", "LOAD_MATCHER": False,
                      "TESTING": True, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": storage,
                      "RATELIMIT_KEY_PREFIX": prefix, "RATELIMIT_DEFAULT": f"{LIMIT} per minute", **extra})
    client = app.test_client()
    print("@@ready", flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        r = client.open(req["path"], method=req["method"], headers=req.get("headers") or {}, json=req.get("json"),
                        data=req.get("data"), environ_base={"REMOTE_ADDR": req.get("addr") or "127.0.0.1"})
        print("@@" + json.dumps({"status": r.status_code, "type": r.content_type,
                                 "body": r.get_data(as_text=True)[:20_000]}), flush=True)


@dataclass
class Site:
    url: str
    var: str
    pid: int  # a project of the operator's space
    operator: dict[str, str]  # the operator's Authorization header


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    from sqlalchemy import select

    from api.accounts import create_api_key
    from models import Project
    from models.db import make_engine, make_session_factory, session_scope, upgrade
    from seed_data import SeedPlan
    from seed_data.loader import seed

    tmp = tmp_path_factory.mktemp("redis_outage")
    url = f"sqlite:///{tmp / 'site.db'}"
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    try:
        with session_scope(factory) as session:
            seed(session, SeedPlan(seed=3, spaces=2, projects=4, mentors=3, investors=2, providers=2))
        with session_scope(factory) as session:
            project = session.scalars(select(Project).order_by(Project.id)).first()
            assert project is not None
            pid, space_id = project.id, project.space_id
            key = create_api_key(session, role="operator", space_id=space_id)
    finally:
        engine.dispose()
    return Site(url=url, var=str(tmp / "var"), pid=pid, operator={"Authorization": f"Bearer {key}"})


class Worker:
    """The service in a process of its own; :meth:`call` sends one request and waits for its answer."""

    def __init__(self, site: Site, storage: str, log: Path, **config: Any) -> None:
        self.log = log
        self.prefix = f"hbfault-{uuid.uuid4().hex[:8]}"
        self._stderr: IO[str] = log.open("w")
        self.proc = subprocess.Popen(
            # every warning an error, except SWIG's own at faiss's import (faiss < 1.14: "builtin type SwigPyPacked has
            # no __module__ attribute"), which raised inside the extension's initialisation crashes the interpreter
            [sys.executable, "-W", "error", "-W", "ignore:builtin type:DeprecationWarning", "-c",
             "from tests.faults.test_redis_outage import _serve; _serve()",
             site.url, site.var, storage, self.prefix, json.dumps(config)],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, text=True)
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        assert self._next(120) == "ready", self.log.read_text()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("@@"):
                self._lines.put(line[2:].rstrip("\n"))
        self._lines.put(None)

    def _next(self, timeout: float) -> str:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"the service gave no answer in {timeout} s (hung on the rate-limit storage?)\n"
                                 + self.log.read_text()[-3000:]) from None
        if line is None:
            raise AssertionError("the service exited:\n" + self.log.read_text()[-3000:])
        return line

    def call(self, method: str, path: str, *, timeout: float = 15, **req: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"method": method, "path": path, **req}) + "\n")
        self.proc.stdin.flush()
        answer: dict[str, Any] = json.loads(self._next(timeout))
        assert answer["status"] != 500, answer
        return answer

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=20)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._stderr.close()


@pytest.fixture
def workers() -> Iterator[list[Worker]]:
    started: list[Worker] = []
    yield started
    for w in started:
        w.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _sign_in_burst(w: Worker) -> list[int]:
    """Eleven wrong passwords for one account, each from another address."""
    import re

    page = w.call("get", "/console/login")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page["body"])
    assert found is not None, page
    return [w.call("post", "/console/login", addr=f"10.0.{i}.1",
                   data={"email": "victim@example.org", "password": f"guess-{i}", "csrf_token": found.group(1)}
                   )["status"] for i in range(11)]


@pytest.mark.parametrize("fault", ["refused", "silent"])
def test_an_unreachable_redis_still_serves_and_limits_in_memory(site: Site, workers: list[Worker], fault: str,
                                                                 tmp_path: Path) -> None:
    """Redis refusing connections (nothing listens on its port) or accepting them and never answering (a hung
    host): reads and writes are served at once, never a 500; the limits hold, counted in memory (the fourth
    request of a minute is a 429, and so is an eleventh sign-in at one account from eleven addresses); the
    switch is a warning in the log."""
    listener = None
    if fault == "refused":
        port = _free_port()
    else:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)  # the kernel accepts; nobody ever speaks
        port = listener.getsockname()[1]
    try:
        w = Worker(site, f"redis://127.0.0.1:{port}/0", tmp_path / "worker.log", RATELIMIT_STORAGE_TIMEOUT=2)
        workers.append(w)
        # the first call verifies the key (counted against the client address); then the key's own bucket
        assert w.call("get", "/api/v1/me", headers=site.operator)["status"] == 200
        started = time.monotonic()
        reads = [w.call("get", f"/api/v1/projects/{site.pid}", headers=site.operator) for _ in range(LIMIT + 1)]
        assert [r["status"] for r in reads] == [200] * LIMIT + [429], reads
        assert reads[-1]["type"] == "application/problem+json"
        write = w.call("post", "/api/v1/projects", headers=site.operator, json=PROJECT)
        assert write["status"] == 201, write
        # memory answers at once: those five did not each wait out the silent server's 2 s (at most one of
        # them tries Redis again, flask-limiter's backoff allowing)
        assert time.monotonic() - started < 5
        assert _sign_in_burst(w) == [401] * 10 + [429]
        log = w.log.read_text()
        assert f"rate-limit storage redis://127.0.0.1:{port}/0 unreachable" in log, log
        assert "Traceback" not in log, log
    finally:
        if listener is not None:
            listener.close()


def _start_redis(binary: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    import redis

    with log.open("ab") as out:  # the server keeps its own copy of the descriptor
        proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                 "--appendonly", "no", "--daemonize", "no"], stdout=out, stderr=subprocess.STDOUT)
    client = redis.Redis(port=port, socket_connect_timeout=1)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            client.close()
            return proc
        except redis.ConnectionError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(f"redis-server did not start on port {port}:\n{log.read_text()}") from None
            time.sleep(0.05)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.kill()
    proc.wait(timeout=20)


def _profile_counts(port: int, prefix: str) -> list[int]:
    """The counters of profile reads (endpoint ``projects.get``) this worker keeps in the Redis on ``port``."""
    import redis

    client = redis.Redis(port=port, socket_connect_timeout=1, decode_responses=True)
    try:
        return [int(client.get(k) or 0) for k in client.keys(f"*{prefix}*") if "/projects.get" in k]
    finally:
        client.close()


def test_redis_killed_and_restarted_under_a_running_service(site: Site, workers: list[Worker], tmp_path: Path) -> None:
    """Counts in Redis; Redis killed: still served (no 500) and still limited, in memory, with a warning;
    Redis restarted (empty): the service finds it again by itself and counts there again."""
    binary = shutil.which("redis-server")
    if binary is None:
        if IN_CI:
            pytest.fail("CI=true but there is no redis-server binary", pytrace=False)
        pytest.skip("no redis-server binary")
    port = _free_port()
    redis_log = tmp_path / "redis.log"
    server = _start_redis(binary, port, redis_log)
    try:
        uri = f"redis://127.0.0.1:{port}/0"
        w = Worker(site, uri, tmp_path / "worker.log", RATELIMIT_STORAGE_TIMEOUT=0.5)
        workers.append(w)
        profile = f"/api/v1/projects/{site.pid}"
        assert w.call("get", "/api/v1/me", headers=site.operator)["status"] == 200  # verifies the key
        assert [w.call("get", profile, headers=site.operator)["status"] for _ in range(2)] == [200, 200]
        assert _profile_counts(port, w.prefix) == [2]  # counted in Redis

        _stop(server)
        during = [w.call("get", profile, headers=site.operator)["status"],
                  w.call("post", "/api/v1/projects", headers=site.operator, json=PROJECT)["status"],
                  *(w.call("get", profile, headers=site.operator)["status"] for _ in range(LIMIT))]
        assert during == [200, 201, 200, 200, 429]  # counted anew in memory, and limited there
        assert f"rate-limit storage {uri} unreachable" in w.log.read_text()

        server = _start_redis(binary, port, redis_log)  # empty: nothing was saved
        # flask-limiter tries Redis again with a backoff (1 s, doubling to 32 s) on the requests that come
        deadline = time.monotonic() + 90
        while f"rate-limit storage {uri} is back" not in w.log.read_text():
            assert time.monotonic() < deadline, w.log.read_text()
            assert w.call("get", "/api/v1/me", headers=site.operator)["status"] in (200, 429)
            time.sleep(0.25)
        after = [w.call("get", profile, headers=site.operator)["status"] for _ in range(LIMIT + 1)]
        assert after == [200] * LIMIT + [429]  # the memory's count (already over) is left behind
        assert _profile_counts(port, w.prefix) == [LIMIT + 1]  # ... for Redis's
        assert "Traceback" not in w.log.read_text(), w.log.read_text()
    finally:
        _stop(server)
