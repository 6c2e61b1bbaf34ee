"""Where does the learned ranking lose against the simulator's oracle? Run after ``huoban simulate``.

    huoban simulate --rounds 5 --seed 7 --json > sim.json
    python -m bench.learned_gap --work-dir "$(jq -r .setup.work_dir sim.json)" [--projects 300] [--json]

Rebuilds the matcher over the simulation's database (embeddings come from the shared cache in ``--var``),
loads the serving model and, for a sample of projects and every candidate kind, ranks *all* candidates
(no capacity, no exposure control, no exploration: only the scoring is compared) by

* ``weights``: the operator weights alone;
* ``trees``: the learned model without track records;
* ``served``: weights + learned model with track records (what serving does);
* ``trees_true_quality``: the trees plus the *true* hidden quality (how good the track records could get);

and reports each as a share of the oracle's top-5 acceptance, plus how well the learned track records
correlate with the hidden candidate quality. Together with ``bench.oracle_ceiling`` it tells whether a gap
comes from learning quality (track records) or structure (the trees over the named features).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from api.engine import EngineSettings, MatchEngine
from api.simulation import KINDS, accept_probability
from matcher import CachedEncoder, SqliteEmbeddingCache, WeightSet, build_encoder
from matcher.config import DEFAULT_ENCODER, FEATURES
from models.db import make_engine, make_session_factory
from seed_data.loader import load_ground_truth
from seed_data.truth import QUALITY_WEIGHT

BETA = 1.6  # the simulator's acceptance slope (api.simulation.BETA): quality moves log-odds by BETA * weight


def gap(work_dir: Path, var: Path, n_projects: int, seed: int = 0, encoder: str = DEFAULT_ENCODER) -> dict[str, Any]:
    db = make_engine(f"sqlite:///{work_dir / 'simulation.db'}")
    factory = make_session_factory(db)
    with factory() as session:
        truth = load_ground_truth(session)
    engine = MatchEngine(EngineSettings(var_dir=work_dir / "var", encoder=encoder))
    engine._encoder = CachedEncoder(build_encoder(encoder), SqliteEmbeddingCache(var / "embeddings.sqlite"))
    engine.build(factory, save=False)
    with factory() as session:
        engine.sync_model(session)
    db.dispose()
    state = engine.state
    rng = np.random.default_rng(seed)
    all_projects = state.tables["project"].cols["ids"]
    sample = rng.choice(all_projects, min(n_projects, len(all_projects)), replace=False)
    now = dt.datetime.now(dt.UTC)
    out: dict[str, Any] = {"work_dir": str(work_dir), "projects": len(sample), "kinds": {}}
    for kind in KINDS:
        model = state.learned.get(kind)
        weights = WeightSet.default(kind)
        w = np.asarray(weights.vector(), dtype=np.float64)
        w_l = float(weights.weights.get("learned", 0.0))
        traits = truth.traits[kind]
        top5: dict[str, list[float]] = {}
        for pid in sample:
            ranking = state.matcher.rank(kind=kind, query_id=int(pid), weights=weights, k=len(state.tables[kind]),
                                         exhaustive=True, explain=False, now=now)
            ids = np.array([m.id for m in ranking.matches], dtype=np.int64)
            if len(ids) < 10:
                continue
            X = np.array([[m.features[name] for name in FEATURES] for m in ranking.matches])
            p = accept_probability(truth.affinity(kind, np.array([pid]), ids)[0])
            quality = traits.take(ids).arrays["quality"].astype(np.float64)
            base = X @ w
            raw = model.raw(X) if model is not None else np.zeros(len(ids))
            records = model.effects.lookup(ids) if model is not None else np.zeros(len(ids))
            scores = {
                "oracle": p, "weights": base, "trees": base + w_l / (1.0 + np.exp(-raw)),
                "served": base + w_l / (1.0 + np.exp(-(raw + records))),
                "trees_true_quality": base + w_l / (1.0 + np.exp(-(raw + BETA * QUALITY_WEIGHT * quality))),
            }
            for name, score in scores.items():
                top5.setdefault(name, []).append(float(p[np.argsort(-score, kind="stable")[:5]].mean()))
        oracle = float(np.mean(top5["oracle"]))
        result: dict[str, Any] = {"oracle_acceptance_at5": round(oracle, 4),
                                  "share_of_oracle": {k: round(float(np.mean(v)) / oracle, 3)
                                                      for k, v in top5.items() if k != "oracle"}}
        if model is not None and len(model.effects.ids) > 2:
            q = traits.take(model.effects.ids).arrays["quality"].astype(np.float64)
            corr = float(np.corrcoef(q, model.effects.logit)[0, 1])
            result["track_records"] = {"candidates": len(model.effects.ids), "of": len(traits),
                                       "tau": round(model.effects.tau, 3), "corr_with_hidden_quality": round(corr, 3)}
        out["kinds"][kind] = result
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work-dir", type=Path, required=True, help="setup.work_dir of a simulate run")
    parser.add_argument("--var", type=Path, default=Path(os.environ.get("HUOBAN_VAR_DIR", "var")))
    parser.add_argument("--projects", type=int, default=300)
    parser.add_argument("--encoder", default=DEFAULT_ENCODER, help="the simulation's (default: %(default)s)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not (args.work_dir / "simulation.db").is_file():
        parser.error(f"{args.work_dir} holds no simulation.db (pass setup.work_dir of a simulate run)")
    result = gap(args.work_dir, args.var, args.projects, encoder=args.encoder)
    if args.json:
        print(json.dumps(result))
    else:
        for kind, r in result["kinds"].items():
            shares = ", ".join(f"{k} {v:.0%}" for k, v in r["share_of_oracle"].items())
            print(f"{kind}: {shares}; track records {r.get('track_records')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
