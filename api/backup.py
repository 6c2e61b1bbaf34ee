"""Backups, restores and a space's data as JSON Lines.

* :func:`backup` copies the whole database: SQLite through its online backup API (a consistent copy while the
  service runs), PostgreSQL through ``pg_dump --format=custom`` (only the schema the URL's ``search_path``
  names, when it names one).
* :func:`restore` puts such a copy back, replacing everything (stop the service first): SQLite through the
  backup API in the other direction, PostgreSQL through ``pg_restore --clean --if-exists`` in one transaction.
* :func:`export_space` writes one space's rows (the space, its profiles, introductions, feedback, impressions,
  portfolio rows, weights, audit log...) as JSON Lines, ``{"table": ..., "row": {...}}``, without secrets
  (no password or key hashes).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.engine import make_url

from models import Base
from models.db import json_dumps, make_engine, normalise_url

__all__ = ["BackupError", "backup", "export_space", "restore"]

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
SECRET_COLUMNS = {"password_hash", "key_hash", "token_hash"}
NO_EXPORT = {"api_keys", "console_sessions", "alembic_version"}


class BackupError(RuntimeError):
    """A backup or restore that cannot be done (the message says why)."""


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("only a file-backed SQLite database can be backed up or restored")
    return Path(database)


def _pg(url: str) -> tuple[str, list[str]]:
    """(libpq URI, pg_dump/pg_restore schema arguments) of a SQLAlchemy PostgreSQL URL."""
    parsed = make_url(url)
    uri = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    raw = parsed.query.get("options", "")
    options = " ".join(raw) if isinstance(raw, tuple) else str(raw)
    schema: list[str] = []
    for part in options.split():
        if part.startswith("-csearch_path="):
            schema = [f"--schema={part.split('=', 1)[1].split(',')[0]}"]
    return uri, schema


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def _copy_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy page by page, while other connections go on working."""
    src = sqlite3.connect(source)
    try:
        out = sqlite3.connect(target)
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()


def backup(url: str, dest: str | Path) -> Path:
    """Copy the database at ``url`` into ``dest`` (a new file, mode 600)."""
    url = normalise_url(url)
    dest = Path(dest)
    if dest.exists():
        raise BackupError(f"{dest} exists; choose a new file")
    dest.parent.mkdir(parents=True, exist_ok=True)
    backend = make_url(url).get_backend_name()
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        if backend == "sqlite":
            source = _sqlite_path(url)
            if not source.exists():
                raise BackupError(f"no database at {source}")
            _copy_sqlite(source, dest)
        elif backend == "postgresql":
            uri, schema = _pg(url)
            proc = subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", *schema, "--file", str(dest),
                                   uri], capture_output=True, text=True, timeout=3600)
            if proc.returncode != 0:
                raise BackupError(f"pg_dump failed: {proc.stderr.strip().splitlines()[-1] if proc.stderr else ''}")
        else:
            raise BackupError(f"cannot back up a {backend} database")
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    return dest


def restore(url: str, src: str | Path) -> None:
    """Replace the database at ``url`` with the backup ``src`` (made by :func:`backup` for the same backend)."""
    url = normalise_url(url)
    src = Path(src)
    if not src.is_file():
        raise BackupError(f"no backup file {src}")
    with open(src, "rb") as fh:
        head = fh.read(16)
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupError(f"{src} is not an SQLite backup")
        target = _sqlite_path(url)
        engine = make_engine(url)  # creates the file (mode 600) when it is missing
        engine.dispose()
        _copy_sqlite(src, target)
    elif backend == "postgresql":
        if not head.startswith(PG_MAGIC):
            raise BackupError(f"{src} is not a pg_dump custom-format backup")
        uri, schema = _pg(url)
        proc = subprocess.run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                               *schema, "--dbname", uri, str(src)], capture_output=True, text=True, timeout=3600)
        if proc.returncode != 0:
            raise BackupError(f"pg_restore failed: {proc.stderr.strip().splitlines()[-1] if proc.stderr else ''}")
    else:
        raise BackupError(f"cannot restore a {backend} database")


def _space_rows(conn: Any, space_id: int) -> Iterator[tuple[str, dict[str, Any]]]:
    tables = [t for t in Base.metadata.sorted_tables if t.name not in NO_EXPORT]
    projects: list[int] = []
    for table in tables:
        columns = [c for c in table.columns if c.name not in SECRET_COLUMNS]
        if table.name == "spaces":
            query = select(*columns).where(table.c.id == space_id)
        elif "space_id" in table.c:
            query = select(*columns).where(table.c.space_id == space_id)
        elif "project_id" in table.c and projects:
            query = select(*columns).where(table.c.project_id.in_(projects))
        else:
            continue
        for row in conn.execute(query.order_by(*table.primary_key.columns)).mappings():
            data = dict(row)
            if table.name == "projects":
                projects.append(int(row["id"]))
            yield table.name, data


def export_space(url: str, space_id: int, out: IO[str]) -> dict[str, int]:
    """Write the space's rows to ``out`` as JSON Lines; returns rows per table."""
    engine = make_engine(normalise_url(url))
    counts: dict[str, int] = {}
    try:
        with engine.connect() as conn:
            spaces = Base.metadata.tables["spaces"]
            if conn.execute(select(spaces.c.id).where(spaces.c.id == space_id)).first() is None:
                raise BackupError(f"no space {space_id}")
            for table, row in _space_rows(conn, space_id):
                out.write(json_dumps({"table": table, "row": row}) + "\n")
                counts[table] = counts.get(table, 0) + 1
    finally:
        engine.dispose()
    return counts
