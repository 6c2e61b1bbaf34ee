"""Shared fixtures.

Database tests take the ``db_url`` fixture, parametrised over SQLite (a temporary file) and PostgreSQL
(``TEST_DATABASE_URL``, default ``postgresql://postgres@127.0.0.1:5432/test``). Each PostgreSQL test
gets its own schema, dropped afterwards, so the ``test`` database is left as it was found. With
``CI=true`` an unreachable PostgreSQL fails the run; elsewhere those tests skip with a one-line reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

_pg_status: tuple[bool, str] | None = None


def pg_available() -> tuple[bool, str]:
    global _pg_status
    if _pg_status is None:
        import psycopg

        try:
            with psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://"), connect_timeout=3):
                _pg_status = (True, "")
        except Exception as exc:  # noqa: BLE001
            _pg_status = (False, f"PostgreSQL at {PG_URL} unreachable: {str(exc).splitlines()[0]}")
    return _pg_status


def require_pg() -> None:
    ok, reason = pg_available()
    if not ok:
        if IN_CI:
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)


class PgSchema:
    """A throw-away schema in the test database, used via search_path."""

    def __init__(self) -> None:
        self.name = f"hbtest_{uuid.uuid4().hex[:12]}"

    @property
    def url(self) -> str:
        from models.db import normalise_url

        base = normalise_url(PG_URL)
        sep = "&" if "?" in base else "?"
        return f"{base}{sep}options={quote(f'-csearch_path={self.name}')}"

    def create(self) -> None:
        import psycopg

        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{self.name}"')

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def blank_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database (no tables) on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    require_pg()
    schema = PgSchema()
    schema.create()
    try:
        yield schema.url
    finally:
        schema.drop()


@pytest.fixture
def db_url(blank_db_url: str) -> str:
    """A migrated, empty database on each backend."""
    from models.db import upgrade

    upgrade(blank_db_url)
    return blank_db_url


def pytest_report_header(config: pytest.Config) -> str:
    ok, reason = pg_available()
    return "postgresql: " + ("reachable" if ok else reason)
