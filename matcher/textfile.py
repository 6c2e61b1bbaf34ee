"""Reading the files people export: the text of a CSV whatever its encoding, and dates as they write them.

Pure functions shared by the service's import (``api.services.importer``) and the deal records of
``huoban backtest`` (``matcher.backtest``), so a file that imports also backtests.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

__all__ = ["column_key", "csv_dialect", "decode_text", "parse_date", "read_records"]


def decode_text(content: bytes) -> str | None:
    """The text of a CSV: UTF-8 (BOM or not), UTF-16 with a BOM, else the best of GB18030 (a superset of GBK,
    what Chinese Excel writes), Big5 and UTF-8 by charset-normalizer; None when none fits."""
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
    return None if best is None else str(best)


def csv_dialect(text: str) -> type[csv.Dialect]:
    """Excel's "Unicode text" is tab-separated: a first line with tabs and no comma; else comma-separated."""
    first = text.split("\n", 1)[0]
    return csv.excel_tab if "\t" in first and "," not in first else csv.excel


def column_key(header_cell: str) -> str:
    """A header cell as a column name: ``Round ID``, ``ROUND_ID`` and ``round-id`` are ``round_id`` (exports
    and hand-made sheets capitalise and space their headers as they like)."""
    return re.sub(r"[\s\-]+", "_", header_cell.strip()).lower()


def read_records(text: str, name: str, required: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """The rows of a CSV with a header as dicts of stripped strings, keyed by :func:`column_key`. ValueError,
    naming the file and line, for a missing column, two header cells that name one column, a row with more
    cells than the header (an unquoted comma would shift every later column) or unreadable CSV."""
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=csv_dialect(text))
    try:
        raw = [h.strip() for h in (reader.fieldnames or [])]
        header = [column_key(h) for h in raw]
        # two different cells that read as one column (``Round ID`` and ``round_id``) are ambiguous; a cell
        # repeated word for word keeps what it always did (the last one's value)
        spellings: dict[str, set[str]] = {}
        for cell, key in zip(raw, header, strict=True):
            spellings.setdefault(key, set()).add(cell)
        twice = sorted(key for key, cells in spellings.items() if key and len(cells) > 1)
        if twice:
            raise ValueError(f"{name}: more than one column named {twice} (header: {raw})")
        missing = [c for c in required if c not in header]
        if missing:
            raise ValueError(f"{name}: missing columns {missing} (header: {raw})")
        key_of = {cell: column_key(cell or "") for cell in (reader.fieldnames or [])}  # once, not per row
        rows = []
        for row in reader:
            if None in row:
                raise ValueError(f"{name} line {reader.line_num}: {len(header) + len(row[None])} cells, the header "
                                 f"has {len(header)} (quote cells that hold a comma)")
            rows.append({key_of[k]: (v or "").strip() for k, v in row.items()})
        return rows
    except csv.Error as exc:
        raise ValueError(f"{name} line {reader.line_num}: unreadable CSV: {exc}") from None


# a time or a zone may follow the day (2017-03-05T08:00:00+08:00, 2017-03-05Z)
_YMD = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:$|[\sTZ]|[+-]\d)")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})$")
# a month alone; after a dot it takes two digits, since a spreadsheet's number 2017.10 is written 2017.1
_YM = re.compile(r"(\d{4})\s*(?:[-/年]\s*(\d{1,2})|\.(\d{2}))\s*月?$")
_Y = re.compile(r"(\d{4})\s*年?$")

DATE_FORMATS = ("2017-03-05, 2017/3/5, 2017.03.05, 2017年3月5日, 20170305, 2017-03, 2017.03 or 2017 "
                "(a time or zone after the date is ignored)")


def parse_date(value: str) -> dt.date:
    """A date written year first, as deal databases and spreadsheets export it (:data:`DATE_FORMATS`); a month
    alone is its first day and a year alone its 1 January (founding years are often all a record has).
    Day-first and month-first dates (5/3/2017) are refused, since they cannot be told apart.
    Raises ValueError."""
    text = value.strip()
    if m := _YMD.match(text + " ") or _COMPACT.match(text):
        y, mo, d = (int(g) for g in m.groups())
    elif m := _YM.match(text):
        y, mo, d = int(m.group(1)), int(m.group(2) or m.group(3)), 1
    elif m := _Y.match(text):
        y, mo, d = int(m.group(1)), 1, 1
    else:
        raise ValueError(f"not a date: {value!r} (accepted: {DATE_FORMATS})")
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise ValueError(f"not a date: {value!r} (accepted: {DATE_FORMATS})") from None
