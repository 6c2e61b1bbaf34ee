"""The huoban command: clear one-line errors and non-zero exits, never a traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from sqlalchemy import select

from api.security import verify_api_key
from models import ApiKey, User
from models.db import make_engine, make_session_factory

KEY = re.compile(r"^hb_[0-9a-f]{12}_[A-Za-z0-9_-]{40,}$")


def huoban(*args: str, db: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    env.pop("DATABASE_URL", None)
    argv = [sys.executable, "-m", "api.cli", *args]
    if db is not None:
        argv += ["--db", db]
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)


def assert_clean_failure(proc: subprocess.CompletedProcess[str], code: int, *needles: str) -> None:
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    for needle in needles:
        assert needle in proc.stderr


def test_key_create_prints_only_the_key_and_stores_only_a_hash(db_url: str) -> None:
    assert huoban("seed", "--scale", "25", db=db_url).returncode == 0
    proc = huoban("key", "create", "--role", "founder", "--profile", "project:3", "--name", "demo", db=db_url)
    assert proc.returncode == 0, proc.stderr
    key = proc.stdout.strip()
    assert KEY.match(key) and proc.stdout == key + "\n"
    engine = make_engine(db_url)
    try:
        with make_session_factory(engine)() as session:
            row = session.scalars(select(ApiKey)).one()
            assert key not in row.key_hash and row.key_hash.startswith("sha256$")
            assert verify_api_key(key, row.key_hash) and not verify_api_key(key + "x", row.key_hash)
            user = session.get(User, row.user_id)
            assert user is not None and user.role == "founder" and user.profile_id == 3 and user.space_id
    finally:
        engine.dispose()
    proc = huoban("key", "create", "--role", "operator", "--space", "2", db=db_url)
    assert proc.returncode == 0 and KEY.match(proc.stdout.strip())


@pytest.mark.parametrize("args,needle", [
    (["key", "create", "--role", "boss"], "'boss' is not one of"),
    (["key", "create", "--role", "operator"], "needs --space"),
    (["key", "create", "--role", "mentor", "--profile", "project:1"], "links to a mentor profile"),
    (["key", "create", "--role", "founder", "--profile", "project:x"], "integer"),
    (["key", "create", "--role", "founder", "--profile", "project:99999"], "no project with id 99999"),
    (["key", "create", "--role", "admin", "--space", "1"], "takes no --space"),
])
def test_bad_key_requests(db_url: str, args: list[str], needle: str) -> None:
    assert huoban("seed", "--scale", "5", db=db_url).returncode == 0
    assert_clean_failure(huoban(*args, db=db_url), 2, needle)


@pytest.mark.parametrize("url,needle", [
    ("mysql://root@localhost/x", "unsupported database 'mysql'"),
    ("not a url", "not a database URL"),
])
def test_bad_database_url(url: str, needle: str) -> None:
    assert_clean_failure(huoban("db", "upgrade", db=url), 2, needle)


def test_unreachable_database_is_one_line() -> None:
    proc = huoban("db", "upgrade", db="postgresql://nobody@127.0.0.1:1/none")
    assert_clean_failure(proc, 1, "cannot use the database")
    assert len(proc.stderr.strip().splitlines()) == 1


def test_unknown_taxonomy_label() -> None:
    assert_clean_failure(huoban("taxonomy", "parse", "industry", "ai", "blockchainz"), 1,
                         "unknown industry 'blockchainz'", "fintech")
    ok = huoban("taxonomy", "parse", "need", "知识产权", "Financing")
    assert ok.returncode == 0 and ok.stdout.split() == ["ip", "financing"]


def test_seed_twice_needs_reset_and_if_empty_is_quiet(db_url: str) -> None:
    assert huoban("seed", "--scale", "5", db=db_url).returncode == 0
    assert_clean_failure(huoban("seed", "--scale", "5", db=db_url), 1, "--reset")
    proc = huoban("seed", "--if-empty", db=db_url)
    assert proc.returncode == 0 and "nothing to do" in proc.stderr
    assert huoban("seed", "--scale", "5", "--reset", "--seed", "9", db=db_url).returncode == 0


def test_db_commands(blank_db_url: str) -> None:
    assert huoban("db", "upgrade", db=blank_db_url).returncode == 0
    assert huoban("db", "current", db=blank_db_url).stdout.strip() == "0006"
    assert huoban("db", "downgrade", "--revision", "base", db=blank_db_url).returncode == 0
    assert huoban("db", "current", db=blank_db_url).stdout.strip() == "none"
