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
    assert out["vectors_stored_as"] == "float32" and out["pool_search_p99_ms"] is None


def test_a_bfloat16_pool_is_timed_against_a_float32_yardstick_and_stays_exact() -> None:
    """Beyond ``half_above`` rows the pool stores bfloat16: the yardstick is still a float32 flat search (a copy
    made after the peak memory is read), the pool's own search is timed beside it, and retrieval stays exact."""
    from matcher import MatcherConfig

    out = run(400, queries=20, recall_queries=10, encoder="keyword", config=MatcherConfig(half_above=100))
    assert out["vectors_stored_as"] == "bfloat16" and out["recall@100"] == 1.0
    assert 0 < out["pool_search_p50_ms"] <= out["pool_search_p99_ms"]  # type: ignore[operator]
    assert out["peak_rss_mb"] is not None and out["recall_check_peak_rss_mb"] is not None  # /proc was read
    assert 50 < out["peak_rss_mb"] < 4096  # type: ignore[operator]  # MiB of this process, not kB or bytes


def test_the_simulated_model_learns_the_hidden_rule() -> None:
    pop = build_population(kind="mentor", candidates=300, projects=200, seed=3, encoder="keyword")
    model = simulated_model(pop.matcher, "mentor", WeightSet.default("mentor"), pop.project_ids, seed=3)
    r = pop.matcher.rank(kind="mentor", query_id=int(pop.project_ids[0]), weights=WeightSet.default("mentor"),
                         k=50, explain=False)
    cov = np.array([m.features["needs_coverage"] for m in r.matches])
    p = model.predict(features_matrix([m.features for m in r.matches]))
    assert np.corrcoef(cov, p)[0, 1] > 0.3  # more of the needs covered: a better predicted outcome


class _Counting:
    """A learned scorer that counts the rows it is asked about (and answers as the wrapped model)."""

    def __init__(self, model):  # type: ignore[no-untyped-def]
        self.model, self.rows = model, 0

    @property
    def version(self) -> str:
        return str(self.model.version)

    def predict(self, X, ids=None):  # type: ignore[no-untyped-def]
        self.rows += len(X)
        return self.model.predict(X, ids)

    def attribute(self, X, ids=None):  # type: ignore[no-untyped-def]
        return self.model.attribute(X, ids)


def test_the_learned_model_is_asked_only_about_rows_that_can_reach_the_list() -> None:
    """Asking the learned model only about the candidates whose highest possible total reaches the list gives
    the same lists, scores, explanations and exploration draws as asking about every candidate (plain, with
    diversity, with exploration), with fewer rows scored."""
    import dataclasses

    from matcher.ranking import Exploration, Matcher

    pop = build_population(kind="mentor", candidates=1500, projects=150, seed=5, encoder="keyword")
    m = pop.matcher
    model = simulated_model(m, "mentor", WeightSet.default("mentor"), pop.project_ids, seed=5, lists=120)
    assert model._booster is not None  # the trees are evaluated by LightGBM
    full = Matcher(m.tables, m.lexical, dataclasses.replace(m.config, learned_prune=False))
    pruned, every = _Counting(model), _Counting(model)
    default = WeightSet.default("mentor")
    for weights, explore in ((default, None), (dataclasses.replace(default, diversity=0.3), None), (default, 0.2)):
        for pid in pop.project_ids[:25]:
            kw = {"kind": "mentor", "query_id": int(pid), "weights": weights, "k": 10, "now": 1.7e9}
            a = m.rank(**kw, learned=pruned,  # type: ignore[arg-type]
                       exploration=Exploration(explore, np.random.default_rng(int(pid))) if explore else None)
            b = full.rank(**kw, learned=every,  # type: ignore[arg-type]
                          exploration=Exploration(explore, np.random.default_rng(int(pid))) if explore else None)
            assert [(x.id, x.explored, x.propensity) for x in a.matches] == \
                [(x.id, x.explored, x.propensity) for x in b.matches]
            for x, y in zip(a.matches, b.matches, strict=True):
                assert x.score == y.score and x.contributions == y.contributions and x.reasons_en == y.reasons_en
    assert 0 < pruned.rows < 0.6 * every.rows, (pruned.rows, every.rows)
