"""Regression tests for the security review: each test pins one finding."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from api.accounts import ProfileRef, create_api_key
from models import Impression, IntroRequest, User
from tests.api.conftest import ApiEnv, flush_impressions


def key_for(env: ApiEnv, role: str, kind: str, id_: int) -> dict[str, str]:
    with env.app.app_context():
        from api.extensions import db

        with db.factory() as session, session.begin():
            key = create_api_key(session, role=role, profile=ProfileRef(kind, id_))
    return {"Authorization": f"Bearer {key}"}


def csrf_token(client, path: str = "/console/login") -> str:  # type: ignore[no-untyped-def]
    """The CSRF token a console page hands its forms (the session cookie stays in ``client``)."""
    import re

    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))
    assert found is not None, f"no CSRF token on {path}"
    return found.group(1)


def new_project(env: ApiEnv, who: str = "operator1", **kw) -> dict:  # type: ignore[no-untyped-def]
    body = {"name": "加固项目", "one_liner": "安全", "stage": "seed", "industries": ["ai"], "city": "shenzhen",
            "needs": ["financing"], "round_sought": "angel", "funding_sought": 2_000_000,
            "contact_email": "secret@example.cn", **kw}
    r = env.call(who, "post", "/api/v1/projects", json=body)
    assert r.status_code == 201, r.json
    return r.json


def new_mentor(env: ApiEnv, **kw) -> dict:  # type: ignore[no-untyped-def]
    body = {"name": "加固导师", "mentor_type": "entrepreneur", "expertise": "人工智能", "offer": "融资",
            "serves": ["financing"], "stages": ["seed", "early"], "city": "shenzhen", "regions": ["nationwide"],
            "capacity": 2, "contact_email": "mentor-secret@example.cn", **kw}
    r = env.call("admin", "post", "/api/v1/mentors", json=body)
    assert r.status_code == 201, r.json
    return r.json


def test_deleted_profiles_lose_access_and_ids_are_never_reused(env: ApiEnv) -> None:
    old = new_project(env)
    founder = key_for(env, "founder", "project", old["id"])
    assert env.client().get("/api/v1/me", headers=founder).status_code == 200
    assert env.call("operator1", "delete", f"/api/v1/projects/{old['id']}").status_code == 204
    assert env.client().get("/api/v1/me", headers=founder).status_code == 401
    fresh = new_project(env, "operator2")
    assert fresh["id"] > old["id"]
    assert env.client().get(f"/api/v1/projects/{fresh['id']}", headers=founder).status_code == 401


def test_deleted_candidate_closes_its_intros(env: ApiEnv) -> None:
    mentor = new_mentor(env)
    r = env.call("founder1", "post", "/api/v1/intros",
                 json={"project_id": env.ids["project1"], "candidate_kind": "mentor", "candidate_id": mentor["id"]})
    assert r.status_code == 201
    assert env.call("admin", "delete", f"/api/v1/mentors/{mentor['id']}").status_code == 204
    accept = env.call("admin", "post", f"/api/v1/intros/{r.json['id']}/accept", json={})
    assert accept.status_code == 409
    assert env.call("founder1", "get", f"/api/v1/intros/{r.json['id']}").json["status"] == "expired"


def test_operator_dealflow_stays_in_their_space(env: ApiEnv) -> None:
    items = env.call("operator1", "get", f"/api/v1/investors/{env.ids['investor']}/dealflow?k=50").json["items"]
    with env.app.app_context():
        from api.extensions import db
        from models import Project

        spaces = {db.reader.get(Project, m["subject"]["id"]).space_id for m in items}
    assert spaces <= {env.ids["space1"]}


def test_dealflow_preview_refuses_investors_of_other_spaces(env: ApiEnv) -> None:
    with env.app.app_context():
        from api.extensions import db
        from models import Investor

        foreign = db.reader.scalars(select(Investor.id).where(Investor.space_id.is_not(None),
                                                               Investor.space_id != env.ids["space1"])).first()
    if foreign:
        r = env.call("operator1", "post", f"/api/v1/spaces/{env.ids['space1']}/weights/dealflow/preview",
                     json={"weights": {}, "project_ids": [foreign]})
        assert r.status_code == 404
    r = env.call("operator1", "post", f"/api/v1/spaces/{env.ids['space1']}/weights/dealflow/preview",
                 json={"weights": {}, "sample": 3})
    assert r.status_code == 200
    with env.app.app_context():
        from api.extensions import db
        from models import Project

        for p in r.json["projects"]:
            for pid in p["current"] + p["proposed"]:
                assert db.reader.get(Project, pid).space_id == env.ids["space1"]


def test_feedback_cannot_probe_or_forge(env: ApiEnv) -> None:
    items = env.call("founder1", "get",
                     f"/api/v1/projects/{env.ids['project1']}/matches?kind=mentor&k=3").json["items"]
    imp = items[0]["impression_id"]
    mine = {"event_id": "hard-0001-x", "type": "viewed", "impression_id": imp}
    assert env.call("founder1", "post", "/api/v1/feedback", json=mine).status_code == 201
    # the same event id from someone else: a conflict that reveals nothing
    mentor_key = key_for(env, "mentor", "mentor", items[0]["subject"]["id"])
    clash = env.client().post("/api/v1/feedback", json=mine, headers=mentor_key)
    assert clash.status_code in (403, 409) and "project_id" not in clash.json
    # system event ids cannot be posted (and so cannot be probed)
    sys_id = env.call("founder1", "post", "/api/v1/feedback",
                      json={"event_id": "intro#1#requested", "type": "requested", "impression_id": imp})
    assert sys_id.status_code == 422
    # outcomes need the right side and a real introduction
    assert env.call("founder1", "post", "/api/v1/feedback", json={
        "event_id": "hard-0002-x", "type": "accepted", "impression_id": imp}).status_code == 409
    invested = env.client().post("/api/v1/feedback", headers=mentor_key, json={
        "event_id": "hard-0003-x", "type": "invested", "impression_id": imp, "amount": 10**9})
    assert invested.status_code in (403, 409, 422)
    dismissed_by_candidate = env.client().post("/api/v1/feedback", headers=mentor_key, json={
        "event_id": "hard-0004-x", "type": "dismissed", "impression_id": imp})
    assert dismissed_by_candidate.status_code == 403
    # another tenant's impression answers exactly as one that does not exist
    theirs = env.call("founder2", "post", "/api/v1/feedback",
                      json={"event_id": "hard-0005-x", "type": "viewed", "impression_id": imp})
    nothing = env.call("founder2", "post", "/api/v1/feedback",
                       json={"event_id": "hard-0006-x", "type": "viewed", "impression_id": 2_000_000_000})
    assert theirs.status_code == nothing.status_code == 404 and theirs.json == nothing.json


def test_concurrent_duplicate_intros_create_one(env: ApiEnv) -> None:
    mentor = new_mentor(env, capacity=5)
    body = {"project_id": env.ids["project1b"], "candidate_kind": "mentor", "candidate_id": mentor["id"]}
    barrier = threading.Barrier(8)
    codes: list[int] = []

    def ask() -> None:
        client = env.app.test_client()
        barrier.wait()
        codes.append(client.post("/api/v1/intros", json=body, headers=env.headers("admin")).status_code)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(codes) == [201] + [409] * 7
    with env.app.app_context():
        from api.extensions import db

        assert db.reader.scalar(select(func.count()).select_from(IntroRequest).where(
            IntroRequest.candidate_id == mentor["id"], IntroRequest.candidate_kind == "mentor")) == 1


def test_operators_do_not_see_network_candidate_contacts_through_intros(env: ApiEnv) -> None:
    mentor = new_mentor(env)
    mentor_key = key_for(env, "mentor", "mentor", mentor["id"])
    r = env.call("founder2", "post", "/api/v1/intros",
                 json={"project_id": env.ids["project2"], "candidate_kind": "mentor", "candidate_id": mentor["id"]})
    assert env.client().post(f"/api/v1/intros/{r.json['id']}/accept", json={}, headers=mentor_key).status_code == 200
    op = env.call("operator2", "get", f"/api/v1/intros/{r.json['id']}").json
    assert op["candidate_contact"] is None and op["project_contact"] is not None
    assert env.call("founder2", "get", f"/api/v1/intros/{r.json['id']}").json["candidate_contact"]["email"]


def test_investors_cannot_raise_their_capacity(env: ApiEnv) -> None:
    r = env.call("investor", "patch", f"/api/v1/investors/{env.ids['investor']}", json={"capacity": 10000})
    assert r.status_code == 403


def test_moving_a_project_moves_its_history(env: ApiEnv) -> None:
    project = new_project(env)
    founder = key_for(env, "founder", "project", project["id"])
    env.client().get(f"/api/v1/projects/{project['id']}/matches?kind=mentor&k=3", headers=founder)
    moved = env.call("admin", "patch", f"/api/v1/projects/{project['id']}", json={"space_id": env.ids["space2"]})
    assert moved.status_code == 200
    flush_impressions(env)  # buffered or already written when the project moved: either way in its new space
    with env.app.app_context():
        from api.extensions import db

        spaces = set(db.reader.scalars(select(Impression.space_id).where(Impression.project_id == project["id"])))
        users = set(db.reader.scalars(select(User.space_id).where(User.profile_kind == "project",
                                                                   User.profile_id == project["id"])))
    assert spaces == {env.ids["space2"]} and users == {env.ids["space2"]}
    assert env.call("operator1", "get", f"/api/v1/projects/{project['id']}").status_code == 404
    assert env.call("operator2", "get", f"/api/v1/projects/{project['id']}").status_code == 200


def test_junk_bearer_tokens_cost_no_slow_hash_and_legacy_keys_are_upgraded(env: ApiEnv, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A junk token (malformed, unknown prefix, or a real prefix with a wrong secret) never runs scrypt: one
    client could otherwise occupy a core at ~42 ms a token. A key stored with a legacy scrypt hash still
    works and is re-stored as SHA-256 on first use."""
    import hashlib

    from api.security import generate_api_key, hash_secret
    from models import ApiKey

    with env.app.app_context():  # a founder's key stored the way keys were before
        from api.extensions import db

        new = generate_api_key()
        with db.factory() as session, session.begin():
            user_id = session.scalars(select(User.id).where(User.role == "founder")).first()
            session.add(ApiKey(user_id=user_id, prefix=new.prefix, key_hash=hash_secret(new.key), name="legacy"))
    valid_prefix = env.keys["founder1"].split("_")[1]
    calls = []
    original = hashlib.scrypt
    monkeypatch.setattr(hashlib, "scrypt", lambda *a, **k: calls.append(1) or original(*a, **k))
    c = env.client()
    for i in range(100):
        token = ("junk", f"hb_{i:012x}_{'x' * 43}", f"hb_{valid_prefix}_{'y' * 43}")[i % 3]
        assert c.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert calls == []
    assert c.get("/api/v1/me", headers={"Authorization": f"Bearer {new.key}"}).status_code == 200
    assert len(calls) == 1  # the legacy hash, once
    with env.app.app_context():
        from api.extensions import db

        with db.factory() as session:
            stored = session.scalars(select(ApiKey.key_hash).where(ApiKey.prefix == new.prefix)).one()
    assert stored.startswith("sha256$")


def test_signing_out_ends_the_session_on_the_server(env: ApiEnv) -> None:
    """A copy of the session cookie taken before signing out no longer signs anyone in afterwards."""

    from api.accounts import resolve_user, set_password

    with env.app.app_context():
        from api.extensions import db

        user = resolve_user(db.session, role="operator", space_id=env.ids["space1"], email="signout@example.org")
        set_password(user, "correct horse battery")
        db.session.commit()
    c = env.client()
    r = c.post("/console/login", data={"email": "signout@example.org", "password": "correct horse battery",
                                       "csrf_token": csrf_token(c)})
    assert r.status_code == 302
    cookie = c.get_cookie("session")
    assert cookie is not None
    token = csrf_token(c, "/console/space/weights")  # signed in: the page renders its forms
    copy = env.client()
    copy.set_cookie("session", cookie.value)
    assert copy.get("/console/space/weights").status_code == 200  # the copy works while signed in
    assert c.post("/console/logout", data={"csrf_token": token}).status_code == 302
    after = copy.get("/console/space/weights")
    assert after.status_code == 302 and "/console/login" in after.headers["Location"]


def _limited_app(env: ApiEnv, **config):  # type: ignore[no-untyped-def]
    import uuid

    from api import create_app

    # flask-limiter keeps the default limits of the first app that enabled it, process-wide: every test app
    # with limits on uses the same default (tests/api/test_input.py::test_rate_limit_is_per_key counts on it)
    return create_app({"DATABASE_URL": env.url, "VAR_DIR": env.app.config["VAR_DIR"], "ENCODER": "keyword",
                       "LOAD_MATCHER": False, "TESTING": True, "RATELIMIT_ENABLED": True,
                       "RATELIMIT_DEFAULT": "5 per minute", "RATELIMIT_KEY_PREFIX": f"hbtest-{uuid.uuid4().hex[:8]}",
                       **config})


_WORKER = """
import json, sys
from api import create_app
app = create_app({"DATABASE_URL": sys.argv[1], "VAR_DIR": sys.argv[2], "ENCODER": "keyword", "LOAD_MATCHER": False,
                  "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": sys.argv[3], "RATELIMIT_KEY_PREFIX": sys.argv[4],
                  "RATELIMIT_DEFAULT": "5 per minute"})
c = app.test_client()
print(json.dumps([c.get("/api/v1/me").status_code for _ in range(3)]))
"""


def test_rate_limits_in_redis_hold_across_workers(env: ApiEnv) -> None:
    """Two worker processes sharing HUOBAN_RATELIMIT_STORAGE_URI count requests together (5 a minute: the
    second worker's third request is the sixth); with per-process memory each would allow all of its own."""
    import json
    import os
    import subprocess
    import sys
    import uuid

    import redis

    uri = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(uri, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            raise AssertionError(f"CI=true but Redis at {uri} is unreachable: {exc}") from exc
        import pytest

        pytest.skip(f"Redis at {uri} unreachable")
    prefix = f"hbtest-{uuid.uuid4().hex}"
    runs = []
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", _WORKER, env.url, env.app.config["VAR_DIR"], uri, prefix],
                             capture_output=True, text=True, timeout=120, check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    assert runs == [[401, 401, 401], [401, 401, 429]], runs
    assert redis.Redis.from_url(uri).keys(f"*{prefix}*")  # the counters are in Redis


def test_sign_in_is_throttled_per_account_not_only_per_address(env: ApiEnv) -> None:

    app = _limited_app(env)
    c = app.test_client()
    token = csrf_token(c)
    codes = [c.post("/console/login", data={"email": "victim@example.org", "password": f"guess-{i}",
                                            "csrf_token": token},
                    environ_base={"REMOTE_ADDR": f"10.0.{i}.1"}).status_code for i in range(11)]
    assert codes[:10] == [401] * 10 and codes[10] == 429
    other = c.post("/console/login", data={"email": "someone@example.org", "password": "x",
                                           "csrf_token": token}, environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert other.status_code == 401  # another account from a fresh address is not locked out
    with app.app_context():
        from api.extensions import db

        db.engine.dispose()


def test_deleting_a_profile_with_history_archives_it_and_only_an_admin_erases(env: ApiEnv) -> None:
    """The operator's DELETE of a mentor with an introduction keeps the introduction (the founder's history
    and the training data), takes the mentor out of lists, pages and matches, and is audited; only an admin
    erases it, with ?hard=true, also audited with what its history held."""
    from models import AuditLog, Mentor

    mentor = new_mentor(env, space_id=env.ids["space1"])  # the operator's own space's mentor
    pid = env.ids["project1"]
    intro = env.call("founder1", "post", "/api/v1/intros",
                     json={"project_id": pid, "candidate_kind": "mentor", "candidate_id": mentor["id"]})
    assert intro.status_code == 201
    assert env.call("operator1", "delete", f"/api/v1/mentors/{mentor['id']}?hard=true").status_code == 403
    assert env.call("operator1", "delete", f"/api/v1/mentors/{mentor['id']}").status_code == 204
    assert env.call("operator1", "get", f"/api/v1/mentors/{mentor['id']}").status_code == 404
    assert env.call("admin", "get", f"/api/v1/mentors/{mentor['id']}").status_code == 200
    listed = env.call("operator1", "get", "/api/v1/mentors?per_page=100&q=" + mentor["name"]).json["items"]
    assert mentor["id"] not in [m["id"] for m in listed]
    matches = env.call("founder1", "get", f"/api/v1/projects/{pid}/matches?kind=mentor&k=50").json["items"]
    assert mentor["id"] not in [m["subject"]["id"] for m in matches]
    kept = env.call("founder1", "get", f"/api/v1/intros/{intro.json['id']}")
    assert kept.status_code == 200 and kept.json["status"] == "expired"
    with env.app.app_context():
        from api.extensions import db

        row = db.reader.get(Mentor, mentor["id"])
        assert row is not None and row.archived_at is not None and row.active is False
        trail = db.reader.scalars(select(AuditLog).where(AuditLog.object_type == "mentor",
                                                         AuditLog.object_id == str(mentor["id"]))).all()
        archived = [a for a in trail if a.action == "mentor.archive"]
        assert sorted(a.action for a in trail) == ["mentor.archive", "mentor.create"]
        assert archived[0].detail["history"]["intros"] == 1
        db.reader.rollback()
    assert env.call("admin", "delete", f"/api/v1/mentors/{mentor['id']}?hard=true").status_code == 204
    with env.app.app_context():
        from api.extensions import db

        assert db.reader.get(Mentor, mentor["id"]) is None
        # the mentor's own row (its contacts, its texts) is gone; the project's record of asking stays
        assert db.reader.scalar(select(func.count()).select_from(IntroRequest)
                                .where(IntroRequest.id == intro.json["id"])) == 1
        actions = db.reader.scalars(select(AuditLog.action).where(AuditLog.object_type == "mentor",
                                                                  AuditLog.object_id == str(mentor["id"]))).all()
        assert sorted(actions) == ["mentor.archive", "mentor.create", "mentor.delete"]
        db.reader.rollback()


def _history_rows(env: ApiEnv, kind: str, id_: int) -> dict[str, int]:
    """What the database holds of a profile's history, counted table by table (what a hard delete erases)."""
    from models import FeedbackEvent, FinancingRound, ImpressionRollup, Milestone, PortfolioInvestment, ProjectChange

    with env.app.app_context():
        from api.extensions import db

        session = db.reader

        def n(model, *where) -> int:  # type: ignore[no-untyped-def]
            return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

        mine = (lambda m: m.project_id == id_) if kind == "project" else \
            (lambda m: (m.candidate_kind == kind) & (m.candidate_id == id_))
        rolled = select(func.coalesce(func.sum(ImpressionRollup.shown), 0)).where(
            ImpressionRollup.model_kind == ("dealflow" if kind == "project" else kind),
            ImpressionRollup.entity_id == id_)
        rows = {"intros": n(IntroRequest, mine(IntroRequest)), "feedback": n(FeedbackEvent, mine(FeedbackEvent)),
                "impressions": n(Impression, mine(Impression)),
                "rolled_up_impressions": int(session.scalar(rolled) or 0)}
        if kind == "project":
            rows |= {"milestones": n(Milestone, Milestone.project_id == id_),
                     "financing_rounds": n(FinancingRound, FinancingRound.project_id == id_),
                     "project_changes": n(ProjectChange, ProjectChange.project_id == id_),
                     "portfolio": n(PortfolioInvestment, PortfolioInvestment.project_id == id_)}
        elif kind == "investor":
            rows["portfolio"] = n(PortfolioInvestment, PortfolioInvestment.investor_id == id_)
        session.rollback()
    return rows


def _audited_history(env: ApiEnv, kind: str, id_: int) -> dict[str, dict[str, int]]:
    """The history counts of the profile's archive and delete audit entries, by action."""
    from models import AuditLog

    with env.app.app_context():
        from api.extensions import db

        trail = db.reader.scalars(select(AuditLog).where(AuditLog.object_type == kind,
                                                         AuditLog.object_id == str(id_))).all()
        out = {a.action: a.detail["history"] for a in trail if "history" in (a.detail or {})}
        db.reader.rollback()
    return out


def _add_rollup(env: ApiEnv, model_kind: str, entity_id: int, shown: int) -> None:
    """Impressions already rolled up into counters (api.retention) and deleted."""
    import datetime as dt

    from models import ImpressionRollup

    with env.app.app_context():
        from api.extensions import db

        with db.factory() as session, session.begin():
            now = dt.datetime.now(dt.UTC)
            session.add(ImpressionRollup(model_kind=model_kind, entity_id=entity_id, shown=shown, trained=0,
                                         first_at=now - dt.timedelta(days=90), last_at=now - dt.timedelta(days=60)))


def test_deleting_a_project_with_only_a_growth_record_archives_it(env: ApiEnv) -> None:
    """A project whose only history is a milestone and a financing round (no introduction, feedback or
    impression): the operator's DELETE archives it and keeps both rows; the audit entry counts them; only an
    admin's ?hard=true erases them, and its audit entry says what it erased."""
    from models import FinancingRound, Milestone, Project

    pid = new_project(env)["id"]
    base = f"/api/v1/projects/{pid}"
    assert env.call("operator1", "post", f"{base}/milestones", json={
        "occurred_on": "2024-03-01", "category": "product", "title": "首版上线"}).status_code == 201
    assert env.call("operator1", "post", f"{base}/rounds", json={
        "round": "angel", "amount": 3_000_000, "closed_on": "2024-06-01",
        "investor_names": ["某天使"]}).status_code == 201
    history = {"intros": 0, "feedback": 0, "impressions": 0, "rolled_up_impressions": 0, "milestones": 1,
               "financing_rounds": 1, "project_changes": 0, "portfolio": 0}
    assert _history_rows(env, "project", pid) == history
    assert env.call("operator1", "delete", base).status_code == 204
    assert env.call("operator1", "get", base).status_code == 404
    with env.app.app_context():
        from api.extensions import db

        row = db.reader.get(Project, pid)
        assert row is not None and row.archived_at is not None and row.active is False
        db.reader.rollback()
    assert _history_rows(env, "project", pid) == history  # the milestone and the round are kept
    assert _audited_history(env, "project", pid) == {"project.archive": history}
    assert env.call("admin", "delete", f"{base}?hard=true").status_code == 204
    with env.app.app_context():
        from api.extensions import db

        assert db.reader.get(Project, pid) is None
        assert db.reader.scalar(select(func.count()).select_from(Milestone).where(Milestone.project_id == pid)) == 0
        assert db.reader.scalar(select(func.count()).select_from(FinancingRound)
                                .where(FinancingRound.project_id == pid)) == 0
        db.reader.rollback()
    assert _audited_history(env, "project", pid) == {"project.archive": history, "project.delete": history}


def test_deleting_a_project_with_feedback_impressions_and_a_growth_record_audits_every_count(env: ApiEnv) -> None:
    """A project with impressions, rolled-up impressions, feedback, a milestone, a round with a Huoban investor
    (a portfolio row), a stage change and an incubation change: the operator's DELETE archives it with every
    row kept, and both audit entries (the archive and the admin's erasure) carry the true count of each."""
    import uuid

    from models import ImpressionRollup

    pid = new_project(env)["id"]
    base = f"/api/v1/projects/{pid}"
    founder = key_for(env, "founder", "project", pid)
    served = env.client().get(f"{base}/matches?kind=mentor&k=5", headers=founder)
    assert served.status_code == 200 and served.json["items"], served.json
    flush_impressions(env)
    assert env.client().post("/api/v1/feedback", headers=founder, json={
        "event_id": f"hist-{uuid.uuid4().hex[:12]}", "type": "viewed",
        "impression_id": served.json["items"][0]["impression_id"]}).status_code == 201
    _add_rollup(env, "dealflow", pid, shown=7)
    assert env.call("operator1", "post", f"{base}/milestones", json={
        "occurred_on": "2024-03-01", "category": "customers", "title": "首批客户"}).status_code == 201
    assert env.call("operator1", "post", f"{base}/rounds", json={
        "round": "angel", "amount": 3_000_000, "closed_on": "2024-06-01",
        "investor_ids": [env.ids["investor"]]}).status_code == 201
    assert env.call("operator1", "patch", base, json={"stage": "early"}).status_code == 200
    assert env.call("operator1", "put", f"{base}/incubation", json={"status": "graduated"}).status_code == 200
    history = _history_rows(env, "project", pid)
    assert history["impressions"] == len(served.json["items"]) and history["rolled_up_impressions"] == 7
    assert {k for k, v in history.items() if v} == {"impressions", "rolled_up_impressions", "feedback", "milestones",
                                                   "financing_rounds", "project_changes", "portfolio"}, history
    assert env.call("operator1", "delete", base).status_code == 204
    assert _history_rows(env, "project", pid) == history  # nothing erased
    assert env.call("admin", "delete", f"{base}?hard=true").status_code == 204
    assert _audited_history(env, "project", pid) == {"project.archive": history, "project.delete": history}
    assert not any(_history_rows(env, "project", pid).values())  # the erasure took all of it
    with env.app.app_context():
        from api.extensions import db

        assert db.reader.get(ImpressionRollup, ("dealflow", pid)) is None
        db.reader.rollback()


def test_deleting_a_candidate_whose_impressions_were_rolled_up_archives_it(env: ApiEnv) -> None:
    """Impressions rolled up by the retention policy (and deleted) are still history: a mentor with nothing
    else is archived by the operator's DELETE, its counters kept, and the audit entry counts them."""
    from models import ImpressionRollup, Mentor

    mid = new_mentor(env, space_id=env.ids["space1"])["id"]
    _add_rollup(env, "mentor", mid, shown=5)
    assert env.call("operator1", "delete", f"/api/v1/mentors/{mid}").status_code == 204
    with env.app.app_context():
        from api.extensions import db

        row = db.reader.get(Mentor, mid)
        assert row is not None and row.archived_at is not None
        assert db.reader.get(ImpressionRollup, ("mentor", mid)) is not None
        db.reader.rollback()
    history = {"intros": 0, "feedback": 0, "impressions": 0, "rolled_up_impressions": 5}
    assert _audited_history(env, "mentor", mid) == {"mentor.archive": history}
    assert env.call("admin", "delete", f"/api/v1/mentors/{mid}?hard=true").status_code == 204
    assert _audited_history(env, "mentor", mid) == {"mentor.archive": history, "mentor.delete": history}
    assert not any(_history_rows(env, "mentor", mid).values())


def test_passwords_use_owasp_scrypt_cost_and_old_hashes_are_upgraded_at_sign_in(env: ApiEnv) -> None:
    """N=2**14, r=8, p=5 (an OWASP minimum at 16 MiB); a hash made with the old p=1 still signs in, once,
    and is replaced by one with today's parameters."""

    from api.accounts import resolve_user
    from api.security import hash_secret, needs_rehash

    with env.app.app_context():
        from api.extensions import db

        user = resolve_user(db.session, role="operator", space_id=env.ids["space1"], email="oldhash@example.org")
        user.password_hash = hash_secret("an old password", p=1)
        db.session.commit()
        uid = user.id
    assert hash_secret("x" * 8).startswith("scrypt$16384$8$5$")
    c = env.client()
    r = c.post("/console/login", data={"email": "oldhash@example.org", "password": "an old password",
                                       "csrf_token": csrf_token(c)})
    assert r.status_code == 302
    with env.app.app_context():
        from api.extensions import db

        stored = db.reader.get(User, uid)
        assert stored is not None and stored.password_hash and not needs_rehash(stored.password_hash)
        db.reader.rollback()
