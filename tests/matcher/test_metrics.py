from __future__ import annotations

import math

import numpy as np
import pytest

from matcher.metrics import gini, hit_rate_at_k, mrr_at_k, ndcg_at_k, recall_at_k


def slow_ndcg(ranking, relevance, k):  # type: ignore[no-untyped-def]
    dcg = 0.0
    for i, item in enumerate(ranking[:k]):
        dcg += relevance.get(item, 0.0) / math.log2(i + 2)
    ideal_gains = sorted([g for g in relevance.values() if g > 0], reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal_gains))
    return dcg / idcg if idcg else 0.0


def test_perfect_and_empty() -> None:
    rel = {1: 1.0, 2: 1.0}
    assert ndcg_at_k([1, 2, 3], rel, 3) == pytest.approx(1.0)
    assert recall_at_k([1, 2, 3], rel, 3) == 1.0 and hit_rate_at_k([1], rel, 1) == 1.0
    assert ndcg_at_k([3, 4], rel, 2) == 0.0 and recall_at_k([3, 4], rel, 2) == 0.0 and mrr_at_k([3, 4], rel, 2) == 0.0
    assert ndcg_at_k([1, 2], {}, 2) == 0.0 and recall_at_k([1], {}, 1) == 0.0


def test_hand_computed() -> None:
    # relevant 2 and 5; ranking [1, 2, 3, 4, 5]; k = 5
    rel = {2: 1.0, 5: 1.0}
    dcg = 1 / math.log2(3) + 1 / math.log2(6)
    idcg = 1 + 1 / math.log2(3)
    assert ndcg_at_k([1, 2, 3, 4, 5], rel, 5) == pytest.approx(dcg / idcg)
    assert mrr_at_k([1, 2, 3, 4, 5], rel, 5) == pytest.approx(0.5)
    assert recall_at_k([1, 2, 3, 4, 5], rel, 3) == pytest.approx(0.5)
    # ideal DCG uses min(|relevant|, k) items
    assert ndcg_at_k([2], rel, 1) == pytest.approx(1.0)


def test_against_slow_reference() -> None:
    rng = np.random.default_rng(0)
    for _ in range(200):
        ranking = [int(x) for x in rng.permutation(30)[:15]]
        rel = {int(i): float(rng.integers(1, 4)) for i in rng.choice(30, int(rng.integers(0, 8)), replace=False)}
        k = int(rng.integers(1, 16))
        assert ndcg_at_k(ranking, rel, k) == pytest.approx(slow_ndcg(ranking, rel, k))


def test_gini() -> None:
    assert gini([3, 3, 3]) == pytest.approx(0.0)
    assert gini([0, 0, 1]) == pytest.approx(2 / 3)
    assert gini([]) == 0.0 and gini([0, 0]) == 0.0
    with pytest.raises(ValueError):
        gini([-1, 2])
