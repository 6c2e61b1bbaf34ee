"""End-to-end HTTP load test of the served API: gunicorn, real database, real indexes, real API keys.

    python -m bench.http --candidates 10000 --seconds 60 [--concurrency 32] [--rate 330] [--json]

Set-up (once per ``--candidates``, under ``var/bench/http-<candidates>/``, reused when complete): ``huoban db
upgrade``, ``seed --scale N`` (N profiles per kind), ``index --encoder use``, ``demo-accounts``, one
extra founder key per project for ``--keys`` projects (``key create --role founder --profile project:ID``),
``demo-history --weeks 4`` (simulated outcomes in the demo space) and ``retrain`` (a learned model per kind
and the investor history ranker, promoted: every list the server ranks is re-scored by them),
all through the command line in subprocesses (``HF_HUB_OFFLINE=1``). Each finished step is recorded in
``setup.json``, so an interrupted set-up resumes where it stopped; ``--fresh`` starts again from an empty
database (runs add impressions and feedback, as real traffic would). Indexing uses the USE encoder by
default: the 40,000 profiles of ``--candidates 10000`` have 80,000 texts, ~30 minutes with the default e5
encoder here and ~8 minutes with USE; nothing is encoded on the request path for stored profiles, but the
vector width (USE: 2 x 512) does set the cost of the flat search. The output names the encoder.

Serving: ``huoban serve --workers 2`` (gunicorn gthread, default threads) on a free loopback port, with
``HUOBAN_RATELIMIT_ENABLED=false`` in its environment (the default 1200/minute per key would otherwise cap
the load; the output says so). Nothing else about the server is changed (``--server-env NAME=VALUE`` adds
variables for diagnosis; the output records them). Ready means: ``/readyz`` answers 200 to 16 concurrent
probes three times in a row, and then every worker is idle (each worker loads the indexes itself, and a
loading worker is slow to accept, so probes alone can miss it). The server is stopped at the end (SIGTERM,
then SIGKILL after a timeout), also on errors, Ctrl-C and SIGTERM.

Load: ~80% ``GET /api/v1/projects/{id}/matches?kind=mentor|investor|provider&k=10`` and ~20% ``POST
/api/v1/feedback`` (``viewed`` events with a unique ``event_id`` on an impression that an earlier matches
response gave the same key), spread uniformly over the founder keys (one project each: the demo founder and
``--keys`` more). A warm-up (``--warmup`` seconds; it also pays each key's one-off scrypt verification in
each worker) is excluded from the numbers and reported apart; then the run lasts ``--seconds`` or
``--max-requests`` measured requests, whichever comes first. Latency is measured per request from send
(with ``--rate``: from the *scheduled* send) to the last byte of the response; ``errors`` counts non-2xx
responses and exceptions (time-outs, resets).

Two load shapes:

* open loop (default, ``--rate 330``): requests are scheduled at R per second whatever the server does (at
  most ``--concurrency`` connections), and latency counts from the scheduled time, so a stalled server is not
  hidden by the client waiting for it (no coordinated omission). This answers "p99 at 300 req/s"; the default
  rate is the goal's 300 plus 10 %, so the achieved rate clears 300 and the latency is taken under more load
  than the goal asks for. Its warm-up still runs closed-loop, so one-off costs leave no backlog for the
  measured window to inherit. ``goal.met`` is judged on this shape only.
* closed loop (``--rate 0``): ``--concurrency`` workers, each sending its next request as soon as its previous
  one returned. This finds the throughput ceiling; the latency then includes queueing (Little's law: mean
  latency ~= concurrency / throughput), so p99 at saturation says little about p99 at a lower load.

The output also has a per-second ``timeline`` ([second, requests, p50_ms, p99_ms]) of the measured window.
Note what the load is: 51 founder keys asking for 3 kinds, so most matches are answered from the ranking
cache (``HUOBAN_RANKING_CACHE_SECONDS``); ``--server-env HUOBAN_RANKING_CACHE_SECONDS=0`` measures every
request ranking afresh.

Connections are kept alive, but each carries about ``--requests-per-connection`` requests (100; the last
one says ``Connection: close``), as a population of API clients or a proxy's upstream pool would. A
kept-alive connection stays with the gunicorn worker that accepted it: 32 connections opened at once, never
renewed, measurably tend to pile up on one worker (one run: 13.6 vs 6.2 CPU s), while renewed connections
let the less busy worker, which accepts first, take the new ones. ``--requests-per-connection 1`` opens one
per request. The output gives the CPU seconds of every server process (``server_cpu_s_by_process``,
``worker_cpu_balance``): a lopsided split means the client, not the server, shaped the run.

Why aiohttp in one asyncio process (and not locust or httpx): on this 2-core machine the load generator
takes its CPU from the server under test, so the client must cost as little per request as possible, and
the cost must be visible. aiohttp parses HTTP in C (llhttp) and pools keep-alive connections; one event loop
drives all ``--concurrency`` connections. Measured here against ``/healthz`` with 32 connections: aiohttp
~0.15-0.2 ms of client CPU per request, httpx (httpx2, pure-Python h11 parsing) ~0.6 ms. locust adds gevent
users, per-request event hooks and its stats machinery on top of its HTTP client and wants a process per
core to keep up; here every core it takes is a core the server loses. The output reports the CPU seconds
of the client process and of the server processes during the measured window (``client_cpu_s``,
``server_cpu_s``). Needs ``aiohttp`` (client only; the service does not).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
KINDS = ("mentor", "investor", "provider")
GOAL = {"rps": 300.0, "p99_ms": 50.0, "errors": 0}
STEPS = ("db", "seed", "index", "demo", "keys", "history", "model")


HISTORY_WEEKS = 4  # weeks of simulated outcomes in the demo space before `huoban retrain`


class BenchError(RuntimeError):
    """A set-up or serving failure, reported in one line."""


def log(message: str) -> None:
    print(f"[bench.http {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["HF_HUB_OFFLINE"] = "1"
    env["TRANSFORMERS_OFFLINE"] = "1"
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def run_cli(args: list[str], *, timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m api.cli ARGS``; raises BenchError with stderr's tail on failure."""
    cmd = [sys.executable, "-m", "api.cli", *args]
    name = " ".join(a for a in args if not a.startswith(("sqlite", "/", "postgres", "mysql")))
    try:
        proc = subprocess.run(cmd, cwd=REPO, env=cli_env(), capture_output=True, text=True, timeout=timeout,
                              check=False)
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"`huoban {name}` did not finish within {timeout} s") from exc
    if proc.returncode != 0:
        tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
        raise BenchError(f"`huoban {name}` failed (exit {proc.returncode}): {tail}")
    return proc


# -- set-up -----------------------------------------------------------------------------------------------
@dataclass
class Setup:
    root: Path
    candidates: int
    encoder: str
    keys_wanted: int
    seed: int
    state: dict[str, Any] = field(default_factory=dict)
    database: str | None = None  # a server database URL instead of the SQLite file in ``root``

    @property
    def db_path(self) -> Path:
        return self.root / "huoban.db"

    @property
    def db_url(self) -> str:
        return self.database or f"sqlite:///{self.db_path.resolve()}"

    @property
    def var_dir(self) -> Path:
        return self.root / "var"

    @property
    def state_path(self) -> Path:
        return self.root / "setup.json"

    @property
    def keys_path(self) -> Path:
        return self.root / "founder-keys.tsv"

    @property
    def demo_path(self) -> Path:
        return self.var_dir / "demo-accounts.txt"

    def load(self) -> None:
        try:
            self.state = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.state = {}
        present = self.state.get("database") == self._db_tag if self.database else self.db_path.exists()
        if self.state.get("candidates") != self.candidates or not present:
            self.state = {"candidates": self.candidates, "database": self._db_tag, "steps": {}}

    @property
    def _db_tag(self) -> str | None:
        """The server database as recorded in setup.json: host and name, never the password."""
        return self.database.split("@")[-1] if self.database else None

    def save(self) -> None:
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.state, indent=2), encoding="utf-8")
        os.replace(tmp, self.state_path)

    def done(self, step: str) -> bool:
        return step in self.state.get("steps", {})

    def mark(self, step: str, **info: Any) -> None:
        steps = self.state.setdefault("steps", {})
        for later in STEPS[STEPS.index(step):]:  # redoing a step invalidates the ones after it
            steps.pop(later, None)
        steps[step] = {"at": time.strftime("%Y-%m-%dT%H:%M:%S"), **info}
        self.save()

    def complete(self) -> bool:
        steps = self.state.get("steps", {})
        return (all(self.done(s) for s in STEPS) and steps["index"].get("encoder") == self.encoder
                and steps["keys"].get("count", 0) >= self.keys_wanted)

    def wipe(self) -> None:
        """Forget the database, keys and indexes (the embedding cache stays: re-indexing is then quick)."""
        if self.database:  # a server database: every table of the schema goes
            run_cli(["db", "downgrade", "--revision", "base", "--db", self.database])
        for path in (self.db_path, self.db_path.with_name(self.db_path.name + "-wal"),
                     self.db_path.with_name(self.db_path.name + "-shm"), self.state_path, self.keys_path,
                     self.demo_path):
            path.unlink(missing_ok=True)
        shutil.rmtree(self.var_dir / "index", ignore_errors=True)

    def run(self) -> dict[str, Any]:
        self.root.mkdir(parents=True, exist_ok=True)
        self.load()
        db = ["--db", self.db_url]
        if self.complete():
            log(f"reusing the complete set-up in {self.root} (huoban db upgrade: the schema of this code)")
            run_cli(["db", "upgrade", *db])
            return self.state
        if not self.done("db"):
            log("huoban db upgrade")
            t0 = time.perf_counter()
            run_cli(["db", "upgrade", *db])
            self.mark("db", seconds=round(time.perf_counter() - t0, 1))
        if not self.done("seed"):
            log(f"huoban seed --scale {self.candidates} (profiles per kind)")
            self.keys_path.unlink(missing_ok=True)  # keys of an earlier seeding are gone with it
            t0 = time.perf_counter()
            out = run_cli(["seed", *db, "--scale", str(self.candidates), "--seed", str(self.seed), "--reset",
                           "--no-progress"]).stderr
            log("  " + (out.strip().splitlines() or [""])[-1])
            self.mark("seed", seconds=round(time.perf_counter() - t0, 1))
        if not self.done("index") or self.state["steps"]["index"].get("encoder") != self.encoder:
            log(f"huoban index --encoder {self.encoder} (minutes for 10,000 per kind)")
            t0 = time.perf_counter()
            rebuild = ["--rebuild"] if self.done("index") else []
            # stderr: "indexed N projects, ... with <encoder id> in S s (...)"
            out = run_cli(["index", *db, "--var", str(self.var_dir), "--encoder", self.encoder, "--no-progress",
                           *rebuild]).stderr
            log("  " + (out.strip().splitlines() or [""])[-1])
            match = re.search(r" with (\S+) in ", out)
            self.mark("index", seconds=round(time.perf_counter() - t0, 1), encoder=self.encoder,
                      encoder_id=match.group(1) if match else None, report=out.strip().splitlines()[-1:])
        if not self.done("demo"):
            log("huoban demo-accounts")
            run_cli(["demo-accounts", *db, "--var", str(self.var_dir), "--force"])
            self.mark("demo")
        if not self.done("keys") or self.state["steps"]["keys"].get("count", 0) < self.keys_wanted:
            self._founder_keys()
            self.mark("keys", count=len(self.founder_keys()))
        if not self.done("history"):
            # outcomes for the learning loop: served lists, intros, meetings, ratings and investments in the
            # demo space, decided by the seeded hidden traits (as `make run` does)
            log(f"huoban demo-history --weeks {HISTORY_WEEKS} (outcomes for the learned model)")
            t0 = time.perf_counter()
            out = run_cli(["demo-history", *db, "--var", str(self.var_dir), "--encoder", self.encoder,
                           "--weeks", str(HISTORY_WEEKS)]).stderr
            log("  " + (out.strip().splitlines() or [""])[-1])
            self.mark("history", seconds=round(time.perf_counter() - t0, 1))
        if not self.done("model"):
            # a learned model per kind and the investor history ranker, promoted: the server re-scores every
            # list with them, as a space with some weeks of outcomes would
            log("huoban retrain (a model per kind and the investor ranker, promoted)")
            t0 = time.perf_counter()
            out = run_cli(["retrain", *db, "--var", str(self.var_dir), "--json"]).stdout
            payload = json.loads(out.strip().splitlines()[-1]) if out.strip() else {}
            if payload.get("status") != "serving":
                raise BenchError(f"`huoban retrain` did not promote a model: {str(payload)[:300]}")
            log(f"  version {payload.get('version')} serving")
            self.mark("model", seconds=round(time.perf_counter() - t0, 1), version=payload.get("version"))
        return self.state

    def _active_projects(self) -> list[int]:
        if self.database:
            from sqlalchemy import create_engine, text

            engine = create_engine(self.database)
            try:
                with engine.connect() as conn:
                    return [int(r[0]) for r in conn.execute(text("SELECT id FROM projects WHERE active ORDER BY id"))]
            finally:
                engine.dispose()
        con = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)
        try:
            return [int(r[0]) for r in con.execute("SELECT id FROM projects WHERE active ORDER BY id")]
        finally:
            con.close()

    def demo_founder(self) -> tuple[int, str]:
        from api.demo import read_demo_accounts

        founder = read_demo_accounts(self.demo_path)["founder"]
        kind, _, pid = founder["profile"].partition(":")
        if kind != "project" or not pid.isdigit():
            raise BenchError(f"unexpected founder profile in {self.demo_path}: {founder['profile']!r}")
        return int(pid), founder["api_key"]

    def founder_keys(self, limit: int | None = None) -> dict[int, str]:
        """The extra founder keys by project id, in creation order (at most ``limit``)."""
        keys: dict[int, str] = {}
        if self.keys_path.exists():
            for line in self.keys_path.read_text(encoding="utf-8").splitlines():
                if limit is not None and len(keys) >= limit:
                    break
                pid, _, key = line.partition("\t")
                if pid.isdigit() and key:
                    keys[int(pid)] = key
        return keys

    def _founder_keys(self) -> None:
        demo_pid, _ = self.demo_founder()
        have = self.founder_keys()
        pool = [p for p in self._active_projects() if p != demo_pid and p not in have]
        missing = random.Random(self.seed).sample(pool, min(max(self.keys_wanted - len(have), 0), len(pool)))
        if not missing:
            return
        log(f"creating {len(missing)} founder keys (huoban key create --role founder --profile project:ID)")
        fd = os.open(self.keys_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            for pid in missing:
                out = run_cli(["key", "create", "--db", self.db_url, "--role", "founder", "--profile",
                               f"project:{pid}", "--name", f"bench founder {pid}"]).stdout
                key = out.strip().splitlines()[-1].strip() if out.strip() else ""
                if not key:
                    raise BenchError(f"`huoban key create` printed no key for project {pid}")
                fh.write(f"{pid}\t{key}\n")
                fh.flush()


# -- the server -------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get_status(url: str, timeout: float = 2.0) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 - loopback only
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (OSError, ValueError):
        return None


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    base: str
    log_path: Path

    def tree(self) -> list[int]:
        """The gunicorn master and its workers."""
        pids = [self.proc.pid]
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
            pids += [int(c) for c in children]
        except OSError:
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == self.proc.pid:
                    pids.append(int(stat.parent.name))
        return pids

    def cpu_by_process(self) -> dict[int, float]:
        """CPU seconds (user + system) of the master and of each worker, by pid."""
        tick = os.sysconf("SC_CLK_TCK")
        out: dict[int, float] = {}
        for pid in self.tree():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            out[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        return out

    def log_tail(self, lines: int = 5) -> str:
        try:
            return " | ".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@contextmanager
def serving(setup: Setup, *, workers: int, threads: int | None, ready_timeout: float,
            extra_env: dict[str, str] | None = None) -> Iterator[Server]:
    port = free_port()
    env = cli_env()
    env["HUOBAN_RATELIMIT_ENABLED"] = "false"
    env.update(extra_env or {})
    cmd = [sys.executable, "-m", "api.cli", "serve", "--db", setup.db_url, "--var", str(setup.var_dir),
           "--encoder", setup.encoder, "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    if threads:
        cmd += ["--threads", str(threads)]
    log_path = setup.root / "server.log"
    log(f"starting the server on 127.0.0.1:{port} ({workers} workers; log: {log_path})")
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT,
                                start_new_session=True)
    server = Server(proc, f"http://127.0.0.1:{port}", log_path)
    try:
        wait_ready(server, ready_timeout)
        yield server
    finally:
        stop(server)


def wait_ready(server: Server, timeout: float, probes: int = 16, rounds: int = 3) -> None:
    """/readyz must answer 200 to ``probes`` concurrent fresh connections, ``rounds`` times in a row, and
    then every worker must be idle.

    Every worker loads the indexes on its own, and /readyz answers for the worker that accepted the
    connection."""
    from concurrent.futures import ThreadPoolExecutor

    t0 = time.monotonic()
    streak = 0
    last: list[int | None] = []
    with ThreadPoolExecutor(probes) as pool:
        while streak < rounds:
            if server.proc.poll() is not None:
                raise BenchError(f"the server exited with {server.proc.returncode} before it was ready: "
                                 f"{server.log_tail()}")
            if time.monotonic() - t0 > timeout:
                raise BenchError(f"the server was not ready within {timeout:.0f} s (last /readyz statuses: "
                                 f"{sorted(Counter(last).items(), key=str)}): {server.log_tail()}")
            last = list(pool.map(lambda _: _get_status(server.base + "/readyz"), range(probes)))
            ok = all(status == 200 for status in last)
            streak = streak + 1 if ok else 0
            time.sleep(0.1 if ok else 0.5)
    # A worker still loading is busy and slow to accept, so even concurrent probes may all reach the ready
    # one: wait until every worker is idle too (a loaded worker without traffic uses no CPU).
    before = server.cpu_by_process()
    while True:
        time.sleep(0.5)
        after = server.cpu_by_process()
        busy = {pid: round(after[pid] - before.get(pid, 0.0), 2) for pid in after
                if pid != server.proc.pid and after[pid] - before.get(pid, 0.0) > 0.05}
        if not busy and len(after) > 1:
            break
        if time.monotonic() - t0 > timeout:
            raise BenchError(f"the server's workers were still busy after {timeout:.0f} s (CPU s per 0.5 s: "
                             f"{busy}): {server.log_tail()}")
        before = after
    log(f"server ready after {time.monotonic() - t0:.1f} s")


def stop(server: Server, timeout: float = 30.0) -> None:
    """SIGTERM to the gunicorn master (graceful), SIGKILL to its process group after ``timeout``, then
    SIGKILL to any of its workers still alive."""
    proc = server.proc
    workers = server.tree()[1:] if proc.poll() is None else []
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            log(f"the server did not stop within {timeout:.0f} s; killing it")
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the group Popen created; its leader is still alive
            except (ProcessLookupError, PermissionError):
                proc.kill()
            proc.wait(10)
    for pid in workers:
        try:
            if os.getpgid(pid) == proc.pid:
                os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


# -- load -------------------------------------------------------------------------------------------------
@dataclass
class Key:
    token: str
    project_id: int
    impressions: deque[int] = field(default_factory=lambda: deque(maxlen=200))


@dataclass
class Sample:
    endpoint: str
    start: float
    latency: float
    ok: bool
    status: str


class Load:
    def __init__(self, base: str, keys: list[Key], *, feedback_share: float, k: int, seed: int,
                 renew: float = 0.0) -> None:
        self.base = base
        self.renew = renew  # chance that a request asks the server to close its connection afterwards
        self.keys = keys
        self.feedback_share = feedback_share
        self.k = k
        self.rng = random.Random(seed)
        self.run_id = uuid.uuid4().hex[:12]
        self.events = 0
        self.samples: list[Sample] = []
        self.error_examples: dict[str, str] = {}

    def next_request(self) -> tuple[str, str, str, dict[str, Any] | None, Key]:
        key = self.keys[self.rng.randrange(len(self.keys))]
        if key.impressions and self.rng.random() < self.feedback_share:
            self.events += 1
            body = {"event_id": f"bench-{self.run_id}-{self.events}", "type": "viewed",
                    "impression_id": key.impressions.popleft()}
            return "feedback", "POST", f"{self.base}/api/v1/feedback", body, key
        kind = KINDS[self.rng.randrange(3)]
        url = f"{self.base}/api/v1/projects/{key.project_id}/matches?kind={kind}&k={self.k}"
        return "matches", "GET", url, None, key

    async def one(self, session: Any, scheduled: float | None = None) -> None:
        import aiohttp

        endpoint, method, url, body, key = self.next_request()
        start = time.perf_counter()
        origin = scheduled if scheduled is not None else start
        status = "exception"
        ok = False
        try:
            headers = {"Authorization": f"Bearer {key.token}"}
            if self.renew and self.rng.random() < self.renew:
                headers["Connection"] = "close"
            async with session.request(method, url, json=body, headers=headers) as resp:
                payload = await resp.read()
                status = str(resp.status)
                ok = 200 <= resp.status < 300
            if ok and endpoint == "matches" and len(key.impressions) < 20:
                items = json.loads(payload)["items"]
                key.impressions.extend(int(item["impression_id"]) for item in items)
            elif not ok:
                self.error_examples.setdefault(f"{endpoint} {status}", payload[:300].decode("utf-8", "replace"))
        except (TimeoutError, aiohttp.ClientError, OSError, ValueError, KeyError) as exc:
            status = exc.__class__.__name__
            ok = False
            self.error_examples.setdefault(f"{endpoint} {status}", str(exc)[:300])
        self.samples.append(Sample(endpoint, origin, time.perf_counter() - origin, ok, status))


async def drive(base: str, keys: list[Key], *, concurrency: int, rate: float, warmup: float, seconds: float,
                max_requests: int, feedback_share: float, k: int, seed: int, per_connection: int,
                server: Server) -> dict[str, Any]:
    import aiohttp

    load = Load(base, keys, feedback_share=feedback_share, k=k, seed=seed,
                renew=1.0 / per_connection if per_connection > 1 else 0.0)
    connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=concurrency, ttl_dns_cache=None,
                                     force_close=per_connection == 1)
    timeout = aiohttp.ClientTimeout(total=60)
    t0 = time.perf_counter()
    measure_from = t0 + warmup
    deadline = measure_from + seconds
    started_measured = 0

    def may_start(now: float) -> bool:
        nonlocal started_measured
        if now >= deadline or started_measured >= max_requests:
            return False
        if now >= measure_from:
            started_measured += 1
        return True

    marks: dict[str, float] = {}
    cpu0: dict[int, float] = {}

    async def window_marks() -> None:
        await asyncio.sleep(max(0.0, measure_from - time.perf_counter()))
        marks["client_cpu0"] = _cpu_self()
        cpu0.update(server.cpu_by_process())
        marks["t_measure"] = time.perf_counter()

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        marker = asyncio.create_task(window_marks())
        if rate <= 0:
            async def worker() -> None:
                while may_start(time.perf_counter()):
                    await load.one(session)

            await asyncio.gather(*(worker() for _ in range(concurrency)))
        else:
            # The warm-up runs as a closed loop: its one-off costs (each key's scrypt check in each worker, the
            # first rankings) are paid without piling up a schedule debt that the measured window would then
            # inherit (seen: a 5 s open-loop warm-up left a 2.8 s backlog that took 12 s to drain).
            async def warm() -> None:
                while time.perf_counter() < measure_from:
                    await load.one(session)

            await asyncio.gather(*(warm() for _ in range(concurrency)))
            t_open = max(time.perf_counter(), measure_from)
            deadline = t_open + seconds
            tasks: set[asyncio.Task[None]] = set()
            i = 0
            while True:
                scheduled = t_open + i / rate
                delay = scheduled - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                if not may_start(scheduled):
                    break
                task = asyncio.create_task(load.one(session, scheduled))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
                i += 1
            if tasks:
                await asyncio.gather(*tasks)
        await marker
        marks["client_cpu1"] = _cpu_self()
        cpu1 = server.cpu_by_process()
        marks["t_end"] = time.perf_counter()
    by_process = {("master" if pid == server.proc.pid else f"worker {pid}"): round(cpu1[pid] - cpu0.get(pid, 0.0), 2)
                  for pid in cpu1}
    return summarise(load, marks, by_process, measure_from)


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _pct(values: np.ndarray, q: float) -> float | None:
    return round(float(np.percentile(values, q)) * 1e3, 2) if len(values) else None


def _balance(values: list[float]) -> float | None:
    """Least busy worker's CPU over the busiest one's (1.0: even; far below: the load sat on one worker)."""
    return round(min(values) / max(values), 2) if values and max(values) > 0 else None


def summarise(load: Load, marks: dict[str, float], server_cpu: dict[str, float],
              measure_from: float) -> dict[str, Any]:
    measured = [s for s in load.samples if s.start >= measure_from]
    warm = [s for s in load.samples if s.start < measure_from]
    last_end = max((s.start + s.latency for s in measured), default=measure_from)
    elapsed = max(last_end - measure_from, 1e-9)
    lat = np.array([s.latency for s in measured])
    by_endpoint: dict[str, Any] = {}
    for name in ("matches", "feedback"):
        sub = [s for s in measured if s.endpoint == name]
        arr = np.array([s.latency for s in sub])
        by_endpoint[name] = {"count": len(sub), "share": round(len(sub) / max(len(measured), 1), 3),
                             "rps": round(len(sub) / elapsed, 1), "errors": sum(not s.ok for s in sub),
                             "p50_ms": _pct(arr, 50), "p90_ms": _pct(arr, 90), "p99_ms": _pct(arr, 99),
                             "max_ms": round(float(arr.max()) * 1e3, 2) if len(arr) else None}
    errors = Counter(s.status for s in measured if not s.ok)
    # per second of the window (by send time): [second, requests, p50_ms, p99_ms]; shows stalls that the
    # percentiles of the whole run blur (a burst of slow seconds, a slow start)
    timeline: list[list[float]] = []
    for sec in range(int(elapsed) + 1):
        arr = np.array([s.latency for s in measured if sec <= s.start - measure_from < sec + 1])
        if len(arr):
            timeline.append([sec, len(arr), _pct(arr, 50), _pct(arr, 99)])
    return {
        "rps": round(len(measured) / elapsed, 1),
        "p50_ms": _pct(lat, 50),
        "p90_ms": _pct(lat, 90),
        "p99_ms": _pct(lat, 99),
        "max_ms": round(float(lat.max()) * 1e3, 2) if len(lat) else None,
        "mean_ms": round(float(lat.mean()) * 1e3, 2) if len(lat) else None,
        "errors": sum(errors.values()),
        "errors_by_status": dict(errors),
        "error_examples": dict(list(load.error_examples.items())[:5]),
        "requests": len(measured),
        "seconds": round(elapsed, 2),
        "by_endpoint": by_endpoint,
        "warmup_requests": len(warm),
        "warmup_errors": sum(not s.ok for s in warm),
        "client_cpu_s": round(marks["client_cpu1"] - marks["client_cpu0"], 2),
        "server_cpu_s": round(sum(server_cpu.values()), 2),
        "server_cpu_s_by_process": server_cpu,
        "worker_cpu_balance": _balance([v for k, v in server_cpu.items() if k.startswith("worker")]),
        "window_s": round(marks["t_end"] - marks["t_measure"], 2),
        "timeline": timeline,
    }


# -- main -------------------------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> dict[str, Any]:
    backend = ""
    if args.db:
        if not args.scratch_db:
            raise BenchError("--db seeds that database (and --fresh drops its tables): pass --scratch-db to confirm "
                             "it holds nothing you need")
        import hashlib

        backend = f"-{args.db.split(':', 1)[0].split('+', 1)[0]}-{hashlib.sha256(args.db.encode()).hexdigest()[:8]}"
    root = Path(args.dir) if args.dir else REPO / "var" / "bench" / f"http-{args.candidates}{backend}"
    setup = Setup(root=root, candidates=args.candidates, encoder=args.encoder, keys_wanted=args.keys,
                  seed=args.seed, database=args.db)
    t0 = time.perf_counter()
    if args.fresh:
        log(f"--fresh: removing the database, keys and indexes in {root} (the embedding cache stays)")
        setup.wipe()
    state = setup.run()
    setup_seconds = round(time.perf_counter() - t0, 1)
    demo_pid, demo_key = setup.demo_founder()
    keys = [Key(demo_key, demo_pid)] + [Key(key, pid) for pid, key in setup.founder_keys(args.keys).items()]
    extra_env = dict(e.partition("=")[::2] for e in args.server_env)
    with serving(setup, workers=args.workers, threads=args.threads, ready_timeout=args.ready_timeout,
                 extra_env=extra_env) as server:
        shape = f"open loop at {args.rate:g} req/s" if args.rate > 0 else "closed loop"
        log(f"load: {shape}, {args.concurrency} connections, {len(keys)} founder keys, warm-up {args.warmup:g} s, "
            f"then {args.seconds:g} s or {args.max_requests} requests")
        numbers = asyncio.run(drive(
            server.base, keys, concurrency=args.concurrency, rate=args.rate, warmup=args.warmup,
            seconds=args.seconds, max_requests=args.max_requests, feedback_share=args.feedback_share, k=args.k,
            seed=args.seed, per_connection=args.requests_per_connection, server=server))
        alive = server.proc.poll() is None
    import aiohttp

    index = state["steps"]["index"]
    result: dict[str, Any] = {
        "benchmark": "http",
        **numbers,
        "candidates": args.candidates,
        "profiles_per_kind": args.candidates,
        "workers": args.workers,
        "threads": args.threads or 2,
        "concurrency": args.concurrency,
        "connections": ("one per request" if args.requests_per_connection == 1 else
                        f"keep-alive, ~{args.requests_per_connection} requests each" if args.requests_per_connection
                        else "keep-alive, never renewed"),
        "server_env_extra": dict(e.partition("=")[::2] for e in args.server_env) or None,
        "load_shape": shape,
        "target_rate": args.rate or None,
        "warmup_s": args.warmup,
        "keys": len(keys),
        "k": args.k,
        "feedback_share_target": args.feedback_share,
        "encoder": args.encoder,
        "encoder_id": index.get("encoder_id"),
        "learned_model_version": state["steps"]["model"].get("version"),
        "database": "sqlite (WAL)" if not args.db else args.db.split("@")[-1],
        "rate_limiting": "disabled: HUOBAN_RATELIMIT_ENABLED=false in the server's environment",
        "client": f"aiohttp {aiohttp.__version__}, one asyncio process",
        "cpu_cores": os.cpu_count(),
        "server_alive_at_end": alive,
        "setup_seconds": setup_seconds,
        "bench_dir": str(root),
        "goal": {**GOAL, "met": (bool(numbers["requests"] and numbers["rps"] >= GOAL["rps"]
                                      and (numbers["p99_ms"] or 0) <= GOAL["p99_ms"] and numbers["errors"] == 0)
                                 if args.rate > 0 else None),
                 "judged_on": "open loop" if args.rate > 0 else
                 "not judged: a closed loop's latency is its queue (concurrency / throughput)"},
        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=10_000, help="profiles per kind (seed --scale)")
    parser.add_argument("--seconds", type=float, default=60.0, help="measured duration")
    parser.add_argument("--max-requests", type=int, default=100_000, help="cap on measured requests")
    parser.add_argument("--warmup", type=float, default=15.0,
                        help="seconds of load excluded from the numbers (pays one-off costs: each key's scrypt "
                             "check in each worker, the first rankings)")
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent connections (workers)")
    parser.add_argument("--rate", type=float, default=330.0,
                        help="open loop: schedule this many requests per second (default 330: the goal's 300 "
                             "plus 10 %%); 0: closed loop, to find the throughput ceiling")
    parser.add_argument("--requests-per-connection", type=int, default=100,
                        help="renew a kept-alive connection after about this many requests (1: one per request; "
                             "0: never)")
    parser.add_argument("--server-env", action="append", default=[], metavar="NAME=VALUE",
                        help="extra environment for the server (diagnosis only; recorded in the output)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=None, help="threads per worker (default: serve's)")
    parser.add_argument("--keys", type=int, default=50, help="extra founder keys (one project each)")
    parser.add_argument("--feedback-share", type=float, default=0.2)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--encoder", default="use", help="encoder for `huoban index` and serving")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--dir", default=None, help="bench directory (default: var/bench/http-<candidates>)")
    parser.add_argument("--db", default=None, metavar="URL",
                        help="serve from this server database (e.g. postgresql://postgres@127.0.0.1/huoban_bench; "
                             "--fresh drops its tables) instead of a SQLite file in the bench directory")
    parser.add_argument("--scratch-db", action="store_true",
                        help="confirm that the --db database is a scratch one the bench may seed and wipe")
    parser.add_argument("--fresh", action="store_true",
                        help="set up again from an empty database (earlier runs leave impressions and feedback)")
    parser.add_argument("--ready-timeout", type=float, default=120.0)
    parser.add_argument("--out", default=str(RESULTS / "http.json"))
    parser.add_argument("--json", action="store_true", help="print one JSON object on one line")
    args = parser.parse_args(argv)
    try:
        import aiohttp  # noqa: F401
    except ImportError:
        print("bench.http needs aiohttp: pip install aiohttp", file=sys.stderr)
        return 2
    def terminated(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)  # unwinds through `serving`, which stops the server

    signal.signal(signal.SIGTERM, terminated)
    try:
        result = run(args)
    except BenchError as exc:
        print(f"bench.http: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench.http: interrupted (the server was stopped)", file=sys.stderr)
        return 130
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=None if args.json else 2, ensure_ascii=False))
    if not args.json:
        verdict = "met" if result["goal"]["met"] else "missed"
        print(f"goal (>= {GOAL['rps']:g} req/s, p99 <= {GOAL['p99_ms']:g} ms, 0 errors): {verdict}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
