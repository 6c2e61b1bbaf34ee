"""Declarative base, constraint naming convention and shared column types.

Tag lists (industries, needs, stages...) are JSON arrays of taxonomy codes: ``JSONB`` on PostgreSQL,
``JSON`` on SQLite. :func:`tags_contain` filters on them portably.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from sqlalchemy import JSON, BigInteger, DateTime, Integer, MetaData, String, Text, TypeDecorator
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, mapped_column
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Boolean

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC datetimes")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


JsonType = JSON().with_variant(JSONB(), "postgresql")

intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
bigint = Annotated[int, mapped_column(BigInteger)]
str40 = Annotated[str, mapped_column(String(40))]
str200 = Annotated[str, mapped_column(String(200))]
text = Annotated[str, mapped_column(Text)]
tags = Annotated[list[str], mapped_column(JsonType, default=list)]
json_obj = Annotated[dict[str, Any], mapped_column(JsonType, default=dict)]
timestamp = Annotated[dt.datetime, mapped_column(UTCDateTime(), default=utcnow)]
flag = Annotated[bool, mapped_column(Boolean, default=False)]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class tags_contain(FunctionElement[bool]):  # noqa: N801 - reads as SQL
    """``tags_contain(column, 'ai')``: true when the JSON array ``column`` holds the string value."""

    inherit_cache = True
    type = Boolean()
    name = "tags_contain"


@compiles(tags_contain)
def _tags_contain_default(element: tags_contain, compiler: Any, **kw: Any) -> str:
    column, value = list(element.clauses)
    col_sql, value_sql = compiler.process(column, **kw), compiler.process(value, **kw)
    return f"EXISTS (SELECT 1 FROM json_each({col_sql}) WHERE json_each.value = {value_sql})"


@compiles(tags_contain, "postgresql")
def _tags_contain_pg(element: tags_contain, compiler: Any, **kw: Any) -> str:
    column, value = list(element.clauses)
    # jsonb_exists() is the function behind the ``?`` operator; spelled out so no driver mistakes ``?``
    # for a placeholder.
    return f"jsonb_exists({compiler.process(column, **kw)}, {compiler.process(value, **kw)})"


def tag_filter(column: Any, value: str) -> ColumnElement[bool]:
    return tags_contain(column, value)
