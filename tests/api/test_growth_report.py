"""Growth records (成长档案) and the performance report (绩效评价), issue 16 items 3 and 4: the report's figures
against counts worked out by hand from a fixture written for it, and against independent queries on the
seeded demo space."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from api.accounts import create_api_key
from models import (
    AuditLog,
    FeedbackEvent,
    FinancingRound,
    IntroRequest,
    Investor,
    Mentor,
    PortfolioInvestment,
    Project,
    ProjectChange,
    Provider,
    Space,
)
from tests.api.conftest import ApiEnv, console_operator

D = dt.date


def at(day: D) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)


def test_founders_and_operators_keep_the_growth_record(env: ApiEnv) -> None:
    pid, s1 = env.ids["project1"], env.ids["space1"]
    base = f"/api/v1/projects/{pid}"
    m = env.call("founder1", "post", f"{base}/milestones", json={
        "occurred_on": "2026-03-01", "category": "revenue", "title": "年收入过百万", "revenue_band": "1m_10m"})
    assert m.status_code == 201, m.json
    bad = env.call("founder1", "post", f"{base}/milestones", json={
        "occurred_on": "2999-01-01", "category": "product", "title": "x", "revenue_band": "lt_1m"})
    assert bad.status_code == 422 and bad.content_type == "application/problem+json"
    with env.app.app_context():
        from api.extensions import db

        investor = db.reader.scalar(select(Investor.id).where(Investor.space_id.is_(None)).limit(1))
        foreign = db.reader.scalar(select(Investor.id).where(Investor.space_id == env.ids["space2"]).limit(1))
        portfolio_before = db.reader.scalar(select(func.count()).select_from(PortfolioInvestment)
                                            .where(PortfolioInvestment.investor_id == investor))
    by_founder = env.call("founder1", "post", f"{base}/rounds", json={
        "round": "angel", "closed_on": "2026-02-15", "investor_ids": [investor]})
    assert by_founder.status_code == 403  # a founder cannot write into an investor's portfolio
    named = env.call("founder1", "post", f"{base}/rounds", json={
        "round": "angel", "closed_on": "2026-02-16", "investor_names": ["某天使"]})
    assert named.status_code == 201 and named.json["investors"] == []
    assert env.call("founder1", "delete", f"{base}/rounds/{named.json['id']}").status_code == 204
    r = env.call("operator1", "post", f"{base}/rounds", json={
        "round": "天使轮", "amount": 3_000_000, "closed_on": "2026-02-15", "investor_ids": [investor],
        "investor_names": ["某天使"]})
    assert r.status_code == 201, r.json
    assert r.json["round"] == "angel" and r.json["investors"][0]["id"] == investor
    if foreign is not None:
        other = env.call("operator1", "post", f"{base}/rounds", json={
            "round": "seed", "closed_on": "2026-01-01", "investor_ids": [foreign]})
        assert other.status_code == 422
    with env.app.app_context():
        from api.extensions import db

        rows = db.reader.scalars(select(PortfolioInvestment).where(
            PortfolioInvestment.financing_round_id == r.json["id"])).all()
        assert [(x.investor_id, x.project_id, x.round, x.invested_on) for x in rows] == [
            (investor, pid, "angel", D(2026, 2, 15))]
    # a stage change is history; only operators graduate a project
    assert env.call("founder1", "patch", base, json={"stage": "growth"}).status_code in (200, 403)
    assert env.call("operator1", "patch", base, json={"stage": "growth"}).status_code == 200
    assert env.call("founder1", "put", f"{base}/incubation", json={"status": "graduated"}).status_code == 403
    g = env.call("operator1", "put", f"{base}/incubation", json={"status": "graduated", "on": "2026-04-01",
                                                                 "note": "毕业"})
    assert g.status_code == 200, g.json
    record = env.call("founder1", "get", f"{base}/growth").json
    assert record["incubation_status"] == "graduated" and record["raised_total"] >= 3_000_000
    assert {"field": "incubation_status", "old_value": "incubating", "new_value": "graduated",
            "changed_on": "2026-04-01", "note": "毕业"} in record["changes"]
    assert any(c["field"] == "stage" and c["new_value"] == "growth" for c in record["changes"])
    assert record["milestones"][0]["revenue_band"] == "1m_10m"
    # the other space's operator and the project's candidates do not see it
    assert env.call("operator2", "get", f"{base}/growth").status_code == 404
    assert env.call("mentor", "get", f"{base}/growth").status_code in (403, 404)
    # removing the round removes the portfolio rows it made (operators only, as it touches portfolios)
    assert env.call("founder1", "delete", f"{base}/rounds/{r.json['id']}").status_code == 403
    assert env.call("operator1", "delete", f"{base}/rounds/{r.json['id']}").status_code == 204
    assert env.call("founder1", "delete", f"{base}/milestones/{m.json['id']}").status_code == 204
    assert env.call("founder1", "delete", f"{base}/milestones/{m.json['id']}").status_code == 404
    env.call("operator1", "put", f"{base}/incubation", json={"status": "incubating"})
    with env.app.app_context():
        from api.extensions import db

        assert db.reader.scalar(select(func.count()).select_from(PortfolioInvestment)
                                .where(PortfolioInvestment.investor_id == investor)) == portfolio_before
        actions = set(db.reader.scalars(select(AuditLog.action).where(AuditLog.space_id == s1,
                                                                      AuditLog.action.like("growth.%"))))
    assert {"growth.milestone.add", "growth.milestone.delete", "growth.round.add", "growth.round.delete",
            "growth.incubation"} <= actions


@pytest.fixture
def report_space(env: ApiEnv) -> dict[str, Any]:
    """A space whose history is written out below, and the figures worked out by hand from it."""
    with env.app.app_context():
        from api.extensions import db

        s = db.session
        space = Space(slug=f"report-{uuid.uuid4().hex[:12]}", name="报告空间",
                      city="370100", focus_industries=[])
        s.add(space)
        s.flush()
        sid = space.id

        def project(name: str, since: D) -> Project:
            p = Project(space_id=sid, name=name, one_liner="x", stage="early", industries=["ai"], needs=[],
                        city="370100", region="east", languages=["zh"], incubated_on=since)
            s.add(p)
            s.flush()
            return p

        a, b = project("A", D(2025, 3, 1)), project("B", D(2025, 6, 1))
        c, d = project("C", D(2026, 2, 1)), project("D", D(2024, 1, 1))
        project("E", D(2026, 8, 1))  # after the period

        def change(p: Project, new: str, on: D) -> None:
            s.add(ProjectChange(project_id=p.id, space_id=sid, field="incubation_status", old_value="incubating",
                                new_value=new, changed_on=on))
            p.incubation_status = new

        change(b, "graduated", D(2026, 3, 15))
        change(c, "closed", D(2026, 5, 20))
        change(d, "graduated", D(2025, 12, 1))  # before the period: D is not counted
        m1 = Mentor(space_id=sid, name="M1", mentor_type="entrepreneur", expertise="x", offer="y", serves=["strategy"],
                    industries=[], stages=["early"], languages=["zh"], city="370100", regions=[], capacity=3)
        m2 = Mentor(space_id=sid, name="M2", mentor_type="entrepreneur", expertise="x", offer="y", serves=["strategy"],
                    industries=[], stages=["early"], languages=["zh"], city="370100", regions=[], capacity=3)
        x = Investor(space_id=sid, name="X", kind="vc", thesis="t", rounds=["angel"], ticket_min=0, ticket_max=10**7,
                     serves=["financing"], industries=[], stages=["early"], languages=["zh"], city="370100", regions=[])
        y = Investor(space_id=sid, name="Y", kind="vc", thesis="t", rounds=["angel"], ticket_min=0, ticket_max=10**7,
                     serves=["financing"], industries=[], stages=["early"], languages=["zh"], city="370100", regions=[])
        common = dict(space_id=sid, services="s", price_tier="standard", industries=[], stages=["early"],
                      languages=["zh"], city="370100", regions=[], capacity=5)
        legal = Provider(name="L", category="legal", serves=["legal"], **common)
        ip = Provider(name="IP", category="ip", serves=["ip"], **common)
        s.add_all([m1, m2, x, y, legal, ip])
        s.flush()

        def intro(p: Project, kind: str, cand: Any, created: D, status: str, decided: D | None = None,
                  expires: D | None = None) -> None:
            s.add(IntroRequest(space_id=sid, project_id=p.id, candidate_kind=kind, candidate_id=cand.id, status=status,
                               created_at=at(created), decided_at=at(decided) if decided else None,
                               expires_at=at(expires or created + dt.timedelta(days=14))))

        intro(a, "investor", x, D(2026, 1, 10), "accepted", D(2026, 1, 12))
        intro(b, "investor", x, D(2026, 1, 2), "accepted", D(2026, 1, 8))
        intro(c, "investor", y, D(2026, 3, 1), "declined", D(2026, 3, 5))
        intro(a, "mentor", m1, D(2026, 2, 1), "accepted", D(2026, 2, 2))
        intro(b, "provider", legal, D(2026, 4, 1), "accepted", D(2026, 4, 3))
        intro(c, "mentor", m2, D(2026, 6, 25), "pending")
        intro(a, "provider", ip, D(2026, 5, 1), "expired", expires=D(2026, 5, 15))
        intro(d, "mentor", m2, D(2025, 5, 1), "accepted", D(2025, 5, 2))  # outside; still running at the end

        def round_(p: Project, code: str, amount: int | None, closed: D) -> None:
            s.add(FinancingRound(project_id=p.id, space_id=sid, round=code, amount=amount, closed_on=closed,
                                 investor_ids=[], investor_names=[], notes=""))

        round_(a, "angel", 3_000_000, D(2026, 2, 15))  # after A's accepted intro: converted
        round_(b, "pre_a", None, D(2026, 1, 5))  # before B's first acceptance (8 January): not converted
        round_(c, "seed", 500_000, D(2026, 1, 20))  # C has no accepted investor intro
        round_(a, "seed", 1_000_000, D(2025, 11, 1))  # before the period

        def event(p: Project, kind: str, cand: Any, type_: str, on: D, rating: int | None = None) -> None:
            s.add(FeedbackEvent(event_id=f"r{sid}-{p.id}-{type_}-{on}", space_id=sid, type=type_, project_id=p.id,
                                candidate_kind=kind, candidate_id=cand.id, rating=rating, occurred_at=at(on)))

        event(a, "mentor", m1, "met", D(2026, 2, 10))
        event(b, "provider", legal, "met", D(2026, 4, 10))
        event(a, "mentor", m1, "met", D(2025, 12, 1))  # outside
        event(a, "mentor", m1, "rating", D(2026, 2, 11), 5)
        event(b, "provider", legal, "rating", D(2026, 4, 11), 4)
        from models import Milestone

        for p, cat, on in ((a, "product", D(2026, 3, 1)), (a, "customers", D(2026, 4, 1)), (b, "team", D(2025, 10, 1))):
            s.add(Milestone(project_id=p.id, space_id=sid, occurred_on=on, category=cat, title=cat))
        mentors_available = s.scalar(select(func.count()).select_from(Mentor).where(
            (Mentor.space_id.is_(None)) | (Mentor.space_id == sid), Mentor.active.is_(True),
            Mentor.archived_at.is_(None)))
        key = create_api_key(s, role="operator", space_id=sid)
        s.commit()
    # M1 (A, accepted in February) and M2 (D, since 2025) are still mentoring at the end: two mentors at 1
    n = int(mentors_available)
    loads = [0.0] * (n - 2) + [1.0, 1.0]
    cum = [sum(loads[: i + 1]) for i in range(n)]
    expected_gini = (n + 1 - 2 * sum(v / cum[-1] for v in cum)) / n
    expected = {
        "projects_incubated": 3, "projects_new": 1, "projects_graduated": 1, "projects_closed": 1,
        "survival_rate": round(2 / 3, 4), "rounds_closed": 3, "projects_financed": 3, "amount_raised": 3_500_000,
        "financing_conversion": 0.5, "intros_requested": 7, "intros_accepted": 4, "intro_acceptance": round(4 / 6, 4),
        "meetings": 2, "mean_rating": 4.5, "mentors_engaged": 1, "mentor_load_gini": round(expected_gini, 4),
        "provider_engagements": 1, "milestones": 2,
    }
    return {"space": sid, "key": key, "expected": expected}


def test_the_report_matches_the_figures_worked_out_by_hand(env: ApiEnv, report_space: dict[str, Any]) -> None:
    sid, headers = report_space["space"], {"Authorization": f"Bearer {report_space['key']}"}
    r = env.client().get(f"/api/v1/spaces/{sid}/report?from=2026-01-01&to=2026-06-30", headers=headers)
    assert r.status_code == 200, r.json
    got = {f["key"]: f["value"] for f in r.json["figures"]}
    assert got == report_space["expected"]
    assert all(f["definition_zh"] and f["definition_en"] for f in r.json["figures"])
    assert r.json["providers_by_category"] == [{"category": "legal", "zh": "法律服务", "engagements": 1}]
    assert r.json["milestones_by_category"] == {"customers": 1, "product": 1}
    assert [(x["project"], x["after_introduction"]) for x in r.json["rounds"]] == [
        ("B", False), ("C", False), ("A", True)]
    months = {m["month"]: m for m in r.json["monthly"]}
    assert months["2026-01"] == {"month": "2026-01", "requested": 2, "accepted": 2, "rounds": 2}
    xlsx = env.client().get(f"/api/v1/spaces/{sid}/report?from=2026-01-01&to=2026-06-30&format=xlsx",
                            headers=headers)
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")
    wb = load_workbook(io.BytesIO(xlsx.data))
    rows = {row[0]: row for row in wb["指标 Indicators"].iter_rows(min_row=4, values_only=True)}
    assert rows["投融资转化率"][2] == 0.5 and rows["在孵项目数"][2] == 3 and rows["投融资转化率"][3]
    assert {"融资 Rounds", "服务 Providers", "月度 Monthly"} <= set(wb.sheetnames)
    bad = env.client().get(f"/api/v1/spaces/{sid}/report?from=2026-07-01&to=2026-06-30", headers=headers)
    assert bad.status_code == 422
    assert env.call("operator1", "get", f"/api/v1/spaces/{sid}/report").status_code == 404
    assert env.call("founder1", "get", f"/api/v1/spaces/{env.ids['space1']}/report").status_code == 403


def test_the_report_of_the_seeded_space_agrees_with_direct_counts(env: ApiEnv) -> None:
    s1 = env.ids["space1"]
    now = dt.datetime.now(dt.UTC)
    with env.app.app_context():  # some activity of its own, so the comparison below cannot be vacuous
        from api.extensions import db

        mentors = db.session.scalars(select(Mentor.id).where(Mentor.space_id.is_(None)).limit(3)).all()
        for status, mentor in zip(("accepted", "declined", "pending"), mentors, strict=True):
            db.session.add(IntroRequest(space_id=s1, project_id=env.ids["project1b"], candidate_kind="mentor",
                                        candidate_id=mentor, status=status, created_at=now,
                                        decided_at=now if status != "pending" else None,
                                        expires_at=now + dt.timedelta(days=14), direction="project"))
        db.session.add(FeedbackEvent(event_id=f"seeded-met-{now.timestamp()}", space_id=s1, type="met",
                                     project_id=env.ids["project1b"], candidate_kind="mentor",
                                     candidate_id=env.ids["mentor"], occurred_at=now))
        db.session.commit()
    r = env.call("operator1", "get", f"/api/v1/spaces/{s1}/report?from=2020-01-01&to=2028-12-31")
    assert r.status_code == 200, r.json
    got = {f["key"]: f["value"] for f in r.json["figures"]}
    with env.app.app_context():
        from api.extensions import db

        q = db.reader
        intros = q.scalar(select(func.count()).select_from(IntroRequest).where(IntroRequest.space_id == s1))
        accepted = q.scalar(select(func.count()).select_from(IntroRequest).where(
            IntroRequest.space_id == s1, IntroRequest.status == "accepted", IntroRequest.decided_at.is_not(None)))
        met = q.scalar(select(func.count()).select_from(FeedbackEvent).where(
            FeedbackEvent.space_id == s1, FeedbackEvent.type == "met"))
        projects = q.scalar(select(func.count()).select_from(Project).where(Project.space_id == s1))
        closed = q.scalar(select(func.count()).select_from(Project).where(Project.space_id == s1,
                                                                           Project.incubation_status == "closed"))
    assert got["intros_requested"] == intros and got["intros_accepted"] == accepted and got["meetings"] == met
    assert got["projects_incubated"] == projects and got["survival_rate"] == round((projects - closed) / projects, 4)
    assert intros > 0 and projects > 0


def test_the_console_report_page_shows_every_figure_with_its_definition(env: ApiEnv,
                                                                         report_space: dict[str, Any]) -> None:
    sid = report_space["space"]
    c = console_operator(env, sid, f"report{sid}@example.org")
    page = c.get("/console/space/report?from=2026-01-01&to=2026-06-30").get_data(as_text=True)
    for key in report_space["expected"]:
        assert f'id="fig-{key}"' in page
    assert "投融资转化率" in page and "50%" in page and "<svg" in page and "法律服务" in page
    assert "经伙伴对接、投资人已接受介绍的在孵项目中" in page  # the definition beside the figure
    xlsx = c.get("/console/space/report.xlsx?from=2026-01-01&to=2026-06-30")
    assert xlsx.status_code == 200 and load_workbook(io.BytesIO(xlsx.data))["指标 Indicators"]["C4"].value == 3
