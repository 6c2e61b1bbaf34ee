"""XLSX bombs posted to the import endpoint: how long each takes to be refused, and with how much memory.

    python -m bench.upload_bombs [--json] [--only NAME ...] [--keep DIR]

Each case is an XLSX file built here with zipfile: a valid two-mentor workbook with one part blown up, small
to upload and huge to unpack or to build in memory. Each is posted (``POST /api/v1/spaces/{id}/import``, an
operator's key, ``kind=mentor``) through the Flask test client of an app on a temporary SQLite database, in a
fresh subprocess per case, after a warm-up import there (so imports, the first request and openpyxl's own
import are not counted). Measured around the one request: wall time, CPU time of the process, and the peak
memory it added (the process's peak RSS, VmHWM, is reset to its current RSS first through
/proc/self/clear_refs, and the peak after the request minus that RSS is reported; where the reset is not
possible, the rise of ``ru_maxrss`` over the peak so far, an underestimate: ``peak_from`` says which); and the
status code with the problem's detail. The refusal bar (the issue): within 1 s and 100 MB.

Cases (the upload size and what it unpacks to are in the output):

* ``sheet-cells``: a million cells (1,000 rows of 1,000) in the worksheet;
* ``shared-strings``: 2.3 million shared strings, ~50 MB of xl/sharedStrings.xml (like the audit's 3.3 MB file);
* ``shared-strings-count``: 300,000 short shared strings (5 MB: under the size limit, over the count);
* ``styles``: 700,000 cell formats in xl/styles.xml (like the audit's 128 KB file);
* ``styles-count``: 100,000 cell formats (6 MB: under the size limit, over the count);
* ``deep-ratio``: one cell holding 60 MB of one letter (packed ~1000:1);
* ``defined-names``: 150,000 defined names in xl/workbook.xml;
* ``merged-cells``: 300,000 merged ranges after the worksheet's rows (openpyxl keeps them all);
* ``wide-row``: one row of 300,000 cells (under the workbook's cell limit, but built whole);
* ``many-parts``: 60,000 empty files in the zip (each an object in zipfile's directory);
* ``legit-5000``: no bomb: the mentor import template filled with 5,000 generated mentors (seed data) and
  saved the way Excel saves it (shared strings), posted as a dry run (200 expected). Its counts against the
  pre-scan's limits are in the output (``prescan``), as the margin the limits leave a real file.

Run from the repository root. ``--keep DIR`` keeps the files built.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.memory import reset_peak_rss, status_kb

MENTORS = (
    ("name", "mentor_type", "expertise", "offer", "serves", "stages", "city", "industries", "capacity", "languages"),
    ("导师甲", "技术专家", "计算机视觉", "专利布局与研发管理", "知识产权|研发设计", "种子期|初创期", "深圳",
     "人工智能", 2, "zh"),
    ("Mentor B", "entrepreneur", "SaaS", "fundraising and strategy", "financing|strategy", "seed|early", "shanghai",
     "enterprise_services", 3, "en"),
)
SHEET = "xl/worksheets/sheet1.xml"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_INLINE = re.compile(rb'<c([^>]*?) t="inlineStr"([^>]*)><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>', re.S)


# -- building workbooks -----------------------------------------------------------------------------------------
def parts_of(body: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(body)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def pack(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def excel_like(parts: dict[str, bytes]) -> dict[str, bytes]:
    """openpyxl writes text as inline strings; Excel saves it as a shared-strings table: do that."""
    table: dict[bytes, int] = {}

    def shared(m: re.Match[bytes]) -> bytes:
        index = table.setdefault(m.group(3), len(table))
        return b"<c" + m.group(1) + m.group(2) + b' t="s"><v>%d</v></c>' % index

    out = dict(parts)
    for name in sorted(out):
        if name.startswith("xl/worksheets/sheet"):
            out[name] = _INLINE.sub(shared, out[name])
    out["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (len(table), len(table))
        + b"".join(b'<si><t xml:space="preserve">' + text + b"</t></si>" for text in table) + b"</sst>")
    out["[Content_Types].xml"] = out["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="%s"/></Types>' % SST_TYPE.encode())
    out["xl/_rels/workbook.xml.rels"] = out["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdSst" Type="%s" Target="sharedStrings.xml"/></Relationships>'
        % SST_REL.encode())
    return out


def base(shared_strings: bool = False) -> dict[str, bytes]:
    """The two mentors every test imports, as openpyxl writes them (or as Excel would)."""
    from openpyxl import Workbook

    wb = Workbook()
    for row in MENTORS:
        wb.active.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    parts = parts_of(buf.getvalue())
    parts[SHEET] = re.sub(rb"<dimension[^>]*/>", b"", parts[SHEET])
    return excel_like(parts) if shared_strings else parts


def _rows(parts: dict[str, bytes], xml: bytes) -> dict[str, bytes]:
    parts[SHEET] = parts[SHEET].replace(b"</sheetData>", xml + b"</sheetData>")
    return parts


def sheet_cells() -> bytes:
    return pack(_rows(base(), b"".join(b'<row r="%d">' % i + b'<c t="n"><v>1</v></c>' * 1000 + b"</row>"
                                       for i in range(10, 1010))))


def shared_strings() -> bytes:
    parts = base(shared_strings=True)
    strings = b"".join(b"<si><t>%07d</t></si>" % i for i in range(2_300_000))
    parts["xl/sharedStrings.xml"] = parts["xl/sharedStrings.xml"].replace(b"</sst>", strings + b"</sst>")
    return pack(parts)


def shared_strings_count() -> bytes:
    parts = base(shared_strings=True)
    strings = b"".join(b"<si><t>%d</t></si>" % i for i in range(300_000))
    parts["xl/sharedStrings.xml"] = parts["xl/sharedStrings.xml"].replace(b"</sst>", strings + b"</sst>")
    return pack(parts)


def styles(n: int = 700_000) -> bytes:
    parts = base()
    xfs = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * n
    parts["xl/styles.xml"] = re.sub(rb"(<cellXfs[^>]*>)", lambda m: m.group(1) + xfs, parts["xl/styles.xml"], count=1)
    return pack(parts)


def styles_count() -> bytes:
    return styles(100_000)


def deep_ratio() -> bytes:
    return pack(_rows(base(), b'<row r="10"><c r="A10" t="inlineStr"><is><t>' + b"a" * 60_000_000
                      + b"</t></is></c></row>"))


def defined_names() -> bytes:
    parts = base()
    names = b"".join(b'<definedName name="n%d">Sheet!$A$1</definedName>' % i for i in range(150_000))
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"</workbook>", b"<definedNames>" + names + b"</definedNames></workbook>")
    return pack(parts)


def merged_cells() -> bytes:
    parts = base()
    merged = b"".join(b'<mergeCell ref="A%d:B%d"/>' % (i, i) for i in range(10, 300_010))
    parts[SHEET] = parts[SHEET].replace(b"</sheetData>", b'</sheetData><mergeCells count="300000">' + merged
                                        + b"</mergeCells>")
    return pack(parts)


def wide_row() -> bytes:
    return pack(_rows(base(), b'<row r="10">' + b'<c t="n"><v>1</v></c>' * 300_000 + b"</row>"))


def many_parts() -> bytes:
    parts = base()
    parts.update({f"x/{i}": b"" for i in range(60_000)})
    return pack(parts)


def legit_5000() -> bytes:
    """The mentor template filled with 5,000 generated mentors, labelled as the export writes them."""
    from openpyxl import load_workbook

    from api.services import import_headers, sheets
    from seed_data.generator import EcosystemGenerator, SeedPlan

    plan = SeedPlan(seed=7, spaces=5, projects=10, mentors=5000, investors=10, providers=10)
    rows = [row for table, batch in EcosystemGenerator(plan).batches() if table == "mentors" for row in batch]
    wb = load_workbook(io.BytesIO(sheets.template("mentor")))
    ws = wb.worksheets[0]
    ws.delete_rows(2)  # the example row
    fields = import_headers.template_fields("mentor")
    for r, row in enumerate(rows[:5000], start=2):
        for c, field in enumerate(fields, start=1):
            value = f"M-{r - 1:05d}" if field == "external_id" else sheets._label(field, row.get(field))
            if value not in (None, ""):
                ws.cell(row=r, column=c, value=sheets.neutralise(value))
    buf = io.BytesIO()
    wb.save(buf)
    return pack(excel_like(parts_of(buf.getvalue())))


CASES: dict[str, Callable[[], bytes]] = {
    "sheet-cells": sheet_cells, "shared-strings": shared_strings, "shared-strings-count": shared_strings_count,
    "styles": styles, "styles-count": styles_count, "deep-ratio": deep_ratio,
    "defined-names": defined_names, "merged-cells": merged_cells, "wide-row": wide_row, "many-parts": many_parts,
    "legit-5000": legit_5000,
}
DRY_RUN = {"legit-5000"}


# -- measuring ------------------------------------------------------------------------------------------------
def _settings(tmp: Path) -> dict[str, Any]:
    return {"DATABASE_URL": f"sqlite:///{tmp / 'bombs.db'}", "VAR_DIR": str(tmp / "var"), "ENCODER": "keyword",
            "LOAD_MATCHER": False, "RATELIMIT_ENABLED": False, "EXPLORATION_SHARE": 0.0}


def setup(tmp: Path) -> dict[str, Any]:
    """A migrated database with one space and an operator key for it."""
    from api import create_app
    from api.accounts import create_api_key
    from api.extensions import db
    from models.db import make_engine, make_session_factory, session_scope, upgrade

    settings = _settings(tmp)
    upgrade(settings["DATABASE_URL"])
    engine = make_engine(settings["DATABASE_URL"])
    with session_scope(make_session_factory(engine)) as session:
        admin = create_api_key(session, role="admin")
    app = create_app(settings)
    r = app.test_client().post("/api/v1/spaces", headers={"Authorization": f"Bearer {admin}"},
                               json={"slug": "bombs", "name": "Bombs", "city": "北京"})
    if r.status_code != 201:
        raise SystemExit(f"creating the space failed: {r.status_code} {r.json}")
    space = r.json["id"]
    with session_scope(make_session_factory(engine)) as session:
        key = create_api_key(session, role="operator", space_id=space)
    with app.app_context():
        db.engine.dispose()
    engine.dispose()
    return {"space": space, "key": key}


def measure(tmp: Path, space: int, key: str, path: Path, dry_run: bool) -> dict[str, Any]:
    """In this (fresh) process: one warm-up import, then the case, measured."""
    import gc
    import resource

    import openpyxl  # noqa: F401 - imported before measuring, as a serving worker has it

    from api import create_app
    from api.extensions import db

    app = create_app(_settings(tmp))
    client = app.test_client()
    auth = {"Authorization": f"Bearer {key}"}

    def post(body: bytes, dry: bool) -> Any:
        data = {"kind": "mentor", "file": (io.BytesIO(body), "mentors.xlsx")}
        if dry:
            data["dry_run"] = "true"
        return client.post(f"/api/v1/spaces/{space}/import", headers=auth, data=data,
                           content_type="multipart/form-data")

    warm = post(pack(base(shared_strings=True)), True)
    if warm.status_code != 200:
        raise SystemExit(f"the warm-up import failed: {warm.status_code} {warm.json}")
    body = path.read_bytes()
    gc.collect()
    reset = reset_peak_rss()
    before = (status_kb("VmRSS") or 0) if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu = time.perf_counter(), time.process_time()
    r = post(body, dry_run)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    added = ((status_kb("VmHWM") or 0) if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) - before
    answer = r.json or {}
    with app.app_context():
        db.engine.dispose()
    return {"status": r.status_code, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
            "peak_mb_added": round(added / 1024, 1), "peak_from": "rss" if reset else "previous peak",
            "detail": answer.get("detail") or (f"{answer.get('created')} created (dry run)" if dry_run else
                                              f"{answer.get('created')} created"),
            "part": answer.get("part"), "limit": answer.get("limit")}


def _prescan(body: bytes) -> dict[str, Any] | None:
    """The pre-scan's counts of a file that passes it (None where the importer does not give them)."""
    from api.services import importer

    counts = importer._refuse_xlsx_bombs(body)
    return counts if isinstance(counts, dict) else None


def run(only: list[str] | None = None, keep: Path | None = None) -> dict[str, Any]:
    names = only or list(CASES)
    out: dict[str, Any] = {"bar": {"wall_s": 1.0, "peak_mb_added": 100}, "cases": {}}
    with tempfile.TemporaryDirectory(prefix="huoban-bombs-") as scratch:
        tmp = Path(scratch)
        where = keep or tmp
        where.mkdir(parents=True, exist_ok=True)
        env = setup(tmp)
        for name in names:
            body = CASES[name]()
            path = where / f"{name}.xlsx"
            path.write_bytes(body)
            with zipfile.ZipFile(io.BytesIO(body)) as zf:
                unpacked = sum(i.file_size for i in zf.infolist())
            proc = subprocess.run(
                [sys.executable, "-m", "bench.upload_bombs", "--measure", str(path), "--tmp", str(tmp),
                 "--space", str(env["space"]), *(["--dry-run"] if name in DRY_RUN else [])],
                capture_output=True, text=True, timeout=600, env={**os.environ, "HUOBAN_BENCH_KEY": env["key"]})
            if proc.returncode != 0:
                raise SystemExit(f"{name}: the measuring process failed:\n{proc.stderr[-3000:]}")
            case = {"upload_bytes": len(body), "unpacked_bytes": unpacked, **json.loads(proc.stdout)}
            if name in DRY_RUN:
                case["prescan"] = _prescan(body)
            out["cases"][name] = case
    return out


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 2**10:.0f} KB"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", action="store_true", help="print JSON")
    ap.add_argument("--only", nargs="+", choices=list(CASES), help="run these cases only")
    ap.add_argument("--keep", type=Path, help="keep the files built in this directory")
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--tmp", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--space", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--dry-run", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.measure:
        result = measure(args.tmp, args.space, os.environ["HUOBAN_BENCH_KEY"], args.measure, args.dry_run)
        print(json.dumps(result, ensure_ascii=False))
        return 0
    result = run(args.only, args.keep)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(f"{'case':15s} {'upload':>9s} {'unpacked':>9s} {'status':>6s} {'wall s':>7s} {'cpu s':>6s} {'+MB':>6s}  "
          f"detail")
    for name, c in result["cases"].items():
        print(f"{name:15s} {_mb(c['upload_bytes']):>9s} {_mb(c['unpacked_bytes']):>9s} {c['status']:>6d} "
              f"{c['wall_s']:>7.2f} {c['cpu_s']:>6.2f} {c['peak_mb_added']:>6.1f}  {str(c['detail'])[:90]}")
    legit = result["cases"].get("legit-5000", {}).get("prescan")
    if legit:
        print("legit-5000 pre-scan counts:", ", ".join(f"{k} {v}" for k, v in legit.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
