"""Import profiles from CSV or XLSX into one space, all or nothing, the way operators keep them.

- **Encodings**: UTF-8 with or without a BOM, UTF-16 with a BOM, and what Chinese Excel saves by default
  (GBK/GB18030), detected by charset-normalizer.
- **Headers** in Chinese or English (``api.services.import_headers``: each field's labels and synonyms);
  columns that name no field are ignored and reported.
- **Keys**: a row with an ``external_id`` already used in the space, or with Huoban's ``id`` of a profile of
  the space, updates that profile (only the columns the sheet has; an empty cell leaves the value); any
  other row creates one. An external id may appear once per file.
- **Values**: list fields take ``|``-separated values (``、``, ``;`` and ``,`` also work); taxonomy fields
  take codes or Chinese/English labels; money takes ``600万``, ``1.5亿`` or ``6,000,000``; dates
  ``2021-03-05``, ``2021/3/5`` or ``2021年3月5日``; yes/no ``是/否``, ``true/false``.
- **All or nothing**: every row is validated with the same schema as the API; if any row is bad, the
  answer lists every error with its row number (the header is row 1) and nothing is written. A dry run
  answers what would be created, updated and refused, and writes nothing.
- **Limits** are enforced while reading: at most MAX_ROWS rows (the file is streamed, not loaded whole).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from apiflask import HTTPError
from marshmallow import Schema, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from api import schemas as s
from api.problems import field_errors, problem
from api.services import audit as audit_svc
from api.services import import_headers as headers
from api.services import profiles as svc

MAX_ROWS = 5000
MAX_COLUMNS = 64  # columns read from a sheet (a profile has fewer than 30 fields)
MAX_SCANNED_ROWS = 4 * MAX_ROWS  # rows read at all, empty ones included
SCHEMAS: dict[str, type[Schema]] = {"project": s.ProjectIn, "mentor": s.MentorIn, "investor": s.InvestorIn,
                                    "provider": s.ProviderIn}
_SPLIT = re.compile(r"\s*[|、;；,，]\s*")
_BOOL = {"true": True, "1": True, "yes": True, "y": True, "是": True, "有效": True, "启用": True, "√": True,
         "false": False, "0": False, "no": False, "n": False, "否": False, "无效": False, "停用": False}
BOOL_FIELDS = ("active", "dealflow_curated")
MONEY_FIELDS = ("funding_sought", "ticket_min", "ticket_max")
_MONEY = re.compile(r"^(?:cny|rmb|¥|￥)?\s*([0-9][0-9,，]*(?:\.[0-9]+)?)\s*(亿|万|千|百万|m|k)?\s*"
                    r"(?:元|人民币|rmb|cny)?$", re.IGNORECASE)
_UNIT = {"亿": 100_000_000, "万": 10_000, "千": 1_000, "百万": 1_000_000, "m": 1_000_000, "k": 1_000}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?)?\s*月?$")
_FORMULA_GUARD = re.compile(r"^'(?=[=+\-@\t\r])")  # what the export adds before a formula-like cell


def _list_fields(schema: Schema) -> set[str]:
    from marshmallow import fields

    return {name for name, f in schema.fields.items() if isinstance(f, fields.List)}


MAX_XLSX_UNPACKED = 64 * 2**20  # bytes of the unpacked workbook
MAX_XLSX_CELLS = (MAX_ROWS + 1) * MAX_COLUMNS


def _refuse_xlsx_bombs(content: bytes) -> None:
    """Before openpyxl sees the file: refuse a workbook that unpacks to more than MAX_XLSX_UNPACKED bytes, or
    whose sheets hold more than MAX_XLSX_CELLS cells or MAX_SCANNED_ROWS rows (cell and row tags counted in
    the streamed XML: a 60 KB file can declare a million cells, which openpyxl would build in full)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            infos = zf.infolist()
            if sum(i.file_size for i in infos) > MAX_XLSX_UNPACKED:
                problem(413, f"the workbook unpacks to more than {MAX_XLSX_UNPACKED // 2**20} MB")
            cells = rows = 0
            for info in infos:
                if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                    continue
                with zf.open(info) as fh:
                    tail = b""
                    while chunk := fh.read(1 << 20):
                        text = tail + chunk
                        cut = max(len(text) - 16, 0)  # a tag split by the chunk boundary is counted next time
                        cells += len(_CELL_TAG.findall(text, 0, cut))
                        rows += len(_ROW_TAG.findall(text, 0, cut))
                        tail = text[cut:]
                        _check_counts(cells, rows)
                    cells += len(_CELL_TAG.findall(tail))
                    rows += len(_ROW_TAG.findall(tail))
                    _check_counts(cells, rows)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError):
        problem(422, "not a readable XLSX file", type_="bad-file")


_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s/>]")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s/>]")


def _check_counts(cells: int, rows: int) -> None:
    if cells > MAX_XLSX_CELLS:
        problem(413, f"the workbook has more than {MAX_XLSX_CELLS} cells; at most {MAX_ROWS} rows of "
                     f"{MAX_COLUMNS} columns are read")
    if rows > MAX_SCANNED_ROWS:
        problem(413, f"at most {MAX_ROWS} rows per file (the sheet has more than {MAX_SCANNED_ROWS} rows, "
                     f"empty or not)")


def decode_text(content: bytes) -> str:
    """The text of a CSV: UTF-8 (BOM or not), UTF-16 with a BOM, else the best of GB18030 (a superset of GBK,
    what Chinese Excel writes), Big5 and UTF-8 by charset-normalizer; a 422 when none fits."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(content, cp_isolation=["gb18030", "big5", "utf_8"]))
    # a short file can decode cleanly as both GB18030 and Big5: prefer what mainland Excel writes
    best = next((m for m in matches if m.encoding == "gb18030" and m.chaos <= min(x.chaos for x in matches) + 0.05),
                matches[0] if matches else None)
    if best is None:
        problem(422, "cannot tell the file's encoding: save it as UTF-8 CSV, or as CSV from Excel (GBK)",
                type_="bad-file")
    return str(best)


def _csv_rows(content: bytes) -> Iterator[list[Any]]:
    text = decode_text(content)
    sample = text[:4096]
    dialect: Any = csv.excel
    if "\t" in sample.split("\n", 1)[0] and "," not in sample.split("\n", 1)[0]:
        dialect = csv.excel_tab  # Excel's "Unicode text" is tab-separated UTF-16
    try:
        yield from csv.reader(io.StringIO(text), dialect)
    except csv.Error as exc:
        problem(422, f"unreadable CSV: {exc}", type_="bad-file")


def _xlsx_rows(content: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    _refuse_xlsx_bombs(content)
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - a broken zip or workbook is the client's file
        problem(422, "not a readable XLSX file (the file is damaged)", type_="bad-file")
    try:
        # streamed, and cut off while reading: a small file can hold millions of (empty) cells
        for r in wb.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS):
            cells = list(r)
            while cells and cells[-1] is None:  # max_col pads short rows
                cells.pop()
            yield cells
    except HTTPError:
        raise
    except Exception:  # noqa: BLE001 - any parse failure (a bad cell) is the client's file
        problem(422, "not a readable XLSX file (a cell holds a value of the wrong type, or the file is damaged)",
                type_="bad-file")
    finally:
        wb.close()


def _rows_from_file(filename: str, content: bytes) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The header and the non-empty rows with their line numbers; the row cap is enforced while reading."""
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        source = _xlsx_rows(content)
    elif lower.endswith((".csv", ".tsv")):
        source = _csv_rows(content)
    else:
        problem(415, "upload a .csv or .xlsx file")
    header: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    for line, row in enumerate(source, start=1):
        if line > MAX_SCANNED_ROWS:
            problem(413, f"at most {MAX_ROWS} rows per file (the sheet has more than {MAX_SCANNED_ROWS} rows, "
                         f"empty or not)")
        if not any(c not in (None, "") and not (isinstance(c, str) and not c.strip()) for c in row):
            continue
        if header is None:
            header = [str(h).strip() if h is not None else "" for h in row[:MAX_COLUMNS]]
            continue
        rows.append((line, row[:MAX_COLUMNS]))
        if len(rows) > MAX_ROWS:
            problem(413, f"at most {MAX_ROWS} rows per file")
    if header is None:
        problem(422, "the file is empty", type_="bad-file")
    if not rows:
        problem(422, "the file has a header row but no rows to import", type_="bad-file")
    return header, rows


def _money(value: Any) -> Any:
    if isinstance(value, str):
        m = _MONEY.match(value.strip().replace(" ", ""))
        if m:
            try:
                digits = m.group(1).replace(",", "").replace("，", "")
                amount = Decimal(digits) * _UNIT.get((m.group(2) or "").lower(), 1)
            except InvalidOperation:
                return value
            return int(amount) if amount == amount.to_integral_value() else value
    return value


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    if isinstance(value, str):
        m = _DATE.match(value.strip())
        if m:
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)
            try:
                return dt.date(y, mo, d).isoformat()
            except ValueError:
                return value
    return value


def _cell(name: str, cell: Any, lists: set[str]) -> Any:
    value: Any = cell.strip() if isinstance(cell, str) else cell
    if isinstance(value, str):
        value = _FORMULA_GUARD.sub("", value)
    if name in ("external_id", "contact_phone") and isinstance(value, int | float) and not isinstance(value, bool):
        value = str(int(value)) if float(value).is_integer() else str(value)  # Excel makes "0012" a number
    if name in lists:
        return [v for v in _SPLIT.split(str(value)) if v]
    if name in BOOL_FIELDS and isinstance(value, str) and value.lower() in _BOOL:
        return _BOOL[value.lower()]
    if name in MONEY_FIELDS:
        value = _money(value)
    if name == "founded_on":
        return _date(value)
    if name == "id" and isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


@dataclass
class RowPlan:
    line: int
    action: str  # create | update | refused
    data: dict[str, Any] = field(default_factory=dict)
    id: int | None = None
    external_id: str | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Plan:
    kind: str
    space_id: int
    rows: list[RowPlan]
    ignored_columns: list[str]

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [e for r in self.rows for e in r.errors]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    def summary(self, *, dry_run: bool, ids: list[int] | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind, "dry_run": dry_run, "created": self.count("create"), "updated": self.count("update"),
            "refused": self.count("refused"), "ignored_columns": self.ignored_columns,
            "ids": ids if ids is not None else [r.id for r in self.rows if r.id is not None],
        }
        if dry_run:
            out["rows"] = [{"line": r.line, "action": r.action, "id": r.id, "external_id": r.external_id,
                            "errors": r.errors} for r in self.rows]
        return out


def _bad_header(message: str, errors: list[dict[str, Any]]) -> Any:
    problem(422, message, type_="bad-header", errors=errors)


def plan(session: Session, kind: str, space_id: int, filename: str, content: bytes,
         progress: Callable[[int, int], None] | None = None) -> Plan:
    """Read, map and validate a file against what the space holds: which rows create, which update (and
    which profile), which are refused and why. Writes nothing."""
    schema = SCHEMAS[kind]()
    header, rows = _rows_from_file(filename, content)
    columns, ignored, twice = headers.map_headers(kind, header)
    if twice:
        _bad_header("two columns name the same field",
                    [{"line": 1, "field": f, "message": f"named by {', '.join(hs)}"} for f, hs in twice.items()])
    if not columns:
        _bad_header("no column names a field (see the import template for the headers)",
                    [{"line": 1, "field": h, "message": "unknown column"} for h in ignored or ["(none)"]])
    lists = _list_fields(schema)
    model = svc.PROFILE_MODELS[kind]
    raws: list[tuple[int, dict[str, Any]]] = []
    for line, row in rows:
        raw: dict[str, Any] = {}
        for i, cell in enumerate(row):
            name = columns.get(i)
            if not name or cell is None or (isinstance(cell, str) and not cell.strip()):
                continue
            raw[name] = _cell(name, cell, lists)
        raws.append((line, raw))
    # existing profiles of the space this file names, by external id and by Huoban id
    ext_ids = {str(r["external_id"]) for _, r in raws if r.get("external_id") not in (None, "")}
    by_ext: dict[str, Any] = {}
    for chunk in _chunks(sorted(ext_ids), 500):
        for row in session.scalars(select(model).where(model.space_id == space_id, model.external_id.in_(chunk),
                                                       model.archived_at.is_(None))):
            by_ext[row.external_id] = row
    hb_ids = {r["id"] for _, r in raws if isinstance(r.get("id"), int) and 0 < r["id"] <= 2**31 - 1}
    by_id: dict[int, Any] = {}
    for chunk in _chunks(sorted(hb_ids), 500):
        for row in session.scalars(select(model).where(model.space_id == space_id, model.id.in_(chunk),
                                                       model.archived_at.is_(None))):
            by_id[row.id] = row
    out: list[RowPlan] = []
    seen_ext: dict[str, int] = {}
    seen_target: dict[int, int] = {}  # profile id -> the row that updates it
    for n, (line, raw) in enumerate(raws):
        if progress and n % 250 == 0:
            progress(n, len(raws))
        rp = RowPlan(line=line, action="create")
        errors: list[dict[str, Any]] = []
        hb = raw.pop("id", None)
        target = None
        if hb is not None:
            target = by_id.get(hb) if isinstance(hb, int) else None
            if target is None:
                errors.append({"line": line, "field": "id", "message": f"no {kind} with id {hb} in this space"})
        ext = raw.get("external_id")
        if ext not in (None, ""):
            ext = str(ext)
            rp.external_id = ext
            if ext in seen_ext:
                errors.append({"line": line, "field": "external_id",
                               "message": f"{ext!r} is also on row {seen_ext[ext]}"})
            seen_ext.setdefault(ext, line)
            other = by_ext.get(ext)
            if target is None and other is not None and hb is None:
                target = other
            elif target is not None and other is not None and other.id != target.id:
                errors.append({"line": line, "field": "external_id",
                               "message": f"{ext!r} belongs to {kind} {other.id}, not {target.id}"})
        try:
            if target is not None:
                data = schema.load(raw, partial=True)  # only the columns the sheet has
                if kind == "investor" and data.get("ticket_min", target.ticket_min) > \
                        data.get("ticket_max", target.ticket_max):
                    raise ValidationError({"ticket_max": ["below ticket_min"]})
            else:
                data = schema.load(raw)
                if kind == "investor" and data["ticket_min"] > data["ticket_max"]:
                    raise ValidationError({"ticket_max": ["below ticket_min"]})
        except ValidationError as exc:
            for item in field_errors({"row": exc.messages}):
                errors.append({"line": line, "field": item["field"], "message": item["message"]})
            data = {}
        data.pop("space_id", None)
        if target is not None and not errors:
            if target.id in seen_target:
                errors.append({"line": line, "field": "id" if hb is not None else "external_id",
                               "message": f"{kind} {target.id} is also updated by row {seen_target[target.id]}"})
            seen_target.setdefault(target.id, line)
        if errors:
            rp.action, rp.errors = "refused", errors
        elif target is not None:
            rp.action, rp.id, rp.data = "update", target.id, data
        else:
            rp.data = data
        out.append(rp)
    if progress:
        progress(len(raws), len(raws))
    return Plan(kind=kind, space_id=space_id, rows=out, ignored_columns=ignored)


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def refuse(plan_: Plan) -> None:
    """The all-or-nothing answer when any row is bad."""
    errors = plan_.errors
    if errors:
        problem(422, f"{plan_.count('refused')} row(s) failed validation; nothing was imported",
                type_="import-rejected", errors=errors, ignored_columns=plan_.ignored_columns)


def apply(session: Session, principal: Any, plan_: Plan, filename: str,
          progress: Callable[[int, int], None] | None = None) -> list[int]:
    """Write a plan without refused rows (the caller commits): creates and updates, each update audited
    with its changes, the run audited once. Returns the ids in row order."""
    refuse(plan_)
    kind = plan_.kind
    model = svc.PROFILE_MODELS[kind]
    targets = {r.id: r for r in plan_.rows if r.action == "update"}
    rows = {row.id: row for chunk in _chunks(sorted(targets), 500)
            for row in session.scalars(select(model).where(model.id.in_(chunk)))}
    ids: list[int] = []
    for n, rp in enumerate(plan_.rows):
        if progress and n % 250 == 0:
            progress(n, len(plan_.rows))
        if rp.action == "update":
            assert rp.id is not None
            row = rows[rp.id]
            changed = audit_svc.changes(row, rp.data)
            if changed:
                svc.update(session, kind, row, rp.data, user_id=getattr(principal, "user_id", None))
                audit_svc.record(session, principal, f"{kind}.update", kind, row.id, plan_.space_id,
                                 changes=changed, via="import")
            ids.append(row.id)
        else:
            ids.append(svc.create(session, kind, {**rp.data, "space_id": plan_.space_id}).id)
    created = [i for i, r in zip(ids, plan_.rows, strict=True) if r.action == "create"]
    audit_svc.record(session, principal, "import.run", kind,
                     f"{len(created)} created, {plan_.count('update')} updated", plan_.space_id,
                     file=filename, ids=ids[:1000])
    if progress:
        progress(len(plan_.rows), len(plan_.rows))
    return ids
