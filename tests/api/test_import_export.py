"""Operators' sheets: GBK CSVs with Chinese headers, re-imports that update, dry runs, the template, exports
that import back, and formula cells that no spreadsheet will run (issue 16, items 1 and 2)."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import func, select

from models import AuditLog, Mentor, Project
from tests.api.conftest import ApiEnv, console_operator

GBK_MENTORS = (
    "导师编号,姓名,导师类型,专长,可提供的帮助,可服务需求,服务阶段,所在城市,服务区域,容量,工作语言,备注\n"
    "GBK-001,周明远,技术专家,机器视觉与工业检测,帮团队评审检测方案,研发设计|检验检测,种子期|初创期,济南,山东省|华东,2,中文,老朋友\n"
    "GBK-002,陈晓,资深管理者,制造业大客户销售,梳理进入工厂的销售路径,销售渠道、战略规划,初创期,青岛市,全国,3,中文,\n"
)


def upload(env: ApiEnv, who: str, space: int, name: str, content: bytes, kind: str = "mentor",
           dry_run: bool = False) -> Any:
    data: dict[str, Any] = {"kind": kind, "file": (io.BytesIO(content), name)}
    if dry_run:
        data["dry_run"] = "true"
    return env.client().post(f"/api/v1/spaces/{space}/import", headers=env.headers(who), data=data,
                             content_type="multipart/form-data")


def count(env: ApiEnv, model: Any, space: int) -> int:
    with env.app.app_context():
        from api.extensions import db

        return int(db.reader.scalar(select(func.count()).select_from(model).where(model.space_id == space)))


def mentor_by_ext(env: ApiEnv, space: int, ext: str) -> Mentor:
    with env.app.app_context():
        from api.extensions import db

        row = db.reader.scalar(select(Mentor).where(Mentor.space_id == space, Mentor.external_id == ext))
        assert row is not None
        db.reader.expunge(row)
        return row


def test_a_gbk_csv_with_chinese_headers_and_labels_imports_and_a_reimport_updates(env: ApiEnv) -> None:
    s2 = env.ids["space2"]
    before = count(env, Mentor, s2)
    r = upload(env, "operator2", s2, "导师名单.csv", GBK_MENTORS.encode("gbk"))
    assert r.status_code == 201, r.json
    assert (r.json["created"], r.json["updated"], r.json["ignored_columns"]) == (2, 0, ["备注"])
    assert count(env, Mentor, s2) == before + 2
    zhou = mentor_by_ext(env, s2, "GBK-001")
    assert (zhou.name, zhou.mentor_type, zhou.city, zhou.capacity) == ("周明远", "technical_expert", "370100", 2)
    assert zhou.serves == ["testing_certification", "rd_design"] or set(zhou.serves) == {"rd_design",
                                                                                       "testing_certification"}
    assert set(zhou.regions) == {"370000", "east"} and zhou.stages == ["seed", "early"]
    assert mentor_by_ext(env, s2, "GBK-002").city == "370200"  # 青岛市 with its 市

    # the same sheet again, one capacity changed: the two profiles update, nothing is added
    again = GBK_MENTORS.replace("种子期|初创期,济南,山东省|华东,2,", "种子期|初创期,济南,山东省|华东,4,")
    r2 = upload(env, "operator2", s2, "导师名单.csv", again.encode("gb18030"))
    assert r2.status_code == 201, r2.json
    assert (r2.json["created"], r2.json["updated"]) == (0, 2)
    assert r2.json["ids"] == r.json["ids"]
    assert count(env, Mentor, s2) == before + 2
    assert mentor_by_ext(env, s2, "GBK-001").capacity == 4
    with env.app.app_context():
        from api.extensions import db

        audit = db.reader.scalars(select(AuditLog).where(AuditLog.action == "mentor.update",
                                                         AuditLog.object_id == str(zhou.id))).all()
    assert [a.detail["changes"] for a in audit] == [{"capacity": [2, 4]}]  # the unchanged one is not audited
    # another space's operator cannot touch these rows, even by naming the same external id
    s1 = env.ids["space1"]
    other = upload(env, "operator1", s1, "m.csv", GBK_MENTORS.encode("gbk"))
    assert other.status_code == 201 and other.json["created"] == 2
    assert mentor_by_ext(env, s2, "GBK-001").capacity == 4


def test_a_dry_run_reports_every_row_and_writes_nothing(env: ApiEnv) -> None:
    s2 = env.ids["space2"]
    upload(env, "operator2", s2, "seed.csv", GBK_MENTORS.replace("GBK-", "DRY-").encode("gbk"))
    before = count(env, Mentor, s2)
    audits = count(env, AuditLog, s2)
    sheet = (GBK_MENTORS.replace("GBK-", "DRY-")
             + "DRY-003,新导师,技术专家,电池材料,中试放大,小试中试,初创期,合肥,安徽,1,中文,\n"
             + "DRY-004,坏导师,宇航员,x,y,研发设计,初创期,火星,,abc,中文,\n"
             + "DRY-003,重复的,技术专家,x,y,研发设计,初创期,合肥,,1,中文,\n")
    r = upload(env, "operator2", s2, "dry.csv", sheet.encode("gbk"), dry_run=True)
    assert r.status_code == 200, r.json
    out = r.json
    assert out["dry_run"] is True and (out["created"], out["updated"], out["refused"]) == (1, 2, 2)
    actions = {row["line"]: row["action"] for row in out["rows"]}
    assert actions == {2: "update", 3: "update", 4: "create", 5: "refused", 6: "refused"}
    bad = {(e["line"], e["field"]) for row in out["rows"] for e in row["errors"]}
    assert {(5, "mentor_type"), (5, "city"), (5, "capacity"), (6, "external_id")} <= bad
    assert count(env, Mentor, s2) == before and count(env, AuditLog, s2) == audits
    # the same file for real: all or nothing
    real = upload(env, "operator2", s2, "dry.csv", sheet.encode("gbk"))
    assert real.status_code == 422 and {e["line"] for e in real.json["errors"]} == {5, 6}
    assert count(env, Mentor, s2) == before


def test_project_sheets_take_amounts_dates_and_yes_no_as_people_write_them(env: ApiEnv) -> None:
    s1 = env.ids["space1"]
    sheet = ("项目名称,一句话介绍,需求描述,发展阶段,融资轮次,拟融资金额（元）,所属行业,需求类型,所在城市,成立日期,"
             "团队人数,推荐给投资人,联系邮箱\n"
             "蓝藻科技,海藻基可降解包装膜,想找中试产线,初创期,天使轮,600万,新材料,小试中试|融资,烟台,2021年3月5日,8,是,"
             "a@example.com\n"
             "Heatloop,Industrial heat pumps,We need a pilot plant,seed,angel,\"1,500,000\",new_energy,"
             "pilot_production,"
             "Berlin,2022/7/1,5,no,b@example.com\n")
    r = upload(env, "operator1", s1, "projects.csv", sheet.encode("utf-8-sig"), kind="project")
    assert r.status_code == 201, r.json
    with env.app.app_context():
        from api.extensions import db

        rows = {p.name: p for p in db.reader.scalars(select(Project).where(Project.id.in_(r.json["ids"])))}
    blue, heat = rows["蓝藻科技"], rows["Heatloop"]
    assert (blue.funding_sought, blue.founded_on.isoformat(), blue.dealflow_curated) == (6_000_000, "2021-03-05", True)
    assert (blue.stage, blue.round_sought, blue.city) == ("early", "angel", "370600")
    assert (heat.funding_sought, heat.founded_on.isoformat(), heat.dealflow_curated) == (1_500_000, "2022-07-01",
                                                                                        False)


def test_the_template_has_dropdowns_and_round_trips(env: ApiEnv) -> None:
    s1 = env.ids["space1"]
    for kind in ("project", "mentor", "investor", "provider"):
        r = env.call("operator1", "get", f"/api/v1/spaces/{s1}/import/template?kind={kind}")
        assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
        wb = load_workbook(io.BytesIO(r.data))
        ws = wb.worksheets[0]
        header = [c.value for c in ws[1]]
        assert all("(" in h for h in header)  # 中文 English (field)
        assert len(ws.data_validations.dataValidation) >= 3
        assert wb["选项 Lists"].sheet_state == "hidden"
        # the example row imports as it is (a dry run), and so does a row filled in by hand
        buf = io.BytesIO()
        wb.save(buf)
        dry = upload(env, "operator1", s1, "t.xlsx", buf.getvalue(), kind=kind, dry_run=True)
        assert dry.status_code == 200 and dry.json["created"] == 1 and dry.json["refused"] == 0, dry.json
    wb = load_workbook(io.BytesIO(env.call("operator1", "get",
                                           f"/api/v1/spaces/{s1}/import/template?kind=provider").data))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    ws.delete_rows(2)
    filled = {"外部编号 External id (external_id)": "TPL-1", "机构名称 Name (name)": "泉城检测",
              "服务类别 Category (category)": "检验检测认证", "服务内容 Services (services)": "CMA检测报告",
              "可服务需求 Serves needs (serves)": "检验检测", "阶段 Stages (stages)": "初创期|成长期",
              "城市 City (city)": "济南市"}
    ws.append([filled.get(h) for h in header])
    buf = io.BytesIO()
    wb.save(buf)
    r = upload(env, "operator1", s1, "filled.xlsx", buf.getvalue(), kind="provider")
    assert r.status_code == 201 and r.json["created"] == 1, r.json
    assert env.call("founder1", "get", f"/api/v1/spaces/{s1}/import/template?kind=mentor").status_code == 403
    assert env.call("operator1", "get", f"/api/v1/spaces/{env.ids['space2']}/import/template?kind=mentor"
                    ).status_code == 404


def test_an_export_imports_back_to_the_same_profiles_and_formulas_come_out_quoted(env: ApiEnv) -> None:
    s2 = env.ids["space2"]
    created = env.call("operator2", "post", "/api/v1/mentors", json={
        "space_id": s2, "name": "=HYPERLINK(\"http://x\",\"点我\")", "mentor_type": "entrepreneur",
        "expertise": "+86 销售", "offer": "@everyone -1", "serves": ["strategy"], "stages": ["seed"], "city": "济南",
        "external_id": "FORMULA-1", "contact_email": "f@example.com"})
    assert created.status_code == 201, created.json
    fid = created.json["id"]

    def profiles() -> dict[int, dict[str, Any]]:
        items = env.call("operator2", "get", f"/api/v1/mentors?space_id={s2}&limit=200").json["items"]
        return {m["id"]: {k: v for k, v in m.items() if k not in ("updated_at",)} for m in items
                if m["space_id"] == s2}

    before = profiles()
    n = count(env, Mentor, s2)
    for fmt in ("csv", "xlsx"):
        r = env.call("operator2", "get", f"/api/v1/spaces/{s2}/export?kind=mentor&format={fmt}")
        assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
        if fmt == "csv":
            assert r.data.startswith(b"\xef\xbb\xbf")
            rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
        else:
            rows = [list(row) for row in load_workbook(io.BytesIO(r.data)).worksheets[0].iter_rows(values_only=True)]
        header = rows[0]
        mine = next(row for row in rows[1:] if "FORMULA-1" in row)
        cell = dict(zip(header, mine, strict=True))
        assert cell["姓名 Name (name)"].startswith("'=HYPERLINK")
        assert cell["专长 Expertise (expertise)"] == "'+86 销售"
        assert cell["可提供的帮助 Offer (offer)"] == "'@everyone -1"
        back = upload(env, "operator2", s2, f"export.{fmt}", r.data)
        assert back.status_code == 201, back.json
        assert back.json["created"] == 0 and back.json["updated"] == len(rows) - 1
        assert count(env, Mentor, s2) == n
        after = profiles()
        def same(k: str, a: Any, b: Any) -> bool:  # tag lists are sets, except languages (the first one leads)
            return sorted(a) == sorted(b) if isinstance(a, list) and k != "languages" else a == b

        diff = {(i, k): (v, after[i].get(k)) for i in before for k, v in before[i].items()
                if not same(k, v, after[i].get(k))}
        assert not diff  # every field as it was: the quote is dropped again on import
    assert before[fid]["name"].startswith("=HYPERLINK")
    # introductions and outcomes export too; a founder may not export
    assert env.call("operator2", "get", f"/api/v1/spaces/{s2}/export?kind=intro&format=csv").status_code == 200
    assert env.call("operator2", "get", f"/api/v1/spaces/{s2}/export?kind=outcome").status_code == 200
    assert env.call("founder2", "get", f"/api/v1/spaces/{s2}/export?kind=mentor").status_code == 403
    assert env.call("operator1", "get", f"/api/v1/spaces/{s2}/export?kind=mentor").status_code == 404
    assert env.call("operator2", "get", f"/api/v1/spaces/{s2}/export?kind=users").status_code == 422


def test_external_ids_are_unique_in_a_space_and_private_to_its_operators(env: ApiEnv) -> None:
    s2 = env.ids["space2"]
    body = {"space_id": s2, "name": "唯一", "mentor_type": "entrepreneur", "expertise": "x", "offer": "y",
            "serves": ["strategy"], "stages": ["seed"], "city": "济南", "external_id": "UNIQ-1"}
    first = env.call("operator2", "post", "/api/v1/mentors", json=body)
    assert first.status_code == 201 and first.json["external_id"] == "UNIQ-1"
    dup = env.call("operator2", "post", "/api/v1/mentors", json=body)
    assert dup.status_code == 409 and dup.content_type == "application/problem+json"
    assert env.call("admin", "get", f"/api/v1/mentors/{first.json['id']}").json["external_id"] == "UNIQ-1"


def test_the_console_page_dry_runs_imports_and_links_templates_and_exports(env: ApiEnv) -> None:
    from tests.api.test_hardening import csrf_token

    s2 = env.ids["space2"]
    c = console_operator(env, s2, "sheets@example.org")
    page = c.get("/console/space/import").get_data(as_text=True)
    assert "/console/space/import/template/mentor" in page and "/console/space/export/intro.csv" in page
    sheet = GBK_MENTORS.replace("GBK-", "CON-").encode("gbk")
    before = count(env, Mentor, s2)

    def post(dry: bool) -> str:
        data: dict[str, Any] = {"kind": "mentor", "file": (io.BytesIO(sheet), "m.csv"),
                                "csrf_token": csrf_token(c, "/console/space/import")}
        if dry:
            data["dry_run"] = "1"
        r = c.post("/console/space/import", data=data, content_type="multipart/form-data")
        assert r.status_code == 200
        return r.get_data(as_text=True)

    dry = post(True)
    assert "试运行结果" in dry or "Dry run: nothing was written" in dry
    assert count(env, Mentor, s2) == before
    post(False)
    assert count(env, Mentor, s2) == before + 2
    post(False)  # again: updates, no duplicates
    assert count(env, Mentor, s2) == before + 2
    xlsx = c.get("/console/space/import/template/investor")
    assert xlsx.status_code == 200 and load_workbook(io.BytesIO(xlsx.data)).worksheets[0]["A1"].value
    exported = c.get("/console/space/export/mentor.csv")
    assert exported.status_code == 200 and "CON-001" in exported.data.decode("utf-8-sig")


def test_owners_cannot_set_the_spaces_key_and_control_characters_do_not_break_exports(env: ApiEnv) -> None:
    pid = env.ids["project1"]
    r = env.call("founder1", "patch", f"/api/v1/projects/{pid}", json={"external_id": "P-STEAL"})
    assert r.status_code == 403 and "external_id" in r.json["detail"]
    ok = env.call("founder1", "patch", f"/api/v1/projects/{pid}",
                  json={"description": "第一段\x0b第二段（从 Word 粘贴）"})
    assert ok.status_code == 200, ok.json
    s1 = env.ids["space1"]
    xlsx = env.call("operator1", "get", f"/api/v1/spaces/{s1}/export?kind=project&format=xlsx")
    assert xlsx.status_code == 200
    cells = [c for row in load_workbook(io.BytesIO(xlsx.data)).worksheets[0].iter_rows(values_only=True)
             for c in row if isinstance(c, str) and "第一段" in c]
    assert cells == ["第一段 第二段（从 Word 粘贴）"]
