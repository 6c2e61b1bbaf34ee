"""`huoban serve` (gunicorn) on a seeded database answers /readyz within 60 s; demo accounts file is private."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from api.demo import read_demo_accounts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_serve_becomes_ready_and_serves_matches(tmp_path: Path, backend: str) -> None:
    db = f"sqlite:///{tmp_path / 'serve.db'}"
    var = str(tmp_path / "var")
    for args in (("db", "upgrade"), ("seed", "--scale", "60"), ("index", "--encoder", "keyword")):
        done = cli(*args, "--db", db, *(("--var", var) if args[0] == "index" else ()))
        assert done.returncode == 0, done.stderr
    past = cli("demo-history", "--db", db, "--var", var, "--encoder", "keyword")
    assert past.returncode == 0 and "introductions" in past.stderr, past.stderr
    again = cli("demo-history", "--db", db, "--var", var, "--encoder", "keyword", "--if-empty")
    assert again.returncode == 0 and "nothing added" in again.stderr
    demo = cli("demo-accounts", "--db", db, "--var", var, "--encoder", "keyword")
    assert demo.returncode == 0, demo.stderr
    assert "rank among the demo project's top matches" in demo.stderr
    accounts_file = Path(var) / "demo-accounts.txt"
    assert stat.S_IMODE(os.stat(accounts_file).st_mode) == 0o600
    accounts = read_demo_accounts(accounts_file)
    assert set(accounts) == {"admin", "operator", "founder", "mentor", "investor", "provider"}
    assert "already" in cli("demo-accounts", "--db", db, "--var", var).stderr  # kept, not replaced

    port = free_port()
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--db", db, "--var", var, "--encoder",
                             "keyword", "--port", str(port), "--workers", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        ready = None
        while time.monotonic() - started < 60:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                    ready = r.status
                    break
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.5)
        elapsed = time.monotonic() - started
        assert ready == 200, f"not ready after {elapsed:.0f}s"
        founder = accounts["founder"]
        project = founder["profile"].split(":")[1]
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/projects/{project}/matches?kind=mentor&k=3",
                                     headers={"Authorization": f"Bearer {founder['api_key']}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            body = json.loads(r.read())
        assert len(body["items"]) == 3
        # the demo accounts meet: the demo mentor is on the founder's first page of mentor matches, and the
        # demo investor has the demo project on the first page of its deal flow
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/projects/{project}/matches?kind=mentor&k=10",
                                     headers={"Authorization": f"Bearer {founder['api_key']}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            first_page = [m["subject"]["id"] for m in json.loads(r.read())["items"]]
        assert int(accounts["mentor"]["profile"].split(":")[1]) in first_page
        investor = accounts["investor"]
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/investors/{investor['profile'].split(':')[1]}/dealflow",
            headers={"Authorization": f"Bearer {investor['api_key']}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            assert int(project) in [m["subject"]["id"] for m in json.loads(r.read())["items"]]
        # the demo space has a past: its dashboard counts introductions
        operator = accounts["operator"]
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/spaces/{operator['space']}/metrics",
                                     headers={"Authorization": f"Bearer {operator['api_key']}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            metrics = json.loads(r.read())
        assert sum(metrics["intros"].values()) > 0 and metrics["intro_acceptance"] is not None
        # an introduction request: the notifier beside the workers writes its mail into <var>/mail
        ask = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/intros", method="POST",
            data=json.dumps({"project_id": int(project), "candidate_kind": "mentor",
                             "candidate_id": body["items"][0]["subject"]["id"]}).encode(),
            headers={"Authorization": f"Bearer {founder['api_key']}", "Content-Type": "application/json"})
        with urllib.request.urlopen(ask, timeout=10) as r:
            assert r.status == 201
        deadline = time.monotonic() + 30
        while not list((Path(var) / "mail").glob("*.eml")) and time.monotonic() < deadline:
            time.sleep(0.2)
        mails = list((Path(var) / "mail").glob("*.eml"))
        assert len(mails) == 1 and b"Message-ID" in mails[0].read_bytes()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        if proc.stderr:
            proc.stderr.close()
