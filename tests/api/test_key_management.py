"""Operators manage their space's keys and users through the API and the console: create (shown once),
rotate, revoke, deactivate, reset a password - each effective on the next request, audited, and confined to
their own space (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

from sqlalchemy import select

from models import ApiKey, AuditLog, Mentor, User
from tests.api.conftest import ApiEnv, console_operator


def _as(env: ApiEnv, key: str, method: str, path: str, **kw):  # type: ignore[no-untyped-def]
    return getattr(env.client(), method)(path, headers={"Authorization": f"Bearer {key}"}, **kw)


def _audit(env: ApiEnv, action: str) -> list[str]:
    from api.extensions import db

    with env.app.app_context(), db.factory() as session:
        return list(session.scalars(select(AuditLog.object_id).where(AuditLog.action == action)))


def test_an_operator_creates_rotates_and_revokes_keys_of_its_space(env: ApiEnv) -> None:
    sid, pid = env.ids["space1"], env.ids["project1b"]
    r = env.call("operator1", "post", f"/api/v1/spaces/{sid}/keys",
                 json={"role": "founder", "profile_id": pid, "name": "前台电脑", "expires_in_days": 30})
    assert r.status_code == 201, r.json
    key, item = r.json["key"], r.json["item"]
    assert key.startswith("hb_") and item["state"] == "active" and item["profile"] == f"project:{pid}"
    assert item["expires_at"] is not None and item["name"] == "前台电脑"
    assert _as(env, key, "get", f"/api/v1/projects/{pid}").status_code == 200  # the key works at once
    listed = env.call("operator1", "get", f"/api/v1/spaces/{sid}/keys")
    assert listed.status_code == 200
    assert item["id"] in [k["id"] for k in listed.json["items"]]
    body = listed.get_data(as_text=True)
    assert key not in body and key.split("_", 2)[2] not in body  # never the key again, only its prefix
    assert str(item["id"]) in _audit(env, "key.create")

    rotated = env.call("operator1", "post", f"/api/v1/spaces/{sid}/keys/{item['id']}/rotate", json={})
    assert rotated.status_code == 201, rotated.json
    new = rotated.json["key"]
    assert new != key
    assert _as(env, key, "get", f"/api/v1/projects/{pid}").status_code == 401  # the old one stopped
    assert _as(env, new, "get", f"/api/v1/projects/{pid}").status_code == 200
    assert env.call("operator1", "post", f"/api/v1/spaces/{sid}/keys/{item['id']}/rotate",
                    json={}).status_code == 409  # a revoked key cannot be rotated
    new_id = rotated.json["item"]["id"]
    revoked = env.call("operator1", "post", f"/api/v1/spaces/{sid}/keys/{new_id}/revoke")
    assert revoked.status_code == 200 and revoked.json["state"] == "revoked"
    assert _as(env, new, "get", f"/api/v1/projects/{pid}").status_code == 401
    assert str(new_id) in _audit(env, "key.revoke") and str(item["id"]) in _audit(env, "key.rotate")
    every = env.call("operator1", "get", f"/api/v1/spaces/{sid}/keys?all=true").json["items"]
    assert {k["id"]: k["state"] for k in every}[item["id"]] == "revoked"
    assert new_id not in [k["id"] for k in env.call("operator1", "get", f"/api/v1/spaces/{sid}/keys").json["items"]]


def test_key_management_stays_inside_the_operators_space(env: ApiEnv) -> None:
    from api.extensions import db

    s1, s2 = env.ids["space1"], env.ids["space2"]
    # another space's keys, users and profiles look missing
    assert env.call("operator2", "get", f"/api/v1/spaces/{s1}/keys").status_code == 404
    assert env.call("operator1", "post", f"/api/v1/spaces/{s1}/keys",
                    json={"role": "founder", "profile_id": env.ids["project2"]}).status_code == 404
    with env.app.app_context(), db.factory() as session:
        other_key = session.scalars(select(ApiKey.id).join(User, ApiKey.user_id == User.id)
                                    .where(User.space_id == s2)).first()
        other_user = session.scalars(select(User.id).where(User.space_id == s2)).first()
        network_mentor = session.scalars(select(Mentor.id).where(Mentor.space_id.is_(None))).first()
    assert other_key is not None and other_user is not None
    assert env.call("operator1", "post", f"/api/v1/spaces/{s1}/keys/{other_key}/revoke").status_code == 404
    assert env.call("operator1", "post", f"/api/v1/spaces/{s1}/keys/{other_key}/rotate", json={}).status_code == 404
    assert env.call("operator1", "post", f"/api/v1/spaces/{s2}/keys/{other_key}/revoke").status_code == 404
    assert env.call("operator1", "post", f"/api/v1/spaces/{s1}/users/{other_user}/deactivate").status_code == 404
    # network-wide profiles and admin keys are an admin's
    r = env.call("operator1", "post", f"/api/v1/spaces/{s1}/keys",
                 json={"role": "mentor", "profile_id": network_mentor})
    assert r.status_code == 403 and "network-wide" in r.json["detail"]
    r = env.call("operator1", "post", f"/api/v1/spaces/{s1}/keys", json={"role": "admin"})
    assert r.status_code == 422
    # other roles see nothing of it
    for who in ("founder1", "mentor", "investor"):
        assert env.call(who, "get", f"/api/v1/spaces/{s1}/keys").status_code in (403, 404)
        assert env.call(who, "post", f"/api/v1/spaces/{s1}/keys", json={"role": "operator"}).status_code in (403, 404)
    # malformed requests are 422s that write nothing
    before = len(env.call("operator1", "get", f"/api/v1/spaces/{s1}/keys?all=true").json["items"])
    for body in ({"role": "founder"}, {"role": "operator", "profile_id": env.ids["project1"]},
                 {"role": "founder", "profile_id": "abc"}, {"role": "founder", "profile_id": env.ids["project1"],
                                                           "expires_in_days": 0}, {"role": "operator", "bogus": 1}):
        assert env.call("operator1", "post", f"/api/v1/spaces/{s1}/keys", json=body).status_code == 422, body
    assert len(env.call("operator1", "get", f"/api/v1/spaces/{s1}/keys?all=true").json["items"]) == before
    # an admin manages any space
    assert env.call("admin", "get", f"/api/v1/spaces/{s2}/keys").status_code == 200


def test_an_operator_key_gets_a_user_of_its_own(env: ApiEnv) -> None:
    sid = env.ids["space1"]
    me = env.call("operator1", "get", "/api/v1/me").json["user_id"]
    made = [env.call("operator1", "post", f"/api/v1/spaces/{sid}/keys", json={"role": "operator", "name": name})
            for name in ("新同事甲", "新同事乙")]
    assert all(r.status_code == 201 for r in made)
    users = {r.json["item"]["user_id"] for r in made}
    assert len(users) == 2 and me not in users  # never someone else's account
    # revoking one colleague's access leaves everyone else's
    assert env.call("operator1", "post", f"/api/v1/spaces/{sid}/users/{made[0].json['item']['user_id']}/deactivate"
                    ).status_code == 200
    assert _as(env, made[1].json["key"], "get", f"/api/v1/spaces/{sid}/keys").status_code == 200
    assert env.call("operator1", "get", f"/api/v1/spaces/{sid}/keys").status_code == 200


def test_users_of_network_wide_profiles_stay_with_admins(env: ApiEnv) -> None:
    """A user of the space linked to a network-wide profile (an admin made it, or an admin moved the profile
    out of the space) cannot be rotated, reset or deactivated by the space's operators."""
    from api.accounts import ProfileRef, create_api_key
    from api.extensions import db

    sid = env.ids["space1"]
    with env.app.app_context(), db.factory() as session, session.begin():
        network = session.scalars(select(Mentor.id).where(Mentor.space_id.is_(None), Mentor.archived_at.is_(None))
                                  .order_by(Mentor.id.desc())).first()
        create_api_key(session, role="mentor", space_id=sid, profile=ProfileRef("mentor", network))
        user = session.scalars(select(User).where(User.profile_kind == "mentor", User.profile_id == network,
                                                  User.space_id == sid)).one()
        key_id = session.scalars(select(ApiKey.id).where(ApiKey.user_id == user.id)).first()
        user_id = user.id
    assert env.call("operator1", "post", f"/api/v1/spaces/{sid}/keys/{key_id}/rotate", json={}).status_code == 404
    assert env.call("operator1", "post", f"/api/v1/spaces/{sid}/keys/{key_id}/revoke").status_code == 404
    assert env.call("operator1", "post", f"/api/v1/spaces/{sid}/users/{user_id}/deactivate").status_code == 404
    assert key_id not in [k["id"] for k in env.call("operator1", "get",
                                                    f"/api/v1/spaces/{sid}/keys?all=true").json["items"]]
    # a private mentor the operator gave a key, moved network-wide by an admin: its users leave the space
    made = env.call("operator1", "post", "/api/v1/mentors", json=_mentor(sid))
    assert made.status_code == 201, made.json
    mid = made.json["id"]
    key = env.call("operator1", "post", f"/api/v1/spaces/{sid}/keys", json={"role": "mentor", "profile_id": mid})
    assert key.status_code == 201
    moved = env.call("admin", "patch", f"/api/v1/mentors/{mid}", json={"space_id": None})
    assert moved.status_code == 200, moved.json
    assert env.call("operator1", "post", f"/api/v1/spaces/{sid}/keys/{key.json['item']['id']}/rotate",
                    json={}).status_code == 404


def _mentor(space_id: int) -> dict:  # type: ignore[type-arg]
    return {"space_id": space_id, "name": "本空间导师", "mentor_type": "entrepreneur", "expertise": "人工智能",
            "offer": "产品与增长", "serves": ["strategy"], "stages": ["seed"], "city": "北京"}


def test_deactivation_and_password_reset_take_effect_on_the_next_request(env: ApiEnv) -> None:
    from api.extensions import db
    from api.security import verify_secret

    sid, pid = env.ids["space1"], env.ids["project1b"]
    made = env.call("operator1", "post", f"/api/v1/spaces/{sid}/keys",
                    json={"role": "founder", "profile_id": pid, "name": "临时"})
    assert made.status_code == 201
    key, user_id = made.json["key"], made.json["item"]["user_id"]
    assert _as(env, key, "get", f"/api/v1/projects/{pid}").status_code == 200
    off = env.call("operator1", "post", f"/api/v1/spaces/{sid}/users/{user_id}/deactivate")
    assert off.status_code == 200 and off.json["active"] is False
    assert _as(env, key, "get", f"/api/v1/projects/{pid}").status_code == 401
    users = env.call("operator1", "get", f"/api/v1/spaces/{sid}/users").json["items"]
    assert {u["id"]: u["active"] for u in users}[user_id] is False
    assert env.call("operator1", "post", f"/api/v1/spaces/{sid}/users/{user_id}/reactivate").json["active"] is True
    assert _as(env, key, "get", f"/api/v1/projects/{pid}").status_code == 200
    # nobody locks themselves out
    me = env.call("operator1", "get", "/api/v1/me").json
    assert env.call("operator1", "post", f"/api/v1/spaces/{sid}/users/{me['user_id']}/deactivate").status_code == 409
    assert env.call("operator1", "get", f"/api/v1/spaces/{sid}/keys").status_code == 200
    assert str(user_id) in _audit(env, "user.deactivate") and str(user_id) in _audit(env, "user.activate")
    # a password reset: a user without an email cannot sign in anyway; one with an email gets a new password
    assert env.call("operator1", "post", f"/api/v1/spaces/{sid}/users/{user_id}/password-reset").status_code == 409
    console_operator(env, sid, "reset-me@example.com")
    with env.app.app_context(), db.factory() as session:
        target = session.scalars(select(User.id).where(User.email == "reset-me@example.com")).one()
    reset = env.call("operator1", "post", f"/api/v1/spaces/{sid}/users/{target}/password-reset")
    assert reset.status_code == 200
    password = reset.json["password"]
    with env.app.app_context(), db.factory() as session:
        stored = session.get(User, target).password_hash
    assert stored and verify_secret(password, stored) and password not in stored


def test_the_console_manages_keys_and_users(env: ApiEnv) -> None:
    sid, pid = env.ids["space1"], env.ids["project1b"]
    client = console_operator(env, sid, "keys-console@example.com")
    page = client.get("/console/space/access")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    r = client.post("/console/space/access/keys", data={"role": "founder", "profile_id": str(pid),
                                                        "name": "console", "csrf_token": token})
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    shown = r.get_data(as_text=True)
    key = re.search(r'<code class="secret">(hb_[^<]+)</code>', shown).group(1)  # type: ignore[union-attr]
    assert _as(env, key, "get", f"/api/v1/projects/{pid}").status_code == 200
    assert key not in client.get("/console/space/access").get_data(as_text=True)  # shown once
    cookie = r.headers.get("Set-Cookie", "")
    assert key.split("_", 2)[2] not in cookie  # and never kept in the session cookie
    key_id = re.search(r'data-key="(\d+)"', shown).group(1)  # type: ignore[union-attr]
    assert client.post(f"/console/space/access/keys/{key_id}/revoke", data={"csrf_token": token}).status_code == 302
    assert _as(env, key, "get", f"/api/v1/projects/{pid}").status_code == 401
    # bad input is a message, not a 500; another space's key is a 404 page; no CSRF token, no change
    for raw in ("１２", "9" * 5000, "-3", "abc"):
        bad = client.post("/console/space/access/keys", data={"role": "founder", "profile_id": raw,
                                                              "csrf_token": token})
        assert bad.status_code == 302, raw
    assert client.post("/console/space/access/keys/999999/revoke", data={"csrf_token": token}).status_code == 404
    # the services' problems read in the console's language, with their detail
    with env.app.app_context():
        from api.extensions import db

        with db.factory() as session:
            network = session.scalars(select(Mentor.id).where(Mentor.space_id.is_(None))).first()
    refused = client.post("/console/space/access/keys", data={"role": "mentor", "profile_id": str(network),
                                                              "csrf_token": token})
    assert refused.status_code == 403
    assert "全网档案的密钥由管理员发放" in refused.get_data(as_text=True)
    refused = client.post("/console/space/access/keys?lang=en", data={"role": "mentor", "profile_id": str(network),
                                                                       "csrf_token": token})
    assert "Keys of network-wide profiles come from an admin" in refused.get_data(as_text=True)
    assert client.post(f"/console/space/access/keys/{key_id}/rotate", data={}).status_code == 400
