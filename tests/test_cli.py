"""The huoban command: clear one-line errors and non-zero exits, never a traceback."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from api.security import verify_api_key, verify_secret
from models import ApiKey, AuditLog, User
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


def test_impression_pruning_names_its_limits_and_reports_what_it_did(db_url: str) -> None:
    assert huoban("seed", "--scale", "5", db=db_url).returncode == 0
    assert_clean_failure(huoban("impressions", "prune", db=db_url), 2, "HUOBAN_IMPRESSION_RETENTION_DAYS")
    assert_clean_failure(huoban("impressions", "prune", "--older-than-days", "3", db=db_url), 2, "at least 14")
    proc = huoban("impressions", "prune", "--older-than-days", "30", "--json", db=db_url)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out["kinds"]) == {"mentor", "investor", "provider", "dealflow"}
    assert all(v == {"rows": 0, "profiles": 0} for v in out["kinds"].values())  # a fresh seed has none that old


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
    assert huoban("db", "current", db=blank_db_url).stdout.strip() == "0014"
    assert huoban("db", "downgrade", "--revision", "base", db=blank_db_url).returncode == 0
    assert huoban("db", "current", db=blank_db_url).stdout.strip() == "none"


def _me(url: str, key: str, tmp_path: Path) -> int:
    """The status a running service gives this key on GET /api/v1/me."""
    from api import create_app
    from api.extensions import db

    app = create_app({"DATABASE_URL": url, "VAR_DIR": str(tmp_path / "var"), "ENCODER": "keyword",
                      "LOAD_MATCHER": False, "RATELIMIT_ENABLED": False, "TESTING": True})
    try:
        return int(app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code)
    finally:
        with app.app_context():
            db.engine.dispose()


def test_key_and_user_lifecycle(db_url: str, tmp_path: Path) -> None:
    """list (never the secret), rotate (new key works, old one does not), revoke, expiry, deactivation,
    password reset - each seen by the service on the next request."""
    import datetime as dt

    from sqlalchemy import update

    assert huoban("seed", "--scale", "25", db=db_url).returncode == 0
    first = huoban("key", "create", "--role", "founder", "--profile", "project:3", "--expires-in-days", "30",
                   db=db_url).stdout.strip()
    listed = huoban("key", "list", "--json", db=db_url)
    assert listed.returncode == 0 and first.split("_", 2)[2] not in listed.stdout
    row = json.loads(listed.stdout.splitlines()[0])
    assert row["prefix"] == first.split("_")[1] and row["state"] == "active" and row["expires_at"]
    assert _me(db_url, first, tmp_path) == 200
    rotated = huoban("key", "rotate", first, db=db_url)
    assert rotated.returncode == 0, rotated.stderr
    second = rotated.stdout.strip()
    assert KEY.match(second) and _me(db_url, first, tmp_path) == 401 and _me(db_url, second, tmp_path) == 200
    assert huoban("key", "revoke", second.split("_")[1], db=db_url).returncode == 0
    assert _me(db_url, second, tmp_path) == 401
    assert_clean_failure(huoban("key", "revoke", "hb_nosuchkey_x", db=db_url), 2, "no API key")
    # expiry
    third = huoban("key", "create", "--role", "operator", "--space", "1", "--name", "ops", db=db_url).stdout.strip()
    assert _me(db_url, third, tmp_path) == 200
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(update(ApiKey).where(ApiKey.prefix == third.split("_")[1])
                         .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    finally:
        engine.dispose()
    assert _me(db_url, third, tmp_path) == 401
    states = [json.loads(line)["state"] for line in huoban("key", "list", "--all", "--json", db=db_url
                                                           ).stdout.splitlines()]
    assert states.count("expired") == 1 and states.count("revoked") == 2
    # deactivation and password reset
    fourth = huoban("key", "create", "--role", "operator", "--space", "2", db=db_url).stdout.strip()
    engine = make_engine(db_url)
    try:
        with make_session_factory(engine)() as session:
            user_id = session.scalars(select(ApiKey.user_id).where(ApiKey.prefix == fourth.split("_")[1])).one()
    finally:
        engine.dispose()
    assert huoban("user", "deactivate", str(user_id), db=db_url).returncode == 0
    assert _me(db_url, fourth, tmp_path) == 401
    assert huoban("user", "activate", str(user_id), db=db_url).returncode == 0
    assert _me(db_url, fourth, tmp_path) == 200
    reset = huoban("user", "password", str(user_id), "--generate", db=db_url)
    assert reset.returncode == 0, reset.stderr
    password = reset.stdout.strip()
    engine = make_engine(db_url)
    try:
        with make_session_factory(engine)() as session:
            stored = session.get(User, user_id)
            assert stored is not None and stored.password_hash and verify_secret(password, stored.password_hash)
    finally:
        engine.dispose()


def _table_dump(url: str) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    from models import Base

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {t.name: [tuple(r) for r in conn.execute(select(*t.columns).order_by(*t.primary_key.columns))]
                    for t in Base.metadata.sorted_tables}
    finally:
        engine.dispose()


def test_a_key_whose_prefix_is_all_digits_is_found_by_it(db_url: str) -> None:
    """A prefix is 12 hex characters; about one key in 280 has only digits (CI once drew 587776591741, which was
    read as an id beyond PostgreSQL's INTEGER and failed). Such a prefix names its key, an id still names its
    key, and a number no id can be is a clean "no such" on both databases."""
    from sqlalchemy import update

    made = [huoban("key", "create", "--role", "admin", db=db_url) for _ in range(2)]
    assert all(p.returncode == 0 for p in made), [p.stderr for p in made]
    digits, other = (p.stdout.strip() for p in made)
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(update(ApiKey).where(ApiKey.prefix == digits.split("_")[1]).values(prefix="587776591741"))
        with make_session_factory(engine)() as session:
            other_id = session.scalars(select(ApiKey.id).where(ApiKey.prefix == other.split("_")[1])).one()
        revoked = huoban("key", "revoke", "587776591741", db=db_url)
        assert revoked.returncode == 0, revoked.stderr
        by_id = huoban("key", "revoke", str(other_id), db=db_url)
        assert by_id.returncode == 0 and f"key {other_id} revoked" in by_id.stderr, by_id.stderr
        with make_session_factory(engine)() as session:
            states = dict(session.execute(select(ApiKey.prefix, ApiKey.revoked_at)).all())
        assert states["587776591741"] is not None and states[other.split("_")[1]] is not None
        assert_clean_failure(huoban("key", "revoke", "99999999999999", db=db_url), 2, "no API key")
        assert_clean_failure(huoban("user", "deactivate", "99999999999999", db=db_url), 2, "no user")
    finally:
        engine.dispose()


def test_backup_restore_round_trip_and_space_export(db_url: str, tmp_path: Path) -> None:
    """`huoban backup` then damage then `huoban restore` gives back every row of every table, on SQLite and
    PostgreSQL; `huoban export` writes one space's rows without secrets."""
    from sqlalchemy import delete

    from models import PortfolioInvestment, Project

    assert huoban("seed", "--scale", "25", db=db_url).returncode == 0
    assert huoban("key", "create", "--role", "operator", "--space", "1", db=db_url).returncode == 0
    before = _table_dump(db_url)
    dest = tmp_path / "backups" / "huoban.backup"
    made = huoban("backup", str(dest), db=db_url)
    assert made.returncode == 0, made.stderr
    assert oct(dest.stat().st_mode & 0o777) == "0o600"
    assert_clean_failure(huoban("backup", str(dest), db=db_url), 1, "exists")
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(delete(PortfolioInvestment))
            conn.execute(delete(Project).where(Project.id > 3))
    finally:
        engine.dispose()
    assert _table_dump(db_url) != before
    assert_clean_failure(huoban("restore", str(dest), db=db_url), 2, "--yes")
    restored = huoban("restore", str(dest), "--yes", db=db_url)
    assert restored.returncode == 0, restored.stderr
    after = _table_dump(db_url)
    # every row is back, and the restore itself is the one entry added to the (restored) audit log
    assert {t: rows for t, rows in after.items() if t != "audit_log"} == \
        {t: rows for t, rows in before.items() if t != "audit_log"}
    assert after["audit_log"][:-1] == before["audit_log"]
    engine = make_engine(db_url)
    try:
        with make_session_factory(engine)() as session:
            entry = session.scalars(select(AuditLog).order_by(AuditLog.id.desc()).limit(1)).one()
    finally:
        engine.dispose()
    assert (entry.action, entry.object_type, entry.object_id, entry.actor_user_id, entry.space_id) == \
        ("database.restore", "database", "huoban.backup", None, None)  # no actor: the CLI
    assert entry.detail == {"file": str(dest.resolve()), "bytes": dest.stat().st_size,
                            "sha256": hashlib.sha256(dest.read_bytes()).hexdigest()}
    exported = huoban("export", "--space", "1", db=db_url)
    assert exported.returncode == 0, exported.stderr
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    tables = {r["table"] for r in rows}
    assert {"spaces", "projects"} <= tables and "api_keys" not in tables
    assert all(r["row"].get("space_id", 1) == 1 for r in rows if r["table"] != "spaces")
    assert not any("password_hash" in r["row"] or "key_hash" in r["row"] for r in rows)
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            in_space = conn.execute(select(Project.id).where(Project.space_id == 1)).scalars().all()
    finally:
        engine.dispose()
    assert sorted(r["row"]["id"] for r in rows if r["table"] == "projects") == sorted(in_space) and in_space


def test_import_takes_a_gbk_sheet_dry_runs_updates_and_reports_bad_rows(db_url: str, tmp_path: Path) -> None:
    from models import Mentor, Space

    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(Space.__table__.insert(), {"slug": "cli", "name": "CLI", "city": "370100",
                                                    "focus_industries": []})
            space = conn.execute(select(Space.id)).scalar_one()
    finally:
        engine.dispose()

    def mentors() -> list[tuple[str, int]]:
        eng = make_engine(db_url)
        try:
            with eng.connect() as conn:
                return sorted(conn.execute(select(Mentor.external_id, Mentor.capacity)).all())  # type: ignore[arg-type]
        finally:
            eng.dispose()

    sheet = tmp_path / "导师.csv"
    sheet.write_bytes(("编号,姓名,导师类型,专长,可提供的帮助,可服务需求,服务阶段,城市,容量\n"
                       "C-1,甲,技术专家,视觉,评审方案,研发设计,种子期,济南,2\n"
                       "C-2,乙,成功企业家,销售,销售路径,销售渠道,初创期,青岛,3\n").encode("gbk"))
    dry = huoban("import", str(sheet), "--kind", "mentor", "--space", str(space), "--dry-run", "--json", db=db_url)
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["created"] == 2 and "would be created" in dry.stderr and mentors() == []
    real = huoban("import", str(sheet), "--kind", "mentor", "--space", str(space), db=db_url)
    assert real.returncode == 0, real.stderr
    assert mentors() == [("C-1", 2), ("C-2", 3)]
    sheet.write_bytes(sheet.read_bytes().replace("济南,2".encode("gbk"), "济南,5".encode("gbk")))
    again = huoban("import", str(sheet), "--kind", "mentor", "--space", str(space), db=db_url)
    assert again.returncode == 0 and "0 were created, 2 were updated" in again.stderr
    assert mentors() == [("C-1", 5), ("C-2", 3)]
    bad = tmp_path / "bad.csv"
    bad.write_text("编号,姓名,导师类型,专长,可提供的帮助,可服务需求,服务阶段,城市\nC-3,丙,宇航员,x,y,研发设计,种子期,火星\n",
                   encoding="utf-8")
    assert_clean_failure(huoban("import", str(bad), "--kind", "mentor", "--space", str(space), db=db_url), 1,
                         "row 2: mentor_type", "row 2: city", "nothing was imported")
    assert mentors() == [("C-1", 5), ("C-2", 3)]
    assert_clean_failure(huoban("import", str(sheet), "--kind", "mentor", "--space", "999", db=db_url), 1,
                         "no space with id 999")
