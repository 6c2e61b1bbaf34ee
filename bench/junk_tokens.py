"""What junk bearer tokens cost the server: CPU time of 100 requests each carrying a token that is no key.

    python -m bench.junk_tokens [--requests 100] [--json]

An app on a temporary SQLite database (one space, an operator key, and a key stored with the legacy scrypt hash
of older releases) answers ``GET /api/v1/me`` through the Flask test client; the CPU time of the process is
taken around each batch of requests (after a warm-up). Batches: malformed tokens, well-formed tokens with an
unknown prefix, a real key's prefix with a wrong secret, a legacy key's prefix with wrong secrets (5 a minute
are hashed, the rest refused unhashed), and the real key for comparison. The bar (issue 15): 100 junk-token
requests cost less than 1 s of CPU together.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any


def run(requests: int = 100) -> dict[str, Any]:
    from sqlalchemy import select

    from api.accounts import create_api_key
    from api.security import generate_api_key, hash_secret
    from bench.upload_bombs import _settings, setup
    from models import ApiKey, User
    from models.db import make_engine, make_session_factory, session_scope

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        made = setup(tmp)
        settings = _settings(tmp)
        settings["RATELIMIT_ENABLED"] = False
        engine = make_engine(settings["DATABASE_URL"])
        legacy = generate_api_key()
        with session_scope(make_session_factory(engine)) as session:
            create_api_key(session, role="admin")
            user_id = session.scalars(select(User.id).order_by(User.id)).first()
            session.add(ApiKey(user_id=user_id, prefix=legacy.prefix, key_hash=hash_secret(legacy.key),
                               name="legacy"))
        engine.dispose()
        from api import create_app

        app = create_app(settings)
        client = app.test_client()
        real = made["key"]
        prefix = real.split("_")[1]
        batches = {
            "malformed": [f"junk-{i}" for i in range(requests)],
            "unknown_prefix": [f"hb_{i:012x}_{'x' * 43}" for i in range(requests)],
            "real_prefix_wrong_secret": [f"hb_{prefix}_{'y' * 42}{i % 10}" for i in range(requests)],
            "legacy_prefix_wrong_secret": [f"hb_{legacy.prefix}_{'z' * 42}{i % 10}" for i in range(requests)],
            "valid_key": [real] * requests,
        }
        for token in ("warm-up", real):
            client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        out: dict[str, Any] = {"requests_per_batch": requests}
        for name, tokens in batches.items():
            statuses: set[int] = set()
            cpu0, wall0 = time.process_time(), time.perf_counter()
            for token in tokens:
                statuses.add(client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code)
            out[name] = {"cpu_s": round(time.process_time() - cpu0, 3), "wall_s": round(time.perf_counter() - wall0, 3),
                         "statuses": sorted(statuses)}
        with app.app_context():
            from api.extensions import db

            db.engine.dispose()
        return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=100)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    result = run(args.requests)
    if args.json:
        print(json.dumps(result))
        return
    for name, v in result.items():
        if isinstance(v, dict):
            print(f"{name:28s} cpu {v['cpu_s']:.3f} s  wall {v['wall_s']:.3f} s  statuses {v['statuses']}")


if __name__ == "__main__":
    main()
