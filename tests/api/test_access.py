"""Role x endpoint x tenant: the expected status of every cell, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools

from tests.api.conftest import ApiEnv

WHO = ("anon", "admin", "operator1", "operator2", "founder1", "founder2", "mentor", "investor", "provider")
_slug = itertools.count()


def table(env: ApiEnv) -> list[tuple[str, str, dict | None, dict[str, int]]]:
    ids = env.ids
    s1, p1 = ids["space1"], ids["project1"]
    with env.app.app_context():
        from api.extensions import db
        from models import Project

        curated = db.reader.get(Project, p1).dealflow_curated
    inv_sees_p1 = 200 if curated else 404
    inv_edit_p1 = 403 if curated else 404
    op_only = {"admin": 200, "operator1": 200, "operator2": 404, "founder1": 403, "founder2": 404, "mentor": 403,
               "investor": 403, "provider": 403}
    rows: list[tuple[str, str, dict | None, dict[str, int]]] = [
        ("get", f"/api/v1/spaces/{s1}", None,
         {"admin": 200, "operator1": 200, "operator2": 404, "founder1": 200, "founder2": 404, "mentor": 200,
          "investor": 200, "provider": 200}),
        ("patch", f"/api/v1/spaces/{s1}", {"description": "更新的介绍"}, op_only),
        ("get", f"/api/v1/projects/{p1}", None,
         {"admin": 200, "operator1": 200, "operator2": 404, "founder1": 200, "founder2": 404, "mentor": 404,
          "investor": inv_sees_p1, "provider": 404}),
        ("patch", f"/api/v1/projects/{p1}", {"team_size": 7},
         {"admin": 200, "operator1": 200, "operator2": 404, "founder1": 200, "founder2": 404, "mentor": 404,
          "investor": inv_edit_p1, "provider": 404}),
        ("get", f"/api/v1/projects/{p1}/matches?kind=mentor&k=3", None,
         {"admin": 200, "operator1": 200, "operator2": 404, "founder1": 200, "founder2": 404, "mentor": 404,
          "investor": inv_edit_p1, "provider": 404}),
        ("get", f"/api/v1/investors/{ids['investor']}/dealflow?k=3", None,
         {"admin": 200, "operator1": 200, "operator2": 200, "founder1": 403, "founder2": 403, "mentor": 403,
          "investor": 200, "provider": 403}),
        ("get", f"/api/v1/mentors/{ids['mentor']}", None, {w: 200 for w in WHO if w != "anon"}),
        ("patch", f"/api/v1/mentors/{ids['mentor']}", {"title": "顾问"},
         {"admin": 200, "operator1": 403, "operator2": 403, "founder1": 403, "founder2": 403, "mentor": 200,
          "investor": 403, "provider": 403}),
        ("patch", f"/api/v1/mentors/{ids['mentor']}", {"capacity": 9},
         {"admin": 200, "operator1": 403, "operator2": 403, "founder1": 403, "founder2": 403, "mentor": 403,
          "investor": 403, "provider": 403}),
        ("get", f"/api/v1/spaces/{s1}/weights/mentor", None, op_only),
        ("put", f"/api/v1/spaces/{s1}/weights/mentor", {"weights": {"region": 0.05}, "comment": "matrix"}, op_only),
        ("get", f"/api/v1/spaces/{s1}/weights/mentor/versions", None, op_only),
        ("get", f"/api/v1/spaces/{s1}/metrics", None, op_only),
        ("get", f"/api/v1/spaces/{s1}/audit", None, op_only),
        ("post", f"/api/v1/spaces/{s1}/allocations", {"kind": "mentor", "project_ids": [p1]}, op_only),
        ("post", f"/api/v1/spaces/{s1}/weights/mentor/preview", {"weights": {"region": 0.3}, "sample": 2}, op_only),
        ("get", "/api/v1/intros", None, {w: 200 for w in WHO if w != "anon"}),
        ("get", "/api/v1/models", None,
         {"admin": 200, "operator1": 200, "operator2": 200, "founder1": 403, "founder2": 403, "mentor": 403,
          "investor": 403, "provider": 403}),
        ("get", f"/api/v1/spaces/{s1}/model", None, op_only),
        ("post", "/api/v1/models/rollback", None,
         {"admin": 409, "operator1": 403, "operator2": 403, "founder1": 403, "founder2": 403, "mentor": 403,
          "investor": 403, "provider": 403}),
        ("get", "/api/v1/me", None, {w: 200 for w in WHO if w != "anon"}),
        ("post", "/api/v1/projects",
         {"space_id": s1, "name": "矩阵项目", "one_liner": "测试", "stage": "seed", "industries": ["ai"],
          "city": "shenzhen"},
         {"admin": 201, "operator1": 201, "operator2": 403, "founder1": 403, "founder2": 403, "mentor": 403,
          "investor": 403, "provider": 403}),
        ("post", "/api/v1/mentors",
         {"space_id": s1, "name": "矩阵导师", "mentor_type": "entrepreneur", "expertise": "人工智能",
          "offer": "融资辅导", "serves": ["financing"], "stages": ["seed"], "city": "shenzhen"},
         {"admin": 201, "operator1": 201, "operator2": 403, "founder1": 403, "founder2": 403, "mentor": 403,
          "investor": 403, "provider": 403}),
    ]
    if ids["mentor_private2"]:
        rows.append(("get", f"/api/v1/mentors/{ids['mentor_private2']}", None,
                     {"admin": 200, "operator1": 404, "operator2": 200, "founder1": 404, "founder2": 200,
                      "mentor": 404, "investor": 404, "provider": 404}))
    return rows


def test_role_endpoint_tenant_matrix(env: ApiEnv) -> None:
    mismatches = []
    cells = 0
    for method, path, body, expected in table(env):
        for who in WHO:
            want = 401 if who == "anon" else expected[who]
            payload = body
            if path == "/api/v1/spaces":
                payload = {**(body or {}), "slug": f"matrix-{next(_slug)}"}
            r = env.call(who, method, path, json=payload) if payload is not None else env.call(who, method, path)
            cells += 1
            if r.status_code != want:
                mismatches.append(f"{who:10s} {method.upper():6s} {path}: got {r.status_code}, want {want} "
                                  f"({(r.json or {}).get('detail', '')})")
            if r.status_code >= 400:
                assert r.content_type == "application/problem+json", (who, method, path)
    assert cells > 150
    assert mismatches == []


def test_admin_only_space_creation(env: ApiEnv) -> None:
    body = {"slug": f"new-space-{next(_slug)}", "name": "新空间", "city": "杭州"}
    assert env.call("operator1", "post", "/api/v1/spaces", json=body).status_code == 403
    created = env.call("admin", "post", "/api/v1/spaces", json=body)
    assert created.status_code == 201 and created.json["city"] == "330100"
    assert env.call("admin", "post", "/api/v1/spaces", json=body).status_code == 409


def test_contacts_hidden_from_strangers(env: ApiEnv) -> None:
    mentor = env.ids["mentor"]
    seen = env.call("founder1", "get", f"/api/v1/mentors/{mentor}").json
    assert seen["contacts_visible"] is False and seen["contact_email"] is None
    own = env.call("mentor", "get", f"/api/v1/mentors/{mentor}").json
    assert own["contacts_visible"] is True and own["contact_email"]
    listed = env.call("founder1", "get", "/api/v1/mentors?per_page=50").json["items"]
    assert listed and all(m["contact_email"] is None for m in listed if m["id"] != mentor or True)


def test_revoked_or_bad_keys(env: ApiEnv) -> None:
    key = env.keys["admin"]
    for bad in (key[:-2] + "xx", "hb_nope_" + "a" * 40, "garbage", ""):
        r = env.client().get("/api/v1/me", headers={"Authorization": f"Bearer {bad}"})
        assert r.status_code == 401 and r.content_type == "application/problem+json"
