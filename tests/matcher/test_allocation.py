from __future__ import annotations

import itertools

import numpy as np
import pytest

from matcher import ConfigError, allocate, top_edges


def brute_force(n_p: int, caps: list[int], edges: list[tuple[int, int, float]], per_project: int,
                cover: bool) -> tuple[int, float]:
    """Best (covered projects if cover else 0, total score) over every subset of edges."""
    best = (-1, -np.inf)
    for mask in range(1 << len(edges)):
        chosen = [edges[i] for i in range(len(edges)) if mask >> i & 1]
        per_p = np.bincount([e[0] for e in chosen], minlength=n_p)
        per_c = np.bincount([e[1] for e in chosen], minlength=len(caps))
        if (per_p > per_project).any() or (per_c > np.array(caps)).any():
            continue
        key = (int((per_p > 0).sum()) if cover else 0, round(sum(e[2] for e in chosen), 9))
        best = max(best, key)
    return best


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("per_project,cover", [(1, False), (2, False), (1, True), (2, True)])
def test_optimal_on_small_cases(seed: int, per_project: int, cover: bool) -> None:
    rng = np.random.default_rng(seed)
    n_p, n_c = 4, 3
    caps = rng.integers(0, 3, n_c).tolist()
    pairs = [(p, c) for p, c in itertools.product(range(n_p), range(n_c)) if rng.random() < 0.7]
    edges = [(p, c, float(np.round(rng.normal(0.5, 0.6), 3))) for p, c in pairs]
    if not edges:
        return
    rows, cols, vals = (np.array(x) for x in zip(*edges, strict=True))
    got = allocate(np.arange(100, 100 + n_p), np.arange(200, 200 + n_c), np.array(caps), rows, cols, vals,
                   per_project=per_project, cover=cover)
    covered, total = brute_force(n_p, caps, edges, per_project, cover)
    assert got.capacity_violations == 0
    assert got.total_score == pytest.approx(total, abs=1e-6)
    if cover:
        assert got.covered == covered
    for cand, load in got.load.items():
        assert load <= caps[cand - 200]
    assert len(set(got.pairs)) == len(got.pairs)


def test_cover_trades_score_for_coverage() -> None:
    # one mentor with capacity 1 is everyone's favourite; cover makes each project get someone
    scores = np.array([[1.0, 0.1], [0.5, -np.inf]])
    rows, cols, vals = top_edges(scores, 2)
    assert len(rows) == 3  # the -inf pair is not an edge
    plain = allocate([1, 2], [10, 20], [1, 1], rows, cols, vals)
    assert plain.pairs == [(1, 10)] and plain.unassigned == [2] and plain.total_score == pytest.approx(1.0)
    covered = allocate([1, 2], [10, 20], [1, 1], rows, cols, vals, cover=True)
    assert covered.pairs == [(1, 20), (2, 10)] and covered.unassigned == []
    assert covered.total_score == pytest.approx(0.6)


def test_negative_scores_are_left_out_unless_covering() -> None:
    got = allocate([1], [10], [1], [0], [0], [-0.5])
    assert got.pairs == [] and got.unassigned == [1]
    assert allocate([1], [10], [1], [0], [0], [-0.5], cover=True).pairs == [(1, 10)]


def test_bad_input_is_refused() -> None:
    with pytest.raises(ConfigError, match="duplicate"):
        allocate([1], [10], [1], [0, 0], [0, 0], [0.1, 0.2])
    with pytest.raises(ConfigError, match="capacity"):
        allocate([1], [10], [-1], [0], [0], [0.1])
    with pytest.raises(ConfigError, match="out of range"):
        allocate([1], [10], [1], [1], [0], [0.1])
