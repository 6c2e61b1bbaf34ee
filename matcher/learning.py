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

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from matcher.config import FEATURES, N_FEATURES
from matcher.metrics import dcg, ndcg_at_k

__all__ = [
    "GAINS",
    "GOOD_GAIN",
    "LearnedModel",
    "CandidateEffects",
    "LoggedList",
    "TrainingSet",
    "blended_scores",
    "examination",
    "fit",
    "RolledUp",
    "fit_effects",
    "ips_weights",
    "label_from_events",
    "load_model",
    "refit_effects",
    "replay",
    "save_model",
    "time_split",
    "training_weights",
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
    propensities (n,), and the ranked profiles' ids (n,) when known."""

    features: np.ndarray
    gains: np.ndarray
    positions: np.ndarray
    propensities: np.ndarray
    candidates: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.features.ndim != 2 or self.features.shape[1] != N_FEATURES:
            raise ValueError(f"features must be (n, {N_FEATURES})")


def features_matrix(rows: Sequence[Mapping[str, float]]) -> np.ndarray:
    """Stored feature dicts (impression logs) -> (n, F), missing names as 0."""
    out = np.zeros((len(rows), N_FEATURES), dtype=np.float32)
    for i, row in enumerate(rows):
        for j, name in enumerate(FEATURES):
            out[i, j] = float(row.get(name) or 0.0)  # a non-finite value is stored as null
    return out


def replay(lists: Sequence[LoggedList], scores: Sequence[np.ndarray], k: int = 10,
           debias: bool = True) -> dict[str, float]:
    """Re-rank each logged list by ``scores`` (one array per list) and measure it on the logged outcomes.

    Returns ``ndcg@k`` (graded gains, lists with at least one good outcome), ``good@k`` (share of good
    outcomes ranked in the top k) and ``lists``. With ``debias`` every good outcome's gain is divided by
    the chance it was seen where it was logged (IPS), so outcomes users rarely saw count for more, as they
    would under full examination; ``ndcg@k`` is then the ratio of the summed DCG to the summed ideal DCG
    over the lists. Its numerator is an unbiased estimate of the DCG the ranking would get under full
    examination, and the denominator does not depend on the ranking, so two rankings compare without bias.
    The mean of per-list ratios (used without ``debias``) would not: a list's ideal DCG is built from the
    same few, heavily weighted outcomes, which favours whichever ranking produced the log - a candidate
    model could never beat the policy that logged the data.
    """
    ndcgs: list[float] = []
    dcgs: list[float] = []
    ideals: list[float] = []
    goods: list[float] = []
    for lst, s in zip(lists, scores, strict=True):
        gains = np.maximum(lst.gains, 0).astype(np.float64)
        if debias:
            gains = gains * ips_weights(lst.positions, lst.propensities)
        if not (lst.gains >= GOOD_GAIN).any():
            continue
        order = np.lexsort((np.arange(len(s)), -np.asarray(s)))
        relevance = {int(i): float(g) for i, g in enumerate(gains) if g > 0}
        ranked = [int(i) for i in order]
        if debias:
            ideal = dcg(sorted(relevance.values(), reverse=True)[:k])
            dcgs.append(ndcg_at_k(ranked, relevance, k) * ideal)
            ideals.append(ideal)
        else:
            ndcgs.append(ndcg_at_k(ranked, relevance, k))
        good = np.flatnonzero(lst.gains >= GOOD_GAIN)
        goods.append(float(np.isin(good, order[:k]).mean()))
    if debias:
        ndcg = float(np.sum(dcgs) / np.sum(ideals)) if ideals else 0.0
    else:
        ndcg = float(np.mean(ndcgs)) if ndcgs else 0.0
    return {
        f"ndcg@{k}": ndcg,
        f"good@{k}": float(np.mean(goods)) if goods else 0.0,
        "lists": float(len(goods)),
    }


# -- the model ------------------------------------------------------------------------------------------
# Gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier) over the named features: the true
# value of a match has interactions (the right help at the right stage, a sub-topic inside an industry) that
# an additive model cannot express. Explanations stay truthful and exact: every split on a decision path
# moves the log-odds by the change of the node expectation, credited to the split's feature; those credits
# plus the base value add up to the model's log-odds (``LearnedModel.attribute``).

SAFE_MODULES = ("sklearn.", "numpy.", "scipy.", "builtins.")


@dataclass(frozen=True)
class RolledUp:
    """Outcomes of impressions no longer kept (``api.retention``), per ranked profile: ``ids`` sorted, and per
    id the summed training weights (:func:`training_weights`) of its good outcomes and of its other trained
    rows, and the sums of those weights squared (for the robust variance in :func:`fit_effects`)."""

    ids: np.ndarray
    good: np.ndarray
    other: np.ndarray
    good_sq: np.ndarray
    other_sq: np.ndarray
    trained: np.ndarray  # how many rolled-up rows training would have used

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class TrainingSet:
    """Logged impressions with outcomes, aligned arrays.

    ``X`` (n, F) features as served; ``gains`` graded outcome (module table); ``positions`` 1-based;
    ``propensities`` the logged chance of being shown; ``times`` impression time (unix seconds);
    ``groups`` the served list each row belongs to; ``candidates`` the id of the ranked profile (the
    candidate, or the project in deal flow), ``None`` when unknown; ``rolled`` what deleted older rows said
    about each ranked profile (older than every row here: every subset keeps it).
    """

    X: np.ndarray
    gains: np.ndarray
    positions: np.ndarray
    propensities: np.ndarray
    times: np.ndarray
    groups: np.ndarray
    candidates: np.ndarray | None = None
    rolled: RolledUp | None = None

    def __len__(self) -> int:
        return int(self.X.shape[0])

    def subset(self, mask: np.ndarray) -> TrainingSet:
        return TrainingSet(self.X[mask], self.gains[mask], self.positions[mask], self.propensities[mask],
                           self.times[mask], self.groups[mask],
                           self.candidates[mask] if self.candidates is not None else None, self.rolled)

    def lists(self) -> list[LoggedList]:
        """The rows grouped back into served lists (in served order)."""
        order = np.lexsort((self.positions, self.groups))
        g = self.groups[order]
        cuts = np.flatnonzero(np.diff(g)) + 1
        out = []
        for idx in np.split(order, cuts):
            if len(idx):
                out.append(LoggedList(self.X[idx], self.gains[idx], self.positions[idx], self.propensities[idx],
                                      self.candidates[idx] if self.candidates is not None else None))
        return out


def time_split(data: TrainingSet, test_share: float = 0.2) -> tuple[TrainingSet, TrainingSet, float]:
    """Split by time, before any fitting: lists served before the cut train, the later ones test.

    Whole lists stay on one side (the cut time is taken over list start times). Returns (train, test,
    cut time)."""
    if not 0.0 < test_share < 1.0:
        raise ValueError("test_share must lie in (0, 1)")
    if len(data) == 0:
        return data, data, 0.0
    uniq, inverse = np.unique(data.groups, return_inverse=True)
    starts = np.full(len(uniq), np.inf)
    np.minimum.at(starts, inverse, data.times)
    ordered = np.sort(starts)
    cut = float(ordered[min(len(ordered) - 1, int(len(ordered) * (1.0 - test_share)))])
    list_start = starts[inverse]
    return data.subset(list_start < cut), data.subset(list_start >= cut), cut


UNOBSERVED = -1  # gain of a shown row nobody reacted to, where clients report what was looked at
MIN_EXAMINATION_SHARE = 0.05  # rows with viewed/dismissed reports needed to trust examination reports


def training_weights(gains: np.ndarray, positions: np.ndarray, propensities: np.ndarray, *, eta: float = 1.0,
                     clip: float = 20.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows to train on, binary labels (a good outcome) and sample weights: (mask, y, w).

    Two regimes, by what the clients report (the loader marks rows nobody reacted to as ``UNOBSERVED``
    only when clients do report examination with ``viewed``/``dismissed`` events):

    * examination observed (some rows are ``UNOBSERVED``): train on the rows someone reacted to. Their
      position bias is gone (they were looked at); what remains is the selection by the serving policy,
      corrected by ``1 / P(shown)`` (exploration propensities).
    * otherwise: every shown row, positives weighted by ``1 / (P(shown) * P(examined | position))`` - the
      unbiased pointwise estimator of Saito et al. (2020) with its negative-weight term clipped at zero,
      which leaves negatives at weight 1.

    Positives are also weighted by their grade (gain / GOOD_GAIN: an investment counts 2.5 acceptances)."""
    observed = gains != UNOBSERVED
    y = (gains >= GOOD_GAIN).astype(np.int64)
    if not observed.all():
        mask = observed
        w = 1.0 / np.clip(np.asarray(propensities, dtype=np.float64), 1.0 / clip, 1.0)
    else:
        mask = np.ones(len(gains), dtype=bool)
        w = np.ones(len(gains), dtype=np.float64)
        pos = y == 1
        w[pos] = ips_weights(positions[pos], propensities[pos], eta=eta, clip=clip)
    pos = y == 1
    w[pos] = w[pos] * (gains[pos] / GOOD_GAIN)
    return mask, y, w


class _Forest:
    """All trees of a fitted model as flat arrays, for vectorised path attribution."""

    def __init__(self, estimator: Any) -> None:
        trees = [stage[0] for stage in estimator._predictors]  # binary classification: one tree per stage
        offsets = np.cumsum([0] + [len(t.nodes) for t in trees[:-1]])
        nodes = np.concatenate([t.nodes for t in trees])
        self.feature = nodes["feature_idx"].astype(np.int64)
        self.threshold = nodes["num_threshold"].astype(np.float64)
        self.missing_left = nodes["missing_go_to_left"].astype(bool)
        self.leaf = nodes["is_leaf"].astype(bool)
        base = np.repeat(offsets, [len(t.nodes) for t in trees])
        self.left = np.where(self.leaf, 0, nodes["left"].astype(np.int64) + base)
        self.right = np.where(self.leaf, 0, nodes["right"].astype(np.int64) + base)
        # node expectation = count-weighted mean of its leaves' (shrunk) values; internal "value" fields are
        # not shrunk, so they cannot be used as they are
        count = nodes["count"].astype(np.float64)
        expect = np.where(self.leaf, nodes["value"].astype(np.float64), 0.0)
        order = np.argsort(-nodes["depth"].astype(np.int64), kind="stable")  # children before parents
        for i in order:
            if not self.leaf[i]:
                lo, hi = self.left[i], self.right[i]
                expect[i] = (expect[lo] * count[lo] + expect[hi] * count[hi]) / max(count[lo] + count[hi], 1.0)
        self.expect = expect
        self.roots = offsets.astype(np.int64)
        self.depth = int(nodes["depth"].max()) if len(nodes) else 0
        self.base = float(np.asarray(estimator._baseline_prediction).reshape(-1)[0])

    def attribute(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(log-odds contributions (n, F), log-odds base (n,)); base + contributions.sum(1) = raw score."""
        n = len(X)
        node = np.broadcast_to(self.roots, (n, len(self.roots))).copy()
        contrib = np.zeros((n, X.shape[1]))
        rows = np.broadcast_to(np.arange(n)[:, None], node.shape)
        for _ in range(self.depth):
            inner = ~self.leaf[node]
            if not inner.any():
                break
            feat = self.feature[node]
            value = X[rows, feat]
            go_left = np.where(np.isnan(value), self.missing_left[node], value <= self.threshold[node])
            child = np.where(go_left, self.left[node], self.right[node])
            delta = np.where(inner, self.expect[child] - self.expect[node], 0.0)
            np.add.at(contrib, (rows[inner], feat[inner]), delta[inner])
            node = np.where(inner, child, node)
        base = self.base + self.expect[self.roots].sum()
        return contrib, np.full(n, base)


@dataclass(frozen=True)
class CandidateEffects:
    """Per-candidate track records learned from outcomes: a log-odds offset for each ranked profile.

    ``ids`` sorted ascending, ``logit`` aligned. An offset says how much more (or less) often this profile's
    introductions went well than the model predicted from the named features of those matches, shrunk
    towards 0 by an empirical-Bayes prior of variance ``tau ** 2``; a profile without outcomes gets 0."""

    ids: np.ndarray
    logit: np.ndarray
    tau: float = 0.0

    def lookup(self, ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        out = np.zeros(len(ids), dtype=np.float64)
        if len(self.ids) == 0 or len(ids) == 0:
            return out
        pos = np.clip(np.searchsorted(self.ids, ids), 0, len(self.ids) - 1)
        hit = self.ids[pos] == ids
        out[hit] = self.logit[pos[hit]]
        return out


NO_EFFECTS = CandidateEffects(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))
TRACK_RECORD_FEATURE = "acceptance"  # the named factor a candidate's learned track record is explained as


def fit_effects(raw: np.ndarray, y: np.ndarray, w: np.ndarray, candidates: np.ndarray, *,
                iterations: int = 8, min_tau: float = 0.05, max_tau: float = 2.0,
                default_tau: float = 0.5, rolled: RolledUp | None = None) -> CandidateEffects:
    """Per-candidate log-odds offsets on top of the model's log-odds ``raw``: a random-intercept logistic
    model fitted by Newton steps, with its prior variance estimated from the data (empirical Bayes).

    Sample weights are rescaled to mean 1 so that importance weights do not inflate the evidence. First
    every candidate's unshrunk offset and its sampling variance (robust to the weights) are estimated;
    ``tau ** 2`` is the variance of the offsets left after subtracting that noise (method of moments, clipped to
    ``[min_tau, max_tau] ** 2``; ``default_tau`` when fewer than two candidates have evidence); then each
    offset is the posterior mode under ``N(0, tau ** 2)``.

    ``rolled`` (outcomes of deleted rows, see :class:`RolledUp`) adds two rows per profile, its good and its
    other outcomes with their summed weights, at the log-odds of the rolled-up outcomes as a whole (the model's
    score of those matches is gone with the rows): old evidence of a profile doing better or worse than the
    average of its time, scaled like the live weights."""
    raw = np.asarray(raw, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    candidates = np.asarray(candidates, dtype=np.int64)
    if len(raw) == 0 and (rolled is None or len(rolled) == 0):
        return NO_EFFECTS
    n_rows, w_sum = float(len(w)), float(w.sum())
    if rolled is not None and len(rolled):  # mean 1 over the rows kept and the rows rolled up alike
        n_rows += float(rolled.trained.sum())
        w_sum += float(rolled.good.sum() + rolled.other.sum())
    scale = n_rows / max(w_sum, 1e-12) if n_rows else 1.0
    w = w * scale
    sq = w * w  # per row: the squared weight in the robust variance (a rolled row carries its sum)
    if rolled is not None and len(rolled):
        good, other = rolled.good * scale, rolled.other * scale
        rate = float(good.sum()) / max(float(good.sum() + other.sum()), 1e-12)
        r0 = float(np.log(np.clip(rate, 1e-4, 1 - 1e-4) / (1 - np.clip(rate, 1e-4, 1 - 1e-4))))
        keep_g, keep_o = good > 0, other > 0
        raw = np.concatenate([raw, np.full(int(keep_g.sum() + keep_o.sum()), r0)])
        y = np.concatenate([y, np.ones(int(keep_g.sum())), np.zeros(int(keep_o.sum()))])
        w = np.concatenate([w, good[keep_g], other[keep_o]])
        sq = np.concatenate([sq, rolled.good_sq[keep_g] * scale ** 2, rolled.other_sq[keep_o] * scale ** 2])
        candidates = np.concatenate([candidates, rolled.ids[keep_g], rolled.ids[keep_o]])
    ids, inv = np.unique(candidates, return_inverse=True)

    def solve(prior_precision: float) -> tuple[np.ndarray, np.ndarray]:
        u = np.zeros(len(ids))
        for _ in range(iterations):
            p = 1.0 / (1.0 + np.exp(-(raw + u[inv])))
            grad = np.bincount(inv, w * (y - p), minlength=len(ids)) - prior_precision * u
            info = np.bincount(inv, w * p * (1.0 - p), minlength=len(ids))
            u = np.clip(u + grad / (info + prior_precision + 1e-9), -6.0, 6.0)
        p = 1.0 / (1.0 + np.exp(-(raw + u[inv])))
        return u, p

    free, p = solve(1e-3)  # (nearly) unshrunk offsets
    info = np.bincount(inv, w * p * (1.0 - p), minlength=len(ids))
    # sampling variance of each unshrunk offset: the robust (sandwich) form, since importance weights make
    # 1 / information too small and would pass noise off as spread between candidates
    noise = np.bincount(inv, sq * (y - p) ** 2, minlength=len(ids)) / np.maximum(info, 1e-12) ** 2
    informed = info >= 1.0
    if informed.sum() >= 2:  # spread between candidates = variance of the offsets minus their noise
        tau2 = float(np.var(free[informed]) - np.mean(noise[informed]))
    else:  # nothing to estimate a spread from: a cautious prior
        tau2 = default_tau ** 2
    tau = float(np.clip(np.sqrt(max(tau2, 0.0)), min_tau, max_tau))
    u, _ = solve(1.0 / tau ** 2)
    return CandidateEffects(ids, u, tau)


class LearnedModel:
    """A fitted model: ``predict`` a probability of a good outcome, ``attribute`` it by named feature.

    The log-odds are the trees' (over the named features) plus the ranked profile's learned track record
    (:class:`CandidateEffects`, when ``ids`` are given); the track record is explained as the
    ``acceptance`` factor - what this candidate's past introductions showed."""

    def __init__(self, pipeline: Any, reference: np.ndarray, version: str = "",
                 effects: CandidateEffects | None = None) -> None:
        self.pipeline = pipeline
        self.reference = np.asarray(reference, dtype=np.float64)  # a sample of training rows (m, F)
        self._version = version
        self._forest = _Forest(pipeline.named_steps["trees"])
        self._booster = lightgbm_trees(pipeline.named_steps["trees"])
        self.effects = effects or NO_EFFECTS

    @property
    def version(self) -> str:
        return self._version

    def with_version(self, version: str) -> LearnedModel:
        return LearnedModel(self.pipeline, self.reference, version, self.effects)

    def with_effects(self, effects: CandidateEffects) -> LearnedModel:
        return LearnedModel(self.pipeline, self.reference, self._version, effects)

    def raw(self, X: np.ndarray) -> np.ndarray:
        """The trees' log-odds (without track records): through the same trees as LightGBM evaluates them when
        they could be carried over (see :func:`lightgbm_trees`: bit for bit scikit-learn's value), else
        through the scikit-learn pipeline."""
        X = np.asarray(X, dtype=np.float64)
        if self._booster is not None:
            return np.asarray(self._booster.predict(_clip01(X), raw_score=True, num_threads=1), dtype=np.float64)
        out: np.ndarray = np.asarray(self.pipeline.decision_function(X), dtype=np.float64).reshape(-1)
        return out

    def raw_reference(self, X: np.ndarray) -> np.ndarray:
        """The trees' log-odds through scikit-learn itself (what :meth:`raw` must equal)."""
        out: np.ndarray = np.asarray(self.pipeline.decision_function(np.asarray(X, dtype=np.float64)),
                                     dtype=np.float64).reshape(-1)
        return out

    def predict(self, X: np.ndarray, ids: np.ndarray | None = None) -> np.ndarray:
        if len(X) == 0:
            return np.zeros(0, dtype=np.float32)
        z = self.raw(X)
        if ids is not None:
            z = z + self.effects.lookup(ids)
        out: np.ndarray = (1.0 / (1.0 + np.exp(-z))).astype(np.float32)
        return out

    def logit_contributions(self, X: np.ndarray, ids: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        clipped = self.pipeline.named_steps["clip"].transform(np.asarray(X, dtype=np.float64))
        contrib, base = self._forest.attribute(clipped)
        if ids is not None:
            contrib[:, FEATURES.index(TRACK_RECORD_FEATURE)] += self.effects.lookup(ids)
        return contrib, base

    def attribute(self, X: np.ndarray, ids: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(attributions (n, F), baseline (n,)) with baseline + attributions.sum(1) == predict(X, ids).

        The baseline is the probability at the model's base value; the gap to it is shared among the features
        in proportion to the log-odds each one moved along the decision paths (a track record moves the
        ``acceptance`` factor)."""
        if len(X) == 0:
            return np.zeros((0, N_FEATURES)), np.zeros(0)
        contrib, base = self.logit_contributions(X, ids)
        # the paths' credits and the base add up to the log-odds: no second pass through the trees (each
        # scikit-learn call costs ~4 ms of fixed overhead on the request path)
        p = 1.0 / (1.0 + np.exp(-(base + contrib.sum(axis=1))))
        p0 = 1.0 / (1.0 + np.exp(-base))
        total = contrib.sum(axis=1, keepdims=True)
        share = np.divide(contrib, total, out=np.zeros_like(contrib), where=np.abs(total) > 1e-12)
        return share * (p - p0)[:, None], p0

    def feature_effects(self) -> dict[str, float]:
        """Mean absolute log-odds contribution of each feature over the reference sample (trees only), plus
        ``track_record``: the mean absolute learned offset over candidates with one."""
        contrib, _ = self.logit_contributions(self.reference)
        out = {name: float(v) for name, v in zip(FEATURES, np.abs(contrib).mean(axis=0), strict=True)}
        out["track_record"] = float(np.abs(self.effects.logit).mean()) if len(self.effects.ids) else 0.0
        return out


def lightgbm_trees(estimator: Any) -> Any | None:
    """A fitted binary ``HistGradientBoostingClassifier``'s trees as a LightGBM booster that returns the same
    log-odds, bit for bit, or None when they cannot be carried over (categorical splits, several classes).

    Why: scikit-learn evaluates its trees one Python call per tree (~7 us each however few the rows), which made
    the learned re-score the largest single cost of a served ranking after the vector products; LightGBM
    evaluates the whole ensemble in one native call. The trees are the same: numerical splits ``x <= threshold``
    (the thresholds written with every digit), a missing value going the side scikit-learn sends it, and the
    leaves summed in scikit-learn's order starting from its baseline (added to the first tree's leaves). Built
    when a model is loaded; :meth:`LearnedModel.raw_reference` keeps the scikit-learn path for the tests that
    hold the two equal."""
    try:
        import lightgbm

        predictors = estimator._predictors
        if any(len(stage) != 1 for stage in predictors) or not predictors:
            return None
        baseline = np.asarray(estimator._baseline_prediction, dtype=np.float64).reshape(-1)
        if len(baseline) != 1:
            return None
        n_features = int(estimator.n_features_in_)
        blocks: list[str] = []
        for t, stage in enumerate(predictors):
            nodes = stage[0].nodes
            if "is_categorical" in nodes.dtype.names and bool(nodes["is_categorical"].any()):
                return None
            leaf = nodes["is_leaf"].astype(bool)
            inner, leaves = np.flatnonzero(~leaf), np.flatnonzero(leaf)
            if len(inner) and inner[0] != 0:
                return None  # LightGBM's root is internal node 0
            index = np.zeros(len(nodes), dtype=np.int64)
            index[inner] = np.arange(len(inner))
            index[leaves] = ~np.arange(len(leaves))  # LightGBM: a negative child -k-1 is leaf k
            values = nodes["value"][leaves].astype(np.float64) + (baseline[0] if t == 0 else 0.0)
            lines = [f"Tree={t}", f"num_leaves={len(leaves)}", "num_cat=0"]
            if len(inner):
                # decision type: missing values are NaN (2 << 2), default left (2) where scikit-learn sends them left
                kinds = (2 << 2) | np.where(nodes["missing_go_to_left"][inner].astype(bool), 2, 0)
                lines += ["split_feature=" + " ".join(str(int(f)) for f in nodes["feature_idx"][inner]),
                          "split_gain=" + " ".join("0" for _ in inner),
                          "threshold=" + " ".join(repr(float(v)) for v in nodes["num_threshold"][inner]),
                          "decision_type=" + " ".join(str(int(k)) for k in kinds),
                          "left_child=" + " ".join(str(int(index[c])) for c in nodes["left"][inner]),
                          "right_child=" + " ".join(str(int(index[c])) for c in nodes["right"][inner])]
            lines += ["leaf_value=" + " ".join(repr(float(v)) for v in values),
                      "leaf_weight=" + " ".join("1" for _ in leaves), "leaf_count=" + " ".join("1" for _ in leaves)]
            if len(inner):
                lines += ["internal_value=" + " ".join("0" for _ in inner),
                          "internal_weight=" + " ".join("2" for _ in inner),
                          "internal_count=" + " ".join("2" for _ in inner)]
            lines += ["is_linear=0", "shrinkage=1", "", ""]
            blocks.append("\n".join(lines))
        head = ["tree", "version=v4", "num_class=1", "num_tree_per_iteration=1", "label_index=0",
                f"max_feature_idx={n_features - 1}", "objective=binary sigmoid:1",
                "feature_names=" + " ".join(f"f{i}" for i in range(n_features)),
                "feature_infos=" + " ".join("none" for _ in range(n_features)),
                "tree_sizes=" + " ".join(str(len(b.encode())) for b in blocks), "", ""]
        text = "\n".join(head) + "".join(blocks) + "end of trees\n\nparameters:\nend of parameters\n"
        return lightgbm.Booster(model_str=text)
    except Exception:  # an estimator of another shape or a LightGBM that refuses it: scikit-learn serves
        return None


def _clip01(X: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.clip(X, 0.0, 1.0)
    return out


def make_pipeline(seed: int = 0, max_iter: int = 200) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer

    return Pipeline([
        ("clip", FunctionTransformer(_clip01)),
        ("trees", HistGradientBoostingClassifier(
            max_iter=max_iter, learning_rate=0.08, max_leaf_nodes=15, min_samples_leaf=40, l2_regularization=1.0,
            early_stopping=True, validation_fraction=0.15, n_iter_no_change=15, random_state=seed)),
    ])


def fit(data: TrainingSet, *, seed: int = 0, eta: float = 1.0, max_iter: int = 200) -> LearnedModel:
    """Fit the model (preprocessing inside the pipeline) with IPS weights, then, when the rows carry candidate
    ids, every candidate's track record on top of it (:func:`fit_effects`); everything random takes
    ``seed``."""
    if len(data) == 0:
        raise ValueError("no training rows")
    mask, y, w = training_weights(data.gains, data.positions, data.propensities, eta=eta)
    y, w = y[mask], w[mask]
    if len(y) == 0 or y.min() == y.max():
        raise ValueError("training needs both good and other outcomes")
    pipeline = make_pipeline(seed, max_iter)
    X = np.asarray(data.X, dtype=np.float64)[mask]
    pipeline.fit(X, y, trees__sample_weight=w)
    rng = np.random.default_rng(seed)
    sample = X[rng.choice(len(X), size=min(len(X), 2000), replace=False)]
    return refit_effects(LearnedModel(pipeline, reference=sample), data, eta=eta)


def refit_effects(model: LearnedModel, data: TrainingSet, *, eta: float = 1.0) -> LearnedModel:
    """The same trees with track records re-estimated on ``data`` (e.g. all rows, once the model has been
    judged on the later slice: the freshest outcomes matter most for who is good right now)."""
    rolled = data.rolled if data.rolled is not None and len(data.rolled) else None
    if data.candidates is None or (len(data) == 0 and rolled is None):
        return model
    mask, y, w = training_weights(data.gains, data.positions, data.propensities, eta=eta)
    if not mask.any() and rolled is None:
        return model
    X = np.asarray(data.X, dtype=np.float64)[mask]
    raw = model.raw(X) if len(X) else np.zeros(0)
    return model.with_effects(fit_effects(raw, y[mask], w[mask], data.candidates[mask], rolled=rolled))


def blended_scores(lists: Sequence[LoggedList], weights: np.ndarray, w_learned: float,
                   model: LearnedModel | None) -> list[np.ndarray]:
    """The serving score of every logged row under ``weights`` (+ ``w_learned`` x model), one array per list.

    The model runs once over all rows (per-list calls would pay its fixed cost thousands of times)."""
    if not lists:
        return []
    X = np.vstack([lst.features for lst in lists])
    s = (X @ weights).astype(np.float64)
    if model is not None and w_learned:
        known = all(lst.candidates is not None for lst in lists)
        ids = np.concatenate([lst.candidates for lst in lists if lst.candidates is not None]) if known else None
        s = s + w_learned * model.predict(X, ids).astype(np.float64)
    cuts = np.cumsum([len(lst.features) for lst in lists])[:-1]
    return list(np.split(s, cuts))


def save_model(model: LearnedModel, path: str | Path) -> str:
    """Write the artifact (skops, not pickle) atomically; return its sha256."""
    import hashlib

    import skops.io as sio

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    sio.dump({"pipeline": model.pipeline, "reference": model.reference, "features": list(FEATURES),
              "effect_ids": np.asarray(model.effects.ids, dtype=np.int64),
              "effect_logit": np.asarray(model.effects.logit, dtype=np.float64),
              "effect_tau": float(model.effects.tau)}, tmp)
    digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
    os.replace(tmp, path)
    return digest


def read_verified(path: str | Path, checksum: str, what: str, hint: str = "") -> bytes:
    """The bytes of an artifact whose sha256 is ``checksum`` (ModelArtifactError when unreadable or not)."""
    import hashlib

    from matcher.errors import ModelArtifactError

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelArtifactError(f"{what} {path} is unreadable: {exc}") from None
    if hashlib.sha256(data).hexdigest() != checksum:
        raise ModelArtifactError(f"{what} {path} fails its checksum (corrupt or replaced){hint}")
    return data


def load_model(path: str | Path, *, checksum: str, version: str = "") -> LearnedModel:
    """Load an artifact written by :func:`save_model`; refuse a wrong checksum or any unexpected type."""
    import skops.io as sio

    from matcher.errors import ModelArtifactError

    path = Path(path)
    data = read_verified(path, checksum, "model artifact", "; keep serving the previous version and retrain")
    try:
        untrusted = sio.get_untrusted_types(data=data)
        unexpected = sorted(t for t in untrusted if not t.startswith(SAFE_MODULES)
                            and t != "matcher.learning._clip01")
        if unexpected:
            raise ModelArtifactError(f"model artifact {path} holds unexpected types {unexpected}; refusing it")
        obj = sio.loads(data, trusted=list(untrusted))
    except ModelArtifactError:
        raise
    except Exception as exc:  # noqa: BLE001 - any decoding failure means a bad artifact
        raise ModelArtifactError(f"model artifact {path} cannot be decoded: {exc}") from None
    if obj.get("features") != list(FEATURES):
        raise ModelArtifactError(f"model artifact {path} was trained on other features: {obj.get('features')}")
    effects = NO_EFFECTS
    if "effect_ids" in obj:
        bad = ModelArtifactError(f"model artifact {path} holds malformed candidate track records")
        try:
            raw_ids, raw_logit = np.asarray(obj["effect_ids"]), np.asarray(obj["effect_logit"])
            tau = float(obj.get("effect_tau", 0.0))
        except (KeyError, TypeError, ValueError):
            raise bad from None
        if raw_ids.dtype.kind not in "iu" or raw_logit.dtype.kind != "f":
            raise bad
        ids, logit = raw_ids.astype(np.int64), raw_logit.astype(np.float64)
        if ids.ndim != 1 or ids.shape != logit.shape or (len(ids) > 1 and (np.diff(ids) <= 0).any()) \
                or not np.isfinite(logit).all() or not (np.isfinite(tau) and tau >= 0.0):
            raise bad
        effects = CandidateEffects(ids, logit, tau)
    return LearnedModel(obj["pipeline"], obj["reference"], version=version, effects=effects)
