"""Places as GB/T 2260 codes: the 27 city codes of before (``beijing``, ``xian``...) become the national
list's codes (``110000``, ``610100``) and the four overseas cities ``<country>-<city>`` (``de-berlin``), in
every column that holds a place: spaces, projects and portfolio rows (``city``), mentors, investors and
providers (``city`` and the ``regions`` lists). Macro regions and ``nationwide`` keep their codes.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None

# a copy, not an import: a migration must not change when the code does (matcher.geography.LEGACY_CODES)
LEGACY = {
    "beijing": "110000", "tianjin": "120000", "shijiazhuang": "130100", "shanghai": "310000",
    "hangzhou": "330100", "nanjing": "320100", "suzhou": "320500", "hefei": "340100", "xiamen": "350200",
    "qingdao": "370200", "shenzhen": "440300", "guangzhou": "440100", "dongguan": "441900", "wuhan": "420100",
    "changsha": "430100", "zhengzhou": "410100", "chengdu": "510100", "chongqing": "500000", "kunming": "530100",
    "xian": "610100", "lanzhou": "620100", "shenyang": "210100", "harbin": "230100", "singapore": "sg-singapore",
    "london": "gb-london", "berlin": "de-berlin", "san_francisco": "us-san_francisco",
}
CITY_ONLY = ("spaces", "projects", "portfolio_investments")
WITH_REGIONS = ("mentors", "investors", "providers")


def _rewrite(mapping: dict[str, str]) -> None:
    bind = op.get_bind()
    for name in CITY_ONLY + WITH_REGIONS:
        cols: list[Any] = [sa.column("id", sa.Integer), sa.column("city", sa.String)]
        if name in WITH_REGIONS:
            cols.append(sa.column("regions", sa.JSON))
        table = sa.table(name, *cols)
        for row in bind.execute(sa.select(*table.c)).mappings().all():
            values: dict[str, Any] = {}
            if row["city"] in mapping:
                values["city"] = mapping[row["city"]]
            if name in WITH_REGIONS:
                regions = list(row["regions"] or [])
                moved = [mapping.get(r, r) for r in regions]
                if moved != regions:
                    values["regions"] = moved
            if values:
                bind.execute(table.update().where(table.c.id == row["id"]).values(**values))


def upgrade() -> None:
    _rewrite(LEGACY)


def downgrade() -> None:
    _rewrite({new: old for old, new in LEGACY.items()})
