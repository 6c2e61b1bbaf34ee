"""Demo accounts for the seeded ecosystem: one per role, each with an API key and a console password,
written to a file that only its owner can read (mode 600)."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from api.accounts import ProfileRef, resolve_user, set_password
from api.security import generate_api_key
from models import ApiKey, Investor, Mentor, Project, Provider, User

DOMAIN = "demo.huoban.cn"


def ranked_picks(app: Any, project_id: int, space_id: int, top: int = 5) -> dict[str, int]:
    """The demo mentor, provider and investor as the service itself ranks them for the demo project: the
    best-placed network-wide candidates with room for an introduction, the investor one whose own deal flow
    has the project on its first page. The ranking is not touched; the demo accounts are chosen to fit it."""
    from api.extensions import db
    from api.services import matching as svc

    out: dict[str, int] = {}
    with app.app_context():
        session = db.reader
        for kind, model in (("mentor", Mentor), ("provider", Provider), ("investor", Investor)):
            ranking, _, _ = svc.rank(session, kind=kind, query_id=project_id, space_id=space_id,
                                     direction="matches", k=50 if kind == "investor" else top,
                                     exclude=svc.excluded_candidates(session, project_id, kind))
            for m in ranking.matches:
                row = session.get(model, m.id)
                if row is None or row.space_id is not None or not row.active:
                    continue
                if kind == "mentor" and (row.capacity or 0) < 2:
                    continue
                if kind == "investor":
                    flow, _, _ = svc.rank(session, kind="investor", query_id=m.id, space_id=space_id,
                                          direction="dealflow", k=20,  # the deal flow's first page
                                          exclude=svc.excluded_projects(session, m.id))
                    if project_id not in [x.id for x in flow.matches]:
                        continue
                out[kind] = m.id
                break
    return out


def _pick(session: Session, ranked: dict[str, int] | None = None) -> dict[str, tuple[int | None, ProfileRef | None]]:
    # the space with the most projects curated for investors and raising (so the investor sees one), else
    # the largest
    space = session.execute(select(Project.space_id, func.count()).where(
        Project.dealflow_curated.is_(True), Project.round_sought.is_not(None), Project.active.is_(True))
        .group_by(Project.space_id).order_by(func.count().desc(), Project.space_id).limit(1)).first() or \
        session.execute(select(Project.space_id, func.count()).group_by(Project.space_id)
                        .order_by(func.count().desc(), Project.space_id).limit(1)).first()
    if space is None:
        raise RuntimeError("the database has no projects: run `huoban seed` first")
    space_id = int(space[0])
    # a project investors can see: curated for deal flow and raising a round
    project = session.scalars(select(Project).where(Project.space_id == space_id, Project.active.is_(True))
                              .order_by(Project.dealflow_curated.desc(), Project.round_sought.is_(None),
                                        Project.id)).first()
    ranked = ranked or {}
    mentor = session.get(Mentor, ranked["mentor"]) if "mentor" in ranked else session.scalars(
        select(Mentor).where(Mentor.space_id.is_(None), Mentor.active.is_(True), Mentor.capacity >= 2)
        .order_by(Mentor.id)).first()
    investor = session.get(Investor, ranked["investor"]) if "investor" in ranked else session.scalars(
        select(Investor).where(Investor.space_id.is_(None), Investor.active.is_(True)).order_by(Investor.id)).first()
    provider = session.get(Provider, ranked["provider"]) if "provider" in ranked else session.scalars(
        select(Provider).where(Provider.space_id.is_(None), Provider.active.is_(True)).order_by(Provider.id)).first()
    if not (project and mentor and investor and provider):
        raise RuntimeError("the seeded data lacks a project, mentor, investor or provider for the demo")
    return {
        "admin": (None, None),
        "operator": (space_id, None),
        "founder": (None, ProfileRef("project", project.id)),
        "mentor": (None, ProfileRef("mentor", mentor.id)),
        "investor": (None, ProfileRef("investor", investor.id)),
        "provider": (None, ProfileRef("provider", provider.id)),
    }


def demo_project(session: Session) -> tuple[int, int]:
    """(project id, space id): the first curated active project of the largest space."""
    picks = _pick(session)
    ref = picks["founder"][1]
    assert ref is not None
    return int(ref.id), int(picks["operator"][0] or 0)


def write_demo_accounts(factory: sessionmaker[Session], path: Path,
                        ranked: dict[str, int] | None = None) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    with factory() as session, session.begin():
        for role, (space_id, profile) in _pick(session, ranked).items():
            email = f"{role}@{DOMAIN}"
            old = session.scalars(select(User).where(User.email == email)).first()
            if old is not None and (old.role, old.space_id, old.profile_kind, old.profile_id) != (
                    role, space_id, profile.kind if profile else None, profile.id if profile else None):
                old.email = None  # the demo account moves to the newly chosen profile; the old one's keys go
                session.execute(update(ApiKey).where(ApiKey.user_id == old.id, ApiKey.revoked_at.is_(None))
                                .values(revoked_at=dt.datetime.now(dt.UTC)))
                session.flush()
            user = resolve_user(session, role=role, space_id=space_id, profile=profile, name=f"Demo {role}",
                                email=email)
            password = secrets.token_urlsafe(12)
            set_password(user, password)
            session.execute(update(ApiKey).where(ApiKey.user_id == user.id, ApiKey.revoked_at.is_(None))
                            .values(revoked_at=dt.datetime.now(dt.UTC)))
            key = generate_api_key()
            session.add(ApiKey(user_id=user.id, prefix=key.prefix, key_hash=key.hash, name="demo"))
            rows.append({"role": role, "email": email, "password": password, "api_key": key.key,
                         "space": str(user.space_id or ""), "profile": str(profile or "")})
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# Huoban demo accounts. Private: anyone with this file can act as these users.",
             "# role\temail\tpassword\tapi_key\tspace\tprofile"]
    lines += ["\t".join(r[k] for k in ("role", "email", "password", "api_key", "space", "profile")) for r in rows]
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return rows


def read_demo_accounts(path: Path) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        role, email, password, api_key, space, profile = line.split("\t")
        out[role] = {"email": email, "password": password, "api_key": api_key, "space": space, "profile": profile}
    return out
