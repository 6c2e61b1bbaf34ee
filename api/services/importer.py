"""Import profiles from CSV or XLSX into one space, all or nothing.

The header row names the fields of the create schema of that kind (``name, one_liner, stage, industries,
...``). List fields take ``|``-separated values (``、``, ``;`` and ``,`` also work); taxonomy fields take
codes or Chinese/English labels. Every row is validated with the same schema as the API; if any row is
bad, the response lists every error with its row number (the header is row 1) and nothing is written.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from apiflask import HTTPError
from marshmallow import Schema, ValidationError
from sqlalchemy.orm import Session

from api import schemas as s
from api.problems import field_errors, problem
from api.services import profiles as svc

MAX_ROWS = 5000
MAX_COLUMNS = 64  # columns read from a sheet (a profile has fewer than 30 fields)
MAX_SCANNED_ROWS = 4 * MAX_ROWS  # rows read at all, empty ones included
SCHEMAS: dict[str, type[Schema]] = {"project": s.ProjectIn, "mentor": s.MentorIn, "investor": s.InvestorIn,
                                    "provider": s.ProviderIn}
_SPLIT = re.compile(r"\s*[|、;；,，]\s*")
_BOOL = {"true": True, "1": True, "yes": True, "是": True, "false": False, "0": False, "no": False, "否": False}


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


def _rows_from_file(filename: str, content: bytes) -> tuple[list[str], list[list[Any]]]:
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        from openpyxl import load_workbook

        _refuse_xlsx_bombs(content)
        rows = []
        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                # streamed, and cut off while reading: a small file can hold millions of (empty) cells
                for seen, r in enumerate(wb.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS)):
                    if seen > MAX_SCANNED_ROWS:
                        problem(413, f"at most {MAX_ROWS} rows per file (the sheet has more than "
                                     f"{MAX_SCANNED_ROWS} rows, empty or not)")
                    if any(c not in (None, "") for c in r):
                        cells = list(r)
                        while cells and cells[-1] is None:  # max_col pads short rows
                            cells.pop()
                        rows.append(cells)
                        if len(rows) > MAX_ROWS + 1:
                            problem(413, f"at most {MAX_ROWS} rows per file")
            finally:
                wb.close()
        except HTTPError:
            raise
        except Exception:  # noqa: BLE001 - any parse failure (a bad cell, a broken zip) is the client's file
            problem(422, "not a readable XLSX file (a cell holds a value of the wrong type, or the file is damaged)",
                    type_="bad-file")
    elif lower.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            problem(422, "CSV files must be UTF-8", type_="bad-file")
        try:
            rows = [list(r) for r in csv.reader(io.StringIO(text))]
        except csv.Error as exc:
            problem(422, f"unreadable CSV: {exc}", type_="bad-file")
    else:
        problem(415, "upload a .csv or .xlsx file")
    rows = [r for r in rows if any(c not in (None, "") for c in r)]
    if not rows:
        problem(422, "the file is empty", type_="bad-file")
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    return header, rows[1:]


def parse(kind: str, filename: str, content: bytes) -> list[dict[str, Any]]:
    """Validated create payloads, or a 422 problem listing every bad row (nothing is written)."""
    schema = SCHEMAS[kind]()
    header, rows = _rows_from_file(filename, content)
    errors: list[dict[str, Any]] = []
    known = set(schema.fields) - {"space_id"}
    unknown = [h for h in header if h and h not in known]
    if unknown or not header or len(set(header)) != len(header):
        problem(422, "bad header row", type_="bad-header",
                errors=[{"line": 1, "field": h, "message": "unknown column" if h in unknown else "duplicate column"}
                        for h in (unknown or [h for h in header if header.count(h) > 1]) or ["(none)"]])
    if len(rows) > MAX_ROWS:
        problem(413, f"at most {MAX_ROWS} rows per file")
    lists = _list_fields(schema)
    out: list[dict[str, Any]] = []
    for index, row in enumerate(rows, start=2):
        raw: dict[str, Any] = {}
        for name, cell in zip(header, row, strict=False):
            if not name or cell is None or (isinstance(cell, str) and not cell.strip()):
                continue
            value: Any = cell.strip() if isinstance(cell, str) else cell
            if name in lists:
                value = [v for v in _SPLIT.split(str(value)) if v]
            elif isinstance(value, str) and value.lower() in _BOOL and name in ("active", "dealflow_curated"):
                value = _BOOL[value.lower()]
            elif hasattr(value, "isoformat"):
                value = value.isoformat()[:10] if name == "founded_on" else value
            elif isinstance(value, float) and value.is_integer():
                value = int(value)
            raw[name] = value
        try:
            out.append(schema.load(raw))
        except ValidationError as exc:
            for item in field_errors({"row": exc.messages}):
                errors.append({"line": index, "field": item["field"], "message": item["message"]})
    if errors:
        problem(422, f"{len({e['line'] for e in errors})} row(s) failed validation; nothing was imported",
                type_="import-rejected", errors=errors)
    return out


def import_rows(session: Session, kind: str, space_id: int, payloads: list[dict[str, Any]]) -> list[int]:
    ids = []
    for data in payloads:
        data["space_id"] = space_id
        ids.append(svc.create(session, kind, data).id)
    return ids
