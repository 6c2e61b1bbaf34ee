"""The investor ranker: one learned ranking over investment history and thesis, with baselines it must beat.

Used by the service (a project's investor matches, an investor's deal flow, cohort allocation, the
operators' preview) and by ``huoban backtest``, with the same feature code, learner and training code.

Features of a (query round, investor) pair = the history features of :mod:`matcher.history` (activity,
round / region / industry mix, co-investment and follow networks, usual company age, follow-on), the
investor-kind one-hot, the ALS peer's score, and the thesis features the caller computes from the
profiles (semantic and lexical similarity, declared rounds, industries, regions, ticket; see
``THESIS_FEATURES``). A new investor without history still gets a score from its thesis.

Training (:func:`train_ranker`) walks windows of history before the cut-off: for each window the history
is viewed as of the window's start and the rounds inside it are the queries, exactly as the live ranking
(or the backtest) will see a stale view of the past. The latest window validates: early stopping, the
choice between the learned model and every baseline (``selected``) and the reported ``validation``
scores. Ranking and training both order a shortlist (the top of every baseline: same round, region,
industry, syndicate), so the negatives are the plausible ones for that round. The learner is LightGBM's
lambdarank over query groups, a bag of up to fifteen models on small histories (see ``TrainConfig.bags``); the
artifact is LightGBM's own text format plus JSON (no pickle).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from matcher.geography import deal_place
from matcher.history import (
    BASELINE_COLUMNS,
    BASELINES,
    HISTORY_FEATURES,
    NB_DEFAULT,
    AlsPeer,
    Company,
    EncodedQueries,
    HistoryView,
    NaiveBayes,
    NbCounts,
    Query,
    baseline_scores,
    history_features,
    nb_counts,
)
from matcher.metrics import hit_rate_at_k, mrr_at_k, ndcg_at_k, recall_at_k
from matcher.profiles import ProjectProfile

__all__ = [
    "THESIS_FEATURES",
    "InvestorHistory",
    "InvestorRanker",
    "RankerContext",
    "Window",
    "evaluate",
    "feature_names",
    "fit_naive_bayes",
    "row_weights",
    "train_ranker",
    "window_ages",
]

# Thesis features (computed by the caller from the profiles, named as in matcher.config.FEATURES, plus the
# operator-weighted sum of the query-dependent named features).
THESIS_FEATURES: tuple[str, ...] = ("sem_need", "sem_domain", "lexical", "stage_fit", "round_fit", "industry",
                                    "needs_coverage", "region", "language", "ticket_fit", "thesis_score")
ThesisFn = Callable[[int, np.ndarray], np.ndarray]  # (query index, investor ids) -> (n, len(THESIS_FEATURES))


def feature_names(kinds: Sequence[str]) -> list[str]:
    return [*HISTORY_FEATURES, *(f"kind:{k}" for k in kinds), "als", *THESIS_FEATURES]


@dataclass
class RankerContext:
    """Everything needed to score one set of queries against investors: the view, encoded queries, ALS."""

    view: HistoryView
    queries: list[Query]
    eq: EncodedQueries
    als: AlsPeer
    users: np.ndarray
    nb: NaiveBayes = NB_DEFAULT  # the naive-Bayes smoothing of the h_nb_* columns (a trained ranker's)

    @classmethod
    def build(cls, view: HistoryView, queries: Sequence[Query], *, als: AlsPeer | None = None,
              seed: int = 0, nb: NaiveBayes = NB_DEFAULT,
              text: Sequence[np.ndarray | None] | None = None) -> RankerContext:
        eq = view.encode(list(queries), text=text)
        peer = als if als is not None else AlsPeer(seed=seed).fit(view)
        return cls(view, list(queries), eq, peer, peer.user_factors(view, list(queries), eq), nb)

    def matrix(self, q: np.ndarray, investor_ids: np.ndarray, thesis: np.ndarray | None,
               only: Sequence[str] | None = None, dtype: Any = np.float32) -> np.ndarray:
        """Feature matrix (n, len(feature_names)) of aligned pairs (query index, investor id); ``only`` limits
        the history columns computed (the baselines' columns for a shortlist)."""
        j = self.view.rows_of(investor_ids)
        H = history_features(self.view, self.eq, q, j, only, self.nb)
        als = self.als.score(self.users, q, investor_ids)
        T = thesis if thesis is not None else np.full((len(q), len(THESIS_FEATURES)), np.nan)
        return np.hstack([H, als[:, None], T]).astype(dtype, copy=False)


@dataclass
class Window:
    """Queries of one stretch of time with their truth, scored against a view of the history before it."""

    context: RankerContext
    truths: list[set[int]]  # investor ids of each query round (ids without history count as misses)
    excluded: list[set[int]]  # investor ids that may not be ranked for the query (e.g. earlier investors)
    candidates: np.ndarray  # investor ids that may be ranked (sorted)
    thesis: ThesisFn | None = None
    rows: tuple[tuple[int, bool, int, NaiveBayes, bool], list[QueryRows]] | None = field(default=None, repr=False)

    def allowed(self, qi: int) -> np.ndarray:
        """Investor ids that may be ranked for query ``qi`` (sorted)."""
        return self.candidates[~np.isin(self.candidates, list(self.excluded[qi]))] if self.excluded[qi] \
            else self.candidates


def _lexicographic_top(scores: np.ndarray, ids: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k best scores, ties by smaller id."""
    if len(scores) == 0:
        return np.zeros(0, dtype=np.int64)
    k = min(k, len(scores))
    part = np.argpartition(-scores, k - 1)[:k]
    kth = scores[part].min()
    part = np.flatnonzero(scores >= kth)
    return part[np.lexsort((ids[part], -scores[part]))][:k]


class InvestorRanker:
    """A selected ranking: ``learned`` (a LightGBM model), ``naive_bayes`` (the fitted naive-Bayes score alone),
    ``baseline:<name>``, or ``blend:<name>`` (the model's standardised score plus ``blend["weight"]`` times the
    simple ranking ``<name>``'s, each standardised over the training pairs: per row, so a list and any part of
    it are scored alike). ``nb`` is the naive-Bayes smoothing its h_nb_* columns are computed with.

    A ``learned`` ranker may carry a small fixed share of the best baseline of its validation year
    (``anchor``, blended like ``blend:<name>`` with weight ``ANCHOR_WEIGHT``): shrinkage towards a ranking that
    a few hundred training rounds cannot overfit.

    ``score(X)`` gives a raw score per row (higher = better) from the full feature matrix; ``mean`` and
    ``std`` of the raw score over training pairs let callers put it on a fixed [0, 1] scale."""

    def __init__(self, selected: str, names: Sequence[str], model_text: str | Sequence[str] | None = None,
                 mean: float = 0.0, std: float = 1.0, report: dict[str, Any] | None = None,
                 depth: int = 50, nb: NaiveBayes = NB_DEFAULT, blend: dict[str, float] | None = None,
                 anchor: str | None = None) -> None:
        self.selected = selected
        # blend: weight of the simple ranking, and the means and spreads that standardise both scores
        self.blend = {k: float(v) for k, v in (blend or {}).items()}
        if selected.startswith("blend:") and (not model_text or set(self.blend) != set(BLEND_KEYS)):
            raise ValueError("a blend needs the model and its standardisation")
        # the simple ranking a blend or an anchored model adds (None: the model alone, or no model)
        self.anchor = selected.split(":", 1)[1] if selected.startswith("blend:") else anchor
        if selected == "learned" and (anchor is not None or self.blend) and (
                anchor is None or not model_text or set(self.blend) != set(BLEND_KEYS)):
            raise ValueError("an anchored model needs the model, its anchor and their standardisation")
        if selected != "learned" and not selected.startswith("blend:") and (anchor is not None or self.blend):
            raise ValueError(f"a {selected} ranking has no model to blend")
        simple = simple_scorers(exclude_prior=False)
        if self.anchor is not None and self.anchor not in simple:
            raise ValueError(f"unknown simple ranking {self.anchor!r}")
        # a baseline this release does not know (an artifact of a newer release, read after a rollback) is
        # refused here, where the artifact is loaded, not at the first ranking it serves
        prefix, _, name = selected.partition(":")
        if not (selected in ("learned", "naive_bayes") or (prefix in ("baseline", "blend") and name in simple)):
            raise ValueError(f"unknown selected ranking {selected!r}")
        self.nb = nb
        self.depth = int(depth)
        self.names = list(names)
        # one LightGBM model or a bag of them (their mean is the score)
        self.model_texts: list[str] = [model_text] if isinstance(model_text, str) else list(model_text or [])
        self.mean = float(mean)
        self.std = float(std) if std > 0 else 1.0
        self.report = report or {}
        self._boosters: list[Any] = []
        if self.names != feature_names(self.kinds):  # trained on other features (an older release's)
            raise ValueError("ranker model and feature names disagree")
        if self.model_texts:
            import lightgbm as lgb

            self._boosters = [lgb.Booster(model_str=text) for text in self.model_texts]
            if any(b.feature_name() != [n.replace(":", "_") for n in self.names] for b in self._boosters):
                raise ValueError("ranker model and feature names disagree")

    @property
    def model_text(self) -> str | None:
        return self.model_texts[0] if self.model_texts else None

    @property
    def kinds(self) -> list[str]:
        return [n.split(":", 1)[1] for n in self.names if n.startswith("kind:")]

    def _model(self, X: np.ndarray) -> np.ndarray:
        out: np.ndarray = np.mean([np.asarray(b.predict(X, num_threads=1), dtype=np.float64)
                                   for b in self._boosters], axis=0)
        return out

    def _simple(self, X: np.ndarray) -> np.ndarray:
        out: np.ndarray = simple_scorers(exclude_prior=False)[self.anchor or self.selected.split(":", 1)[-1]](X)
        return out

    def _blended_simple(self, X: np.ndarray) -> np.ndarray:
        b = self.blend
        out: np.ndarray = b["weight"] * (self._simple(X) - b["mean_simple"]) / b["std_simple"]
        return out

    def score(self, X: np.ndarray) -> np.ndarray:
        if len(X) == 0:
            return np.zeros(0)
        if self.selected == "learned" and not self.blend:
            return self._model(X)
        if self.blend:
            b = self.blend
            out: np.ndarray = (self._model(X) - b["mean_model"]) / b["std_model"] + self._blended_simple(X)
            return out
        base = self._simple(X)
        # the thesis score breaks ties (a baseline says nothing about investors without history)
        thesis = np.nan_to_num(X[:, self.names.index("thesis_score")].astype(np.float64))
        out = base + 1e-3 * thesis
        return out

    def contributions(self, X: np.ndarray) -> np.ndarray:
        """(n, F + 1) additive contributions to the raw score (last column: the base value); SHAP values for
        the learned model, everything on the baseline's columns otherwise."""
        if self.selected == "learned" or self.selected.startswith("blend:"):
            out: np.ndarray = np.mean([np.asarray(b.predict(X, pred_contrib=True, num_threads=1))
                                       for b in self._boosters], axis=0)
            if self.blend:  # the model's part scaled; the simple ranking's is base
                b = self.blend
                out = out / b["std_model"]
                out[:, -1] += -b["mean_model"] / b["std_model"] + self._blended_simple(X)
            return out
        out = np.zeros((len(X), len(self.names) + 1))
        out[:, -1] = self.score(X)  # a baseline is one number: all of it is the base value
        return out

    def to_json(self) -> str:
        texts = self.model_texts
        model: str | list[str] | None = texts[0] if len(texts) == 1 else (texts or None)
        return json.dumps({"selected": self.selected, "names": self.names, "model": model,
                           "mean": self.mean, "std": self.std, "report": self.report,
                           "depth": self.depth, "nb": self.nb.to_list(), "blend": self.blend or None,
                           "anchor": self.anchor if self.selected == "learned" else None}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> InvestorRanker:
        obj = json.loads(text)
        return cls(obj["selected"], obj["names"], obj.get("model"), obj.get("mean", 0.0), obj.get("std", 1.0),
                   obj.get("report") or {}, obj.get("depth", 50), NaiveBayes.from_list(obj.get("nb")),
                   obj.get("blend"), obj.get("anchor"))


BLEND_KEYS = ("weight", "mean_model", "std_model", "mean_simple", "std_simple")
BLEND_WEIGHTS = (0.5, 1.0, 2.0, 4.0)  # weights of the simple ranking tried on validation when the model alone loses
# The share of the best baseline a model that won its validation year keeps (standardised scores). Chosen on the
# presets, not on validation years: weights picked per validation year overfitted it (Chinese preset, seeds
# 0-7: test ratio 1.36x with the validation's pick, 1.45x with a fixed 0.1, 1.42x without), while a fixed
# tenth helped on 7 of 8 Chinese seeds and on the US preset (1.117x -> 1.129x).
ANCHOR_WEIGHT = 0.1


def blend_of(learned: InvestorRanker, simple: str, X: np.ndarray, weight: float, *,
             anchored: bool = False) -> InvestorRanker:
    """The model plus ``weight`` x the simple ranking ``simple`` (a baseline or naive_bayes), both standardised
    over the training pairs X: a ``blend:<simple>`` ranker, or (``anchored``) a ``learned`` one."""
    model = learned._model(X)
    plain = simple_scorers(exclude_prior=False)[simple](X)
    stats = {"weight": weight, "mean_model": float(np.mean(model)), "std_model": float(np.std(model)) or 1.0,
             "mean_simple": float(np.mean(plain)), "std_simple": float(np.std(plain)) or 1.0}
    return InvestorRanker("learned" if anchored else f"blend:{simple}", learned.names, learned.model_texts,
                          depth=learned.depth, nb=learned.nb, blend=stats, anchor=simple if anchored else None)


# -- two stages: a shortlist from every baseline, then the ranker ------------------------------------------
SHORTLIST_BASELINES = ("recency_popularity", "round_popularity", "region_round_popularity",
                       "region_round_industry_popularity", "tag_popularity", "text_neighbours",
                       "coinvestor_network", "prior_investors_then_popularity")
# the history columns those baselines and the naive-Bayes score read: all a served ranking computes for every
# allowed investor (the backtest computes every baseline's, BASELINE_COLUMNS, to score the rivals)
SHORTLIST_COLUMNS = tuple(c for c in BASELINE_COLUMNS if c not in ("h_log_round_recent", "h_log_region_round_recent"))


def shortlist(X: np.ndarray, ids: np.ndarray, depth: int, extra: np.ndarray | None = None) -> np.ndarray:
    """Sorted row indices of the union of the top ``depth`` rows of every shortlist baseline and the ALS
    peer, plus ``extra`` rows (e.g. the best by thesis). The ranker orders only these; the shortlist is
    where training draws its negatives from, so training sees what ranking sees."""
    picked: list[np.ndarray] = [] if extra is None else [np.asarray(extra, dtype=np.int64)]
    H = X[:, : len(HISTORY_FEATURES)]
    for name in SHORTLIST_BASELINES:
        picked.append(_lexicographic_top(baseline_scores(name, H), ids, depth))
    nb = np.nan_to_num(H[:, HISTORY_FEATURES.index("h_nb_score")].astype(np.float64), nan=-1e9)
    picked.append(_lexicographic_top(nb, ids, depth))
    als = X[:, len(HISTORY_FEATURES) + _n_kinds(X)]
    picked.append(_lexicographic_top(als.astype(np.float64), ids, depth))
    return np.unique(np.concatenate(picked))


def _n_kinds(X: np.ndarray) -> int:
    return int(X.shape[1] - len(HISTORY_FEATURES) - 1 - len(THESIS_FEATURES))


@dataclass
class QueryRows:
    """One query of a window, compact: the shortlist with its full features, and what ranks after it."""

    short_ids: np.ndarray  # shortlisted investor ids
    X: np.ndarray  # (len(short_ids), F)
    fill: np.ndarray  # the best non-shortlisted ids by recent activity (at most k): the ranking's tail
    baseline_tops: dict[str, np.ndarray]  # every baseline's top k ids over all allowed candidates


def shortlist_rows(ctx: RankerContext, qi: int, ids: np.ndarray, thesis_all: np.ndarray | None,
                   depth: int, columns: Sequence[str] = SHORTLIST_COLUMNS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stage one for query ``qi`` over the allowed investor ``ids`` (sorted): the baseline columns of every
    candidate, the shortlist (the top ``depth`` of every SHORTLIST_BASELINES ranking, the naive-Bayes score's,
    the ALS peer's and the thesis score's), and the full features of the shortlisted rows. ``thesis_all`` holds
    the thesis features of every candidate (rows aligned with ``ids``; None: unknown); ``columns``: the history
    columns computed for every candidate (at least :data:`SHORTLIST_COLUMNS`). Returns (baseline matrix of all,
    shortlisted row indices, their full matrix). The served ranking and the backtest both rank through this
    function."""
    q = np.full(len(ids), qi, dtype=np.int64)
    X = ctx.matrix(q, ids, None, only=columns, dtype=np.float64)  # float64: baselines read it as is
    extra = None
    if thesis_all is not None and len(ids):
        extra = _lexicographic_top(np.asarray(thesis_all[:, -1], dtype=np.float64), ids, depth)
    short = shortlist(X, ids, depth, extra)
    Xs = ctx.matrix(q[: len(short)], ids[short], thesis_all[short] if thesis_all is not None else None)
    return X, short, Xs


def query_rows(w: Window, qi: int, depth: int, *, exclude_prior: bool, k: int = 10,
               ranking: bool = True) -> QueryRows:
    """One query's rows; without ``ranking`` (a training window: only the shortlist and its features are
    read) the baselines' top k and the tail are left empty."""
    ids = w.allowed(qi)
    thesis_all = w.thesis(qi, ids) if w.thesis is not None and len(ids) else None
    X, short, Xs = shortlist_rows(w.context, qi, ids, thesis_all, depth, BASELINE_COLUMNS)
    if not ranking:
        return QueryRows(ids[short], Xs, ids[:0], {})
    tops = {name: ids[_lexicographic_top(fn(X), ids, k)] for name, fn in baseline_scorers(exclude_prior).items()}
    rest = np.setdiff1d(np.arange(len(ids)), short)
    fill = ids[rest[_lexicographic_top(baseline_scores("recency_popularity", X[rest, : len(HISTORY_FEATURES)]),
                                       ids[rest], k)]]
    return QueryRows(ids[short], Xs, fill, tops)


def rank_rows(ranker: InvestorRanker, rows: QueryRows, k: int) -> np.ndarray:
    """The ranker's top k investor ids: shortlisted rows by the ranker, then the rest by recent activity."""
    top: np.ndarray = rows.short_ids[_lexicographic_top(np.asarray(ranker.score(rows.X), dtype=np.float64),
                                                         rows.short_ids, k)]
    if len(top) < k:
        top = np.concatenate([top, rows.fill[: k - len(top)]])
    return top


def window_rows(w: Window, depth: int, *, exclude_prior: bool, k: int = 10, ranking: bool = True
                ) -> list[QueryRows]:
    """Every query of a window (computed once; training and evaluation share them). ``ranking=False`` is for
    training windows, which are never ranked: their rows skip what only a ranking reads (see
    :func:`query_rows`); rows computed for a ranking serve training as well, the other way round they are
    computed again."""
    key = (depth, exclude_prior, k, w.context.nb)
    if w.rows is None or w.rows[0][:4] != key or (ranking and not w.rows[0][4]):
        w.rows = ((*key, ranking), [query_rows(w, qi, depth, exclude_prior=exclude_prior, k=k, ranking=ranking)
                                    for qi in range(len(w.truths))])
    return w.rows[1]


def evaluate(w: Window, rankers: dict[str, InvestorRanker], *, exclude_prior: bool, depth: int, k: int = 10,
             baselines: bool = True, top_out: dict[str, list[list[int]]] | None = None) -> dict[str, Any]:
    """Macro NDCG@k (and recall, HR, MRR) of every ranker and baseline over the window's queries, every
    allowed candidate ranked (binary gain, ideal DCG over min(|truth|, k); truth outside the candidates
    counts as a miss). ``top_out`` collects each method's top k investor ids per query."""
    rows_all = window_rows(w, depth, exclude_prior=exclude_prior, k=k)
    sums: dict[str, np.ndarray] = {}
    recall_sh = 0.0
    for rows, truth in zip(rows_all, w.truths, strict=True):
        rel = {int(t): 1.0 for t in truth}
        recall_sh += len(set(rows.short_ids.tolist()) & set(rel)) / max(len(rel), 1)
        tops: dict[str, list[int]] = {name: [int(t) for t in rank_rows(r, rows, k)] for name, r in rankers.items()}
        if baselines:
            tops.update({name: [int(t) for t in top] for name, top in rows.baseline_tops.items()})
        for name, top in tops.items():
            sums[name] = sums.get(name, np.zeros(4)) + list_metrics(top, rel, k)
            if top_out is not None:
                top_out.setdefault(name, []).append(top)
    n = max(len(w.truths), 1)
    out: dict[str, Any] = {name: metrics_dict(v / n, k) for name, v in sums.items()}
    out["_shortlist_recall"] = recall_sh / n
    return out


def per_query_ndcg(tops: Sequence[Sequence[int]], truths: Sequence[set[int]], k: int = 10) -> np.ndarray:
    """NDCG@k of each query's list against its truth (binary gain), in query order: what :func:`evaluate`
    averages, kept per query so a choice made on a window can be checked on each half of its rounds."""
    return np.array([list_metrics(t, {int(x): 1.0 for x in truth}, k)[0]
                     for t, truth in zip(tops, truths, strict=True)])


def list_metrics(top: Sequence[int], rel: dict[int, float], k: int) -> np.ndarray:
    """(NDCG, recall, HR, MRR) at k of one ranked list."""
    return np.array([ndcg_at_k(top, rel, k), recall_at_k(top, rel, k), hit_rate_at_k(top, rel, k),
                     mrr_at_k(top, rel, k)])


def metrics_dict(v: np.ndarray, k: int) -> dict[str, float]:
    return {f"ndcg@{k}": float(v[0]), f"recall@{k}": float(v[1]), f"hr@{k}": float(v[2]), f"mrr@{k}": float(v[3])}


def _baseline_fn(name: str) -> Callable[[np.ndarray], np.ndarray]:
    def fn(X: np.ndarray) -> np.ndarray:
        return baseline_scores(name, X[:, : len(HISTORY_FEATURES)])

    return fn


def baseline_scorers(exclude_prior: bool) -> dict[str, Callable[[np.ndarray], np.ndarray]]:
    """Every baseline as a function of the full feature matrix (ALS: the peer's score, ties by activity)."""
    out: dict[str, Callable[[np.ndarray], np.ndarray]] = {}
    for b in BASELINES:
        if b == "random" or (b == "prior_investors_then_popularity" and exclude_prior):
            continue
        out[b] = _baseline_fn(b)
    out["als"] = lambda X: X[:, len(HISTORY_FEATURES) + _n_kinds(X)].astype(np.float64) * 1e3 + X[:, 0]
    return out


_NB_COLUMN = HISTORY_FEATURES.index("h_nb_score")


def simple_scorers(exclude_prior: bool) -> dict[str, Callable[[np.ndarray], np.ndarray]]:
    """The baselines and the fitted naive-Bayes score: every ranking that can be served instead of the model."""
    return {**baseline_scorers(exclude_prior),
            "naive_bayes": lambda X: np.nan_to_num(X[:, _NB_COLUMN].astype(np.float64), nan=-1e9) * 1e3 + X[:, 0]}


# -- the naive-Bayes score, fitted ------------------------------------------------------------------------------
NB_GRID: dict[str, tuple[float, ...]] = {"alpha_round": (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0),
                                         "alpha_region": (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0),
                                         "alpha_tag": (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0),
                                         "beta": (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5)}


@dataclass
class _NbQuery:
    counts: NbCounts  # over the window's candidates
    allowed: np.ndarray  # bool mask over the candidates
    ids: np.ndarray
    truth: dict[int, float]  # the round's investors (those without history count as misses)


def fit_naive_bayes(windows: Sequence[Window], *, max_queries: int = 1200, k: int = 10, passes: int = 2
                    ) -> tuple[NaiveBayes, dict[str, Any]]:
    """The smoothing of the naive-Bayes score that ranks the rounds of ``windows`` best (macro NDCG@k over every
    allowed candidate, as :func:`evaluate` counts it): coordinate ascent over :data:`NB_GRID` from the defaults,
    ``passes`` times, on at most ``max_queries`` queries spread evenly over the windows (newest first). Four
    numbers from hundreds of rounds: it holds up where a few hundred queries are too few for the trees."""
    data: list[_NbQuery] = []
    per = max(1, max_queries // max(len(windows), 1))
    for w in windows:
        ctx, cand = w.context, w.candidates
        j = ctx.view.rows_of(cand)
        step = max(1, -(-len(w.truths) // per))
        for qi in range(0, len(w.truths), step):
            if not np.isin(cand, list(w.truths[qi])).any():
                continue  # NDCG 0 whatever the smoothing
            c = nb_counts(ctx.view, ctx.eq, np.full(len(cand), qi, dtype=np.int64), j)
            data.append(_NbQuery(c, ~np.isin(cand, list(w.excluded[qi])), cand,
                                 {int(t): 1.0 for t in w.truths[qi]}))

    def quality(nb: NaiveBayes) -> float:
        total = 0.0
        for d in data:
            # as the served ``naive_bayes`` ranking orders them: ties by activity, then by id
            score = np.where(d.allowed, nb.terms(d.counts)[3] * 1e3 + np.log1p(d.counts.n), -np.inf)
            total += ndcg_at_k(d.ids[_lexicographic_top(score, d.ids, k)].tolist(), d.truth, k)
        return total / max(len(data), 1)

    best = NB_DEFAULT
    best_q = start_q = quality(best) if data else 0.0
    for _ in range(passes if data else 0):
        moved = False
        for name, grid in NB_GRID.items():
            for value in grid:
                trial = NaiveBayes(**{**dict(zip(NB_GRID, best.to_list(), strict=True)), name: value})
                if trial == best:
                    continue
                qv = quality(trial)
                if qv > best_q + 1e-9:
                    best, best_q, moved = trial, qv, True
        if not moved:
            break
    return best, {"params": dict(zip(NB_GRID, best.to_list(), strict=True)), "queries": len(data),
                  "ndcg@10_default": round(start_q, 6), "ndcg@10_fitted": round(best_q, 6)}


# -- training -----------------------------------------------------------------------------------------------
@dataclass
class TrainConfig:
    depth: int = 50  # shortlist: top rows of every baseline
    max_train_queries: int = 6000  # newest training windows first, until this many queries (bounds the time)
    learning_rate: float = 0.1
    num_leaves: int = 15
    min_data_in_leaf: int = 50
    max_rounds: int = 300
    early_stopping: int = 30
    seed: int = 0
    # a bag of models (seeds seed, seed + 1, ...) averaged: on a few hundred training rounds one model's score
    # swings with its random row and column samples and the round its early stopping picks (Chinese preset,
    # seeds 0-7: 1.09x-1.90x the best baseline with one model, mean 1.35x; 1.16x-1.74x, mean 1.42x with five;
    # seeds 0-15 with up to fifteen: mean 1.499x -> 1.519x, the worst seed 1.153x -> 1.248x). Big histories need
    # it less and pay for every model, so the bag shrinks to keep bags x training pairs within ``bag_pairs``:
    # the training budget of five models on 50,000 pairs, spent on more models where the history is smaller.
    bags: int = 15
    bag_pairs: int = 250_000
    monotone: bool = True
    # one thread: LightGBM's OpenMP workers spin while waiting, and next to any other busy process (a serving
    # worker, a second job) two threads ran 20-30x slower than one on this 2-core machine
    threads: int = 1
    # how much older history counts: a training window weighs ``decay ** age``, its age the years from its start
    # to the newest window's start, the weights scaled to a mean of 1 (LightGBM's L2 and leaf minimums are
    # absolute, so weights that were all smaller would regularise more: a second, unwanted effect). The model is
    # fitted once per decay and the validation year keeps the first unless another ranks it better on all its
    # rounds and on each half of them. A market that drifts (investors come and go, a boom ends) is learnt from
    # its recent years; one that does not keeps equal weights. (1.0,) alone is the earlier behaviour.
    window_decays: tuple[float, ...] = (1.0, 0.5)
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.window_decays or any(not 0.0 < d <= 1.0 for d in self.window_decays):
            raise ValueError(f"window_decays must be in (0, 1]: {self.window_decays}")


def window_ages(windows: Sequence[Window]) -> list[float]:
    """Each window's age in years: from its start (the date its history is viewed as of) to the newest
    window's start."""
    newest = max(w.context.view.as_of for w in windows)
    return [(newest - w.context.view.as_of).days / 365.25 for w in windows]


def _dataset(windows: Sequence[Window], cfg: TrainConfig, names: Sequence[str], exclude_prior: bool,
             ranking: bool = True) -> tuple[np.ndarray, np.ndarray, list[int], np.ndarray]:
    """Shortlisted rows of every query with at least one shortlisted positive, grouped by query, and each
    row's age in years (:func:`window_ages`). ``ranking=False``: windows that will not be ranked (training
    windows; see :func:`window_rows`)."""
    ages = window_ages(windows) if windows else []
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    groups: list[int] = []
    age: list[np.ndarray] = []
    for i, w in enumerate(windows):
        for rows, truth in zip(window_rows(w, cfg.depth, exclude_prior=exclude_prior, ranking=ranking), w.truths,
                               strict=True):
            y = np.isin(rows.short_ids, list(truth)).astype(np.int64)
            if y.sum() == 0 or y.sum() == len(y):
                continue
            xs.append(rows.X)
            ys.append(y)
            groups.append(len(y))
            age.append(np.full(len(y), ages[i], dtype=np.float64))
    if not xs:
        return (np.zeros((0, len(names)), dtype=np.float32), np.zeros(0, dtype=np.int64), [],
                np.zeros(0, dtype=np.float64))
    return np.vstack(xs), np.concatenate(ys), groups, np.concatenate(age)


def row_weights(age: np.ndarray, decay: float) -> np.ndarray | None:
    """Row weights ``decay ** age`` scaled to a mean of 1 (None for equal weights: LightGBM's own default, bit
    for bit)."""
    if decay == 1.0 or len(age) == 0:
        return None
    w = np.power(decay, age)
    out: np.ndarray = w / w.mean()
    return out


# Domain knowledge as monotone constraints: more of the same history (deals in this round, region, industry,
# with these co-investors), a closer fit or a higher thesis score never lowers a candidate; a longer silence or
# a bigger gap to its usual round or company age never raises it. Overall activity stays free (a busy
# generalist and a focused specialist can both be the better match).
MONOTONE: dict[str, int] = {
    **{n: 1 for n in ("h_log_recent", "h_log_recent90", "h_round_share", "h_log_round_count", "h_log_round_recent",
                      "h_near_round_share", "h_region_share", "h_log_region_count", "h_city_share", "h_macro_share",
                      "h_log_region_round", "h_log_region_round_recent", "h_tag_cosine", "h_tag_recent_cosine",
                      "h_log_tag_count", "h_log_round_tag", "h_log_region_round_tag", "h_tag_embedding",
                      "h_text_cosine", "h_text_nearest", "h_log_text_knn",
                      "h_log_coinvest", "h_coinvest_partners", "h_log_follow", "h_coinvest_share", "h_partner_share",
                      "h_nb_round", "h_nb_region", "h_nb_tag", "h_nb_score",
                      "als", "thesis_score")},
    **{n: -1 for n in ("h_log_days_since_last", "h_level_gap", "h_age_gap")},
}


def _params(cfg: TrainConfig, names: Sequence[str], seed: int | None = None) -> dict[str, Any]:
    monotone = [MONOTONE.get(n, 0) if cfg.monotone else (1 if n == "thesis_score" else 0) for n in names]
    return {"objective": "lambdarank", "metric": "ndcg", "eval_at": [10], "learning_rate": cfg.learning_rate,
            "num_leaves": cfg.num_leaves, "min_data_in_leaf": cfg.min_data_in_leaf, "feature_fraction": 0.8,
            "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0, "num_threads": cfg.threads,
            "seed": cfg.seed if seed is None else seed, "deterministic": True, "force_row_wise": True, "verbose": -1,
            "lambdarank_truncation_level": 30, "monotone_constraints": monotone, "max_bin": 63,
            "monotone_constraints_method": "basic", **cfg.extra}


def train_ranker(train: Sequence[Window], validation: Window | None, *, exclude_prior: bool,
                 config: TrainConfig | None = None, refit: bool = True,
                 progress: Callable[[str], None] | None = None) -> InvestorRanker:
    """Fit on ``train`` windows once per ``config.window_decays``, early-stop and choose the decay on
    ``validation``, select between the model and the simple rankings there, then (``refit``) fit again on every
    window with the chosen decay and numbers of rounds. Returns the selected ranker with its report."""
    import lightgbm as lgb

    say = progress or (lambda m: None)
    cfg = config or TrainConfig()
    used: list[Window] = []
    for w in train:  # newest first: fresher windows are worth more than older ones
        if used and sum(len(u.truths) for u in used) + len(w.truths) > cfg.max_train_queries:
            break
        used.append(w)
    train = used
    kinds = train[0].context.view.kinds if train else (validation.context.view.kinds if validation else [])
    names = feature_names(kinds)
    # the naive-Bayes smoothing first: its score is a feature and picks part of every shortlist
    nb, nb_report = fit_naive_bayes(train) if train else (NB_DEFAULT, {})
    for w in [*train, *([validation] if validation is not None else [])]:
        w.context.nb = nb
    say(f"ranker: naive Bayes {nb_report.get('params')} (NDCG@10 on training rounds "
        f"{nb_report.get('ndcg@10_default')} -> {nb_report.get('ndcg@10_fitted')})")
    X, y, groups, age = _dataset(train, cfg, names, exclude_prior, ranking=False)
    say(f"ranker: {len(groups)} training queries, {len(y)} pairs ({int(y.sum())} positive)")
    report: dict[str, Any] = {"train_queries": len(groups), "train_pairs": int(len(y)), "features": names,
                              "shortlist_depth": cfg.depth, "train_windows": len(train), "naive_bayes": nb_report}
    lgb_names = [n.replace(":", "_") for n in names]
    models: list[str] = []
    rounds: list[int] = []
    decay = cfg.window_decays[0]
    if len(groups) >= 20 and y.sum() > 0:
        callbacks: list[Callable[..., Any]] = []
        Xv, yv, gv, _ = _dataset([validation], cfg, names, exclude_prior) if validation is not None else \
            (X[:0], y[:0], [], age[:0])
        if gv:
            callbacks = [lgb.early_stopping(cfg.early_stopping, verbose=False)]
        bags = max(1, min(cfg.bags, cfg.bag_pairs // max(len(y), 1)))
        # without a validation year nothing can choose between decays: the first serves
        decays = list(dict.fromkeys(cfg.window_decays)) if gv else [decay]
        fits: dict[float, tuple[list[str], list[int]]] = {}
        for d in decays:
            dtrain = lgb.Dataset(X, y, group=groups, weight=row_weights(age, d), feature_name=lgb_names,
                                 free_raw_data=False)
            valid_sets = [lgb.Dataset(Xv, yv, group=gv, reference=dtrain, feature_name=lgb_names)] if gv else []
            texts: list[str] = []
            its: list[int] = []
            for b in range(bags):  # a bag of models that differ in their row and column samples
                booster = lgb.train(_params(cfg, names, seed=cfg.seed + b), dtrain, num_boost_round=cfg.max_rounds,
                                    valid_sets=valid_sets, callbacks=callbacks)
                its.append(int(booster.best_iteration or booster.current_iteration()))
                texts.append(booster.model_to_string(num_iteration=its[-1]))
            fits[d] = (texts, its)
        if len(fits) > 1:
            assert validation is not None
            decay_tops: dict[str, list[list[int]]] = {}
            evaluate(validation, {str(i): InvestorRanker("learned", names, fits[d][0], depth=cfg.depth, nb=nb)
                                  for i, d in enumerate(fits)},
                     exclude_prior=exclude_prior, depth=cfg.depth, baselines=False, top_out=decay_tops)
            by_decay = {d: per_query_ndcg(decay_tops[str(i)], validation.truths) for i, d in enumerate(fits)}
            # the first decay stays unless another beats it on the validation rounds and on each half of them
            # (odd and even rounds): picked as the best of several on these rounds, a lucky one rarely wins both
            first = decays[0]
            best = max(fits, key=lambda d: (float(by_decay[d].mean()), -decays.index(d)))
            if best != first and all(by_decay[best][h::2].mean() > by_decay[first][h::2].mean() for h in (0, 1)):
                decay = best
            report["window_decay"] = {"chosen": decay, "validation_ndcg@10": {
                f"{d:g}": round(float(v.mean()), 4) for d, v in by_decay.items()}}
        else:
            report["window_decay"] = {"chosen": decay}
        models, rounds = fits[decay]
        report["rounds"] = rounds[0] if len(rounds) == 1 else rounds
        say(f"ranker: decay {decay:g}, {rounds} boosting rounds")
    learned = InvestorRanker("learned", names, models, depth=cfg.depth, nb=nb) if models else None

    # without a validation window nothing shows the model beats the simple rules: a baseline serves
    selected = "baseline:recency_popularity"
    if validation is None:
        report["reason"] = "no validation window: the learned model was not checked against the baselines"
    else:
        own = {"naive_bayes": InvestorRanker("naive_bayes", names, depth=cfg.depth, nb=nb)}
        if learned is not None:
            own["learned"] = learned
        scores = evaluate(validation, own, exclude_prior=exclude_prior, depth=cfg.depth)
        ndcg = {n: v["ndcg@10"] for n, v in scores.items() if not n.startswith("_")}
        best_base = max((n for n in ndcg if n not in own), key=lambda n: ndcg[n])
        report["validation"] = {"ndcg@10": {n: round(v, 4) for n, v in ndcg.items()},
                                "learned": round(ndcg["learned"], 4) if "learned" in ndcg else None,
                                "naive_bayes": round(ndcg["naive_bayes"], 4),
                                "best_baseline": best_base, "best_baseline_ndcg@10": round(ndcg[best_base], 4),
                                "shortlist_recall": round(scores["_shortlist_recall"], 4),
                                "queries": len(validation.truths)}
        # the learned model serves only where it beats every simple ranking; else the best of those (a tie
        # between the naive-Bayes score and a baseline goes to the baseline)
        best_simple = f"baseline:{best_base}" if ndcg[best_base] >= ndcg["naive_bayes"] else "naive_bayes"
        wins = learned is not None and ndcg["learned"] > ndcg[best_base] and ndcg["learned"] >= ndcg["naive_bayes"]
        selected = "learned" if wins else best_simple
        if not wins and learned is not None and len(X):
            # the model alone lost: the model plus the winning simple ranking may still beat it (they err on
            # different rounds); a blend serves only where it does on the same validation rounds
            simple = best_simple.split(":", 1)[-1]
            blends = {f"{w:g}": blend_of(learned, simple, X, w) for w in BLEND_WEIGHTS}
            tops: dict[str, list[list[int]]] = {}
            rival = simple if simple == "naive_bayes" else best_base
            rivals = {"naive_bayes": own["naive_bayes"]} if simple == "naive_bayes" else {}
            evaluate(validation, {**blends, **rivals}, exclude_prior=exclude_prior, depth=cfg.depth,
                     baselines=simple != "naive_bayes", top_out=tops)
            per_query = {name: per_query_ndcg(tops[name], validation.truths) for name in [*blends, rival]}
            blend_ndcg = {w: float(per_query[w].mean()) for w in blends}
            best_w = max(blend_ndcg, key=lambda w: (blend_ndcg[w], -float(w)))
            # chosen among four weights on these rounds, so it must also win on each half of them (odd and
            # even rounds), not only on their mean: a lucky weight rarely wins both
            halves = [per_query[best_w][h::2].mean() > per_query[rival][h::2].mean() for h in (0, 1)]
            report["validation"]["blend"] = {"with": simple, "ndcg@10": {w: round(v, 4) for w, v in
                                                                         blend_ndcg.items()},
                                             "wins_both_halves": bool(all(halves))}
            if blend_ndcg[best_w] > max(ndcg[best_base], ndcg["naive_bayes"]) and all(halves):
                selected = f"blend:{simple}"
                report["validation"]["blend"]["weight"] = float(best_w)
        if wins and learned is not None and len(X):  # what the anchor does on the same rounds (reported only)
            anchored = blend_of(learned, best_base, X, ANCHOR_WEIGHT, anchored=True)
            report["validation"]["anchored"] = {
                "with": best_base, "weight": ANCHOR_WEIGHT,
                "ndcg@10": round(evaluate(validation, {"a": anchored}, exclude_prior=exclude_prior, depth=cfg.depth,
                                          baselines=False)["a"]["ndcg@10"], 4)}
        say(f"ranker validation: learned {ndcg.get('learned')}, naive Bayes {ndcg['naive_bayes']:.4f}, "
            f"{best_base} {ndcg[best_base]:.4f}: {selected}")
    report["selected"] = selected
    uses_model = selected == "learned" or selected.startswith("blend:")
    if uses_model and refit and validation is not None:
        # the validation year joins as the newest window (age 0), every training window as old as its start
        X2, y2, g2, age2 = _dataset([*train, validation], cfg, names, exclude_prior, ranking=False)
        d2 = lgb.Dataset(X2, y2, group=g2, weight=row_weights(age2, decay), feature_name=lgb_names,
                         free_raw_data=False)
        models = [lgb.train(_params(cfg, names, seed=cfg.seed + b), d2, num_boost_round=max(r, 1)).model_to_string()
                  for b, r in enumerate(rounds)]
        learned = InvestorRanker("learned", names, models, depth=cfg.depth, nb=nb)
        X, y = X2, y2
    if selected.startswith("blend:") and learned is not None:
        ranker = blend_of(learned, selected.split(":", 1)[1], X, float(report["validation"]["blend"]["weight"]))
    elif selected == "learned" and learned is not None:
        ranker = blend_of(learned, report["validation"]["best_baseline"], X, ANCHOR_WEIGHT, anchored=True)
    else:
        ranker = InvestorRanker(selected, names, depth=cfg.depth, nb=nb)
    raw = ranker.score(X) if len(X) else np.zeros(1)
    ranker.mean, ranker.std = float(np.mean(raw)), float(np.std(raw)) or 1.0
    ranker.report = report
    return ranker


# -- serving -------------------------------------------------------------------------------------------------
PROJECT_KEY = "p{}"  # a project's company key in the service's deal log
STAGE_ROUND = {"idea": "seed", "seed": "angel", "early": "a", "growth": "b", "expansion": "c_plus"}


def company_facts(key: str, industries: Sequence[str], city: str | None, founded: dt.date | None = None) -> Company:
    """A company of the service's deal log: industry codes as tags, and its province, city and macro region
    from its city code (``matcher.geography.deal_place``, as the backtest reads deal records)."""
    from matcher.taxonomy import REGIONS

    place = city if city and city in REGIONS and city != "nationwide" else ""
    region, town, macro = deal_place("", place) if place else ("", "", "")
    return Company(key, tuple(industries), region, town, macro, founded)


def company_of_project(pid: int, industries: Sequence[str], city: str, founded: dt.date | None) -> Company:
    """A project as a company of the service's deal log."""
    return company_facts(PROJECT_KEY.format(pid), industries, city, founded)


def project_company(project: ProjectProfile) -> Company:
    return company_of_project(project.id, project.industries, project.city, project.founded_on)


@dataclass
class InvestorHistory:
    """Serving state of the investor ranking: the selected ranker, the deal history viewed as of a date, the
    ALS peer fitted when the ranker was trained, and (backtest) company facts by project id."""

    ranker: InvestorRanker
    view: HistoryView
    als: AlsPeer
    companies: dict[int, Company] = field(default_factory=dict)
    exclude_prior: bool = True  # a project's own earlier investors are not recommended to it
    serial: int = 0  # tells one served state from the next (ranking cache keys)

    def backed_projects(self, investor_id: int) -> list[int]:
        """Projects (by id) whose company this investor backed before the view date."""
        log = self.view.log
        m = log.before(self.view.as_of)
        keys = {log.company_keys[int(c)] for c in np.unique(log.company[:m][log.investor[:m] == investor_id])}
        prefix = PROJECT_KEY.format("")
        return sorted(int(k[len(prefix):]) for k in keys if k.startswith(prefix) and k[len(prefix):].isdigit())

    def prior_investors(self, project: ProjectProfile) -> np.ndarray:
        """Investor ids that backed the project's company before the view date."""
        return self.view.log.company_investors(self.company(project).key, self.view.as_of)

    def company(self, project: ProjectProfile) -> Company:
        return self.companies.get(project.id) or project_company(project)

    def context(self, projects: Sequence[ProjectProfile], day: dt.date,
                domain_vectors: np.ndarray | None = None) -> RankerContext:
        """Query rounds of these projects on ``day``; a project that states no round raises the round its stage
        usually raises (its history features would otherwise read as a perfect round fit). ``domain_vectors``
        (rows aligned with ``projects``: the unit vectors of their one-liners, from the stored index) describe
        the projects the deal log does not know; a project without a one-liner has none."""
        queries = [Query(self.company(p), p.round_sought or STAGE_ROUND.get(p.stage), day) for p in projects]
        text = None
        if domain_vectors is not None and self.view.text_dim == domain_vectors.shape[1]:
            known = self.view.log.company_index  # the log's companies have their text in the view (or none)
            text = [v if p.domain_text.strip() and q.company.key not in known else None
                    for p, q, v in zip(projects, queries, domain_vectors, strict=True)]
        return RankerContext.build(self.view, queries, als=self.als, nb=self.ranker.nb, text=text)

    @property
    def uses_text(self) -> bool:
        """Whether the view holds company text vectors (the queries' one-liners are then worth fetching)."""
        return bool(self.view.text_dim)

    def h(self, raw: np.ndarray) -> np.ndarray:
        """The ranker's raw score on a fixed [0, 1] scale: a logistic of its standardised value (the mean and
        spread over the pairs it was trained on), the same for every query."""
        z = (np.asarray(raw, dtype=np.float64) - self.ranker.mean) / self.ranker.std
        out: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
        return out


# explanation groups of the ranker's features (the thesis features keep their own names)
GROUPS: dict[str, str] = {
    "h_log_n": "activity", "h_log_recent": "activity", "h_log_recent90": "activity",
    "h_log_days_since_last": "activity", "h_log_years_active": "activity",
    "h_round_share": "round", "h_log_round_count": "round", "h_log_round_recent": "round",
    "h_near_round_share": "round", "h_level_gap": "round", "q_level": "round",
    "h_region_share": "region", "h_log_region_count": "region", "h_city_share": "region", "h_macro_share": "region",
    "h_log_region_round": "region", "h_log_region_round_recent": "region",
    "h_tag_cosine": "industry", "h_tag_recent_cosine": "industry", "h_log_tag_count": "industry",
    "h_log_round_tag": "industry", "h_log_region_round_tag": "industry", "h_tag_embedding": "industry",
    "h_text_cosine": "industry", "h_text_nearest": "industry", "h_log_text_knn": "industry",
    "h_log_coinvest": "network", "h_coinvest_partners": "network", "h_log_follow": "network",
    "h_prior_investor": "network", "h_coinvest_share": "network", "h_partner_share": "network",
    "q_log_prior": "network", "als": "network",
    "h_followon_rate": "follow_on", "h_age_gap": "company_age",
    "h_nb_round": "round", "h_nb_region": "region", "h_nb_tag": "industry", "h_nb_score": "activity",
}


def attribute(history: InvestorHistory, X: np.ndarray, weight: float, thesis_weights: dict[str, float]
              ) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Split ``weight x h(raw)`` of each row of X into (history part (n,), named thesis parts {name: (n,)},
    history groups {group: (n,)}) that add up to it exactly: the part at the ranker's base value goes to
    ``history``, the rest in proportion to each feature's additive contribution to the raw score (SHAP for
    the learned model); ``thesis_score`` is split over the named features by their weighted values."""
    r = history.ranker
    phi = r.contributions(X)
    raw = phi.sum(axis=1)
    total = weight * history.h(raw)
    base = weight * history.h(phi[:, -1])
    parts = phi[:, :-1]
    sums = parts.sum(axis=1, keepdims=True)
    share = np.divide(parts, sums, out=np.zeros_like(parts), where=np.abs(sums) > 1e-12)
    moved = share * (total - base)[:, None]
    n = len(X)
    hist = base.copy()
    named: dict[str, np.ndarray] = {}
    groups: dict[str, np.ndarray] = {}
    thesis_names = [t for t in THESIS_FEATURES if t != "thesis_score"]
    offset = len(r.names) - len(THESIS_FEATURES)
    for i, name in enumerate(r.names):
        col = moved[:, i]
        if name == "thesis_score":
            vals = np.nan_to_num(X[:, offset: offset + len(thesis_names)].astype(np.float64))
            w = np.array([thesis_weights.get(t, 0.0) for t in thesis_names])
            wx = vals * w
            den = wx.sum(axis=1, keepdims=True)
            split = np.divide(wx, den, out=np.zeros_like(wx), where=np.abs(den) > 1e-12)
            for j, t in enumerate(thesis_names):
                named[t] = named.get(t, np.zeros(n)) + split[:, j] * col
            hist += np.where(np.abs(den[:, 0]) > 1e-12, 0.0, col)
        elif name in thesis_names:
            named[name] = named.get(name, np.zeros(n)) + col
        else:
            hist += col
            g = GROUPS.get(name, "kind" if name.startswith("kind:") else "other")
            groups[g] = groups.get(g, np.zeros(n)) + col
    return hist, named, groups
