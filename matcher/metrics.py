"""Ranking and fairness metrics: pure functions with documented ranges and tie behaviour.

Rankings are sequences of item ids, best first (ties must be broken by the caller before, e.g. by id).
Relevance is a mapping item -> gain (binary gains are 1.0); items absent from it have gain 0.

* ``ndcg_at_k``: DCG with gain / log2(rank + 1), divided by the ideal DCG of the ``min(|relevant|, k)``
  best gains; in [0, 1]; 0 when nothing is relevant.
* ``recall_at_k``: share of the relevant items found in the top k; in [0, 1]; 0 when nothing is relevant.
* ``hit_rate_at_k``: 1 when any relevant item is in the top k, else 0.
* ``mrr_at_k``: 1 / rank of the first relevant item within the top k, else 0.
* ``gini``: inequality of non-negative amounts in [0, 1) (0 = all equal); 0 for an empty or all-zero input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

__all__ = ["dcg", "gini", "hit_rate_at_k", "mrr_at_k", "ndcg_at_k", "recall_at_k"]


def _gains(ranking: Sequence[int], relevance: Mapping[int, float], k: int) -> np.ndarray:
    return np.array([float(relevance.get(int(item), 0.0)) for item in list(ranking)[:k]], dtype=np.float64)


def dcg(gains: Sequence[float] | np.ndarray) -> float:
    g = np.asarray(gains, dtype=np.float64)
    if g.size == 0:
        return 0.0
    return float((g / np.log2(np.arange(2, g.size + 2))).sum())


def ndcg_at_k(ranking: Sequence[int], relevance: Mapping[int, float], k: int) -> float:
    positive = sorted((g for g in relevance.values() if g > 0), reverse=True)
    if not positive or k <= 0:
        return 0.0
    ideal = dcg(positive[:k])
    return dcg(_gains(ranking, relevance, k)) / ideal


def recall_at_k(ranking: Sequence[int], relevance: Mapping[int, float], k: int) -> float:
    relevant = {item for item, g in relevance.items() if g > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(int(i) for i in list(ranking)[:k])) / len(relevant)


def hit_rate_at_k(ranking: Sequence[int], relevance: Mapping[int, float], k: int) -> float:
    return 1.0 if (_gains(ranking, relevance, k) > 0).any() else 0.0


def mrr_at_k(ranking: Sequence[int], relevance: Mapping[int, float], k: int) -> float:
    hits = np.flatnonzero(_gains(ranking, relevance, k) > 0)
    return 1.0 / (hits[0] + 1) if hits.size else 0.0


def gini(amounts: Sequence[float] | np.ndarray) -> float:
    x = np.sort(np.asarray(amounts, dtype=np.float64))
    if x.size == 0 or x.sum() <= 0:
        return 0.0
    if (x < 0).any():
        raise ValueError("gini is defined for non-negative amounts")
    n = x.size
    cum = np.cumsum(x)
    return float((n + 1 - 2 * (cum / cum[-1]).sum()) / n)
