"""The performance report (绩效评价) of a space for a period: the indicators the 众创空间 documents ask for,
computed from growth records, introductions and feedback, each with its definition written beside it.

Every figure is a dict ``{key, value, zh, en, definition_zh, definition_en}`` so the console, the XLSX
workbook and the API show the same numbers with the same words. Dates are whole days, both ends included.
A project's incubation status on a day is the last recorded change on or before it (``project_changes``),
"incubating" before any change; it entered the space on ``incubated_on`` (else the day it was created).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from api.services.growth import incubated_on
from matcher.metrics import gini
from matcher.taxonomy import PROVIDER_CATEGORIES, ROUNDS
from models import FeedbackEvent, FinancingRound, IntroRequest, Mentor, Milestone, Project, ProjectChange, Provider


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.astimezone(dt.UTC).date() if value is not None else None


def _within(day: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return day is not None and start <= day <= end


def _figure(key: str, value: Any, zh: str, en: str, def_zh: str, def_en: str) -> dict[str, Any]:
    return {"key": key, "value": value, "zh": zh, "en": en, "definition_zh": def_zh, "definition_en": def_en}


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def status_on(changes: list[ProjectChange], day: dt.date) -> str:
    status = "incubating"
    for c in changes:  # sorted by changed_on, id
        if c.changed_on <= day:
            status = c.new_value
    return status


def performance(session: Session, space_id: int, start: dt.date, end: dt.date) -> dict[str, Any]:
    projects = session.scalars(select(Project).where(Project.space_id == space_id)).all()
    changes: dict[int, list[ProjectChange]] = defaultdict(list)
    for c in session.scalars(select(ProjectChange).where(ProjectChange.space_id == space_id,
                                                         ProjectChange.field == "incubation_status")
                             .order_by(ProjectChange.changed_on, ProjectChange.id)):
        changes[c.project_id].append(c)
    before = start - dt.timedelta(days=1)
    incubated = [p for p in projects if incubated_on(p) <= end and
                 (incubated_on(p) >= start or status_on(changes[p.id], before) == "incubating")]
    in_ids = {p.id for p in incubated}
    new = [p for p in incubated if incubated_on(p) >= start]
    moved = {status: {c.project_id for cs in changes.values() for c in cs
                      if c.new_value == status and _within(c.changed_on, start, end)}
             for status in ("graduated", "closed")}
    surviving = [p for p in incubated if status_on(changes[p.id], end) != "closed"]

    rounds = session.scalars(select(FinancingRound).where(FinancingRound.space_id == space_id)
                             .order_by(FinancingRound.closed_on, FinancingRound.id)).all()
    period_rounds = [r for r in rounds if _within(r.closed_on, start, end)]
    intros = session.scalars(select(IntroRequest).where(IntroRequest.space_id == space_id)).all()
    first_investor_accept: dict[int, dt.date] = {}
    for i in sorted((i for i in intros if i.candidate_kind == "investor" and i.status == "accepted"
                     and i.decided_at is not None), key=lambda i: i.decided_at):  # type: ignore[arg-type,return-value]
        first_investor_accept.setdefault(i.project_id, _day(i.decided_at))  # type: ignore[arg-type]
    introduced = {pid for pid, day in first_investor_accept.items() if day <= end and pid in in_ids}
    converted = {r.project_id for r in period_rounds if r.project_id in introduced
                 and r.closed_on >= first_investor_accept[r.project_id]}

    requested = [i for i in intros if _within(_day(i.created_at), start, end)]

    def decided_day(i: IntroRequest) -> dt.date | None:
        return _day(i.decided_at) or (_day(i.expires_at) if i.status == "expired" else None)

    decided = [i for i in intros if i.status in ("accepted", "declined", "expired")
               and _within(decided_day(i), start, end)]
    accepted = [i for i in decided if i.status == "accepted"]
    events = session.scalars(select(FeedbackEvent).where(FeedbackEvent.space_id == space_id,
                                                         FeedbackEvent.type.in_(("met", "rating")))).all()
    events = [e for e in events if _within(_day(e.occurred_at), start, end)]
    meetings = [e for e in events if e.type == "met"]
    ratings = [e.rating for e in events if e.type == "rating" and e.rating is not None]

    # mentor load at the end of the period: accepted mentor intros still running that day
    end_dt = dt.datetime.combine(end, dt.time.max, tzinfo=dt.UTC)
    mentors = session.scalars(select(Mentor).where(or_(Mentor.space_id.is_(None), Mentor.space_id == space_id),
                                                   Mentor.active.is_(True), Mentor.archived_at.is_(None))).all()
    load = Counter(i.candidate_id for i in intros if i.candidate_kind == "mentor" and i.status == "accepted"
                   and i.decided_at is not None and i.decided_at <= end_dt
                   and (i.ended_at is None or i.ended_at > end_dt))
    mentors_engaged = {i.candidate_id for i in accepted if i.candidate_kind == "mentor"}

    provider_ids = {i.candidate_id for i in accepted if i.candidate_kind == "provider"}
    category = dict(session.execute(select(Provider.id, Provider.category).where(
        Provider.id.in_(provider_ids))).all()) if provider_ids else {}
    by_category = Counter(category.get(i.candidate_id, "?") for i in accepted if i.candidate_kind == "provider")
    milestones = session.scalars(select(Milestone).where(Milestone.space_id == space_id)).all()
    milestone_counts = Counter(m.category for m in milestones if _within(m.occurred_on, start, end))

    raised = sum(r.amount or 0 for r in period_rounds)
    figures = [
        _figure("projects_incubated", len(incubated), "在孵项目数", "Projects incubated",
                "期间任一天处于在孵状态的项目（入驻日不晚于期末，且期初前未毕业或关闭）。",
                "Projects incubated on any day of the period (entered by its end, not graduated or closed before "
                "it began)."),
        _figure("projects_new", len(new), "新入驻项目数", "Projects admitted",
                "入驻日期在期间内的项目。", "Projects whose incubation began within the period."),
        _figure("projects_graduated", len(moved["graduated"]), "毕业项目数", "Projects graduated",
                "期间内孵化状态变为“毕业”的项目。", "Projects whose status changed to graduated within the period."),
        _figure("projects_closed", len(moved["closed"]), "关闭项目数", "Projects closed",
                "期间内孵化状态变为“关闭”（停止经营或退出）的项目。",
                "Projects whose status changed to closed within the period."),
        _figure("survival_rate", _rate(len(surviving), len(incubated)), "存活率", "Survival rate",
                "在孵项目中，期末未处于“关闭”状态的比例。",
                "Share of the projects incubated in the period that were not closed at its end."),
        _figure("rounds_closed", len(period_rounds), "完成融资轮次", "Rounds closed",
                "期间内完成（交割）的融资轮次数。", "Financing rounds closed within the period."),
        _figure("projects_financed", len({r.project_id for r in period_rounds}), "获得融资的项目数",
                "Projects financed", "期间内至少完成一轮融资的项目。",
                "Projects that closed at least one round within the period."),
        _figure("amount_raised", raised, "融资总额（元，已披露）", "Amount raised (CNY, disclosed)",
                f"期间内完成轮次的已披露金额之和；{sum(r.amount is None for r in period_rounds)} 轮未披露金额。",
                f"Sum of the disclosed amounts of rounds closed in the period; "
                f"{sum(r.amount is None for r in period_rounds)} round(s) undisclosed."),
        _figure("financing_conversion", _rate(len(converted), len(introduced)), "投融资转化率",
                "Financing conversion",
                "经伙伴对接、投资人已接受介绍的在孵项目中，在首次接受之后、且在期间内完成融资的比例"
                f"（{len(converted)}/{len(introduced)}）。",
                "Of the incubated projects with an investor introduction accepted through Huoban (by the end of "
                "the period), the share that closed a round within the period on or after the first acceptance "
                f"({len(converted)}/{len(introduced)})."),
        _figure("intros_requested", len(requested), "发起对接数", "Introductions requested",
                "期间内发起的对接请求（导师、投资人、服务机构）。", "Introductions requested within the period."),
        _figure("intros_accepted", len(accepted), "接受对接数", "Introductions accepted",
                "期间内被接受的对接请求。", "Introductions accepted within the period."),
        _figure("intro_acceptance", _rate(len(accepted), len(decided)), "对接接受率", "Acceptance rate",
                "期间内有结果（接受、婉拒、过期）的对接中被接受的比例。",
                "Of the introductions decided in the period (accepted, declined or expired), the share accepted."),
        _figure("meetings", len(meetings), "会面次数", "Meetings",
                f"期间内记录的会面（其中导师辅导 {sum(e.candidate_kind == 'mentor' for e in meetings)} 次）；"
                "伙伴不记录时长，以次数计。",
                f"Meetings recorded in the period ({sum(e.candidate_kind == 'mentor' for e in meetings)} with "
                "mentors); Huoban counts meetings, not hours."),
        _figure("mean_rating", round(sum(ratings) / len(ratings), 2) if ratings else None, "平均评分（1-5）",
                "Mean rating (1-5)", f"期间内创业者给出的 {len(ratings)} 条评分的平均值。",
                f"Mean of the {len(ratings)} ratings founders gave in the period."),
        _figure("mentors_engaged", len(mentors_engaged), "参与辅导的导师数", "Mentors engaged",
                "期间内至少接受一次对接的导师。", "Mentors who accepted at least one introduction in the period."),
        _figure("mentor_load_gini", round(gini([load.get(m.id, 0) for m in mentors]), 4), "导师负荷基尼系数",
                "Mentor load Gini",
                "期末各导师进行中的辅导数的基尼系数（0 为完全均衡，越接近 1 越集中在少数导师）。",
                "Gini coefficient of ongoing mentorships per available mentor at the period's end (0: evenly "
                "spread; near 1: carried by a few)."),
        _figure("provider_engagements", sum(by_category.values()), "专业服务对接数", "Provider engagements",
                "期间内被服务机构接受的对接，按服务类别见明细。",
                "Introductions accepted by service providers in the period; by category below."),
        _figure("milestones", sum(milestone_counts.values()), "成长档案里程碑", "Growth milestones",
                "期间内记录的里程碑（产品、客户、收入、团队、获奖等）。",
                "Milestones recorded for the period (product, customers, revenue, team, awards...)."),
    ]
    months: dict[str, dict[str, int]] = defaultdict(lambda: {"requested": 0, "accepted": 0, "rounds": 0})
    for i in requested:
        months[_day(i.created_at).strftime("%Y-%m")]["requested"] += 1  # type: ignore[union-attr]
    for i in accepted:
        months[decided_day(i).strftime("%Y-%m")]["accepted"] += 1  # type: ignore[union-attr]
    for r in period_rounds:
        months[r.closed_on.strftime("%Y-%m")]["rounds"] += 1
    names = {p.id: p.name for p in projects}
    return {
        "space_id": space_id, "from": start, "to": end, "figures": figures,
        "providers_by_category": [{"category": c, "zh": PROVIDER_CATEGORIES.zh(c) if c in PROVIDER_CATEGORIES else c,
                                   "engagements": n} for c, n in by_category.most_common()],
        "milestones_by_category": dict(sorted(milestone_counts.items())),
        "rounds": [{"project": names.get(r.project_id, f"#{r.project_id}"), "round": r.round,
                    "round_zh": ROUNDS.zh(r.round) if r.round in ROUNDS else r.round, "amount": r.amount,
                    "closed_on": r.closed_on, "after_introduction": r.project_id in converted
                    and r.closed_on >= first_investor_accept[r.project_id]} for r in period_rounds],
        "monthly": [{"month": k, **v} for k, v in sorted(months.items())],
    }


def workbook(report: dict[str, Any], space_name: str) -> bytes:
    """The report as an XLSX workbook: indicators with definitions, rounds, providers by category, months."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from api.services.sheets import neutralise

    wb = Workbook()
    ws = wb.active
    ws.title = "指标 Indicators"
    ws.append([neutralise(f"{space_name} 绩效评价 Performance report"), f"{report['from']} — {report['to']}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append(["指标", "Indicator", "数值 Value", "定义", "Definition"])
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for f in report["figures"]:
        ws.append([neutralise(v) for v in (f["zh"], f["en"], f["value"], f["definition_zh"], f["definition_en"])])
    for col, width in zip("ABCDE", (22, 26, 14, 60, 70), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=4):
        for cell in row[3:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    def sheet(title: str, header: list[str], rows: Iterable[list[Any]]) -> None:
        s = wb.create_sheet(title)
        s.append(header)
        for cell in s[1]:
            cell.font = Font(bold=True)
        for r in rows:
            s.append([neutralise(v) for v in r])

    sheet("融资 Rounds",
          ["项目 Project", "轮次 Round", "金额（元） Amount", "交割日 Closed on", "经伙伴对接后 After intro"],
          ([r["project"], r["round_zh"], r["amount"], r["closed_on"], "是" if r["after_introduction"] else "否"]
           for r in report["rounds"]))
    sheet("服务 Providers", ["类别 Category", "对接数 Engagements"],
          ([r["zh"], r["engagements"]] for r in report["providers_by_category"]))
    sheet("月度 Monthly", ["月份 Month", "发起对接 Requested", "接受对接 Accepted", "完成融资 Rounds"],
          ([m["month"], m["requested"], m["accepted"], m["rounds"]] for m in report["monthly"]))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
