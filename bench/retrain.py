"""One retrain over a million outcome events, end to end.

    python -m bench.retrain --events 1000000 [--json]

A temporary SQLite database is seeded (small ecosystem), then filled with synthetic served lists
(impressions with their 13 features, positions and propensities, spread over the three candidate kinds and
deal flow) and ``--events`` outcome events (viewed, dismissed, requested, accepted, declined, met, rating,
invested) whose odds follow a hidden rule of the features. Generating that data is not timed. Timed:
``api.training.retrain`` exactly as ``huoban retrain`` runs it - reading the logs, crediting outcomes to
impressions, labels, the time split, one model per kind, evaluation against the serving model, the registry.
``rows_per_s`` = outcome events / seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import insert, select

from api.training import retrain
from matcher.config import FEATURE_INDEX, FEATURES
from models import FeedbackEvent, Impression, Project
from models.db import make_engine, make_session_factory, session_scope, upgrade
from seed_data import SeedPlan
from seed_data.loader import seed

KINDS = (("mentor", "matches"), ("investor", "matches"), ("provider", "matches"), ("investor", "dealflow"))


def fill(factory: Any, events: int, seed_value: int) -> dict[str, int]:
    rng = np.random.default_rng(seed_value)
    with factory() as session:
        projects = [(p.id, p.space_id) for p in session.scalars(select(Project))]
    impressions = max(events // 3, 10)
    lists = impressions // 10
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    imp_rows: list[dict[str, Any]] = []
    X = rng.random((lists * 10, len(FEATURES))).astype(np.float32)
    logit = (2.5 * X[:, FEATURE_INDEX["needs_coverage"]] * X[:, FEATURE_INDEX["stage_fit"]]
             + 1.5 * X[:, FEATURE_INDEX["sem_need"]] + X[:, FEATURE_INDEX["acceptance"]] - 3.0)
    p_good = 1.0 / (1.0 + np.exp(-logit))
    for li in range(lists):
        kind, direction = KINDS[li % len(KINDS)]
        pid, space = projects[int(rng.integers(len(projects)))]
        t = start + dt.timedelta(seconds=li * 30)
        for pos in range(1, 11):
            i = li * 10 + pos - 1
            imp_rows.append({
                "request_id": f"r{li}", "space_id": space, "direction": direction, "project_id": pid,
                "candidate_kind": kind, "candidate_id": int(rng.integers(1, 200)), "position": pos,
                "score": float(X[i].sum()), "features": {n: float(v) for n, v in zip(FEATURES, X[i], strict=True)},
                "propensity": 1.0 if pos < 10 else 0.5, "explored": False, "created_at": t,
            })
    with factory() as session, session.begin():
        for s in range(0, len(imp_rows), 20_000):
            session.execute(insert(Impression), imp_rows[s:s + 20_000])
    with factory() as session:
        ids = session.scalars(select(Impression.id).order_by(Impression.id)).all()
    ev_rows: list[dict[str, Any]] = []
    i = 0
    while len(ev_rows) < events:
        row = imp_rows[i % len(imp_rows)]
        imp_id = ids[i % len(ids)]
        good = rng.random() < p_good[i % len(p_good)]
        chain = ["viewed", "requested", "accepted", "met", "rating"] if good else ["viewed", "dismissed"]
        if good and row["candidate_kind"] == "investor" and rng.random() < 0.3:
            chain.append("invested")
        for kind in chain:
            ev_rows.append({
                "event_id": f"e{len(ev_rows)}", "space_id": row["space_id"], "type": kind,
                "project_id": row["project_id"], "candidate_kind": row["candidate_kind"],
                "candidate_id": row["candidate_id"], "impression_id": imp_id,
                "rating": int(rng.integers(3, 6)) if kind == "rating" else None, "notes": "",
                "occurred_at": row["created_at"] + dt.timedelta(hours=1), "created_at": row["created_at"],
            })
        i += 1
    ev_rows = ev_rows[:events]
    with factory() as session, session.begin():
        for s in range(0, len(ev_rows), 20_000):
            session.execute(insert(FeedbackEvent), ev_rows[s:s + 20_000])
    return {"impressions": len(imp_rows), "events": len(ev_rows)}


def run(events: int, seed_value: int = 0) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="huoban-retrain-"))
    url = f"sqlite:///{tmp / 'retrain.db'}"
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        seed(session, SeedPlan.for_scale(200, seed=seed_value))
    t0 = time.perf_counter()
    sizes = fill(factory, events, seed_value)
    generated = time.perf_counter() - t0
    t1 = time.perf_counter()
    result = retrain(factory, tmp / "models", seed=seed_value)
    seconds = time.perf_counter() - t1
    engine.dispose()
    return {
        "events": sizes["events"], "impressions": sizes["impressions"], "seconds": round(seconds, 2),
        "rows_per_s": round(sizes["events"] / seconds, 1), "generation_seconds": round(generated, 1),
        "version": result.version_id, "status": result.status,
        "per_kind": {k: {m: round(v, 4) for m, v in (result.metrics.get(k, {}).get("candidate") or {}).items()}
                     for k in ("mentor", "investor", "provider", "dealflow")},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    out = run(args.events, args.seed)
    print(json.dumps(out, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
