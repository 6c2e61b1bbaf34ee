"""Notifications (issue 16, item 5): an outbox written with the event, delivered by the notifier over a real
SMTP server on loopback (aiosmtpd), at least once, with the idempotency key as Message-ID."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from api.accounts import ProfileRef, create_api_key, resolve_user
from api.notifier import FileTransport, SmtpTransport, build_message, deliver, message_id
from models import IntroRequest, Notification, Project, User
from tests.api.conftest import ApiEnv


class Sink:
    """An SMTP receiver that keeps every delivery and, like a mailbox, one message per Message-ID."""

    def __init__(self, delay: float = 0.0) -> None:
        self.raw: list[Message] = []
        self.by_id: dict[str, Message] = {}
        self.delay = delay

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        msg = message_from_bytes(envelope.content, policy=policy.default)
        self.raw.append(msg)
        self.by_id.setdefault(str(msg["Message-ID"]), msg)
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 OK"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(sink: Sink) -> tuple[Controller, int]:
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port


@pytest.fixture
def smtp() -> Iterator[tuple[Sink, int]]:
    sink = Sink()
    controller, port = start(sink)
    try:
        yield sink, port
    finally:
        controller.stop()


def new_mentor(env: ApiEnv, email: str, languages: list[str]) -> int:
    body = {"space_id": None, "name": f"通知导师{email[:6]}", "mentor_type": "entrepreneur", "expertise": "SaaS",
            "offer": "融资", "serves": ["financing"], "stages": ["idea", "seed", "early", "growth", "expansion"],
            "city": "beijing", "regions": ["nationwide"], "languages": languages, "capacity": 5}
    r = env.call("admin", "post", "/api/v1/mentors", json=body)
    assert r.status_code == 201, r.json
    with env.app.app_context():
        from api.extensions import db

        with db.factory() as session, session.begin():
            user = resolve_user(session, role="mentor", profile=ProfileRef("mentor", r.json["id"]), email=email)
            user.name = "周老师"
    return int(r.json["id"])


def rows(env: ApiEnv, prefix: str) -> list[Notification]:
    with env.app.app_context():
        from api.extensions import db

        with db.factory() as session:
            return list(session.scalars(select(Notification).where(Notification.key.like(f"{prefix}%"))
                                        .order_by(Notification.id)))


def factory(env: ApiEnv) -> Any:
    with env.app.app_context():
        from api.extensions import db

        return db.factory


def test_an_intro_request_mails_the_candidate_once_and_the_answer_mails_the_founder(
        env: ApiEnv, smtp: tuple[Sink, int]) -> None:
    sink, port = smtp
    email = f"zhou-{os.urandom(3).hex()}@mentor.example.cn"
    mentor = new_mentor(env, email, ["zh"])
    pid = env.ids["project1"]
    r = env.call("founder1", "post", "/api/v1/intros", json={"project_id": pid, "candidate_kind": "mentor",
                                                             "candidate_id": mentor, "message": "想请教销售"})
    assert r.status_code == 201, r.json
    intro = r.json["id"]
    queued = rows(env, f"intro:{intro}:")
    assert [(n.event, n.email, n.status) for n in queued] == [("intro.requested", email, "pending")]
    assert "想请教销售" in queued[0].body and "周老师" in queued[0].body  # Chinese for a Chinese-speaking mentor
    counts = deliver(factory(env), SmtpTransport("127.0.0.1", port))
    assert counts["sent"] >= 1
    mine = [m for m in sink.raw if m["To"] == email]
    assert len(mine) == 1
    with env.app.app_context():
        from api.extensions import db

        project_name = db.reader.get(Project, pid).name
    assert project_name in mine[0]["Subject"] and mine[0]["Message-ID"] == message_id(queued[0].key)
    assert rows(env, f"intro:{intro}:")[0].status == "sent"
    # a second delivery run sends nothing again
    deliver(factory(env), SmtpTransport("127.0.0.1", port))
    assert len([m for m in sink.raw if m["To"] == email]) == 1
    # the mentor accepts: one mail to the founder's side (the project's own contact address: no founder email)
    with env.app.app_context():
        from api.extensions import db

        with db.factory() as session, session.begin():
            key = create_api_key(session, role="mentor", profile=ProfileRef("mentor", mentor))
            contact = session.get(Project, pid).contact_email
    accept = env.client().post(f"/api/v1/intros/{intro}/accept", json={}, headers={"Authorization": f"Bearer {key}"})
    assert accept.status_code == 200, accept.json
    answered = [n for n in rows(env, f"intro:{intro}:") if n.event == "intro.accepted"]
    assert len(answered) == (1 if contact else 0)
    if contact:
        deliver(factory(env), SmtpTransport("127.0.0.1", port))
        assert any(m["To"] == contact and "接受" in str(m["Subject"]) for m in sink.raw)


def test_failed_sends_back_off_and_are_given_up_after_the_last_attempt(env: ApiEnv) -> None:
    from api.notifier import MAX_ATTEMPTS

    email = f"down-{os.urandom(3).hex()}@mentor.example.cn"
    mentor = new_mentor(env, email, ["en"])
    r = env.call("founder1", "post", "/api/v1/intros", json={"project_id": env.ids["project1"],
                                                             "candidate_kind": "mentor", "candidate_id": mentor})
    assert r.status_code == 201
    key = f"intro:{r.json['id']}:requested:{email}"
    assert "would like an introduction" in rows(env, key)[0].subject  # English for an English-speaking mentor

    class Down:
        def send(self, msg: Any) -> None:
            if msg["To"] == email:
                raise ConnectionRefusedError("no SMTP server")

    before = dt.datetime.now(dt.UTC)
    deliver(factory(env), Down())
    row = rows(env, key)[0]
    assert (row.status, row.attempts) == ("pending", 1) and row.next_attempt_at >= before + dt.timedelta(seconds=25)
    assert "ConnectionRefusedError" in row.last_error
    for _ in range(MAX_ATTEMPTS):
        with factory(env)() as session, session.begin():  # skip the waiting
            session.execute(update(Notification).where(Notification.key == key).values(
                next_attempt_at=dt.datetime.now(dt.UTC)))
        deliver(factory(env), Down())
    row = rows(env, key)[0]
    assert (row.status, row.attempts) == ("dead", MAX_ATTEMPTS)


def test_a_notifier_killed_mid_delivery_sends_again_and_the_mailbox_keeps_one(env: ApiEnv, tmp_path: Path) -> None:
    """SIGKILL while the SMTP server holds the message (before it answered 250): the row stays claimed; the
    next notifier takes it once the lease ran out and sends it again with the same Message-ID."""
    sink = Sink(delay=3.0)
    controller, port = start(sink)
    email = f"kill-{os.urandom(3).hex()}@mentor.example.cn"
    mentor = new_mentor(env, email, ["zh"])
    # deliver everything else first, so only this message is due
    deliver(factory(env), FileTransport(tmp_path / "other"))
    r = env.call("founder1", "post", "/api/v1/intros", json={"project_id": env.ids["project1"],
                                                             "candidate_kind": "mentor", "candidate_id": mentor})
    assert r.status_code == 201
    key = f"intro:{r.json['id']}:requested:{email}"
    environ = {**os.environ, "HUOBAN_MAIL_URL": f"smtp://127.0.0.1:{port}", "HF_HUB_OFFLINE": "1"}
    argv = [sys.executable, "-m", "api.cli", "notify", "--db", env.url, "--var", str(tmp_path / "var"),
            "--interval", "0.1", "--lease", "1"]
    try:
        worker = subprocess.Popen(argv, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not any(m["To"] == email for m in sink.raw) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert any(m["To"] == email for m in sink.raw), "the notifier never reached the SMTP server"
        os.kill(worker.pid, signal.SIGKILL)  # the server is still holding the DATA reply
        worker.wait(timeout=10)
        assert rows(env, key)[0].status == "sending"  # claimed, not known sent
        sink.delay = 0.0
        time.sleep(1.2)  # the lease runs out
        again = subprocess.run([*argv, "--once"], env=environ, capture_output=True, text=True, timeout=60)
        assert again.returncode == 0, again.stderr
    finally:
        controller.stop()
    mine = [m for m in sink.raw if m["To"] == email]
    assert len(mine) == 2  # at least once: the message went out twice...
    assert len({m["Message-ID"] for m in mine}) == 1  # ...with one Message-ID, so the mailbox keeps one
    assert [m for mid, m in sink.by_id.items() if m["To"] == email] and rows(env, key)[0].status == "sent"


def test_reminders_and_digests_queue_once_and_the_unsubscribe_link_works(env: ApiEnv) -> None:
    from api.services.notifications import sweep, unsubscribe_token

    email = f"remind-{os.urandom(3).hex()}@mentor.example.cn"
    mentor = new_mentor(env, email, ["zh"])
    r = env.call("founder1", "post", "/api/v1/intros", json={"project_id": env.ids["project1"],
                                                             "candidate_kind": "mentor", "candidate_id": mentor})
    intro = r.json["id"]
    investor_email = f"vc-{os.urandom(3).hex()}@fund.example.cn"
    with env.app.app_context():
        from api.extensions import db

        secret = str(env.app.config["SECRET_KEY"])
        with db.factory() as session, session.begin():
            session.execute(update(IntroRequest).where(IntroRequest.id == intro).values(
                expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=30)))
            user = resolve_user(session, role="investor", profile=ProfileRef("investor", env.ids["investor"]),
                                email=investor_email)
            user_id = user.id
            session.execute(update(Project).where(Project.id == env.ids["curated"]).values(
                created_at=dt.datetime.now(dt.UTC)))  # new in deal flow this week
        for _ in range(2):  # twice: nothing is queued twice
            with db.factory() as session, session.begin():
                sweep(session, "https://huoban.example.cn", secret)
    reminders = rows(env, f"intro:{intro}:expiring:")
    assert len(reminders) == 1 and reminders[0].email == email and "提醒" in reminders[0].subject
    digests = [n for n in rows(env, f"digest:{user_id}:")]
    assert len(digests) == 1 and digests[0].email == investor_email
    token = unsubscribe_token(secret, user_id)
    assert f"https://huoban.example.cn/api/v1/unsubscribe?token={token}" in digests[0].body
    assert build_message(digests[0], "x@y")["List-Unsubscribe"].startswith("<https://huoban.example.cn/")
    forged = token[:-1] + ("1" if token.endswith("0") else "0")  # another last digit (1 in 16 tokens end in 0)
    assert env.client().get(f"/api/v1/unsubscribe?token={forged}").status_code == 404
    ok = env.client().get(f"/api/v1/unsubscribe?token={token}")
    assert ok.status_code == 200 and ok.json["unsubscribed"] is True
    with env.app.app_context():
        from api.extensions import db

        assert db.reader.get(User, user_id).notify_digest is False
        with db.factory() as session, session.begin():  # next week: no digest for this investor
            sweep(session, "https://huoban.example.cn", secret, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=7))
    assert len(rows(env, f"digest:{user_id}:")) == 1


def test_the_file_sink_keeps_one_file_per_message(tmp_path: Path) -> None:
    row = Notification(key="intro:1:requested:a@b.cn", event="intro.requested", email="a@b.cn", language="zh",
                       subject="主题", body="正文", created_at=dt.datetime.now(dt.UTC))
    sink = FileTransport(tmp_path / "mail")
    for _ in range(3):
        sink.send(build_message(row, "Huoban <noreply@huoban.local>"))
    files = list((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 1 and "正文" in message_from_bytes(files[0].read_bytes()).get_payload(decode=True).decode()
