"""What to tell whom: outbox rows for introduction events and the investors' weekly digest.

Rows are added to the session of the event that causes them (an introduction asked for, accepted,
declined), so they are committed with it or not at all, and they cost the request one INSERT: delivery is
the notifier's job (``api.notifier``), never the request's. Each row has an idempotency key, unique in the
table: the same event never queues the same message twice, and the key becomes the mail's Message-ID.
Texts follow the recipient's language (their profile's first language). Reminders (expiring in two days,
expired) and digests are queued by :func:`sweep`, which the notifier runs every minute.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.engine import CANDIDATE_MODELS
from api.schemas import parse_db_int
from models import IntroRequest, Notification, Project, User

KIND_ZH = {"mentor": "导师", "investor": "投资人", "provider": "服务机构"}
KIND_EN = {"mentor": "mentor", "investor": "investor", "provider": "service provider"}

TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "intro.requested": {
        "zh": ("{asker}希望与您建立对接", "您好，{name}：\n\n{asker}通过伙伴向您发起了对接请求。{message}\n"
               "请在 {expires} 前登录查看并接受或婉拒：{link}\n\n双方都接受后，才会互相看到联系方式。"
               "\n\n— 伙伴 Huoban"),
        "en": ("{asker} would like an introduction", "Hello {name},\n\n{asker} asked for an introduction through "
               "Huoban.{message}\nPlease accept or decline by {expires}: {link}\n\nContacts are shared only once "
               "both sides have accepted.\n\n— Huoban"),
    },
    "intro.accepted": {
        "zh": ("{other}接受了您的对接请求", "您好，{name}：\n\n{other}接受了您的对接请求，现在可以在伙伴中看到对方的"
               "联系方式：{link}\n\n— 伙伴 Huoban"),
        "en": ("{other} accepted your introduction", "Hello {name},\n\n{other} accepted your introduction; their "
               "contact details are now in Huoban: {link}\n\n— Huoban"),
    },
    "intro.declined": {
        "zh": ("{other}婉拒了您的对接请求", "您好，{name}：\n\n{other}这次婉拒了您的对接请求。伙伴还为您推荐了其他"
               "合适的对象：{link}\n\n— 伙伴 Huoban"),
        "en": ("{other} declined your introduction", "Hello {name},\n\n{other} declined this time. Huoban has "
               "other matches for you: {link}\n\n— Huoban"),
    },
    "intro.expiring": {
        "zh": ("提醒：{asker}的对接请求将于 {expires} 过期", "您好，{name}：\n\n{asker}的对接请求还在等待您的答复，"
               "将于 {expires} 过期：{link}\n\n— 伙伴 Huoban"),
        "en": ("Reminder: {asker}'s request expires on {expires}", "Hello {name},\n\n{asker}'s introduction request "
               "is waiting for your answer and expires on {expires}: {link}\n\n— Huoban"),
    },
    "intro.expired": {
        "zh": ("您对{other}的对接请求已过期", "您好，{name}：\n\n您对{other}的对接请求在期限内未获答复，已过期。"
               "可以看看其他推荐：{link}\n\n— 伙伴 Huoban"),
        "en": ("Your request to {other} expired", "Hello {name},\n\nYour introduction request to {other} was not "
               "answered in time and has expired. Other matches: {link}\n\n— Huoban"),
    },
    "digest.weekly": {
        "zh": ("本周新入库项目 {count} 个", "您好，{name}：\n\n本周新推荐给投资人的项目：\n{items}\n\n"
               "查看并表达兴趣：{link}\n\n不想再收到每周摘要？退订：{unsubscribe}\n\n— 伙伴 Huoban"),
        "en": ("{count} new projects this week", "Hello {name},\n\nProjects curated for investors this week:\n"
               "{items}\n\nSee them and express interest: {link}\n\nNo more weekly digests? Unsubscribe: "
               "{unsubscribe}\n\n— Huoban"),
    },
}


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str
    user_id: int | None


def _language(profile: Any) -> str:
    langs = list(getattr(profile, "languages", None) or ["zh"])
    return "en" if langs and langs[0] == "en" else "zh"


def recipients(session: Session, kind: str, profile: Any) -> list[Recipient]:
    """The people behind a profile: its users with an email, else the profile's own contact email."""
    lang = _language(profile)
    users = session.scalars(select(User).where(User.profile_kind == kind, User.profile_id == profile.id,
                                               User.active.is_(True), User.email.is_not(None))
                            .order_by(User.id)).all()
    if users:
        return [Recipient(u.email, u.name or profile.name, lang, u.id) for u in users if u.email]
    email = getattr(profile, "contact_email", None)
    return [Recipient(email, getattr(profile, "contact_name", None) or profile.name, lang, None)] if email else []


def enqueue(session: Session, *, key: str, event: str, space_id: int | None, to: Recipient,
            values: dict[str, Any]) -> bool:
    """Queue one message unless its key is already queued; True when queued."""
    if session.scalar(select(Notification.id).where(Notification.key == key)) is not None:
        return False
    subject, body = TEMPLATES[event][to.language]
    fields = {"name": to.name, **values}
    title = " ".join(subject.format(**fields).split())[:300]  # no CR/LF: a header cannot hold them
    row = Notification(key=key, event=event, space_id=space_id, user_id=to.user_id, email=to.email,
                       language=to.language, subject=title, body=body.format(**fields),
                       status="pending", attempts=0, next_attempt_at=dt.datetime.now(dt.UTC), last_error="")
    try:
        with session.begin_nested():  # a concurrent sweep may have queued it a moment ago
            session.add(row)
            session.flush()
    except IntegrityError:
        return False
    return True


def _parties(session: Session, intro: IntroRequest) -> tuple[Project, Any]:
    project = session.get(Project, intro.project_id)
    candidate = session.get(CANDIDATE_MODELS[intro.candidate_kind], intro.candidate_id)
    return project, candidate  # type: ignore[return-value]


def _sides(session: Session, intro: IntroRequest) -> tuple[tuple[str, Any], tuple[str, Any], Project, Any]:
    """((asking kind, profile), (deciding kind, profile), project, candidate)."""
    project, candidate = _parties(session, intro)
    project_side, candidate_side = ("project", project), (intro.candidate_kind, candidate)
    if intro.direction == "project":
        return project_side, candidate_side, project, candidate
    return candidate_side, project_side, project, candidate


def _who(kind: str, profile: Any, lang: str) -> str:
    if kind == "project":
        return f"项目「{profile.name}」" if lang == "zh" else f"the project {profile.name}"
    return f"{KIND_ZH[kind]}{profile.name}" if lang == "zh" else f"the {KIND_EN[kind]} {profile.name}"


def _link(base: str, intro: IntroRequest) -> str:
    return f"{base.rstrip('/')}/console/intros#intro-{intro.id}"


def intro_requested(session: Session, intro: IntroRequest, base_url: str) -> int:
    (ask_kind, asker), (dec_kind, decider), _, _ = _sides(session, intro)
    if asker is None or decider is None:
        return 0
    n = 0
    for to in recipients(session, dec_kind, decider):
        message = (f"\n留言：{intro.message}" if to.language == "zh" else f"\nMessage: {intro.message}") \
            if intro.message else ""
        n += enqueue(session, key=f"intro:{intro.id}:requested:{to.email}", event="intro.requested",
                     space_id=intro.space_id, to=to, values={
                         "asker": _who(ask_kind, asker, to.language), "message": message,
                         "expires": intro.expires_at.date().isoformat(), "link": _link(base_url, intro)})
    return n


def intro_decided(session: Session, intro: IntroRequest, base_url: str) -> int:
    (ask_kind, asker), (dec_kind, decider), _, _ = _sides(session, intro)
    if asker is None or decider is None or intro.status not in ("accepted", "declined", "expired"):
        return 0
    n = 0
    for to in recipients(session, ask_kind, asker):
        n += enqueue(session, key=f"intro:{intro.id}:{intro.status}:{to.email}", event=f"intro.{intro.status}",
                     space_id=intro.space_id, to=to, values={
                         "other": _who(dec_kind, decider, to.language), "link": _link(base_url, intro)})
    return n


def unsubscribe_token(secret: str, user_id: int) -> str:
    mac = hmac.new(secret.encode(), f"digest:{user_id}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"{user_id}.{mac}"


def check_unsubscribe_token(secret: str, token: str) -> int | None:
    user_id = parse_db_int(token.partition(".")[0])
    if user_id is None:
        return None
    return user_id if hmac.compare_digest(unsubscribe_token(secret, user_id), token) else None


def sweep(session: Session, base_url: str, secret: str, now: dt.datetime | None = None) -> dict[str, int]:
    """Queue what time makes due: reminders two days before a request expires, notices of expiry, and each
    investor's weekly digest (Mondays' ISO week as its key, so it goes once a week whenever this runs)."""
    from api.services.intros import expire_due

    now = now or dt.datetime.now(dt.UTC)
    expire_due(session)
    counts = {"expiring": 0, "expired": 0, "digest": 0}
    soon = session.scalars(select(IntroRequest).where(
        IntroRequest.status == "pending", IntroRequest.expires_at > now,
        IntroRequest.expires_at <= now + dt.timedelta(days=2))).all()
    for intro in soon:
        (ask_kind, asker), (dec_kind, decider), _, _ = _sides(session, intro)
        if asker is None or decider is None:
            continue
        for to in recipients(session, dec_kind, decider):
            counts["expiring"] += enqueue(
                session, key=f"intro:{intro.id}:expiring:{to.email}", event="intro.expiring",
                space_id=intro.space_id, to=to, values={"asker": _who(ask_kind, asker, to.language),
                                                        "expires": intro.expires_at.date().isoformat(),
                                                        "link": _link(base_url, intro)})
    recent = now - dt.timedelta(days=7)
    for intro in session.scalars(select(IntroRequest).where(IntroRequest.status == "expired",
                                                            IntroRequest.decided_at >= recent)):
        counts["expired"] += intro_decided(session, intro, base_url)
    counts["digest"] = _digests(session, base_url, secret, now)
    return counts


def _digests(session: Session, base_url: str, secret: str, now: dt.datetime) -> int:
    from models import Investor

    week = now.isocalendar()
    since = now - dt.timedelta(days=7)
    # new to deal flow this week: created curated, or curated since (an edit of an old project is not news)
    from models import AuditLog

    curated_now = {int(a.object_id) for a in session.scalars(select(AuditLog).where(
        AuditLog.action.in_(("project.curate", "project.update")), AuditLog.created_at >= since))
        if str(a.object_id).isdigit()
        and ((a.detail or {}).get("changes") or {}).get("dealflow_curated", [None, None])[-1] is True}
    fresh = [p for p in session.scalars(select(Project).where(
        Project.dealflow_curated.is_(True), Project.active.is_(True), Project.archived_at.is_(None),
        (Project.created_at >= since) | Project.id.in_(curated_now or {0})).order_by(Project.id))]
    if not fresh:
        return 0
    n = 0
    users = session.scalars(select(User).where(User.role == "investor", User.active.is_(True),
                                               User.notify_digest.is_(True), User.email.is_not(None),
                                               User.profile_kind == "investor")).all()
    for user in users:
        investor = session.get(Investor, user.profile_id)
        if investor is None or investor.archived_at is not None:
            continue
        sees = user.space_id if user.space_id is not None else investor.space_id  # as its deal flow does
        mine = [p for p in fresh if sees is None or p.space_id == sees]
        if not mine:
            continue
        lang = _language(investor)
        items = "\n".join(f"- {p.name}: {p.one_liner}" for p in mine[:20])
        to = Recipient(user.email or "", user.name or investor.name, lang, user.id)
        n += enqueue(session, key=f"digest:{user.id}:{week[0]}-W{week[1]:02d}", event="digest.weekly",
                     space_id=investor.space_id, to=to, values={
                         "count": len(mine), "items": items, "link": f"{base_url.rstrip('/')}/console/dealflow",
                         "unsubscribe": f"{base_url.rstrip('/')}/api/v1/unsubscribe?token="
                                        f"{unsubscribe_token(secret, user.id)}"})
    return n
