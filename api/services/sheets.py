"""Sheets for operators: the import template of each kind, and a space's profiles, introductions and
outcomes as XLSX or CSV.

- Headers are bilingual and name the field (``项目名称 Project name (name)``), so an exported sheet or a
  filled template imports back as it is; taxonomy values are written as Chinese labels, places by their
  Chinese name when that reads back to the same place (else by code), lists joined with ``|``.
- The template holds an example row and drop-down lists for every taxonomy column (on a hidden sheet, since
  Excel limits an inline list to 255 characters); single-value columns refuse other entries, multi-value
  columns only suggest (``人工智能|先进制造`` is not one item of the list).
- Formula injection: a text cell starting with ``= + - @``, a tab or a carriage return is written with a
  leading ``'`` (OWASP's advice), so no spreadsheet evaluates it; the importer drops that quote again.
- CSV is UTF-8 with a BOM, which Excel needs to open Chinese text correctly.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.services import import_headers as headers
from api.services import profiles as svc
from matcher.taxonomy import (
    CITIES,
    INDUSTRIES,
    INVESTOR_KINDS,
    LANGUAGES,
    MENTOR_TYPES,
    NEEDS,
    PRICE_TIERS,
    PROVIDER_CATEGORIES,
    REGIONS,
    ROUNDS,
    STAGES,
)
from models import FeedbackEvent, IntroRequest, Project

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

# field -> (vocabulary, several values?)
VOCABS: dict[str, tuple[Any, bool]] = {
    "stage": (STAGES, False), "stages": (STAGES, True), "round_sought": (ROUNDS, False), "rounds": (ROUNDS, True),
    "industries": (INDUSTRIES, True), "needs": (NEEDS, True), "serves": (NEEDS, True),
    "languages": (LANGUAGES, True), "mentor_type": (MENTOR_TYPES, False), "kind": (INVESTOR_KINDS, False),
    "category": (PROVIDER_CATEGORIES, False), "price_tier": (PRICE_TIERS, False),
}
PLACE_FIELDS = {"city": (CITIES, False), "regions": (REGIONS, True)}
BOOLEANS = ("active", "dealflow_curated")
_RISKY = ("=", "+", "-", "@", "\t", "\r")


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what XLSX cannot hold (openpyxl refuses it)


def neutralise(value: Any) -> Any:
    """A text cell no spreadsheet will evaluate as a formula, and that an XLSX file can hold (control
    characters such as a vertical tab pasted from Word become spaces)."""
    if isinstance(value, str):
        value = _ILLEGAL.sub(" ", value)
        if value.startswith(_RISKY):
            return "'" + value
    return value


@cache
def _place_label(vocab_name: str, code: str) -> str:
    vocab = CITIES if vocab_name == "city" else REGIONS
    try:
        place = REGIONS.get(code)
    except KeyError:
        return code
    for name in (place.zh, place.short_zh):
        try:
            if vocab.parse(name) == code:
                return name
        except Exception:  # noqa: BLE001 - an ambiguous or unknown name: the code is the safe spelling
            continue
    return code


def _label(field: str, value: Any) -> Any:
    if field in VOCABS:
        vocab, many = VOCABS[field]
        codes = value if many else [value]
        out = [vocab.zh(c) if c in vocab else str(c) for c in codes or [] if c is not None]
        return "|".join(out) if many else (out[0] if out else None)
    if field in PLACE_FIELDS:
        _, many = PLACE_FIELDS[field]
        codes = value if many else [value]
        out = [_place_label(field, c) for c in codes or [] if c]
        return "|".join(out) if many else (out[0] if out else None)
    if field in BOOLEANS and value is not None:
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "|".join(str(v) for v in value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def profile_rows(session: Session, kind: str, space_id: int) -> tuple[list[str], list[list[Any]]]:
    """The space's own profiles of a kind (not archived), with import headers, Huoban's id last."""
    model = svc.PROFILE_MODELS[kind]
    fields = headers.FIELDS[kind]
    rows = session.scalars(select(model).where(model.space_id == space_id, model.archived_at.is_(None))
                           .order_by(model.id))
    out = [[_label(f, getattr(r, f, None)) for f in fields] for r in rows]
    return [headers.header_label(kind, f) for f in fields], out


INTRO_COLUMNS = (("id", "介绍编号", "Intro id"), ("created_at", "发起时间", "Requested at"),
                 ("project", "项目", "Project"), ("candidate_kind", "对象类型", "Candidate kind"),
                 ("candidate", "对象", "Candidate"), ("direction", "发起方", "Initiated by"),
                 ("status", "状态", "Status"), ("decided_at", "答复时间", "Decided at"),
                 ("ended_at", "结束时间", "Ended at"), ("expires_at", "过期时间", "Expires at"))
OUTCOME_COLUMNS = (("id", "记录编号", "Event id"), ("occurred_at", "发生时间", "Occurred at"),
                   ("type", "类型", "Type"), ("project", "项目", "Project"), ("candidate_kind", "对象类型",
                   "Candidate kind"), ("candidate", "对象", "Candidate"), ("intro_id", "介绍编号", "Intro id"),
                   ("rating", "评分", "Rating"), ("amount", "金额（元）", "Amount (CNY)"), ("notes", "备注", "Notes"))
STATUS_ZH = {"pending": "待答复", "accepted": "已接受", "declined": "已婉拒", "expired": "已过期"}
KIND_ZH = {"mentor": "导师", "investor": "投资人", "provider": "服务机构", "project": "项目"}


def _names(session: Session, pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    by_kind: dict[str, set[int]] = {}
    for kind, id_ in pairs:
        by_kind.setdefault(kind, set()).add(id_)
    out: dict[tuple[str, int], str] = {}
    for kind, ids in by_kind.items():
        model = Project if kind == "project" else svc.PROFILE_MODELS[kind]
        for chunk in (sorted(ids)[i:i + 500] for i in range(0, len(ids), 500)):
            for id_, name in session.execute(select(model.id, model.name).where(model.id.in_(chunk))):
                out[(kind, id_)] = name
    return out


def _activity(session: Session, space_id: int, model: Any, columns: Sequence[tuple[str, str, str]],
              order: Any) -> tuple[list[str], list[list[Any]]]:
    items = list(session.scalars(select(model).where(model.space_id == space_id).order_by(order)))
    names = _names(session, [("project", i.project_id) for i in items] +
                   [(i.candidate_kind, i.candidate_id) for i in items])
    rows = []
    for item in items:
        values = {"project": names.get(("project", item.project_id), f"#{item.project_id}"),
                  "candidate": names.get((item.candidate_kind, item.candidate_id), f"#{item.candidate_id}")}
        row = []
        for key, _, _ in columns:
            value = values[key] if key in values else getattr(item, key)
            if key == "status":
                value = STATUS_ZH.get(value, value)
            elif key == "candidate_kind":
                value = KIND_ZH.get(value, value)
            row.append(_label(key, value) if isinstance(value, dt.datetime) else value)
        rows.append(row)
    return [f"{zh} {en} ({key})" for key, zh, en in columns], rows


def intro_rows(session: Session, space_id: int) -> tuple[list[str], list[list[Any]]]:
    return _activity(session, space_id, IntroRequest, INTRO_COLUMNS, IntroRequest.id)


def outcome_rows(session: Session, space_id: int) -> tuple[list[str], list[list[Any]]]:
    return _activity(session, space_id, FeedbackEvent, OUTCOME_COLUMNS, FeedbackEvent.id)


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else neutralise(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    ws.append(list(header))
    for row in rows:
        ws.append([neutralise(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template(kind: str) -> bytes:
    """The import template of a kind: bilingual headers, one example row, drop-downs, a notes sheet."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    fields = headers.template_fields(kind)
    wb = Workbook()
    ws = wb.active
    ws.title = "导入 Import"
    lists = wb.create_sheet("选项 Lists")
    ws.append([headers.header_label(kind, f) for f in fields])
    ws.append([neutralise(headers.EXAMPLES[kind].get(f)) for f in fields])
    required = {name for name, f in svc_schema(kind).fields.items() if f.required}
    for col, field in enumerate(fields, start=1):
        cell = ws.cell(row=1, column=col)
        cell.font = Font(bold=True)
        if field in required:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
            cell.comment = Comment("必填 Required", "Huoban")
        ws.column_dimensions[get_column_letter(col)].width = max(14, min(40, len(cell.value) + 2))
    ws.freeze_panes = "A2"
    n = 0
    for col, field in enumerate(fields, start=1):
        if field in VOCABS or field in PLACE_FIELDS:
            vocab, many = VOCABS.get(field) or PLACE_FIELDS[field]
            if field in PLACE_FIELDS:
                values = [_place_label(field, p.code) for p in vocab]
            else:
                values = [label.zh for label in vocab]
            if not values:
                continue
            n += 1
            letter = get_column_letter(n)
            lists.cell(row=1, column=n, value=field)
            for i, v in enumerate(values, start=2):
                lists.cell(row=i, column=n, value=v)
            dv = DataValidation(type="list", formula1=f"='选项 Lists'!${letter}$2:${letter}${len(values) + 1}",
                                allow_blank=True)
            if many or field in PLACE_FIELDS:  # a suggestion: several values, or a place by code or pinyin
                dv.errorStyle = "information"
                dv.error = "可填多个，用 | 分隔；也可填代码或英文 Several values: separate with |"
            else:
                dv.error = "请从列表中选择 Choose from the list"
            dv.showErrorMessage = True
            dv.add(f"{get_column_letter(col)}2:{get_column_letter(col)}{5001}")
            ws.add_data_validation(dv)
    lists.sheet_state = "hidden"
    notes = wb.create_sheet("说明 Notes")
    for line in TEMPLATE_NOTES:
        notes.append([line])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


TEMPLATE_NOTES = (
    "第一行是表头：中文、英文名称都可以，括号里是字段名。Headers may be Chinese or English; the field is in brackets.",
    "黄色表头为必填。Yellow headers are required.",
    "多个值用 | 分隔（也可用 、 ; ,）。Several values: separate with | (or 、 ; ,).",
    "金额可写 600万、1.5亿 或 6000000（元）。Amounts: 600万, 1.5亿 or 6000000 (CNY).",
    "外部编号（external_id）是贵空间自己的编号：再次导入同一编号会更新该条，而不是新增。"
    "external_id is your own key: importing it again updates that profile instead of adding one.",
    "导入前可先“试运行”（dry run），查看将新增、更新和拒绝的行，不写入任何数据。"
    "Try a dry run first: it shows what would be created, updated and refused, and writes nothing.",
    "第 2 行是示例，导入前请删除。Row 2 is an example: delete it before importing.",
)


def svc_schema(kind: str) -> Any:
    from api.services.importer import SCHEMAS

    return SCHEMAS[kind]()


def download(body: bytes, filename: str, mimetype: str) -> Any:
    """An attachment response (never cached: exports hold contacts)."""
    from urllib.parse import quote

    from flask import Response

    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response.headers["Cache-Control"] = "no-store"
    return response


def export_file(session: Session, kind: str, space_id: int, fmt: str) -> tuple[bytes, str, str, int]:
    """(body, file name, media type, rows) of a space's export: profiles of a kind, ``intro`` or ``outcome``."""
    if kind == "intro":
        header, rows = intro_rows(session, space_id)
    elif kind == "outcome":
        header, rows = outcome_rows(session, space_id)
    else:
        header, rows = profile_rows(session, kind, space_id)
    name = f"huoban-space{space_id}-{kind}s-{dt.date.today().isoformat()}"
    if fmt == "csv":
        return to_csv(header, rows), f"{name}.csv", CSV_TYPE, len(rows)
    return to_xlsx(header, rows, f"{kind}s"), f"{name}.xlsx", XLSX_TYPE, len(rows)
