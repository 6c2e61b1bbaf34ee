"""A key stored with the slow scrypt hash of older releases cannot be used to burn CPU: wrong secrets sent with
its prefix from one address stop costing a scrypt run after a few, while its owner, from another address, is
not locked out."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from api.security import generate_api_key, hash_secret
from models import ApiKey, User
from tests.api.conftest import ApiEnv


def test_wrong_secrets_for_a_legacy_key_stop_costing_scrypt(env: ApiEnv, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from api import auth

    with env.app.app_context():
        from api.extensions import db

        legacy = generate_api_key()
        with db.factory() as session, session.begin():
            user_id = session.scalars(select(User.id).where(User.role == "founder")).first()
            session.add(ApiKey(user_id=user_id, prefix=legacy.prefix, key_hash=hash_secret(legacy.key), name="legacy"))
    calls: list[int] = []
    original = hashlib.scrypt
    monkeypatch.setattr(hashlib, "scrypt", lambda *a, **k: calls.append(1) or original(*a, **k))
    clock = [1000.0]
    monkeypatch.setattr(auth.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(auth, "_legacy_failures", auth._LegacyFailures(limit=5, window=60.0))
    c = env.client()
    wrong = f"hb_{legacy.prefix}_{'z' * 43}"
    for _ in range(100):
        assert c.get("/api/v1/me", headers={"Authorization": f"Bearer {wrong}"}).status_code == 401
    assert len(calls) == 5  # the first five wrong secrets were hashed, the other 95 were not
    # within the window even the right secret is refused unhashed from the guesser's address ...
    assert c.get("/api/v1/me", headers={"Authorization": f"Bearer {legacy.key}"}).status_code == 401
    assert len(calls) == 5
    # ... but the owner, from another address, is not locked out (the key is then upgraded to SHA-256)
    owner = {"REMOTE_ADDR": "10.0.0.7"}
    assert c.get("/api/v1/me", headers={"Authorization": f"Bearer {legacy.key}"},
                 environ_overrides=owner).status_code == 200
    assert len(calls) == 6
    clock[0] += 61  # the window over: the guesser's address gets the (now SHA-256) key checked again
    assert c.get("/api/v1/me", headers={"Authorization": f"Bearer {legacy.key}"}).status_code == 200
    assert len(calls) == 6
    with env.app.app_context():
        from api.extensions import db

        with db.factory() as session:
            stored = session.scalars(select(ApiKey.key_hash).where(ApiKey.prefix == legacy.prefix)).one()
    assert stored.startswith("sha256$")
    # an upgraded key never counts failures: wrong secrets cost a SHA-256 each, and the right one still works
    for _ in range(10):
        assert c.get("/api/v1/me", headers={"Authorization": f"Bearer {wrong}"}).status_code == 401
    assert len(calls) == 6
    assert c.get("/api/v1/me", headers={"Authorization": f"Bearer {legacy.key}"}).status_code == 200
