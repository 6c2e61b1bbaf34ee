"""Double opt-in introductions, contact privacy, expiry, capacity under concurrency, feedback idempotency."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import func, select, update

from api.accounts import ProfileRef, create_api_key
from models import FeedbackEvent, IntroRequest, Project
from tests.api.conftest import ApiEnv


def fresh_mentor(env: ApiEnv, capacity: int) -> tuple[int, str]:
    body = {"space_id": None, "name": "容量导师", "mentor_type": "entrepreneur", "expertise": "企业服务 SaaS",
            "offer": "融资与战略", "serves": ["financing", "strategy"], "stages": ["idea", "seed", "early", "growth",
                                                                          "expansion"],
            "industries": [], "city": "beijing", "regions": ["nationwide"], "languages": ["zh", "en"],
            "capacity": capacity, "contact_email": "cap@example.cn", "contact_phone": "+86 138 0000 0000"}
    r = env.call("admin", "post", "/api/v1/mentors", json=body)
    assert r.status_code == 201, r.json
    with env.app.app_context():
        from api.extensions import db

        with db.factory() as session, session.begin():
            key = create_api_key(session, role="mentor", profile=ProfileRef("mentor", r.json["id"]))
    return r.json["id"], key


def test_double_opt_in_reveals_contacts_only_after_accept(env: ApiEnv) -> None:
    mentor_id, mentor_key = fresh_mentor(env, capacity=2)
    pid = env.ids["project1"]
    r = env.call("founder1", "post", "/api/v1/intros",
                 json={"project_id": pid, "candidate_kind": "mentor", "candidate_id": mentor_id, "message": "你好"})
    assert r.status_code == 201, r.json
    intro = r.json
    assert intro["status"] == "pending" and intro["direction"] == "project"
    assert intro["contacts_visible"] is False and intro["candidate_contact"] is None
    # the mentor now sees the project (behind the intro) but not its contacts
    mh = {"Authorization": f"Bearer {mentor_key}"}
    seen = env.client().get(f"/api/v1/projects/{pid}", headers=mh)
    assert seen.status_code == 200 and seen.json["contact_email"] is None
    # the asking side cannot accept on the other side's behalf; strangers do not see it
    assert env.call("founder1", "post", f"/api/v1/intros/{intro['id']}/accept", json={}).status_code == 403
    assert env.call("founder2", "get", f"/api/v1/intros/{intro['id']}").status_code == 404
    assert env.call("founder1", "post", "/api/v1/intros", json={
        "project_id": pid, "candidate_kind": "mentor", "candidate_id": mentor_id}).status_code == 409
    accepted = env.client().post(f"/api/v1/intros/{intro['id']}/accept", json={}, headers=mh)
    assert accepted.status_code == 200 and accepted.json["status"] == "accepted"
    assert accepted.json["project_contact"]["email"]
    founder_view = env.call("founder1", "get", f"/api/v1/intros/{intro['id']}").json
    assert founder_view["contacts_visible"] and founder_view["candidate_contact"]["email"] == "cap@example.cn"
    assert env.call("founder1", "get", f"/api/v1/mentors/{mentor_id}").json["contact_email"] == "cap@example.cn"
    assert env.client().get(f"/api/v1/projects/{pid}", headers=mh).json["contact_email"]
    # matched candidates are not proposed again
    ids = [m["subject"]["id"] for m in env.call("founder1", "get",
                                                 f"/api/v1/projects/{pid}/matches?kind=mentor&k=50").json["items"]]
    assert mentor_id not in ids
    again = env.client().post(f"/api/v1/intros/{intro['id']}/decline", json={}, headers=mh)
    assert again.status_code == 409
    ended = env.call("founder1", "post", f"/api/v1/intros/{intro['id']}/end")
    assert ended.status_code == 200 and ended.json["status"] == "ended"
    with env.app.app_context():
        from api.extensions import db

        types = db.reader.scalars(select(FeedbackEvent.type).where(FeedbackEvent.intro_id == intro["id"])).all()
    assert sorted(types) == ["accepted", "requested"]


def test_expired_requests_cannot_be_accepted(env: ApiEnv) -> None:
    mentor_id, mentor_key = fresh_mentor(env, capacity=2)
    r = env.call("founder2", "post", "/api/v1/intros", json={
        "project_id": env.ids["project2"], "candidate_kind": "mentor", "candidate_id": mentor_id})
    assert r.status_code == 201
    with env.app.app_context():
        from api.extensions import db

        with db.factory() as session, session.begin():
            session.execute(update(IntroRequest).where(IntroRequest.id == r.json["id"]).values(
                expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)))
    late = env.client().post(f"/api/v1/intros/{r.json['id']}/accept", json={},
                             headers={"Authorization": f"Bearer {mentor_key}"})
    assert late.status_code == 409 and "expired" in late.json["detail"]
    assert env.call("founder2", "get", f"/api/v1/intros/{r.json['id']}").json["status"] == "expired"


def test_concurrent_accepts_never_exceed_capacity(env: ApiEnv) -> None:
    mentor_id, mentor_key = fresh_mentor(env, capacity=3)
    with env.app.app_context():
        from api.extensions import db

        projects = db.reader.scalars(select(Project.id).where(Project.active.is_(True)).order_by(Project.id)
                                     .limit(20)).all()
    intro_ids = []
    for pid in projects:
        r = env.call("admin", "post", "/api/v1/intros",
                     json={"project_id": pid, "candidate_kind": "mentor", "candidate_id": mentor_id})
        assert r.status_code == 201, r.json
        intro_ids.append(r.json["id"])
    assert len(intro_ids) == 20
    barrier = threading.Barrier(20)
    codes: list[int] = []
    lock = threading.Lock()

    def accept(intro_id: int) -> None:
        client = env.app.test_client()
        barrier.wait()
        code = client.post(f"/api/v1/intros/{intro_id}/accept", json={},
                           headers={"Authorization": f"Bearer {mentor_key}"}).status_code
        with lock:
            codes.append(code)

    threads = [threading.Thread(target=accept, args=(i,)) for i in intro_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(codes) == [200] * 3 + [409] * 17
    with env.app.app_context():
        from api.extensions import db

        accepted = db.reader.scalar(select(func.count()).select_from(IntroRequest).where(
            IntroRequest.candidate_id == mentor_id, IntroRequest.candidate_kind == "mentor",
            IntroRequest.status == "accepted"))
    assert accepted == 3


def test_investor_asks_from_dealflow_and_founder_decides(env: ApiEnv) -> None:
    curated = env.ids["curated"]
    r = env.call("investor", "post", "/api/v1/intros",
                 json={"project_id": curated, "candidate_kind": "investor", "candidate_id": env.ids["investor"]})
    assert r.status_code == 201 and r.json["direction"] == "candidate"
    assert env.call("investor", "post", f"/api/v1/intros/{r.json['id']}/accept", json={}).status_code == 403
    assert env.call("investor", "post", "/api/v1/intros", json={
        "project_id": env.ids["uncurated"], "candidate_kind": "investor",
        "candidate_id": env.ids["investor"]}).status_code == 404
    with env.app.app_context():
        from api.extensions import db

        with db.factory() as session, session.begin():
            founder_key = create_api_key(session, role="founder", profile=ProfileRef("project", curated))
    decided = env.client().post(f"/api/v1/intros/{r.json['id']}/decline", json={},
                                headers={"Authorization": f"Bearer {founder_key}"})
    assert decided.status_code == 200 and decided.json["status"] == "declined"
    assert decided.json["candidate_contact"] is None


def test_feedback_is_idempotent(env: ApiEnv) -> None:
    pid = env.ids["project1"]
    items = env.call("founder1", "get", f"/api/v1/projects/{pid}/matches?kind=investor&k=3").json["items"]
    imp = items[0]["impression_id"]
    event = {"event_id": "evt-0001-abcdef", "type": "viewed", "impression_id": imp}
    first = env.call("founder1", "post", "/api/v1/feedback", json=event)
    assert first.status_code == 201 and first.json["duplicate"] is False
    second = env.call("founder1", "post", "/api/v1/feedback", json=event)
    assert second.status_code == 200 and second.json["duplicate"] is True and second.json["id"] == first.json["id"]
    clash = env.call("founder1", "post", "/api/v1/feedback", json={**event, "type": "dismissed"})
    assert clash.status_code == 409
    rating = env.call("founder1", "post", "/api/v1/feedback",
                      json={"event_id": "evt-0002-abcdef", "type": "rating", "impression_id": imp, "rating": 9})
    assert rating.status_code == 422
    # a stranger cannot attach feedback to someone else's impression
    assert env.call("founder2", "post", "/api/v1/feedback",
                    json={"event_id": "evt-0003-abcdef", "type": "viewed", "impression_id": imp}).status_code == 404
    # concurrent duplicates store one event
    barrier = threading.Barrier(8)
    codes: list[int] = []

    def post() -> None:
        client = env.app.test_client()
        barrier.wait()
        codes.append(client.post("/api/v1/feedback", json={**event, "event_id": "evt-race-000001"},
                                 headers=env.headers("founder1")).status_code)

    threads = [threading.Thread(target=post) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(codes) == [200] * 7 + [201]
    with env.app.app_context():
        from api.extensions import db

        n = db.reader.scalar(select(func.count()).select_from(FeedbackEvent)
                             .where(FeedbackEvent.event_id.in_(["evt-0001-abcdef", "evt-race-000001"])))
    assert n == 2


def test_feedback_cannot_be_gamed(env: ApiEnv) -> None:
    """A founder does not report on a list an operator was shown; a candidate does not rate its own
    engagement, and the project's side rates an introduction once; occurred_at may not precede what it
    reports on; another tenant's event ids neither clash with nor reveal one's own."""
    pid = env.ids["project1"]
    shown_to_operator = env.call("operator1", "get", f"/api/v1/projects/{pid}/matches?kind=mentor&k=2").json["items"]
    r = env.call("founder1", "post", "/api/v1/feedback", json={
        "event_id": "game-0001-dismiss", "type": "dismissed", "impression_id": shown_to_operator[0]["impression_id"]})
    assert r.status_code == 403, r.json
    own = env.call("founder1", "post", "/api/v1/feedback", json={
        "event_id": "game-0002-dismiss", "type": "dismissed", "impression_id": shown_to_operator[0]["impression_id"],
        "occurred_at": "1970-01-01T00:00:00+00:00"})
    assert own.status_code == 403  # still not theirs, whatever the date
    mine = env.call("founder1", "get", f"/api/v1/projects/{pid}/matches?kind=mentor&k=2").json["items"]
    old = env.call("founder1", "post", "/api/v1/feedback", json={
        "event_id": "game-0003-viewed", "type": "viewed", "impression_id": mine[0]["impression_id"],
        "occurred_at": "1970-01-01T00:00:00+00:00"})
    assert old.status_code == 422 and old.json["errors"][0]["field"] == "occurred_at"

    mentor_id, mentor_key = fresh_mentor(env, capacity=2)
    mh = {"Authorization": f"Bearer {mentor_key}"}
    intro = env.call("founder1", "post", "/api/v1/intros",
                     json={"project_id": pid, "candidate_kind": "mentor", "candidate_id": mentor_id}).json
    assert env.client().post(f"/api/v1/intros/{intro['id']}/accept", json={}, headers=mh).status_code == 200
    five = {"type": "rating", "intro_id": intro["id"], "rating": 5}
    self_rated = env.client().post("/api/v1/feedback", json={**five, "event_id": "game-0004-rating"}, headers=mh)
    assert self_rated.status_code == 403
    assert env.call("founder1", "post", "/api/v1/feedback", json={**five, "event_id": "game-0005-rating"}
                    ).status_code == 201
    again = env.call("founder1", "post", "/api/v1/feedback", json={**five, "event_id": "game-0006-rating"})
    assert again.status_code == 409 and again.json["type"].endswith("already-rated")
    # the same event id in another tenant is that tenant's own event, not a conflict
    theirs = env.call("founder2", "get", f"/api/v1/projects/{env.ids['project2']}/matches?kind=mentor&k=1"
                      ).json["items"][0]["impression_id"]
    other = env.call("founder2", "post", "/api/v1/feedback",
                     json={"event_id": "game-0005-rating", "type": "viewed", "impression_id": theirs})
    assert other.status_code == 201 and other.json["duplicate"] is False
