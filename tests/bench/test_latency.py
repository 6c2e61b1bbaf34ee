"""``bench.latency`` pays what a served list pays (a learned model, the exposure refresh) and keeps the
two-stage retrieval exact (keyword encoder: no model weights needed)."""

from __future__ import annotations

import numpy as np

from bench.common import build_population
from bench.latency import run, simulated_model
from matcher import WeightSet
from matcher.learning import features_matrix


def test_latency_run_with_a_learned_model_keeps_retrieval_exact() -> None:
    out = run(400, queries=30, recall_queries=15, encoder="keyword")
    assert out["learned_model"] is True and out["exposure_refresh"] is True
    assert out["recall@100"] == 1.0 and out["recall_queries"] == 15
    assert 0 < out["rank_p50_ms"] <= out["rank_p99_ms"]  # type: ignore[operator]


def test_the_simulated_model_learns_the_hidden_rule() -> None:
    pop = build_population(kind="mentor", candidates=300, projects=200, seed=3, encoder="keyword")
    model = simulated_model(pop.matcher, "mentor", WeightSet.default("mentor"), pop.project_ids, seed=3)
    r = pop.matcher.rank(kind="mentor", query_id=int(pop.project_ids[0]), weights=WeightSet.default("mentor"),
                         k=50, explain=False)
    cov = np.array([m.features["needs_coverage"] for m in r.matches])
    p = model.predict(features_matrix([m.features for m in r.matches]))
    assert np.corrcoef(cov, p)[0, 1] > 0.3  # more of the needs covered: a better predicted outcome
