"""The notifier: delivers the outbox (``notifications``) over SMTP or into a local mail directory, with
retries and back-off, at least once.

A batch is claimed (status ``sending``, a lease time) and committed before anything is sent, so two
notifiers never send the same row at once; a row whose notifier died mid-delivery is claimed again once
its lease ran out, and sent again with the same Message-ID, which receivers (and the file sink, one file per
Message-ID) use to drop the repeat. A failed send waits 30 s, 1, 2, 4 ... minutes (at most an hour) and is
given up ("dead", kept with its last error) after ``MAX_ATTEMPTS``.

Transports (``HUOBAN_MAIL_URL``): ``file:DIR`` (the default, ``var/mail``: nothing leaves the machine),
``smtp://[user:password@]host[:port][?starttls=1]``, ``smtps://...``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import smtplib
import time
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from models import Notification

log = logging.getLogger("huoban.notifier")

MAX_ATTEMPTS = 8
LEASE_SECONDS = 60.0
DEFAULT_FROM = "Huoban 伙伴 <noreply@huoban.local>"


def message_id(key: str) -> str:
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@huoban>"


def build_message(row: Notification, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = row.email
    msg["Subject"] = row.subject
    msg["Message-ID"] = message_id(row.key)
    msg["Date"] = format_datetime(row.created_at)
    msg["X-Huoban-Event"] = row.event
    if row.event == "digest.weekly":
        link = next((w for w in row.body.split() if "/unsubscribe?token=" in w), None)
        if link:
            msg["List-Unsubscribe"] = f"<{link}>"
    msg.set_content(row.body)
    return msg


class Transport(Protocol):
    def send(self, msg: EmailMessage) -> None: ...


class FileTransport:
    """One ``.eml`` file per Message-ID (written atomically): a re-send replaces, never duplicates."""

    def __init__(self, directory: str | Path) -> None:
        self.dir = Path(directory)

    def send(self, msg: EmailMessage) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256(str(msg["Message-ID"]).encode()).hexdigest()[:32] + ".eml"
        tmp = self.dir / f".{name}.{os.getpid()}.tmp"
        tmp.write_bytes(bytes(msg))
        os.replace(tmp, self.dir / name)


class SmtpTransport:
    def __init__(self, host: str, port: int, *, user: str | None = None, password: str | None = None,
                 starttls: bool = False, ssl: bool = False, timeout: float = 20.0) -> None:
        self.host, self.port, self.user, self.password = host, port, user, password
        self.starttls, self.ssl, self.timeout = starttls, ssl, timeout

    def send(self, msg: EmailMessage) -> None:
        cls = smtplib.SMTP_SSL if self.ssl else smtplib.SMTP
        with cls(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(msg)


def transport_from_url(url: str, var_dir: str | Path = "var") -> Transport:
    if not url or url == "file":
        return FileTransport(Path(var_dir) / "mail")
    if url.startswith("file:"):
        return FileTransport(url[len("file:"):] or Path(var_dir) / "mail")
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError(f"HUOBAN_MAIL_URL must be file:DIR, smtp://host:port or smtps://host:port, not {url!r}")
    query = parse_qs(parts.query)
    return SmtpTransport(parts.hostname, parts.port or (465 if parts.scheme == "smtps" else 25),
                         user=unquote(parts.username) if parts.username else None,
                         password=unquote(parts.password) if parts.password else None,
                         starttls=query.get("starttls", ["0"])[0] in ("1", "true"), ssl=parts.scheme == "smtps")


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def claim(factory: sessionmaker[Session], limit: int = 1, lease: float = LEASE_SECONDS,
          now: dt.datetime | None = None) -> list[int]:
    """Mark up to ``limit`` due rows as being sent by this notifier (committed before any is sent)."""
    now = now or dt.datetime.now(dt.UTC)
    stale = now - dt.timedelta(seconds=lease)
    with factory() as session, session.begin():
        due = or_((Notification.status == "pending") & (Notification.next_attempt_at <= now),
                  (Notification.status == "sending") & (Notification.claimed_at < stale))
        q = select(Notification.id).where(due).order_by(Notification.id).limit(limit)
        if session.get_bind().dialect.name == "postgresql":
            q = q.with_for_update(skip_locked=True)
        ids = list(session.scalars(q))
        if ids:  # the condition again: on SQLite another notifier may have claimed them since the select
            result = session.execute(update(Notification).where(Notification.id.in_(ids), due).values(
                status="sending", claimed_at=now, attempts=Notification.attempts + 1))
            if getattr(result, "rowcount", len(ids)) != len(ids):
                ids = list(session.scalars(select(Notification.id).where(
                    Notification.id.in_(ids), Notification.status == "sending", Notification.claimed_at == now)))
    return ids


def deliver(factory: sessionmaker[Session], transport: Transport, *, sender: str = DEFAULT_FROM,
            limit: int = 20, lease: float = LEASE_SECONDS,
            before_mark: Callable[[Notification], None] | None = None) -> dict[str, int]:
    """Claim and send one batch; returns counts of sent, retried and given-up rows."""
    counts = {"sent": 0, "retry": 0, "dead": 0}
    for _ in range(limit):
        # one row per claim: a lease covers one send (its SMTP timeout is well inside it), never a batch
        claimed_at = dt.datetime.now(dt.UTC)
        ids = claim(factory, 1, lease, now=claimed_at)
        if not ids:
            break
        nid = ids[0]
        with factory() as session:
            row = session.get(Notification, nid)
            if row is None:
                continue
            try:
                transport.send(build_message(row, sender))
            except Exception as exc:  # noqa: BLE001 - any failure of the transport is retried later
                now = dt.datetime.now(dt.UTC)
                dead = row.attempts >= MAX_ATTEMPTS
                if _settle(session, nid, claimed_at, status="dead" if dead else "pending",
                           next_attempt_at=now + backoff(row.attempts),
                           last_error=f"{type(exc).__name__}: {exc}"[:1000]):
                    counts["dead" if dead else "retry"] += 1
                log.warning("notification %s to %s failed (attempt %s): %s", row.id, row.email, row.attempts, exc)
                continue
            if before_mark is not None:
                before_mark(row)
            if _settle(session, nid, claimed_at, status="sent", sent_at=dt.datetime.now(dt.UTC), last_error=""):
                counts["sent"] += 1
    return counts


def _settle(session: Session, nid: int, claimed_at: dt.datetime, **values: object) -> bool:
    """Record a send's outcome only while this notifier still holds the claim (a row whose lease ran out may
    have been claimed by another notifier since: its outcome is that one's to record)."""
    session.rollback()  # end the read transaction; the update below is its own
    mine = (Notification.id == nid) & (Notification.status == "sending") & (Notification.claimed_at == claimed_at)
    result = session.execute(update(Notification).where(mine).values(**values))
    session.commit()
    return bool(getattr(result, "rowcount", 0))


def run(factory: sessionmaker[Session], transport: Transport, *, base_url: str, secret: str,
        sender: str = DEFAULT_FROM, interval: float = 5.0, sweep_every: float = 60.0, lease: float = LEASE_SECONDS,
        once: bool = False, should_stop: Callable[[], bool] = lambda: False) -> dict[str, int]:
    """The notifier loop: sweep for reminders and digests every ``sweep_every`` seconds, deliver every
    ``interval`` seconds. ``once``: one sweep and deliveries until nothing is due, then return."""
    from api.services.notifications import sweep

    totals = {"sent": 0, "retry": 0, "dead": 0}
    last_sweep = 0.0
    while not should_stop():
        if time.monotonic() - last_sweep >= sweep_every or once:
            with factory() as session:
                sweep(session, base_url, secret)
                session.commit()
            last_sweep = time.monotonic()
        counts = deliver(factory, transport, sender=sender, lease=lease)
        for k, v in counts.items():
            totals[k] += v
        if once and not any(counts.values()):
            return totals
        if not any(counts.values()):
            time.sleep(interval)
    return totals
