"""Operators: versioned weights with audit trail, preview, allocation, metrics, CSV/XLSX import."""

from __future__ import annotations

import io

import numpy as np
import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from bench.upload_bombs import excel_like, pack, parts_of
from models import Mentor
from tests.api.conftest import ApiEnv, console_operator


def test_weights_are_versioned_and_audited(env: ApiEnv) -> None:
    s2 = env.ids["space2"]
    base = env.call("operator2", "get", f"/api/v1/spaces/{s2}/weights/provider").json
    r1 = env.call("operator2", "put", f"/api/v1/spaces/{s2}/weights/provider",
                  json={"weights": {"region": 0.5}, "diversity": 0.2, "comment": "更重视同城"})
    assert r1.status_code == 200
    v1 = r1.json["version"]
    assert r1.json["weights"]["region"] == 0.5 and r1.json["diversity"] == 0.2
    assert r1.json["weights"]["needs_coverage"] == base["weights"]["needs_coverage"]
    r2 = env.call("operator2", "put", f"/api/v1/spaces/{s2}/weights/provider", json={"weights": {"region": 0.1}})
    assert r2.json["version"] == v1 + 1
    history = env.call("operator2", "get", f"/api/v1/spaces/{s2}/weights/provider/versions").json["items"]
    assert [h["version"] for h in history][:2] == [v1 + 1, v1]
    audit = env.call("operator2", "get", f"/api/v1/spaces/{s2}/audit").json["items"]
    entry = next(a for a in audit if a["object_id"] == f"provider:v{v1}")
    assert entry["action"] == "weights.update" and entry["detail"]["changed"]["region"][1] == 0.5
    assert entry["detail"]["comment"] == "更重视同城" and entry["actor_user_id"]
    # the new weights drive matching in that space only
    ms = env.call("founder2", "get", f"/api/v1/projects/{env.ids['project2']}/matches?kind=provider&k=3").json
    assert ms["weight_set_version"] == v1 + 1
    other = env.call("founder1", "get", f"/api/v1/projects/{env.ids['project1']}/matches?kind=provider&k=3").json
    assert other["weight_set_version"] != v1 + 1


def test_a_negative_sentence_weight_is_a_clear_error_and_saves_nothing(env: ApiEnv) -> None:
    s2 = env.ids["space2"]
    before = env.call("operator2", "get", f"/api/v1/spaces/{s2}/weights/mentor/versions").json["items"]
    r = env.call("operator2", "put", f"/api/v1/spaces/{s2}/weights/mentor", json={"weights": {"sem_item": -0.5}})
    assert r.status_code == 422 and r.headers["Content-Type"].startswith("application/problem+json")
    assert r.json["errors"][0]["field"] == "weights" and "sem_item" in r.json["errors"][0]["message"]
    assert env.call("operator2", "get", f"/api/v1/spaces/{s2}/weights/mentor/versions").json["items"] == before


def test_preview_changes_nothing(env: ApiEnv) -> None:
    s1 = env.ids["space1"]
    before = env.call("operator1", "get", f"/api/v1/spaces/{s1}/weights/mentor/versions").json["items"]
    body = {"weights": {name: 0.0 for name in ("sem_need", "sem_domain", "lexical", "stage_fit", "industry",
                                               "needs_coverage", "capacity_headroom", "acceptance", "freshness",
                                               "language")} | {"region": 1.0}, "sample": 5, "k": 5}
    r = env.call("operator1", "post", f"/api/v1/spaces/{s1}/weights/mentor/preview", json=body)
    assert r.status_code == 200, r.json
    out = r.json
    assert len(out["projects"]) == 5 and 0.0 <= out["mean_overlap"] <= 1.0
    assert any(p["moves"] for p in out["projects"])  # ranking only by region moves things
    assert set(out["offline"]) == {"lists", "current", "proposed"}
    assert env.call("operator1", "get", f"/api/v1/spaces/{s1}/weights/mentor/versions").json["items"] == before
    foreign = env.call("operator1", "post", f"/api/v1/spaces/{s1}/weights/mentor/preview",
                       json={"weights": {}, "project_ids": [env.ids["project2"]]})
    assert foreign.status_code == 404


def test_allocation_respects_capacity(env: ApiEnv) -> None:
    s1 = env.ids["space1"]
    r = env.call("operator1", "post", f"/api/v1/spaces/{s1}/allocations",
                 json={"kind": "mentor", "cover": True, "candidates_per_project": 20})
    assert r.status_code == 200, r.json
    out = r.json
    assert out["capacity_violations"] == 0 and out["pairs"]
    with env.app.app_context():
        from api.extensions import db

        caps = {m.id: m.capacity for m in db.reader.scalars(select(Mentor))}
    for cid, load in out["load"].items():
        assert load <= caps[int(cid)]
    assert out["total_score"] == pytest.approx(sum(p["score"] for p in out["pairs"]))
    assert len({p["project_id"] for p in out["pairs"]}) == len(out["pairs"])


def test_metrics_shape(env: ApiEnv) -> None:
    m = env.call("operator1", "get", f"/api/v1/spaces/{env.ids['space1']}/metrics").json
    assert m["projects"] > 0 and 0.0 <= m["mentor_load_gini"] <= 1.0
    assert m["coverage"] is None or 0.0 <= m["coverage"] <= 1.0
    assert isinstance(m["projects_without_accepted_intro"], list)


CSV_OK = (
    "name,mentor_type,expertise,offer,serves,stages,city,industries,capacity,languages\n"
    "导师甲,技术专家,计算机视觉,专利布局与研发管理,知识产权|研发设计,种子期|初创期,深圳,人工智能,2,zh\n"
    "Mentor B,entrepreneur,SaaS,fundraising and strategy,financing|strategy,seed|early,shanghai,"
    "enterprise_services,3,en\n"
)


def mentors_in_space(env: ApiEnv, space: int) -> int:
    with env.app.app_context():
        from api.extensions import db

        return int(db.reader.scalar(select(func.count()).select_from(Mentor).where(Mentor.space_id == space)))


def upload(env: ApiEnv, who: str, space: int, name: str, content: bytes, kind: str = "mentor"):  # type: ignore[no-untyped-def]
    return env.client().post(f"/api/v1/spaces/{space}/import", headers=env.headers(who),
                             data={"kind": kind, "file": (io.BytesIO(content), name)},
                             content_type="multipart/form-data")


def test_csv_import_all_or_nothing(env: ApiEnv) -> None:
    s2 = env.ids["space2"]
    before = mentors_in_space(env, s2)
    ok = upload(env, "operator2", s2, "mentors.csv", CSV_OK.encode())
    assert ok.status_code == 201, ok.json
    assert ok.json["created"] == 2 and mentors_in_space(env, s2) == before + 2
    bad = CSV_OK + "坏行,宇航员,?,?,量子,种子期,火星,,abc,zh\n" + "缺字段,entrepreneur,,,,,,,,\n"
    r = upload(env, "operator2", s2, "bad.csv", bad.encode())
    assert r.status_code == 422 and r.content_type == "application/problem+json"
    lines = {e["line"] for e in r.json["errors"]}
    assert lines == {4, 5}
    fields = {(e["line"], e["field"]) for e in r.json["errors"]}
    assert (4, "mentor_type") in fields and (4, "city") in fields and (4, "capacity") in fields
    assert (5, "expertise") in fields
    assert mentors_in_space(env, s2) == before + 2  # nothing from the rejected file
    assert upload(env, "operator2", s2, "x.txt", b"hello").status_code == 415
    assert upload(env, "operator2", s2, "x.csv", bytes(range(256)) * 2).status_code == 422  # no text encoding
    assert upload(env, "operator2", s2, "x.csv", "姓名\n".encode("gbk")).status_code == 422  # a header, no rows
    assert upload(env, "operator1", s2, "mentors.csv", CSV_OK.encode()).status_code == 404


def test_xlsx_import(env: ApiEnv) -> None:
    wb = Workbook()
    ws = wb.active
    rows = [line.split(",") for line in CSV_OK.strip().splitlines()]
    for row in rows:
        ws.append([int(c) if c.isdigit() else c for c in row])
    buf = io.BytesIO()
    wb.save(buf)
    s1 = env.ids["space1"]
    before = mentors_in_space(env, s1)
    r = upload(env, "operator1", s1, "mentors.xlsx", buf.getvalue())
    assert r.status_code == 201, r.json
    assert mentors_in_space(env, s1) == before + 2
    assert upload(env, "operator1", s1, "broken.xlsx", b"PK\x03\x04 not really").status_code == 422


def test_import_accepts_a_city_of_every_province_by_name_and_by_code(env: ApiEnv) -> None:
    """Every province's first city (a municipality is its own city), once by Chinese name, once by code, and
    provinces / macro regions / pinyin in `regions`; stored as national codes."""
    from matcher.taxonomy import REGIONS

    picks = []
    for prov in REGIONS.provinces():
        kids = [p for p in REGIONS.children(prov.code) if p.level == "prefecture"] or \
            ([prov] if prov.level == "municipality" else [])
        if kids:
            picks.append(kids[0])
    assert len(picks) >= 33
    header = "name,mentor_type,expertise,offer,serves,stages,city,regions,languages\n"
    rows = [f"导师{i}{how},entrepreneur,x,y,strategy,seed,{p.short_zh if how == 'zh' else p.code},"
            f"{REGIONS.get(p.province).short_zh}|华东|{p.pinyin},zh\n"
            for i, p in enumerate(picks) for how in ("zh", "code")]
    s1 = env.ids["space1"]
    r = upload(env, "operator1", s1, "everywhere.csv", (header + "".join(rows)).encode())
    assert r.status_code == 201, r.json.get("errors")
    with env.app.app_context():
        from api.extensions import db

        stored = dict(db.reader.execute(select(Mentor.name, Mentor.city).where(Mentor.name.like("导师%"))).all())
        regions = db.reader.scalar(select(Mentor.regions).where(Mentor.name == "导师0zh"))
    for i, p in enumerate(picks):
        assert stored[f"导师{i}zh"] == stored[f"导师{i}code"] == p.code
    assert set(regions) >= {picks[0].province, "east"}
    bad = upload(env, "operator1", s1, "bad.csv", (header + "导师x,entrepreneur,x,y,strategy,seed,山东,,zh\n").encode())
    assert bad.status_code == 422 and "not a city" in str(bad.json["errors"])


def _patched_xlsx(rows: str, *, drop_dimension: bool = True) -> bytes:
    """A valid one-sheet workbook (the good mentors) whose sheet XML gets ``rows`` appended."""
    import re
    import zipfile

    wb = Workbook()
    ws = wb.active
    for line in CSV_OK.strip().splitlines():
        ws.append(line.split(","))
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            content = zin.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                text = content.decode()
                if drop_dimension:
                    text = re.sub(r"<dimension[^>]*/>", "", text)
                content = text.replace("</sheetData>", rows + "</sheetData>").encode()
            zout.writestr(item.filename, content)
    return out.getvalue()


def test_xlsx_bombs_and_bad_cells_are_refused_quickly_and_write_nothing(env: ApiEnv) -> None:
    """A 60 KB workbook can declare a million cells: it is refused before openpyxl builds them (under a
    second here, where reading it took 16-19 s and ~600 MB; without the pre-scan the first two would come back
    as 422 row errors after that); a cell whose type and value disagree is a 422, not a 500."""
    s1 = env.ids["space1"]
    before = mentors_in_space(env, s1)
    million = "".join(f'<row r="{i}">' + '<c t="n"><v>1</v></c>' * 1000 + "</row>" for i in range(10, 1010))
    one_wide_row = '<row r="10">' + '<c t="n"><v>1</v></c>' * 1_000_000 + "</row>"
    empty_rows = "".join(f'<row r="{i}"><c t="n"><v>1</v></c></row>' for i in range(10, 100_010))
    for rows in (million, one_wide_row, empty_rows):
        body = _patched_xlsx(rows)
        assert len(body) < 400_000
        r = upload(env, "operator1", s1, "bomb.xlsx", body)
        assert r.status_code == 413 and r.content_type == "application/problem+json", r.json
    bad_date = _patched_xlsx('<row r="10"><c r="A10" t="d"><v>not-a-date</v></c></row>')
    r = upload(env, "operator1", s1, "bad.xlsx", bad_date)
    assert r.status_code == 422 and "XLSX" in r.json["detail"], r.json
    assert mentors_in_space(env, s1) == before


SST = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _parts() -> dict[str, bytes]:
    """The good mentors as openpyxl writes them (their text inline), part by part."""
    import zipfile

    wb = Workbook()
    for line in CSV_OK.strip().splitlines():
        wb.active.append(line.split(","))
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def _with_shared_strings(parts: dict[str, bytes], strings: bytes) -> dict[str, bytes]:
    """``parts`` with a shared-strings part holding ``strings`` (<si> entries), declared as Excel declares it."""
    parts["xl/sharedStrings.xml"] = b'<?xml version="1.0" encoding="UTF-8"?>\n' + SST + strings + b"</sst>"
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>'))
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(b"</Relationships>", (
        b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
    return parts


def _patched(part: str, old: bytes, new: bytes) -> bytes:
    parts = _parts()
    assert old in parts[part]
    parts[part] = parts[part].replace(old, new, 1)
    return pack(parts)


@pytest.fixture
def openpyxl_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item per workbook handed to openpyxl."""
    import openpyxl

    calls: list[int] = []
    original = openpyxl.load_workbook
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: calls.append(1) or original(*a, **k))
    return calls


def _refused(env: ApiEnv, body: bytes, status: int, part: str) -> dict[str, object]:
    """The answer to ``body``: ``status``, naming ``part`` (and for a 413 the limit it broke)."""
    r = upload(env, "operator1", env.ids["space1"], "bomb.xlsx", body)
    assert r.status_code == status and r.content_type == "application/problem+json", (r.status_code, r.json)
    assert part in r.json["detail"], r.json
    if status == 413:
        limit = r.json["limit"]
        assert r.json["part"] == part and (str(limit) in r.json["detail"] or f"{limit // 2**20} MB" in r.json["detail"])
    return dict(r.json)


def test_xlsx_shared_strings_bombs_are_refused_before_openpyxl_and_write_nothing(
        env: ApiEnv, openpyxl_reads: list[int]) -> None:
    """The audit's: a 3.3 MB workbook with 50 MB of shared strings took 8.3 s and 258 MB before its 422. Shared
    strings are counted and sized before openpyxl reads them (it keeps every one)."""
    from api.services.importer import MAX_XLSX_SHARED_STRINGS, MAX_XLSX_SHARED_STRINGS_SIZE

    before = mentors_in_space(env, env.ids["space1"])
    strings = b"".join(b"<si><t>%d</t></si>" % (i % 1500) for i in range(MAX_XLSX_SHARED_STRINGS + 1))
    many = pack(_with_shared_strings(_parts(), strings))
    long = pack(_with_shared_strings(_parts(), b"<si><t>" + "文".encode() * (MAX_XLSX_SHARED_STRINGS_SIZE // 3)
                                        + b"</t></si>"))
    assert len(many) < 400_000 and len(long) < 200_000
    assert f"more than {MAX_XLSX_SHARED_STRINGS} shared strings" in \
        str(_refused(env, many, 413, "xl/sharedStrings.xml")["detail"])
    assert _refused(env, long, 413, "xl/sharedStrings.xml")["limit"] == MAX_XLSX_SHARED_STRINGS_SIZE
    assert openpyxl_reads == [] and mentors_in_space(env, env.ids["space1"]) == before


def test_xlsx_styles_bombs_are_refused_before_openpyxl_and_write_nothing(
        env: ApiEnv, openpyxl_reads: list[int]) -> None:
    """The audit's: a 128 KB workbook with 700,000 cell formats took 10 s and 541 MB, and was imported. Cell
    formats are counted, and styles.xml sized, before openpyxl reads them (~0.8 KB each)."""
    from api.services.importer import MAX_XLSX_PART, MAX_XLSX_STYLES

    before = mentors_in_space(env, env.ids["space1"])
    xf = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    many = _patched("xl/styles.xml", b'<cellXfs count="1">', b"<cellXfs>" + xf * (MAX_XLSX_STYLES + 1))
    audit = _patched("xl/styles.xml", b'<cellXfs count="1">', b"<cellXfs>" + xf * 700_000)
    assert len(many) < 100_000 and len(audit) < 300_000
    assert f"more than {MAX_XLSX_STYLES} cell formats" in str(_refused(env, many, 413, "xl/styles.xml")["detail"])
    assert _refused(env, audit, 413, "xl/styles.xml")["limit"] == MAX_XLSX_PART
    assert openpyxl_reads == [] and mentors_in_space(env, env.ids["space1"]) == before


OTHER_BOMBS = {  # a bomb in any other part: (part, text of it, replaced by)
    "defined names": ("xl/workbook.xml", b"</workbook>", b"<definedNames>" + b"".join(
        b'<definedName name="n%d">Sheet!$A$1</definedName>' % i for i in range(60_000))
        + b"</definedNames></workbook>"),
    "content types": ("[Content_Types].xml", b"</Types>", b"".join(
        b'<Override PartName="/x%d.xml" ContentType="application/xml"/>' % i for i in range(60_000)) + b"</Types>"),
    "merged cells": ("xl/worksheets/sheet1.xml", b"</sheetData>", b"</sheetData><mergeCells>" + b"".join(
        b'<mergeCell ref="A%d:B%d"/>' % (i, i) for i in range(10, 60_010)) + b"</mergeCells>"),
    "a cell of 60 MB": ("xl/worksheets/sheet1.xml", b"</sheetData>", b'<row r="9"><c r="A9" t="inlineStr"><is><t>'
                        + b"a" * 60_000_000 + b"</t></is></c></row></sheetData>"),
    "document properties": ("docProps/core.xml", b"</cp:coreProperties>",
                            b"<dc:description>" + b"a" * 60_000_000 + b"</dc:description></cp:coreProperties>"),
}


@pytest.mark.parametrize("bomb", sorted(OTHER_BOMBS))
def test_xlsx_bombs_in_any_other_part_are_refused_before_openpyxl(env: ApiEnv, openpyxl_reads: list[int],
                                                                  bomb: str) -> None:
    before = mentors_in_space(env, env.ids["space1"])
    part, old, new = OTHER_BOMBS[bomb]
    body = _patched(part, old, new)
    assert len(body) < 500_000
    _refused(env, body, 413, part)
    assert openpyxl_reads == [] and mentors_in_space(env, env.ids["space1"]) == before


def _uncountable(name: str) -> bytes:
    if name == "sheet read whole as the workbook":
        return _patched("[Content_Types].xml", b'PartName="/xl/workbook.xml"', b'PartName="/xl/worksheets/sheet1.xml"')
    if name == "UTF-16 shared strings":
        sst = ('<?xml version="1.0" encoding="UTF-16"?>' + SST.decode() + "<si><t>x</t></si>" * 250_000 + "</sst>")
        return pack({**_with_shared_strings(_parts(), b""), "xl/sharedStrings.xml": sst.encode("utf-16")})
    if name == "a DTD":
        sst = (b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
               + SST + b"<si><t>&b;</t></si></sst>")
        return pack({**_with_shared_strings(_parts(), b""), "xl/sharedStrings.xml": sst})
    if name == "many files":
        return pack({**_parts(), **{f"customXml/item{i}.xml": b"" for i in range(2000)}})
    raise AssertionError(name)


@pytest.mark.parametrize(("name", "status", "part"), [
    ("UTF-16 shared strings", 422, "xl/sharedStrings.xml"), ("a DTD", 422, "xl/sharedStrings.xml"),
    ("sheet read whole as the workbook", 422, "xl/worksheets/sheet1.xml"), ("many files", 413, "parts"),
])
def test_xlsx_files_beyond_what_the_pre_scan_counts_are_refused_before_openpyxl(
        env: ApiEnv, openpyxl_reads: list[int], name: str, status: int, part: str) -> None:
    """UTF-16 XML (the counts read bytes), a DTD (entity expansion) and a worksheet given another role (read
    whole, not streamed) are unreadable; a zip of thousands of files (zipfile builds an object for each, before
    any part is read) is too large."""
    before = mentors_in_space(env, env.ids["space1"])
    r = upload(env, "operator1", env.ids["space1"], "bomb.xlsx", _uncountable(name))
    assert r.status_code == status and part in r.json["detail"], (r.status_code, r.json)
    assert openpyxl_reads == [] and mentors_in_space(env, env.ids["space1"]) == before


def test_a_5000_row_workbook_from_the_template_passes_the_pre_scan_with_room_to_spare(
        env: ApiEnv, openpyxl_reads: list[int]) -> None:
    """The mentor template filled with 5,000 mentors, saved as Excel saves it (shared strings), dry-runs clean;
    each of the pre-scan's limits is several times what it holds."""
    from openpyxl import load_workbook

    from api.services import import_headers, importer, sheets

    wb = load_workbook(io.BytesIO(sheets.template("mentor")))
    ws = wb.worksheets[0]
    fields = import_headers.template_fields("mentor")
    example = import_headers.EXAMPLES["mentor"]
    unique = {"external_id": "T5K-{i:04d}", "name": "导师{i}", "title": "合伙人（第{i}位）",
              "contact_email": "m{i}@example.cn", "expertise": "工业大客户销售；工厂数字化采购流程（{i}）",
              "offer": "每月两次面谈，梳理进入工厂的销售路径，第{i}期", "bio": "在装备集团工作26年，带过{i}个项目。"}
    for i in range(5000):
        for col, field in enumerate(fields, start=1):
            value = unique[field].format(i=i) if field in unique else example.get(field)
            ws.cell(row=i + 2, column=col, value=value if value != "" else None)
    buf = io.BytesIO()
    wb.save(buf)
    body = pack(excel_like(parts_of(buf.getvalue())))  # saved as Excel saves it
    openpyxl_reads.clear()

    counts = importer._refuse_xlsx_bombs(body)
    assert counts["rows"] > 5000 and counts["shared_strings"] > 5 * 5000 and counts["styles"] >= 1
    assert counts["unpacked"] * 4 < importer.MAX_XLSX_UNPACKED
    assert counts["cells"] * 3 < importer.MAX_XLSX_CELLS
    assert counts["sheet_elements"] * 4 < importer.MAX_XLSX_SHEET_ELEMENTS
    assert counts["shared_strings"] * 4 < importer.MAX_XLSX_SHARED_STRINGS
    assert counts["shared_strings_size"] * 4 < importer.MAX_XLSX_SHARED_STRINGS_SIZE
    assert counts["styles"] * 1000 < importer.MAX_XLSX_STYLES
    assert counts["other_elements"] * 20 < importer.MAX_XLSX_OTHER_ELEMENTS
    assert counts["largest_other_part"] * 100 < importer.MAX_XLSX_PART
    assert counts["largest_ratio"] * 4 < importer.MAX_XLSX_RATIO
    s1 = env.ids["space1"]
    before = mentors_in_space(env, s1)
    r = env.client().post(f"/api/v1/spaces/{s1}/import", headers=env.headers("operator1"),
                          data={"kind": "mentor", "dry_run": "true", "file": (io.BytesIO(body), "mentors.xlsx")},
                          content_type="multipart/form-data")
    assert r.status_code == 200, r.json
    assert (r.json["created"], r.json["refused"], r.json["ignored_columns"]) == (5000, 0, [])
    assert openpyxl_reads == [1] and mentors_in_space(env, s1) == before


def test_what_excel_adds_to_a_workbook_is_not_taken_for_a_bomb(env: ApiEnv) -> None:
    """Found by the review: a workbook with many formulas (Excel lists each in xl/calcChain.xml, which openpyxl
    never reads), rich text in its shared strings (runs openpyxl reads as plain text) or a big picture (not
    XML, never parsed) was refused as a bomb. Each imports now; a calc chain that serves as a sheet is still
    refused."""
    import zipfile

    parts = _with_shared_strings(_parts(), b"".join(
        b'<si><r><rPr><b/><sz val="11"/></rPr><t>%d</t></r><r><rPr><i/></rPr><t>x</t></r></si>' % i
        for i in range(20_000)))  # ~120,000 run elements, none of them a string of its own
    parts["xl/calcChain.xml"] = (b'<?xml version="1.0" encoding="UTF-8"?>\n<calcChain xmlns="http://schemas.'
                                 b'openxmlformats.org/spreadsheetml/2006/main">'
                                 + b"".join(b'<c r="K%d" i="1"/>' % (i + 2) for i in range(60_000)) + b"</calcChain>")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.calcChain+xml"/><Default Extension="png" ContentType="image/png"/></Types>'))
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(b"</Relationships>", (
        b'<Relationship Id="rIdCalc" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'calcChain" Target="calcChain.xml"/></Relationships>'))
    body = pack(parts)
    assert len(body) < 400_000  # (werkzeug keeps a bigger upload in a temporary file)
    from api.services.importer import MAX_XLSX_OTHER_ELEMENTS, MAX_XLSX_PART, _refuse_xlsx_bombs

    assert 60_000 > MAX_XLSX_OTHER_ELEMENTS  # the calc chain alone is past the budget it used to count against
    # a 9 MB photo (random bytes: a photo does not compress) passes the pre-scan, past the 8 MB of an XML part
    photo = {**parts, "xl/media/image1.png": b"\x89PNG\r\n\x1a\n" + np.random.default_rng(0).bytes(9 * 2**20)}
    assert len(photo["xl/media/image1.png"]) > MAX_XLSX_PART
    assert _refuse_xlsx_bombs(pack(photo))["largest_other_part"] > MAX_XLSX_PART
    s1 = env.ids["space1"]
    r = env.client().post(f"/api/v1/spaces/{s1}/import", headers=env.headers("operator1"),
                          data={"kind": "mentor", "dry_run": "true", "file": (io.BytesIO(body), "mentors.xlsx")},
                          content_type="multipart/form-data")
    assert r.status_code == 200 and r.json["created"] == 2, r.json
    # the calc chain linked as the workbook's sheet would be read as one: refused
    workbook = parts["xl/workbook.xml"]
    sheet_rel = next(m for m in __import__("re").finditer(rb'r:id="(rId\d+)"', workbook))[1]
    rels = parts["xl/_rels/workbook.xml.rels"]
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(b'Id="rIdCalc"', b'Id="rIdCalcX"').replace(
        b'Id="' + sheet_rel + b'"', b'Id="rIdOld"').replace(
        b'Target="calcChain.xml"/>', b'Target="calcChain.xml"/><Relationship Id="' + sheet_rel
        + b'" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        b'Target="calcChain.xml"/>')
    with zipfile.ZipFile(io.BytesIO(pack(parts))) as zf:
        assert b"calcChain.xml" in zf.read("xl/_rels/workbook.xml.rels")
    _refused(env, pack(parts), 422, "xl/calcChain.xml")


def test_every_staff_write_to_profiles_lands_in_the_audit_log(env: ApiEnv) -> None:
    """Create, update (old and new values; contacts named, not copied), import and delete (an archive, since the
    stage change is history): who, when, what."""
    s1 = env.ids["space1"]
    body = {"name": "审计项目", "one_liner": "审计", "stage": "seed", "industries": ["ai"], "needs": ["financing"],
            "city": "北京", "round_sought": "angel", "funding_sought": 1_000_000, "languages": ["zh"],
            "contact_email": "audit@example.cn"}
    created = env.call("operator1", "post", "/api/v1/projects", json=body)
    assert created.status_code == 201, created.json
    pid = created.json["id"]
    assert env.call("operator1", "patch", f"/api/v1/projects/{pid}",
                    json={"stage": "early", "contact_email": "new@example.cn"}).status_code == 200
    assert upload(env, "operator1", s1, "mentors.csv", CSV_OK.encode()).status_code == 201
    assert env.call("operator1", "delete", f"/api/v1/projects/{pid}").status_code == 204
    trail = env.call("operator1", "get", f"/api/v1/spaces/{s1}/audit").json["items"]
    mine = [a for a in trail if a["object_id"] == str(pid) and a["object_type"] == "project"]
    # the stage change is growth history (a project change row): the delete archives, with the counts
    assert [a["action"] for a in mine] == ["project.archive", "project.update", "project.create"]
    assert mine[0]["detail"]["history"]["project_changes"] >= 1
    update = mine[1]["detail"]["changes"]
    assert update["stage"] == ["seed", "early"] and update["contact_email"] == "(hidden)"
    assert "new@example.cn" not in str(trail)
    imports = [a for a in trail if a["action"] == "import.run"]
    assert imports and imports[0]["detail"]["file"] == "mentors.csv" and len(imports[0]["detail"]["ids"]) == 2
    operator_user = {a["actor_user_id"] for a in mine}
    assert len(operator_user) == 1 and None not in operator_user


def test_an_allocation_becomes_introductions_after_a_preview(env: ApiEnv) -> None:
    from models import IntroRequest

    s1 = env.ids["space1"]
    r = env.call("operator1", "post", f"/api/v1/spaces/{s1}/allocations",
                 json={"kind": "provider", "cover": True, "candidates_per_project": 20})
    assert r.status_code == 200, r.json
    pairs = [{"project_id": p["project_id"], "candidate_id": p["candidate_id"]} for p in r.json["pairs"]][:3]
    assert pairs

    def intros() -> int:
        with env.app.app_context():
            from api.extensions import db

            return int(db.reader.scalar(select(func.count()).select_from(IntroRequest).where(
                IntroRequest.space_id == s1, IntroRequest.candidate_kind == "provider")))

    before = intros()
    body = {"kind": "provider", "pairs": pairs + [{"project_id": env.ids["project2"], "candidate_id": 1}],
            "message": "空间推荐"}
    preview = env.call("operator1", "post", f"/api/v1/spaces/{s1}/allocations/intros", json={**body, "dry_run": True})
    assert preview.status_code == 200, preview.json
    assert preview.json["dry_run"] and preview.json["created"] == 3 and intros() == before
    assert preview.json["pairs"][-1]["skipped"] == "not a project of this space"
    made = env.call("operator1", "post", f"/api/v1/spaces/{s1}/allocations/intros", json=body)
    assert made.status_code == 200 and made.json["created"] == 3 and intros() == before + 3
    again = env.call("operator1", "post", f"/api/v1/spaces/{s1}/allocations/intros", json=body)
    assert again.json["created"] == 0 and all("already" in (x["skipped"] or "") or x["skipped"]
                                              for x in again.json["pairs"])
    assert env.call("operator2", "post", f"/api/v1/spaces/{s1}/allocations/intros", json=body).status_code == 404


def test_the_console_allocation_page_previews_asks_and_exports(env: ApiEnv) -> None:
    import re

    from tests.api.test_hardening import csrf_token

    s2 = env.ids["space2"]
    c = console_operator(env, s2, "alloc@example.org")
    token = csrf_token(c, "/console/space/allocation")
    page = c.post("/console/space/allocation", data={"kind": "mentor", "per_project": "1", "cover": "1",
                                                      "csrf_token": token}).get_data(as_text=True)
    pairs = re.findall(r'name="pair" value="(\d+:\d+)"', page)
    assert pairs and 'id="allocation-next"' in page
    form = {"kind": "mentor", "pair": pairs, "message": "空间推荐", "csrf_token": token}
    preview = c.post("/console/space/allocation/intros", data={**form, "action": "preview"}).get_data(as_text=True)
    assert "尚未发起任何对接" in preview or "nothing was asked for yet" in preview
    done = c.post("/console/space/allocation/intros", data={**form, "action": "create"}).get_data(as_text=True)
    assert "已发起对接" in done or "Introductions asked for" in done
    csv_ = c.post("/console/space/allocation.csv", data=form)
    assert csv_.status_code == 200 and csv_.data.startswith(b"\xef\xbb\xbf")
    assert len(csv_.data.decode("utf-8-sig").strip().splitlines()) == len(pairs) + 1


def test_the_allocation_csv_names_nothing_of_another_space(env: ApiEnv) -> None:
    from tests.api.test_hardening import csrf_token

    c = console_operator(env, env.ids["space1"], "alloc-csv@example.org")
    token = csrf_token(c, "/console/space/allocation")
    foreign = f"{env.ids['project2']}:{env.ids['mentor_private2']}"  # space 2's project and private mentor
    mine = f"{env.ids['project1']}:{env.ids['mentor']}"
    r = c.post("/console/space/allocation.csv", data={"kind": "mentor", "pair": [foreign, mine], "csrf_token": token})
    lines = r.data.decode("utf-8-sig").strip().splitlines()
    assert r.status_code == 200 and len(lines) == 2 and lines[1].startswith(str(env.ids["project1"]))
    assert c.post("/console/space/allocation.csv", data={"kind": "mentor", "pair": ["²:1"],
                                                         "csrf_token": token}).status_code == 400
