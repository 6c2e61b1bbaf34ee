"""What does spreading mentor exposure cost the best knowable ranking? (issue 18: ceiling share against Gini)

    python -m bench.exposure_frontier [--seed 7] [--scale N] [--encoder NAME] [--json]

Seeds the demo ecosystem into a temporary SQLite file, builds the matcher (the cached embeddings of ``var/``
are reused), and for every project ranks its eligible mentors (round 1 of ``huoban simulate``: a fresh pool)
four ways, reporting each ranking's top-5 acceptance (the simulator's ``accept_probability`` of the true
affinity) and the Gini of mentor exposure over the active mentors, counted as top-10 appearances and as
attention (each appearance weighted by 1/position, the simulator's examination):

- ``weights``: the operator weights alone (the goal's yardstick: "exposure Gini no worse than weights-only");
- ``ceiling``: by the knowable affinity (``GroundTruth.visible_affinity``), as ``huoban simulate``'s ceiling;
- ``ceiling_spread_tail``: the ceiling's top 5, places 6-10 given to the least shown of its next
  ``--tail-pool`` + 5 (projects in turn, counts carried over), as the served lists spread theirs
  (``MatcherConfig.exposure_tail_*``); its acceptance@5 is the ceiling's by construction;
- ``ceiling_capped``: a greedy assignment by knowable affinity in which no mentor joins more than ``cap``
  lists, for caps from the fewest that can fill every list upwards: the acceptance the ceiling keeps at each
  level of exposure (a frontier; greedy, so a lower bound on what a cap allows).

Measured with seed 7 (twenty-sixth session, README "The learning loop"): the weights' Gini 0.508 (attention
0.535) at acceptance@5 0.407, the ceiling's 0.765 (0.810) at 0.704; its spread tail 0.586 (0.729) at 0.704; capped
at 54 / 68 lists a mentor 0.472 / 0.553 (0.586 / 0.644) at 0.619 / 0.638.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select

from api.simulation import accept_probability
from matcher import MatcherConfig, WeightSet
from matcher.metrics import gini
from matcher.ranking import _spread_tail
from models import Project
from models.db import make_engine, make_session_factory, session_scope, upgrade
from seed_data import SeedPlan
from seed_data.loader import load_ground_truth, seed

K, AT = 10, 5  # list length; acceptance is measured over the top AT
CAP_FACTORS = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0)


def _score(lists: dict[int, list[int]], gain: dict[int, dict[int, float]], active: list[int]) -> dict[str, float]:
    """Top-5 acceptance and the two exposure Ginis of one ranking (lists per project, best first)."""
    shown: dict[int, float] = {}
    looked: dict[int, float] = {}
    for ids in lists.values():
        for pos, c in enumerate(ids, start=1):
            shown[c] = shown.get(c, 0.0) + 1.0
            looked[c] = looked.get(c, 0.0) + 1.0 / pos
    acc = float(np.mean([np.mean([gain[pid][c] for c in ids[:AT]]) for pid, ids in lists.items()]))
    return {"acceptance_at5": round(acc, 4), "gini": round(gini([shown.get(m, 0.0) for m in active]), 4),
            "gini_examined": round(gini([looked.get(m, 0.0) for m in active]), 4)}


def spread_tail(order: dict[int, list[int]], pool: int) -> dict[int, list[int]]:
    """Each list spread as a served list is (``matcher.ranking._spread_tail``, from the default
    ``MatcherConfig.exposure_tail_from``), with ``pool`` as ``exposure_tail_pool`` and how often each mentor was
    shown so far as its impressions: projects in turn, counts carried over."""
    head = MatcherConfig().exposure_tail_from
    counts: dict[int, int] = {}
    out: dict[int, list[int]] = {}
    for pid, ids in order.items():
        window = np.asarray(ids[:K + pool], dtype=np.int64)
        shows = np.array([counts.get(int(c), 0) for c in window], dtype=np.float64)
        out[pid] = [int(c) for c in _spread_tail(window, K, head, pool, shows)[:K]]
        for c in out[pid]:
            counts[c] = counts.get(c, 0) + 1
    return out


def capped(knowable: dict[int, dict[int, float]], cap: int) -> dict[int, list[int]] | None:
    """Greedy by knowable affinity over every (project, mentor) pair, no mentor in more than ``cap`` lists; each
    list then ordered by knowable affinity. None when some list cannot be filled."""
    pairs = sorted(((-v, pid, c) for pid, row in knowable.items() for c, v in row.items()))
    used: dict[int, int] = {}
    lists: dict[int, list[int]] = {pid: [] for pid in knowable}
    for _, pid, c in pairs:
        if len(lists[pid]) < K and used.get(c, 0) < cap:
            lists[pid].append(c)
            used[c] = used.get(c, 0) + 1
    if any(len(ids) < K for ids in lists.values()):
        return None
    return {pid: sorted(ids, key=lambda c: -knowable[pid][c]) for pid, ids in lists.items()}


def frontier(seed_value: int = 7, scale: int | None = None, encoder: str | None = None,
             tail_pool: int = MatcherConfig().exposure_tail_pool,
             var_dir: Path | None = Path("var")) -> dict[str, Any]:
    from api.cli import engine_settings
    from api.engine import EngineSettings, MatchEngine
    from matcher import CachedEncoder, SqliteEmbeddingCache, build_encoder

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'frontier.db'}"
        upgrade(url)
        db = make_engine(url)
        factory = make_session_factory(db)
        with session_scope(factory) as session:
            seed(session, SeedPlan.for_scale(scale, seed_value))
            truth = load_ground_truth(session)
            stated = {int(i): r is not None for i, r in session.execute(select(Project.id, Project.round_sought))}
        name = engine_settings(None, encoder).encoder
        engine = MatchEngine(EngineSettings(var_dir=Path(tmp) / "var", encoder=name))
        if var_dir is not None:  # share the embedding cache (unchanged texts are never re-encoded)
            engine._encoder = CachedEncoder(build_encoder(name),
                                            SqliteEmbeddingCache(Path(var_dir) / "embeddings.sqlite"))
        engine.build(factory, save=False)
        db.dispose()
    state = engine.state
    table = state.tables["mentor"]
    active = [int(i) for i, on in zip(table.cols["ids"], table.cols["active"], strict=True) if on]
    weights = WeightSet.default("mentor")
    gain: dict[int, dict[int, float]] = {}
    knowable: dict[int, dict[int, float]] = {}
    by_weights: dict[int, list[int]] = {}
    for pid in (int(i) for i in state.tables["project"].cols["ids"]):
        full = state.matcher.rank(kind="mentor", query_id=pid, weights=weights, k=len(table), exhaustive=True,
                                  explain=False)
        eligible = np.array([m.id for m in full.matches], dtype=np.int64)
        if len(eligible) < K:
            continue
        p_acc = accept_probability(truth.affinity("mentor", np.array([pid]), eligible)[0])
        known = truth.visible_affinity("mentor", np.array([pid]), eligible, np.array([stated[pid]]))[0]
        gain[pid] = dict(zip(eligible.tolist(), p_acc.tolist(), strict=True))
        knowable[pid] = dict(zip(eligible.tolist(), known.tolist(), strict=True))
        by_weights[pid] = [m.id for m in full.matches[:K]]
    ceiling = {pid: sorted(row, key=lambda c: -row[c]) for pid, row in knowable.items()}
    least = -(-K * len(knowable) // max(len(active), 1))  # the fewest lists a mentor must join to fill them all
    caps: dict[str, Any] = {}
    for factor in CAP_FACTORS:
        cap = max(1, round(least * factor))
        lists = capped(knowable, cap)
        if lists is not None and str(cap) not in caps:
            caps[str(cap)] = _score(lists, gain, active)
    return {
        "seed": seed_value, "projects": len(knowable), "active_mentors": len(active), "encoder": engine.encoder.id,
        "weights": _score(by_weights, gain, active),
        "ceiling": _score({pid: ids[:K] for pid, ids in ceiling.items()}, gain, active),
        "ceiling_spread_tail": _score(spread_tail(ceiling, tail_pool), gain, active),
        "ceiling_capped": caps,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=int, default=None, help="projects (default: the demo's 1,000)")
    parser.add_argument("--encoder", default=None, help="default: HUOBAN_ENCODER or the service's default")
    parser.add_argument("--tail-pool", type=int, default=MatcherConfig().exposure_tail_pool)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = frontier(args.seed, args.scale, args.encoder, args.tail_pool)
    if args.json:
        print(json.dumps(result))
    else:
        for name in ("weights", "ceiling", "ceiling_spread_tail"):
            print(f"{name}: {result[name]}")
        for cap, r in result["ceiling_capped"].items():
            print(f"ceiling, at most {cap} lists a mentor: {r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
