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
- **Limits** are enforced while reading: at most MAX_ROWS rows (the file is streamed, not loaded whole). An
  XLSX file is pre-scanned before openpyxl sees it: every part of the zip is bounded in size, compression
  ratio and XML elements (cells and rows of the worksheets, shared strings, cell formats, everything else), and
  a workbook past a limit is a 413 naming the part and the limit.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from apiflask import HTTPError
from marshmallow import Schema, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from api import schemas as s
from api.problems import field_errors, problem
from api.services import audit as audit_svc
from api.services import import_headers as headers
from api.services import profiles as svc
from matcher.textfile import csv_dialect
from matcher.textfile import decode_text as matcher_decode_text

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


# -- XLSX: a bomb is refused before openpyxl sees the file ---------------------------------------------------------
# What openpyxl (3.1, read-only) builds from a workbook: the shared strings, the styles (~0.8 KB per cell format),
# the workbook (its defined names), [Content_Types].xml, the rels files and the document properties are read whole,
# one object per element; a worksheet is streamed a row at a time, but a row is built whole, and whatever else a
# worksheet holds (merged cells, validations, links, stray elements) is kept. So every part of the zip is bounded
# in bytes (declared and really unpacked, streamed with a cap) and in compression ratio, and every XML part in
# elements: those in worksheet rows by cells and rows, the shared strings by their count, and all the others
# together by MAX_XLSX_OTHER_ELEMENTS. Worksheets and the shared strings get their room only as openpyxl reads them:
# under their usual names, in the SpreadsheetML namespace their root binds, and in no other role (_check_layout);
# what the counts cannot see (UTF-16 XML, a DTD, comments in a worksheet) is refused as unreadable. Each limit is
# far above what a 5,000-row sheet filled in from the import template needs (bench/upload_bombs.py measures one:
# 42,000 shared strings in 4.2 MB, 4 cell formats, ~540 other elements, no other part above 10 KB, every part
# packed less than 9:1).
MAX_XLSX_UNPACKED = 64 * 2**20  # bytes of the unpacked workbook, all parts together
MAX_XLSX_PARTS = 1000  # files in the zip (the template has 14, Excel writes ~20)
MAX_XLSX_PART = 8 * 2**20  # bytes of any part but a worksheet and the shared strings; of one row of a worksheet,
# and of what a worksheet holds beyond its rows (openpyxl keeps that, and builds a row whole)
MAX_XLSX_SHARED_STRINGS_SIZE = 32 * 2**20  # bytes of xl/sharedStrings.xml
MAX_XLSX_RATIO = 100  # unpacked / packed bytes of a part, once it has unpacked MAX_XLSX_RATIO_GRACE bytes
MAX_XLSX_RATIO_GRACE = 2 * 2**20
MAX_XLSX_CELLS = (MAX_ROWS + 1) * MAX_COLUMNS  # cells of all worksheets
MAX_XLSX_ROW_CELLS = 16_384  # cells of one row (Excel's last column, XFD)
MAX_XLSX_ROW_ELEMENTS = 4 * MAX_XLSX_ROW_CELLS  # XML elements of one row
MAX_XLSX_SHEET_ELEMENTS = 4 * MAX_XLSX_CELLS + MAX_SCANNED_ROWS  # XML elements in the rows of all worksheets
MAX_XLSX_SHARED_STRINGS = 200_000  # <si> entries of xl/sharedStrings.xml
MAX_XLSX_STYLES = 20_000  # <xf> cell formats of xl/styles.xml
MAX_XLSX_OTHER_ELEMENTS = 50_000  # XML elements outside worksheet rows and shared strings, all parts together

_CHUNK = 1 << 20
_TAIL = 1 << 16  # a tag cut by a chunk boundary is carried to the next chunk, up to this many bytes
_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
_SHARED_STRINGS = "xl/sharedStrings.xml"
_STYLES = "xl/styles.xml"
_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"  # the only namespace openpyxl reads
_ATTRIBUTES = rb"(?:\s+[^\s=<>/]+\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'))*"
_START_TAG = re.compile(rb"<[A-Za-z_][^\s/<>]*" + _ATTRIBUTES + rb"\s*/?>")
_XMLNS = re.compile(rb"xmlns(?::([A-Za-z_][\w.-]*))?\s*=\s*(?:\"([^\"<]*)\"|'([^'<]*)')")
_IS_MAIN = rb"\s*=\s*(?:\"" + re.escape(_MAIN) + rb"\"|'" + re.escape(_MAIN) + rb"')"
_BINDS_MAIN = re.compile(rb"xmlns(?::[A-Za-z_][\w.-]*)?" + _IS_MAIN)
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*+:)?c[\s/>]")  # in any namespace: more than openpyxl reads
_XF_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*+:)?xf[\s/>]")
_XML_START = re.compile(rb"(?:\xef\xbb\xbf)?[\t\n\r ]*<")
_UTF16_START = re.compile(rb"\xff\xfe|\xfe\xff|(?:\x00[\t\n\r ])*\x00<|(?:[\t\n\r ]\x00)*<\x00")
_WORKBOOK_TYPES = {f"application/vnd.{t}.main+xml" for t in (
    "openxmlformats-officedocument.spreadsheetml.sheet", "openxmlformats-officedocument.spreadsheetml.template",
    "ms-excel.sheet.macroEnabled", "ms-excel.template.macroEnabled")}
# the parts given more room than the others, and the only content and relationship types each may have
_ROLES = {"worksheet": ("application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml", "/worksheet"),
          "shared strings": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
                             "/sharedStrings"),
          # Excel's list of formula cells (one element per formula): openpyxl never reads it, so its elements are
          # not counted, as long as it serves as nothing else
          "calc chain": ("application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml", "/calcChain")}
_CALC_CHAIN = "xl/calcChain.xml"


def _role(name: str) -> str | None:
    if _WORKSHEET.fullmatch(name):
        return "worksheet"
    return "shared strings" if name == _SHARED_STRINGS else "calc chain" if name == _CALC_CHAIN else None


@functools.lru_cache(maxsize=16)
def _tags(prefix: bytes) -> tuple[re.Pattern[bytes], ...]:
    """For tags of SpreadsheetML written with ``prefix`` (b"" or b"x:"): a row start tag (group 1 when it is
    whole, group 2 "/" when it closes itself; else it is cut short or malformed), a row end tag, a cell, a
    shared string (group 1: an <si>, group 3 the <t> that opens it; without group 1, a <phoneticPr/> that ends
    one: the elements Excel writes for each string, Chinese and Japanese Excel adding the phoneticPr), a
    declaration of the prefix, and one binding it to SpreadsheetML."""
    p = re.escape(prefix)
    declared = rb"xmlns" + (b":" + re.escape(prefix[:-1]) if prefix else b"")
    return (re.compile(rb"<" + p + rb"row(?:(" + _ATTRIBUTES + rb"\s*(/?)>)|[\s>])"),
            re.compile(rb"</" + p + rb"row[\s>]"),
            re.compile(rb"<" + p + rb"c[\s/>]"),
            re.compile(rb"<" + p + rb"(?:(si)(?:(?:\s[^<>/]*)?(/?)>(\s*<" + p + rb"t[\s/>])?|[\s/>])|phoneticPr[^<>]*/>"
                       rb"\s*</" + p + rb"si>)"),
            re.compile(declared + rb"\s*="),
            re.compile(declared + _IS_MAIN))


def _too_large(detail: str, part: str | None, limit: int) -> NoReturn:
    problem(413, detail, type_="workbook-too-large", part=part, limit=limit)


def _unreadable(detail: str = "") -> NoReturn:
    problem(422, f"not a readable XLSX file{f' ({detail})' if detail else ''}", type_="bad-file")


def _elements(data: bytes) -> int:
    """XML elements that start in ``data`` (a comment or declaration counts as one: a few too many at worst)."""
    return data.count(b"<") - data.count(b"</")


class _XlsxScan:
    """Counts over the whole workbook, read one part at a time."""

    def __init__(self) -> None:
        self.unpacked = self.cells = self.rows = self.sheet_elements = self.other = 0
        self.shared_strings = self.styles = 0
        self.sizes: dict[str, tuple[int, int]] = {}  # part -> (unpacked, packed) bytes
        self._start_part()

    def _start_part(self) -> None:
        self.part_other = 0  # elements of this part that count towards MAX_XLSX_OTHER_ELEMENTS
        self.prefixes: tuple[bytes, ...] | None = None  # those the root binds to SpreadsheetML, once it is read
        self.first = True  # no text of this part read yet
        self.row_depth = 0  # rows open (a row inside a row is part of it)
        self.outside_bytes = 0  # of a worksheet: bytes outside rows, and of row start tags (their attributes)
        self.row_bytes = self.row_elements = self.row_cells = self.row_skipped = 0
        self.row_spans = False

    def summary(self) -> dict[str, Any]:
        """What the workbook holds, to hold against the limits (bench/upload_bombs.py and the tests use it)."""
        other = [size for name, (size, _) in self.sizes.items() if _role(name) is None]
        return {"parts": len(self.sizes), "unpacked": self.unpacked, "cells": self.cells, "rows": self.rows,
                "sheet_elements": self.sheet_elements, "shared_strings": self.shared_strings,
                "shared_strings_size": self.sizes.get(_SHARED_STRINGS, (0, 0))[0], "styles": self.styles,
                "other_elements": self.other, "largest_other_part": max(other, default=0),
                "largest_ratio": round(max((u / p for u, p in self.sizes.values() if u), default=0.0), 1)}

    def part(self, zf: Any, info: Any, upload: int) -> None:
        name, role = info.filename, _role(info.filename)
        # a part that is not XML (a picture, printer settings) is never parsed: only the workbook's total bounds it
        cap = MAX_XLSX_UNPACKED if role in ("worksheet", None) else \
            MAX_XLSX_SHARED_STRINGS_SIZE if role == "shared strings" else MAX_XLSX_PART
        if info.file_size > cap:
            self._part_too_large(name, cap)
        packed = max(min(info.compress_size, upload), 1)
        size, tail, xml = 0, b"", None
        self._start_part()
        with zf.open(info) as fh:  # streamed with a cap: the size the zip declares is not trusted
            while chunk := fh.read(_CHUNK):
                size += len(chunk)
                self.unpacked += len(chunk)
                if self.unpacked > MAX_XLSX_UNPACKED:
                    _too_large(f"the workbook unpacks to more than {MAX_XLSX_UNPACKED // 2**20} MB", name,
                               MAX_XLSX_UNPACKED)
                if size > cap:
                    self._part_too_large(name, cap)
                if xml is None:
                    if _UTF16_START.match(chunk):
                        _unreadable(f"{name} is UTF-16 XML: save the file from Excel, WPS or LibreOffice")
                    xml = bool(_XML_START.match(chunk))
                    if xml and role is None:  # an XML part openpyxl may parse: 8 MB at most
                        cap = MAX_XLSX_PART
                        if info.file_size > cap or size > cap:
                            self._part_too_large(name, cap)
                if xml:
                    text = tail + chunk
                    cut = text.rfind(b"<")
                    if cut < 0 or len(text) - cut > _TAIL:
                        cut = len(text)
                    self._xml(name, role, text[:cut])
                    tail = text[cut:]
                if size > MAX_XLSX_RATIO_GRACE and size > MAX_XLSX_RATIO * packed:
                    _too_large(f"{name} unpacks to more than {MAX_XLSX_RATIO} times its packed size", name,
                               MAX_XLSX_RATIO)
        self._xml(name, role, tail)
        self.sizes[name] = (size, packed)
        self.other += self.part_other
        if self.other > MAX_XLSX_OTHER_ELEMENTS:
            _too_large(f"{name}: the workbook has more than {MAX_XLSX_OTHER_ELEMENTS} XML elements outside worksheet "
                       f"rows and shared strings (styles, names, links, comments...)", name, MAX_XLSX_OTHER_ELEMENTS)

    @staticmethod
    def _part_too_large(name: str, cap: int) -> NoReturn:
        _too_large(f"{name} unpacks to more than {cap // 2**20} MB", name, cap)

    def _xml(self, name: str, role: str | None, text: bytes) -> None:
        """A stretch of an XML part that ends before a tag (or holds no tag cut short)."""
        if not text:
            return
        if b"<!DOCTYPE" in text:
            _unreadable(f"{name} declares a DTD, which an XLSX part never does")
        if role == "worksheet":
            self._worksheet(name, text)
        elif role == "shared strings":
            self._shared_strings(name, text)
        elif role == "calc chain":
            pass  # never read by openpyxl (its size is bounded above)
        else:
            self.part_other += _elements(text)
            if name == _STYLES:
                self.styles += len(_XF_TAG.findall(text))
                if self.styles > MAX_XLSX_STYLES:
                    _too_large(f"{name} has more than {MAX_XLSX_STYLES} cell formats (<xf> entries)", name,
                               MAX_XLSX_STYLES)
        self.first = False

    def _namespaces(self, name: str, text: bytes) -> tuple[bytes, ...]:
        """The prefixes that write SpreadsheetML tags in this part: those its root binds to the namespace (b"" for
        the default). openpyxl reads a row or a shared string by its namespace, so a part that binds the namespace
        anywhere else, or binds one of these prefixes to another namespace, is refused: what is counted as a row
        here would be something openpyxl keeps."""
        start = 0
        if self.prefixes is None:
            root = re.search(rb"<[A-Za-z_]", text)
            if root is None:
                return ()
            tag = _START_TAG.match(text, root.start())
            start = tag.end() if tag else root.end()
            self.prefixes = tuple(sorted({(m[1] + b":" if m[1] else b"") for m in _XMLNS.finditer(tag[0])
                                          if (m[2] if m[2] is not None else m[3]) == _MAIN})) if tag else ()
            if len(self.prefixes) > 2:
                _unreadable(f"{name} binds the SpreadsheetML namespace to {len(self.prefixes)} prefixes")
        # counted, not looped over: every later declaration of these prefixes binds SpreadsheetML, and no other does
        others = len(_BINDS_MAIN.findall(text, start))
        for prefix in self.prefixes:
            declared, to_main = (len(_tags(prefix)[i].findall(text, start)) for i in (4, 5))
            others -= to_main
            if declared != to_main:
                others = -1
                break
        if others:
            _unreadable(f"{name} declares the SpreadsheetML namespace elsewhere than on its root element")
        return self.prefixes

    def _shared_strings(self, name: str, text: bytes) -> None:
        strings = 0
        for prefix in self._namespaces(name, text):
            for (si, _closed, _t), n in Counter(_tags(prefix)[3].findall(text)).items():
                strings += n if si else 0
        self.shared_strings += strings
        # the runs of rich text inside a string are not counted: openpyxl reads each string as plain text and
        # clears it, so they cost only their bytes (bounded by the size limit)
        if self.shared_strings > MAX_XLSX_SHARED_STRINGS:
            _too_large(f"{name} has more than {MAX_XLSX_SHARED_STRINGS} shared strings", name,
                       MAX_XLSX_SHARED_STRINGS)

    def _worksheet(self, name: str, text: bytes) -> None:
        # a comment, CDATA section or processing instruction could hide row tags from this count, not from
        # openpyxl: no spreadsheet application writes one in a worksheet
        declaration = self.first and text.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml")
        if b"<!" in text or text.count(b"<?") > declaration:
            _unreadable(f"{name} holds XML comments, CDATA or processing instructions")
        prefixes = self._namespaces(name, text)
        self.cells += len(_CELL_TAG.findall(text)) if any(prefixes) else len(_tags(b"")[2].findall(text))
        if self.cells > MAX_XLSX_CELLS:
            _too_large(f"the workbook has more than {MAX_XLSX_CELLS} cells; at most {MAX_ROWS} rows of "
                       f"{MAX_COLUMNS} columns are read", name, MAX_XLSX_CELLS)
        marks = sorted([(m.start(), m) for prefix in prefixes for m in _tags(prefix)[0].finditer(text)]
                       + [(m.start(), None) for prefix in prefixes for m in _tags(prefix)[1].finditer(text)],
                       key=lambda mark: mark[0])
        outside = pos = 0  # elements outside rows: what openpyxl keeps
        for start, m in marks:
            if self.row_depth:
                self._row(name, text, pos, start, spans=False)
            elif start > pos:
                outside += _elements(text[pos:start])
                self.outside_bytes += start - pos
            if m is None:  # </row
                if not self.row_depth:  # openpyxl stops there (not XML), after building what came before
                    _unreadable(f"{name} ends a row it did not start")
                self.row_depth -= 1
                pos = start + 1
                continue
            self.rows += 1
            if self.rows > MAX_SCANNED_ROWS:
                _too_large(f"at most {MAX_ROWS} rows per file (the sheet has more than {MAX_SCANNED_ROWS} rows, "
                           f"empty or not)", name, MAX_SCANNED_ROWS)
            self.outside_bytes += len(m[0])
            if m[1] is None:  # cut short or malformed: no row opens here
                pos = start
            elif m[2]:  # <row/>: its tag is in no stretch, so it counts as a row element
                pos = m.end()
            else:  # <row>
                if not self.row_depth:
                    self.row_bytes = self.row_elements = self.row_cells = self.row_skipped = 0
                    self.row_spans = False
                self.row_depth += 1
                pos = start
        if self.row_depth:
            self._row(name, text, pos, len(text), spans=True)
        else:
            outside += _elements(text[pos:])
            self.outside_bytes += len(text) - pos
        if self.outside_bytes > MAX_XLSX_PART:
            _too_large(f"{name} holds more than {MAX_XLSX_PART // 2**20} MB outside its rows", name, MAX_XLSX_PART)
        self.part_other += outside
        self.sheet_elements += _elements(text) - outside
        if self.sheet_elements > MAX_XLSX_SHEET_ELEMENTS:
            _too_large(f"the worksheets have more than {MAX_XLSX_SHEET_ELEMENTS} XML elements in their rows", name,
                       MAX_XLSX_SHEET_ELEMENTS)

    def _row(self, name: str, text: bytes, start: int, end: int, *, spans: bool) -> None:
        """A stretch of the open row. A row is counted exactly when it is long or crosses a chunk boundary; a short
        one cannot break a per-row limit (an element takes 4 bytes at least), and a short stretch skipped before
        its row turned out long counts as if it were all cells."""
        self.row_bytes += end - start
        if self.row_bytes > MAX_XLSX_PART:
            _too_large(f"{name}: a row has more than {MAX_XLSX_PART // 2**20} MB", name, MAX_XLSX_PART)
        self.row_spans = self.row_spans or spans
        if not self.row_spans and self.row_bytes <= 4 * MAX_XLSX_ROW_CELLS:
            self.row_skipped += end - start
            return
        data = text[start:end]
        self.row_elements += _elements(data) + self.row_skipped // 4
        self.row_cells += len(_CELL_TAG.findall(data)) + self.row_skipped // 4
        self.row_skipped = 0
        if self.row_cells > MAX_XLSX_ROW_CELLS:
            _too_large(f"{name}: a row has more than {MAX_XLSX_ROW_CELLS} cells", name, MAX_XLSX_ROW_CELLS)
        if self.row_elements > MAX_XLSX_ROW_ELEMENTS:
            _too_large(f"{name}: a row has more than {MAX_XLSX_ROW_ELEMENTS} XML elements", name,
                       MAX_XLSX_ROW_ELEMENTS)


def _check_layout(zf: Any) -> None:
    """openpyxl finds the workbook and the shared strings through [Content_Types].xml and the worksheets through
    the workbook's rels: a part named as a worksheet or as the shared strings (the parts given more room above)
    must serve as that and nothing else, or a big worksheet could be read whole as the workbook, say. Targets are
    resolved as openpyxl resolves them (``openpyxl.packaging.relationship.get_dependents``)."""
    import posixpath
    from xml.etree import ElementTree

    def parse(name: str) -> Any:
        return ElementTree.fromstring(zf.read(name))  # bounded above, and no DTD

    def local(tag: str) -> str:
        return tag.rpartition("}")[2]

    def refuse(part: str, role: str, what: str) -> NoReturn:
        _unreadable(f"{part} is named as the {role} part but is {what}")

    names = set(zf.namelist())
    if "[Content_Types].xml" not in names:
        return  # openpyxl refuses it
    workbooks = {"xl/workbook.xml"}  # its default when no content type names one
    for el in parse("[Content_Types].xml"):
        if local(el.tag) == "Override":
            part, content_type = el.get("PartName", "")[1:], el.get("ContentType", "")  # as openpyxl reads it
            role = _role(part)
            if role and content_type != _ROLES[role][0]:
                refuse(part, role, f"declared as {content_type}")
            if content_type in _WORKBOOK_TYPES:
                workbooks.add(part)
    links: dict[str, list[tuple[str | None, str]]] = {}
    for name in sorted(n for n in names if n.endswith(".rels")):
        folder = posixpath.split(posixpath.dirname(name))[0]
        for el in parse(name):
            if local(el.tag) != "Relationship" or el.get("TargetMode") == "External":
                continue
            target = el.get("Target", "")
            target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            role = _role(target)
            if role and not el.get("Type", "").endswith(_ROLES[role][1]):
                refuse(target, role, f"linked as {el.get('Type')} from {name}")
            links.setdefault(name, []).append((el.get("Id"), target))
    for workbook in sorted(workbooks & names):
        sheets = {value for el in parse(workbook).iter() if local(el.tag) == "sheet"
                  for key, value in el.attrib.items() if local(key) == "id"}
        folder, base = posixpath.split(workbook)
        for rel_id, target in links.get(posixpath.join(folder, "_rels", base + ".rels"), []):
            role = _role(target)
            if rel_id in sheets and role not in (None, "worksheet"):
                refuse(target, role, f"a sheet of {workbook}")


def _refuse_xlsx_bombs(content: bytes) -> dict[str, Any]:
    """Before openpyxl sees the file: refuse (413, naming the part and the limit) a workbook any part of which
    goes past a limit above, and (422) one whose parts could make openpyxl read something the counts did not
    bound (UTF-16 XML, a DTD, comments in a worksheet, a worksheet serving as another part). Returns what the
    workbook holds (``_XlsxScan.summary``)."""
    import lzma
    import struct
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError

    # every entry of the zip's directory starts so; zipfile would build an object for each
    if content.count(b"PK\x01\x02") > MAX_XLSX_PARTS:
        _too_large(f"the workbook has more than {MAX_XLSX_PARTS} parts", None, MAX_XLSX_PARTS)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            infos = zf.infolist()
            if sum(i.file_size for i in infos) > MAX_XLSX_UNPACKED:
                _too_large(f"the workbook unpacks to more than {MAX_XLSX_UNPACKED // 2**20} MB", None,
                           MAX_XLSX_UNPACKED)
            scan = _XlsxScan()
            for info in infos:
                scan.part(zf, info, len(content))
            _check_layout(zf)
            return scan.summary()
    except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, struct.error, OSError, EOFError, RuntimeError,
            NotImplementedError, ValueError, KeyError, ParseError):
        _unreadable()


def decode_text(content: bytes) -> str:
    """The text of a CSV (:func:`matcher.textfile.decode_text`); a 422 when no encoding fits."""
    text = matcher_decode_text(content)
    if text is None:
        problem(422, "cannot tell the file's encoding: save it as UTF-8 CSV, or as CSV from Excel (GBK)",
                type_="bad-file")
    return text


def _csv_rows(content: bytes) -> Iterator[list[Any]]:
    text = decode_text(content)
    try:
        yield from csv.reader(io.StringIO(text), csv_dialect(text))
    except csv.Error as exc:
        problem(422, f"unreadable CSV: {exc}", type_="bad-file")


def _xlsx_rows(content: bytes) -> Iterator[list[Any]]:
    _refuse_xlsx_bombs(content)  # openpyxl gets the file only once the pre-scan has passed
    from openpyxl import load_workbook

    try:  # no external links: their cached sheets are read whole
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
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
