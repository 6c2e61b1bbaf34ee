"""Bad input gets a clear problem+json error and writes nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from models import Project
from tests.api.conftest import ApiEnv


def project_count(env: ApiEnv) -> int:
    with env.app.app_context():
        from api.extensions import db

        return int(db.reader.scalar(select(func.count()).select_from(Project)))


def good_project(env: ApiEnv) -> dict:
    return {"name": "新项目", "one_liner": "视觉质检", "stage": "种子期", "industries": ["人工智能", "iot"],
            "needs": ["融资", "Intellectual property"], "city": "深圳", "round_sought": "angel",
            "funding_sought": 3_000_000, "languages": ["zh"]}


def test_validation_errors_are_per_field(env: ApiEnv) -> None:
    before = project_count(env)
    body = {**good_project(env), "stage": "teen", "industries": ["blockchainz"], "team_size": -1, "extra": 1}
    r = env.call("operator1", "post", "/api/v1/projects", json=body)
    assert r.status_code == 422 and r.content_type == "application/problem+json"
    problem = r.json
    assert problem["type"].endswith("/validation-error") and problem["status"] == 422
    fields = {e["field"]: e["message"] for e in problem["errors"]}
    # the allowed values by their labels as well as their codes
    assert "valid values: 创意期 Idea (idea), 种子期 Seed (seed), 初创期 Early (early)" in fields["stage"]
    assert any(k.startswith("industries") and "金融科技 Fintech (fintech)" in v for k, v in fields.items())
    assert "team_size" in fields and "extra" in fields
    assert project_count(env) == before


def test_a_projects_industries_keep_their_order_the_first_being_its_main_one(env: ApiEnv) -> None:
    body = {**good_project(env), "industries": ["物联网", "ai", "IoT"]}
    r = env.call("operator1", "post", "/api/v1/projects", json=body)
    assert r.status_code == 201, r.json
    assert r.json["industries"] == ["iot", "ai"]  # as given (labels normalised, the repeat dropped), not sorted
    assert env.call("admin", "delete", f"/api/v1/projects/{r.json['id']}").status_code == 204


def test_labels_in_either_language_are_normalised(env: ApiEnv) -> None:
    r = env.call("operator1", "post", "/api/v1/projects", json=good_project(env))
    assert r.status_code == 201, r.json
    created = r.json
    assert created["stage"] == "seed" and created["industries"] == ["ai", "iot"]
    assert created["needs"] == ["financing", "ip"] and created["city"] == "440300" and created["region"] == "south"
    assert created["space_id"] == env.ids["space1"]
    assert env.call("admin", "delete", f"/api/v1/projects/{created['id']}").status_code == 204


def test_malformed_requests_never_500(env: ApiEnv) -> None:
    c = env.client()
    h = {**env.headers("operator1"), "Content-Type": "application/json"}
    cases = [
        c.post("/api/v1/projects", data="{not json", headers=h),
        c.post("/api/v1/projects", data="[1, 2]", headers=h),
        c.post("/api/v1/projects", data="null", headers=h),
        c.post("/api/v1/projects", data=b"\xff\xfe", headers=h),
        c.post("/api/v1/projects", json={"name": "\x00"}, headers=env.headers("operator1")),
        c.get("/api/v1/projects?page=0", headers=env.headers("operator1")),
        c.get("/api/v1/projects?page=abc&per_page=100000", headers=env.headers("operator1")),
        c.get("/api/v1/projects?industry=nope", headers=env.headers("operator1")),
        c.get(f"/api/v1/projects/{env.ids['project1']}/matches?kind=alien", headers=env.headers("operator1")),
        c.get(f"/api/v1/projects/{env.ids['project1']}/matches?kind=mentor&k=0", headers=env.headers("operator1")),
        c.post("/api/v1/feedback", json={"event_id": "x"}, headers=env.headers("founder1")),
        c.post("/api/v1/intros", json={"project_id": "1"}, headers=env.headers("founder1")),
        c.put(f"/api/v1/spaces/{env.ids['space1']}/weights/mentor", json={"weights": {"charisma": 1}},
              headers=env.headers("operator1")),
        c.put(f"/api/v1/spaces/{env.ids['space1']}/weights/mentor", json={"weights": {"region": 1e9}},
              headers=env.headers("operator1")),
        c.get(f"/api/v1/spaces/{env.ids['space1']}/weights/unicorn", headers=env.headers("operator1")),
        c.get("/api/v1/projects/99999999", headers=env.headers("admin")),
        c.get("/api/v1/nowhere", headers=env.headers("admin")),
        c.delete("/api/v1/me", headers=env.headers("admin")),
    ]
    for r in cases:
        assert 400 <= r.status_code < 500, (r.status_code, r.request.path, r.json)
        assert r.content_type == "application/problem+json"
        assert {"type", "title", "status", "detail"} <= set(r.json)
    assert cases[0].status_code == 400 and "not valid JSON" in cases[0].json["detail"]


def test_request_size_limit(env: ApiEnv) -> None:
    big = {**good_project(env), "description": "长" * 5_000_000}
    r = env.call("operator1", "post", "/api/v1/projects", json=big)
    assert r.status_code == 413 and r.content_type == "application/problem+json"


def test_rate_limit_is_per_key(env: ApiEnv) -> None:
    from api import create_app
    from api.extensions import matching

    app = create_app({"DATABASE_URL": env.url, "VAR_DIR": env.app.config["VAR_DIR"], "ENCODER": "keyword",
                      "LOAD_MATCHER": False, "RATELIMIT_DEFAULT": "5 per minute"})
    c = app.test_client()
    # the first call verifies the key (it counts against the client address); then the key's own bucket
    assert c.get("/api/v1/me", headers=env.headers("founder1")).status_code == 200
    codes = [c.get("/api/v1/me", headers=env.headers("founder1")).status_code for _ in range(7)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]
    limited = c.get("/api/v1/me", headers=env.headers("founder1"))
    assert limited.content_type == "application/problem+json" and "Retry-After" in limited.headers
    # guesses with founder2's prefix spend the guesser's (address) budget, not founder2's
    prefix = env.keys["founder2"].split("_")[1]
    for _ in range(3):
        c.get("/api/v1/me", headers={"Authorization": f"Bearer hb_{prefix}_wrong"})
    assert c.get("/api/v1/me", headers=env.headers("founder2")).status_code == 200
    with app.app_context():
        from api.extensions import db

        assert not matching.engine.ready
        db.engine.dispose()


def test_pathological_bodies_and_console_forms_never_500(env: ApiEnv) -> None:
    """Bodies nested 100k deep, lone UTF-16 surrogates in any string, console numbers that are not numbers
    and unknown console weight kinds: a clear 4xx each, nothing written."""
    h = {**env.headers("operator1"), "Content-Type": "application/json"}
    c = env.client()
    before = project_count(env)
    deep = "[" * 100_000 + "]" * 100_000
    cases = [
        c.post("/api/v1/projects", data=deep, headers=h),
        c.post("/api/v1/projects", data='{"name": ' + deep + "}", headers=h),
        c.post("/api/v1/projects", data=json.dumps({**good_project(env), "name": "\ud800"}), headers=h),
        c.post("/api/v1/projects", data=json.dumps({**good_project(env), "description": "ok \udc00 ok"}), headers=h),
        c.patch(f"/api/v1/projects/{env.ids['project1']}", data='{"one_liner": "\\ud800"}', headers=h),
        c.post("/api/v1/feedback", data='{"event_id": "\\udfff"}', headers={**env.headers("founder1"),
                                                                            "Content-Type": "application/json"}),
        # a number longer than Python reads (4,300 digits): a ValueError the parser's callers did not expect
        c.patch(f"/api/v1/projects/{env.ids['project1']}", data='{"funding_sought": ' + "9" * 5000 + "}", headers=h),
        c.post(f"/api/v1/spaces/{env.ids['space1']}/keys", data='{"role": "founder", "profile_id": ' + "9" * 5000 + "}",
               headers=h),
    ]
    for r in cases:
        assert 400 <= r.status_code < 500, (r.status_code, r.request.path, r.json)
        assert r.content_type == "application/problem+json"
    assert "deep" in cases[0].json["detail"] and "surrogate" in cases[2].json["detail"]
    assert "4300 digits" in cases[6].json["detail"]
    assert project_count(env) == before


def test_console_forms_with_nonsense_numbers_and_kinds_are_refused_not_500(env: ApiEnv) -> None:
    import datetime as dt
    import hashlib

    from api.accounts import resolve_user
    from api.extensions import db
    from models import ConsoleSession

    with env.app.app_context():
        user = resolve_user(db.session, role="operator", space_id=env.ids["space1"], email="ops-input@example.org")
        now = dt.datetime.now(dt.UTC)
        db.session.add(ConsoleSession(token_hash=hashlib.sha256(b"sid-input").hexdigest(), user_id=user.id,
                                      created_at=now, expires_at=now + dt.timedelta(hours=1)))
        db.session.commit()
        uid = user.id
    c = env.client()
    with c.session_transaction() as s:
        s["uid"], s["sid"], s["csrf"] = uid, "sid-input", "token"
    form = {"csrf_token": "token"}
    cases = [
        c.post("/console/space/allocation", data={**form, "kind": "mentor", "per_project": "abc"}),
        c.post("/console/space/weights/mentor", data={**form, "diversity": "abc"}),
        c.post("/console/space/weights/mentor", data={**form, "diversity": "nan"}),
        c.post("/console/space/weights/bogus", data={**form, "sem_need": "0.2"}),
        c.post("/console/space/weights/mentor/preview", json={"weights": {}, "diversity": "abc"},
               headers={"X-CSRF-Token": "token"}),
        c.post("/console/space/weights/bogus/preview", json={"weights": {}}, headers={"X-CSRF-Token": "token"}),
    ]
    for r in cases:
        assert 400 <= r.status_code < 500, (r.status_code, r.request.path)


def test_a_body_that_is_not_json_is_a_415_not_an_empty_success(env: ApiEnv) -> None:
    pid = env.ids["project1"]
    h = env.headers("operator1")
    c = env.client()
    before = c.get(f"/api/v1/projects/{pid}", headers=h).json["one_liner"]
    as_text = c.patch(f"/api/v1/projects/{pid}", data='{"one_liner": "changed"}',
                      headers={**h, "Content-Type": "text/plain"})
    as_form = c.patch(f"/api/v1/projects/{pid}", data={"one_liner": "changed"}, headers=h)
    for r in (as_text, as_form):
        assert r.status_code == 415 and r.content_type == "application/problem+json", r.status_code
    assert c.get(f"/api/v1/projects/{pid}", headers=h).json["one_liner"] == before


def test_ten_megabyte_lists_are_refused_before_validation_with_a_small_answer(env: ApiEnv) -> None:
    """1.6 million codes (invalid or valid) or 3 million integers in one list: a 413 naming the limit, answered
    without validating the items one by one (that took 85 s and a 1.5 GB answer), and nothing written."""
    from api.app import MAX_JSON_ARRAY

    h = {**env.headers("operator1"), "Content-Type": "application/json"}
    c = env.client()
    before = project_count(env)
    bodies = {
        "invalid codes": ("/api/v1/projects", {**good_project(env), "industries": ["zzz"] * 1_600_000}),
        "valid codes": ("/api/v1/projects", {**good_project(env), "industries": ["iot"] * 1_600_000}),
        "integers": (f"/api/v1/spaces/{env.ids['space1']}/allocations", {"project_ids": [-1] * 3_000_000}),
    }
    for name, (path, body) in bodies.items():
        data = json.dumps(body, separators=(",", ":")).encode()
        assert 9_000_000 < len(data) <= env.app.config["MAX_CONTENT_LENGTH"], (name, len(data))
        r = c.post(path, data=data, headers=h)
        assert r.status_code == 413 and r.content_type == "application/problem+json", (name, r.status_code)
        assert f"at most {MAX_JSON_ARRAY} are accepted" in r.json["detail"], (name, r.json)
        assert len(r.data) < 64 * 1024, (name, len(r.data))
    assert project_count(env) == before


def test_lists_as_long_as_a_request_needs_pass_and_longer_ones_are_refused(env: ApiEnv) -> None:
    from api.app import MAX_JSON_ARRAY, MAX_JSON_VALUES

    path = f"/api/v1/spaces/{env.ids['space1']}/allocations"
    # the longest legitimate lists: 20,000 project ids and 20,000 candidate ids (repeats are allowed)
    ok = env.call("operator1", "post", path, json={"project_ids": [env.ids["project1"], env.ids["project1b"]] * 10_000,
                                                   "candidate_ids": [env.ids["mentor"]] * 20_000})
    assert ok.status_code == 200, ok.json
    assert {pair["candidate_id"] for pair in ok.json["pairs"]} == {env.ids["mentor"]}
    too_long = env.call("operator1", "post", path, json={"project_ids": [env.ids["project1"]] * (MAX_JSON_ARRAY + 1)})
    assert too_long.status_code == 413 and too_long.content_type == "application/problem+json"
    assert f"has {MAX_JSON_ARRAY + 1} items; at most {MAX_JSON_ARRAY}" in too_long.json["detail"]
    # every list short enough, but too many values in all
    many = env.call("operator1", "post", "/api/v1/projects",
                    json={**good_project(env), **{f"list{i}": [1] * 40_000 for i in range(3)}})
    assert many.status_code == 413 and f"more than {MAX_JSON_VALUES} values" in many.json["detail"]


def test_only_bodies_that_may_break_a_limit_are_parsed_before_the_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    import api.app as app_module
    from api.app import MAX_JSON_ARRAY, json_body_problem

    largest = json.dumps({"project_ids": list(range(1, 20_001)), "candidate_ids": list(range(1, 20_001))}).encode()
    too_long = json.dumps({"project_ids": [1] * (MAX_JSON_ARRAY + 1)}).encode()
    assert json_body_problem(too_long) == (413, f"an array in the request body has {MAX_JSON_ARRAY + 1} items; "
                                                f"at most {MAX_JSON_ARRAY} are accepted")

    def parse(_: bytes) -> None:
        raise AssertionError("parsed twice")

    monkeypatch.setattr(app_module.json, "loads", parse)
    assert json_body_problem(largest) is None  # three byte counts say no array or total can be too long


def test_a_validation_problem_lists_at_most_50_errors_and_a_list_too_long_is_one_error(env: ApiEnv) -> None:
    from api.app import MAX_LISTED_ERRORS
    from matcher.config import WEIGHT_NAMES

    unknown = {f"x{i}": i for i in range(120)}
    r = env.call("operator1", "post", "/api/v1/projects", json={**good_project(env), **unknown})
    assert r.status_code == 422 and r.content_type == "application/problem+json"
    assert len(r.json["errors"]) == MAX_LISTED_ERRORS == 50
    assert r.json["errors_omitted"] == 70 and "120 errors" in r.json["detail"]
    assert all(e["message"] == "Unknown field." for e in r.json["errors"])
    # a list (or weights object) longer than its field allows: its length is the one error, not each item
    codes = env.call("operator1", "post", "/api/v1/projects", json={**good_project(env), "industries": ["zzz"] * 1000})
    assert codes.status_code == 422
    assert [e["field"] for e in codes.json["errors"]] == ["industries"], codes.json["errors"][:3]
    weights = env.call("operator1", "put", f"/api/v1/spaces/{env.ids['space1']}/weights/mentor",
                       json={"weights": {f"w{i}": 1 for i in range(1000)}})
    assert weights.status_code == 422
    assert weights.json["errors"] == [{"location": "json", "field": "weights",
                                       "message": f"at most {len(WEIGHT_NAMES)} weights: one per weight name"}]


def test_multipart_and_chunked_bodies_to_the_json_api_are_415(env: ApiEnv) -> None:
    import io

    pid = env.ids["project1"]
    h = env.headers("operator1")
    c = env.client()
    before = c.get(f"/api/v1/projects/{pid}", headers=h).json["one_liner"]
    as_multipart = c.patch(f"/api/v1/projects/{pid}", data={"one_liner": "changed"}, headers=h,
                           content_type="multipart/form-data")
    chunked = {"wsgi.input_terminated": True}  # what a server that reads chunked bodies sets
    as_chunked_text = c.patch(f"/api/v1/projects/{pid}", input_stream=io.BytesIO(b'{"one_liner": "changed"}'),
                              headers={**h, "Content-Type": "text/plain", "Transfer-Encoding": "chunked"},
                              environ_overrides=chunked)
    as_chunked_untyped = c.patch(f"/api/v1/projects/{pid}", input_stream=io.BytesIO(b'{"one_liner": "changed"}'),
                                 headers={**h, "Transfer-Encoding": "chunked"}, environ_overrides=chunked)
    assert as_multipart.request.mimetype == "multipart/form-data"
    assert as_chunked_text.request.content_length is None and as_chunked_untyped.request.content_length is None
    for r in (as_multipart, as_chunked_text, as_chunked_untyped):
        assert r.status_code == 415 and r.content_type == "application/problem+json", (r.status_code, r.request.headers)
    assert c.get(f"/api/v1/projects/{pid}", headers=h).json["one_liner"] == before
    # the import reads a multipart form: refused for what it holds (no file), not for being a form
    imported = c.post(f"/api/v1/spaces/{env.ids['space1']}/import", data={"kind": "project"}, headers=h,
                      content_type="multipart/form-data")
    assert imported.status_code == 422 and "file" in {e["field"] for e in imported.json["errors"]}


def test_a_post_without_a_body_is_not_refused_for_its_content_type(env: ApiEnv) -> None:
    """Clients such as `curl -d ''` or Java's HttpURLConnection label a body-less POST as a form: an action
    without a body (ending an introduction, revoking a key) reaches its handler whatever type it names."""
    c = env.client()
    h = env.headers("operator1")
    for content_type in ("application/x-www-form-urlencoded", "text/plain"):
        r = c.post("/api/v1/intros/999999/end", headers={**h, "Content-Type": content_type}, data=b"")
        assert r.status_code == 404, (content_type, r.status_code, r.json)  # the handler's answer: no such intro
    # with a body, the same type is still refused
    r = c.post("/api/v1/intros/999999/end", headers={**h, "Content-Type": "text/plain"}, data=b"x")
    assert r.status_code == 415
