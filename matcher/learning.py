"""Learning from outcomes: graded labels, position-debiased weights, an additive scikit-learn model over the
named features, honest time-split evaluation and replay of logged lists.

Labels (graded by outcome; the best outcome of a shown pair counts, whenever it arrives):

==========================  ====
dismissed / declined        0
viewed (only)               0
requested                   1
accepted                    2
met / rating 3              3
rating 4-5                  4
invested                    5
==========================  ====

A rating of 1-2 caps the pair at 1 ("requested"): the meeting happened but did not help.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from matcher.config import FEATURES, N_FEATURES
from matcher.metrics import ndcg_at_k

__all__ = [
    "GAINS",
    "GOOD_GAIN",
    "LoggedList",
    "examination",
    "ips_weights",
    "label_from_events",
    "replay",
]

GAINS = {"dismissed": 0, "declined": 0, "viewed": 0, "requested": 1, "accepted": 2, "met": 3, "invested": 5}
GOOD_GAIN = 2  # accepted or better counts as a good outcome


def label_from_events(events: Iterable[tuple[str, int | None]]) -> int:
    """Graded gain of one shown pair from its events ``(type, rating)``; see the module table."""
    gain = 0
    capped = False
    for kind, rating in events:
        if kind == "rating" and rating is not None:
            if rating >= 4:
                gain = max(gain, 4)
            elif rating == 3:
                gain = max(gain, 3)
            else:
                capped = True
        else:
            gain = max(gain, GAINS.get(kind, 0))
    if capped and gain < 5:
        gain = min(gain, 1)
    return gain


def examination(position: np.ndarray | int, eta: float = 1.0) -> np.ndarray:
    """Probability that a user examines a given 1-based position: ``(1 / position) ** eta``."""
    pos = np.maximum(np.asarray(position, dtype=np.float64), 1.0)
    out: np.ndarray = (1.0 / pos) ** eta
    return out


def ips_weights(position: np.ndarray, propensity: np.ndarray, *, eta: float = 1.0, clip: float = 20.0) -> np.ndarray:
    """Inverse-propensity weights of logged examples.

    ``1 / (P(shown) * P(examined at position))``, clipped at ``clip``. ``propensity`` is the logged chance
    the candidate was shown at all (1 for the deterministic top, lower for explored slots and for the slot
    exploration may take); the position part models that users look at lower ranks less.
    """
    shown = np.clip(np.asarray(propensity, dtype=np.float64), 1e-6, 1.0)
    w: np.ndarray = np.minimum(1.0 / (shown * examination(position, eta)), clip)
    return w


@dataclass(frozen=True)
class LoggedList:
    """One served list with what followed: features (n, F) in served order, gains (n,), positions (n,),
    propensities (n,)."""

    features: np.ndarray
    gains: np.ndarray
    positions: np.ndarray
    propensities: np.ndarray

    def __post_init__(self) -> None:
        if self.features.ndim != 2 or self.features.shape[1] != N_FEATURES:
            raise ValueError(f"features must be (n, {N_FEATURES})")


def features_matrix(rows: Sequence[Mapping[str, float]]) -> np.ndarray:
    """Stored feature dicts (impression logs) -> (n, F), missing names as 0."""
    out = np.zeros((len(rows), N_FEATURES), dtype=np.float32)
    for i, row in enumerate(rows):
        for j, name in enumerate(FEATURES):
            out[i, j] = float(row.get(name, 0.0))
    return out


def replay(lists: Sequence[LoggedList], scores: Sequence[np.ndarray], k: int = 10,
           debias: bool = True) -> dict[str, float]:
    """Re-rank each logged list by ``scores`` (one array per list) and measure it on the logged outcomes.

    Returns ``ndcg@k`` (graded gains, lists with at least one good outcome), ``good@k`` (share of good
    outcomes ranked in the top k) and ``lists``. With ``debias`` every good outcome's gain is divided by
    the examination probability of the position where it was logged (IPS), so outcomes users rarely saw
    count for more, as they would under full examination.
    """
    ndcgs: list[float] = []
    goods: list[float] = []
    for lst, s in zip(lists, scores, strict=True):
        gains = lst.gains.astype(np.float64)
        if debias:
            gains = gains * ips_weights(lst.positions, lst.propensities)
        if not (lst.gains >= GOOD_GAIN).any():
            continue
        order = np.lexsort((np.arange(len(s)), -np.asarray(s)))
        relevance = {int(i): float(g) for i, g in enumerate(gains) if g > 0}
        ndcgs.append(ndcg_at_k([int(i) for i in order], relevance, k))
        good = np.flatnonzero(lst.gains >= GOOD_GAIN)
        goods.append(float(np.isin(good, order[:k]).mean()))
    return {
        f"ndcg@{k}": float(np.mean(ndcgs)) if ndcgs else 0.0,
        f"good@{k}": float(np.mean(goods)) if goods else 0.0,
        "lists": float(len(ndcgs)),
    }
