"""Profiles, filters, incremental index updates, matches and deal flow through the HTTP API."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from models import Impression
from tests.api.conftest import ApiEnv


def new_mentor(env: ApiEnv, **kw) -> dict:  # type: ignore[no-untyped-def]
    body = {"space_id": env.ids["space1"], "name": "测试导师", "mentor_type": "technical_expert",
            "expertise": "计算机视觉 工业质检", "offer": "帮助专利申请与融资路演", "serves": ["ip", "financing"],
            "stages": ["idea", "seed", "early", "growth"], "industries": ["ai"], "city": "shenzhen",
            "regions": ["nationwide"], "languages": ["zh", "en"], "capacity": 2,
            "contact_email": "mentor@example.cn", **kw}
    r = env.call("operator1", "post", "/api/v1/mentors", json=body)
    assert r.status_code == 201, r.json
    return r.json


def test_list_filters_and_pagination(env: ApiEnv) -> None:
    page = env.call("admin", "get", "/api/v1/projects?per_page=7&page=2").json
    assert page["meta"]["page"] == 2 and len(page["items"]) == 7 and page["meta"]["total"] >= 160
    ai = env.call("admin", "get", "/api/v1/projects?industry=人工智能&per_page=100").json["items"]
    assert ai and all("ai" in p["industries"] for p in ai)
    seed = env.call("admin", "get", "/api/v1/projects?stage=seed&need=financing&per_page=100").json["items"]
    assert all(p["stage"] == "seed" and "financing" in p["needs"] for p in seed)
    south = env.call("admin", "get", "/api/v1/projects?region=south&per_page=100").json["items"]
    assert south and all(p["region"] == "south" for p in south)
    curated = env.call("admin", "get", "/api/v1/projects?curated=true&per_page=100").json["items"]
    assert curated and all(p["dealflow_curated"] for p in curated)
    word = ai[0]["name"][:2]
    found = env.call("admin", "get", f"/api/v1/projects?q={word}").json["items"]
    assert any(word in p["name"] for p in found)
    vc = env.call("admin", "get", "/api/v1/investors?round=angel&per_page=100").json["items"]
    assert vc and all("angel" in i["rounds"] for i in vc)
    legal = env.call("admin", "get", "/api/v1/providers?category=legal").json["items"]
    assert all(p["category"] == "legal" for p in legal)
    own = env.call("operator1", "get", "/api/v1/projects?per_page=100").json["items"]
    assert own and all(p["space_id"] == env.ids["space1"] for p in own)


def test_new_profile_is_matched_at_once_and_removal_too(env: ApiEnv) -> None:
    mentor = new_mentor(env, name="即时导师")
    pid = env.ids["project1"]
    ids = [m["subject"]["id"] for m in env.call("founder1", "get",
                                                 f"/api/v1/projects/{pid}/matches?kind=mentor&k=50").json["items"]]
    assert mentor["id"] in ids
    assert env.call("operator1", "patch", f"/api/v1/mentors/{mentor['id']}", json={"active": False}).status_code == 200
    ids = [m["subject"]["id"] for m in env.call("founder1", "get",
                                                 f"/api/v1/projects/{pid}/matches?kind=mentor&k=50").json["items"]]
    assert mentor["id"] not in ids
    assert env.call("operator1", "delete", f"/api/v1/mentors/{mentor['id']}").status_code == 204
    assert env.call("operator1", "get", f"/api/v1/mentors/{mentor['id']}").status_code == 404


def test_matches_explained_and_logged(env: ApiEnv) -> None:
    pid = env.ids["project1"]
    r = env.call("founder1", "get", f"/api/v1/projects/{pid}/matches?kind=provider&k=5")
    assert r.status_code == 200
    body = r.json
    assert body["direction"] == "matches" and body["learned_active"] is False and len(body["items"]) == 5
    scores = [m["score"] for m in body["items"]]
    assert scores == sorted(scores, reverse=True)
    for m in body["items"]:
        assert m["score"] == pytest.approx(sum(m["contributions"].values()), abs=1e-6)
        assert m["reasons"]["zh"] and m["reasons"]["en"]
        assert not any("学习模型" in reason for reason in m["reasons"]["zh"])  # an internal note is not a reason
        labels = m["subject"]["labels"]  # words beside the codes, for clients that display them
        assert labels["city"]["zh"] and labels["subtype"]["zh"] != m["subject"]["subtype"]
        assert [x["code"] for x in labels["industries"]] == m["subject"]["industries"]
        assert all(x["zh"] != x["code"] for x in labels["industries"])
        assert m["score"] == round(m["score"], 6)  # no float noise (0.30000001192092896)
        assert all(v == round(v, 6) for v in m["features"].values())
        assert "contact_email" not in m["subject"]
    # logged by the process's impression writer within its interval (no flush asked for here)
    deadline = time.monotonic() + 5
    rows: list[Impression] = []
    while not rows and time.monotonic() < deadline:
        time.sleep(0.02)
        with env.app.app_context():
            from api.extensions import db

            rows = db.reader.scalars(select(Impression).where(Impression.request_id == body["request_id"])
                                     .order_by(Impression.position)).all()
    assert [r.position for r in rows] == [1, 2, 3, 4, 5]
    assert [r.id for r in rows] == [m["impression_id"] for m in body["items"]]
    assert rows[0].features["needs_coverage"] == pytest.approx(body["items"][0]["features"]["needs_coverage"], abs=1e-5)
    assert all(r.propensity == 1.0 and r.project_id == pid and r.candidate_kind == "provider" for r in rows)


def test_dealflow_only_curated_and_no_contacts(env: ApiEnv) -> None:
    r = env.call("investor", "get", f"/api/v1/investors/{env.ids['investor']}/dealflow?k=20")
    assert r.status_code == 200
    items = r.json["items"]
    with env.app.app_context():
        from api.extensions import db
        from models import Project

        for m in items:
            project = db.reader.get(Project, m["subject"]["id"])
            assert project.dealflow_curated
    assert all("contact" not in str(m["subject"]) for m in items)
    # the investor sees curated projects without contacts, and no project outside the deal flow
    assert env.call("investor", "get", f"/api/v1/projects/{env.ids['curated']}").json["contact_email"] is None
    assert env.call("investor", "get", f"/api/v1/projects/{env.ids['uncurated']}").status_code == 404
    filtered = env.call("investor", "get",
                        f"/api/v1/investors/{env.ids['investor']}/dealflow?k=20&industry=ai").json["items"]
    assert all("ai" in m["subject"]["industries"] for m in filtered)


def test_owner_cannot_change_operator_fields(env: ApiEnv) -> None:
    pid = env.ids["project1"]
    r = env.call("founder1", "patch", f"/api/v1/projects/{pid}", json={"dealflow_curated": True})
    assert r.status_code == 403 and "dealflow_curated" in r.json["detail"]
    ok = env.call("founder1", "patch", f"/api/v1/projects/{pid}", json={"needs_statement": "需要A轮融资"})
    assert ok.status_code == 200 and ok.json["needs_statement"] == "需要A轮融资"


def test_match_responses_hold_to_the_documented_schema(env: ApiEnv) -> None:
    """The views hand their dict to JSON directly (no output schema pass), so hold it to MatchList here."""
    from api.schemas import MatchList

    pid = env.ids["project1"]
    for kind in ("mentor", "investor", "provider"):
        body = env.call("founder1", "get", f"/api/v1/projects/{pid}/matches?kind={kind}&k=7").json
        assert MatchList().validate(body) == {}, kind
        assert len(body["items"]) > 0
    flow = env.call("investor", "get", f"/api/v1/investors/{env.ids['investor']}/dealflow?k=5").json
    assert MatchList().validate(flow) == {} and flow["items"]


def test_served_ranking_is_reused_until_an_input_changes(env: ApiEnv) -> None:
    from api.services.matching import ranking_cache

    pid = env.ids["project1"]
    url = f"/api/v1/projects/{pid}/matches?kind=mentor&k=5"
    first = env.call("founder1", "get", url).json
    with env.app.app_context():
        hits = ranking_cache().hits
    again = env.call("founder1", "get", url).json
    with env.app.app_context():
        assert ranking_cache().hits == hits + 1
    # the same list (a reload does not shuffle), but logged as a new request with new impressions
    assert [m["subject"]["id"] for m in again["items"]] == [m["subject"]["id"] for m in first["items"]]
    assert again["request_id"] != first["request_id"]
    assert not {m["impression_id"] for m in again["items"]} & {m["impression_id"] for m in first["items"]}
    # a new weight set is a new input: the next list is computed afresh and follows it
    space = env.ids["space1"]
    r = env.call("operator1", "put", f"/api/v1/spaces/{space}/weights/mentor",
                 json={"weights": {"sem_need": 0.0, "sem_domain": 0.0, "lexical": 0.0, "capacity_headroom": 5.0}})
    assert r.status_code == 200, r.json
    moved = env.call("founder1", "get", url).json
    assert moved["weight_set_version"] != first["weight_set_version"]
    top = moved["items"][0]
    assert top["contributions"]["capacity_headroom"] == pytest.approx(5.0 * top["features"]["capacity_headroom"])
    # a requested intro excludes that mentor from the next list at once
    chosen = moved["items"][0]["subject"]["id"]
    r = env.call("founder1", "post", "/api/v1/intros", json={"project_id": pid, "candidate_kind": "mentor",
                                                              "candidate_id": chosen})
    assert r.status_code == 201, r.json
    after = env.call("founder1", "get", url).json
    assert chosen not in [m["subject"]["id"] for m in after["items"]]
