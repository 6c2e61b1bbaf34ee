"""Two-stage ranking with explanations, exposure control, diversity and exploration.

One call ranks one query (a project, or an investor for deal flow) against one pool:

1. **Eligibility** over the whole pool: hard constraints (inactive, at capacity, outside the investor's
   rounds or ticket range, no shared language, other tenant, already matched or declined).
2. **Candidate generation** = the union of (a) the best ``semantic_fetch`` rows of an exact faiss
   inner-product search and (b) the best ``structured_fetch`` eligible rows by a structured pre-score (the
   operator's weights on every non-text feature plus exposure), so a candidate that a structured rule would
   rank high is never lost to a weak embedding. ``bench.latency`` measures the recall of this stage
   against exhaustive scoring.
3. **Scoring** of the candidates: all named features, ``score = sum(weight * feature) + learned +
   exposure``; every contribution is kept, so the explanation adds up to the score exactly.
4. Optional **diversity** (MMR on the expertise embeddings) and **exploration** (one slot drawn from the
   tail, favouring little-shown candidates, with its propensity).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from matcher.config import FEATURE_INDEX, FEATURES, KINDS, MatcherConfig, WeightSet
from matcher.errors import ConfigError
from matcher.explain import ITEM_REASON_COSINE, history_reasons, item_reason, reasons
from matcher.features import (
    INVESTOR_COLUMNS,
    POOL_FEATURES,
    QUERY_COLUMNS,
    StageFits,
    calibrate,
    exposure_from,
    field_cosines,
    gather,
    hard_mask,
    item_similarity,
    load_penalty,
    pool_features,
    query_features,
    stage_fits,
    stage_index,
    stage_prior,
)
from matcher.investor_ranker import InvestorHistory, attribute, shortlist_rows
from matcher.lexical import LexicalEncoder
from matcher.profiles import CandidateProfile, ProfileTable, ProjectProfile

__all__ = ["Exploration", "LearnedScorer", "Match", "Matcher", "Ranking"]


class LearnedScorer(Protocol):
    """A trained model over the named features (filled by the learning loop)."""

    @property
    def version(self) -> str: ...

    def predict(self, X: np.ndarray, ids: np.ndarray | None = None) -> np.ndarray:
        """(n,) probability of a good outcome, in [0, 1]; ``ids`` of the ranked profiles, when known, let the
        model add what it learned about each of them."""
        ...

    def attribute(self, X: np.ndarray, ids: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(per-feature attributions (n, F), baseline (n,)) with ``baseline + attr.sum(1) == predict(X, ids)``."""
        ...


@dataclass(frozen=True)
class Exploration:
    """Reserve on average ``share`` of the slots for candidates from beyond the top.

    A list of k explores with probability ``min(1, share * k)``: one candidate drawn from the next
    ``tail`` ranks (probability inversely proportional to 1 + recent impressions) is inserted at a random
    slot in the lower half; the k-th ranked candidate then drops out. Propensities are logged per shown
    candidate: 1 for ranks < k, ``1 - p_list`` for rank k, ``p_list * q`` for the explored one.
    """

    share: float
    rng: np.random.Generator
    tail: int = 50


@dataclass(frozen=True)
class Match:
    id: int
    position: int  # 1-based
    score: float
    features: dict[str, float]
    contributions: dict[str, float]  # sums to score
    learned_breakdown: dict[str, float]  # the learned contribution by named factor (+ "baseline")
    reasons_zh: list[str]
    reasons_en: list[str]
    explored: bool = False
    propensity: float = 1.0
    history_breakdown: dict[str, float] = field(default_factory=dict)  # the history contribution by group


@dataclass(frozen=True)
class Ranking:
    direction: str  # matches | dealflow
    kind: str  # candidate kind
    query_id: int
    matches: list[Match]
    eligible: int
    retrieved: int
    learned_active: bool
    learned_version: str | None
    weight_version: int | None
    candidate_rows: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0, dtype=np.int64))


def _top_rows(scores: np.ndarray, ids: np.ndarray, k: int, secondary: np.ndarray | None = None) -> np.ndarray:
    """Indices of the k best scores, best first, ties broken by the larger ``secondary`` (when given), then
    by smaller id (deterministic)."""
    n = len(scores)
    if n == 0 or k <= 0:
        return np.zeros(0, dtype=np.int64)
    if k < n:
        part = np.argpartition(-scores, k - 1)[:k]
        # include everything tied with the k-th score so the id tie-break is exact
        kth = scores[part].min()
        part = np.flatnonzero(scores >= kth)
    else:
        part = np.arange(n)
    keys = (ids[part], -scores[part]) if secondary is None else (ids[part], -secondary[part], -scores[part])
    order = np.lexsort(keys)
    return part[order][:k]


def _spread_tail(order: np.ndarray, k: int, head: int, spread: int, shows: np.ndarray) -> np.ndarray:
    """``order`` (best first) with places ``head + 1 .. k`` given to the least shown (``shows``, per entry of
    ``order``) of its entries ``head .. k + spread``, kept in their order; the rest follow in order. Equal
    ``shows`` (a fresh pool) leave ``order`` as it is."""
    end = min(len(order), k + spread)
    if end <= head or k <= head:
        return order
    window = np.arange(head, end)
    picked = np.zeros(len(order), dtype=bool)
    picked[np.sort(window[np.argsort(shows[head:end], kind="stable")[:k - head]])] = True
    rest = np.flatnonzero(~picked[head:end]) + head
    out: np.ndarray = np.concatenate([order[:head], order[picked], order[rest], order[end:]])
    return out


def _retrieval_query(q_vec: np.ndarray, dim: int, cal: tuple[float, float, float, float], w_a: float,
                     w_b: float) -> tuple[np.ndarray, float, float]:
    """The query faiss searches with: each field half scaled by ``weight / std`` of its calibration, so the
    inner product ranks rows by the linearised semantic part of the score rather than the plain average of
    the two cosines. Both the query and the stored rows are ``[a, b] / sqrt(2)``, so scaling the halves by
    ``2 * alpha`` and ``2 * beta`` gives IP = alpha * c_a + beta * c_b. Returns (query, alpha, beta)."""
    alpha = max(w_a, 0.0) / max(cal[1], 1e-6)
    beta = max(w_b, 0.0) / max(cal[3], 1e-6)
    if alpha == 0.0 and beta == 0.0:
        alpha = beta = 1.0
    out = q_vec.copy()
    out[:dim] *= 2.0 * alpha
    out[dim:] *= 2.0 * beta
    return out.astype(np.float32), alpha, beta


def _semantic_bound(ip: float, alpha: float, beta: float, cal: tuple[float, float, float, float], w_a: float,
                    w_b: float) -> float:
    """Largest semantic contribution ``w_a * f(c_a) + w_b * f(c_b)`` (f = the calibration logistic) of a row
    whose retrieval inner product ``alpha * c_a + beta * c_b`` is at most ``ip``, by a grid over ``c_a``."""
    c_a = np.linspace(-1.0, 1.0, 801)
    if beta > 0:
        c_b = np.clip((ip - alpha * c_a) / beta, -1.0, 1.0)
        if w_b < 0:
            c_b = np.full_like(c_a, -1.0)
    else:
        c_b = np.full_like(c_a, 1.0 if w_b >= 0 else -1.0)
    feasible = alpha * c_a + beta * c_b <= ip + 1e-6
    value = w_a * calibrate(c_a, cal[0], cal[1]) + w_b * calibrate(c_b, cal[2], cal[3])
    return float(value[feasible].max()) if feasible.any() else float(value.min())


class Matcher:
    """Ranks over :class:`ProfileTable` s: ``tables`` maps "project", "mentor", "investor", "provider"."""

    def __init__(self, tables: Mapping[str, ProfileTable], lexical: LexicalEncoder,
                 config: MatcherConfig | None = None) -> None:
        self.tables = dict(tables)
        self.lexical = lexical
        self.config = config or MatcherConfig()
        self._calibration: dict[str, tuple[tuple[int, int], tuple[float, float, float, float]]] = {}
        self._pinned: set[str] = set()
        self._lex_postings: dict[str, tuple[tuple[int, int], Any]] = {}
        self._static: dict[str, tuple[tuple[int, int, int, float], dict[str, np.ndarray], np.ndarray]] = {}
        self._exposure: dict[str, tuple[tuple[int, int, int], np.ndarray]] = {}
        self._stage_fits: tuple[tuple[int, int, int, int], StageFits] | None = None

    def stage_fits(self) -> StageFits:
        """Every investor's expected round and ticket fit for a project of each stage that states none, from what
        the project table's projects state (:class:`matcher.features.StagePrior`), cached per version of both
        tables: a query reads its stage's column by row instead of recomputing it over the pool."""
        projects, investors = self.tables["project"], self.tables["investor"]
        key = (id(projects), projects.version, id(investors), investors.version)
        if self._stage_fits is None or self._stage_fits[0] != key:
            self._stage_fits = (key, stage_fits(stage_prior(projects.cols), investors.cols))
        return self._stage_fits[1]

    def _pool_features(self, table: ProfileTable, now: float, prior: float) -> dict[str, np.ndarray]:
        """Query-independent features of every row: headroom, acceptance and freshness cached per (table,
        version, hour, prior); the exposure penalty, which every served list changes (``exposure_version``),
        recomputed alone from its cached capacity part (at 100k rows, the whole set cost ~3.5 ms per list)."""
        key = (id(table), table.version, int(now // 3600), round(prior, 6))
        cached = self._static.get(table.kind)
        if cached is None or cached[0] != key:
            values = pool_features(table.cols, now=now, config=self.config, acceptance_prior=prior,
                                   with_exposure=False)
            cached = (key, values, load_penalty(table.cols))
            self._static[table.kind] = cached
            self._exposure.pop(table.kind, None)
        ekey = (id(table), table.version, table.exposure_version)
        exp = self._exposure.get(table.kind)
        if exp is None or exp[0] != ekey:
            exp = (ekey, exposure_from(cached[2], table.cols, self.config))
            self._exposure[table.kind] = exp
        return {**cached[1], "exposure": exp[1]}

    def item_part(self, q_table: ProfileTable, q_row: int, pool: ProfileTable, rows: np.ndarray,
                  first: np.ndarray, ids: np.ndarray, w_item: float, k: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The second stage: ``w_item`` x ``sem_item`` for the best ``config.item_depth(k)`` of these pool rows
        by their first-stage score ``first`` (ties by id), 0 for the rest; with the best cosine and the pair's
        slots (query, pool; -1 where not scored). :meth:`rank` and cohort allocation both score this way."""
        n = len(rows)
        part = np.zeros(n, dtype=np.float64)
        best = np.zeros(n, dtype=np.float32)
        q_slot = np.full(n, -1, dtype=np.int64)
        c_slot = np.full(n, -1, dtype=np.int64)
        if w_item == 0.0 or n == 0:
            return part, best, q_slot, c_slot
        sel = _top_rows(np.where(np.isfinite(first), first, -np.inf), ids, self.config.item_depth(k))
        sel = sel[np.isfinite(first[sel])]
        q_vecs, q_mask = q_table.item_vectors(np.array([q_row]))
        b, qs, cs = item_similarity(q_vecs[0], q_mask[0], pool.item_codes[rows[sel]], pool.item_scales[rows[sel]])
        best[sel], q_slot[sel], c_slot[sel] = b, qs, cs
        part[sel] = w_item * b
        return part, best, q_slot, c_slot

    def pin_calibration(self, kind: str, project_rows: np.ndarray, pool_rows: np.ndarray | None = None
                        ) -> tuple[float, float, float, float]:
        """Calibrate ``kind`` on these project rows (and pool rows, default all) only and keep it whatever the
        tables do (the backtest calibrates on what is known before the cutoff, so a later company or
        investor cannot move a score)."""
        projects, pool = self.tables["project"], self.tables[kind]
        prow = np.asarray(project_rows, dtype=np.int64)
        crow = np.arange(len(pool)) if pool_rows is None else np.asarray(pool_rows, dtype=np.int64)
        values = self._estimate(projects, prow, pool, crow)
        self._calibration[kind] = ((-1, -1), values)
        self._pinned.add(kind)
        return values

    @staticmethod
    def _estimate(projects: ProfileTable, project_rows: np.ndarray, pool: ProfileTable, pool_rows: np.ndarray
                  ) -> tuple[float, float, float, float]:
        """The field cosines' (mean, std) over 4,000 deterministic random pairs of these rows (only the drawn
        rows are read)."""
        n_p, n_c, d = len(project_rows), len(pool_rows), pool.field_dim
        if min(n_p, n_c) == 0:
            return (0.0, 1.0, 0.0, 1.0)
        rng = np.random.default_rng(0)
        n = 4000
        pr = rng.integers(0, n_p, n)
        cr = rng.integers(0, n_c, n)
        pv, cv = projects.vectors(project_rows[pr]), pool.vectors(pool_rows[cr])
        first = 2.0 * np.einsum("ij,ij->i", pv[:, :d], cv[:, :d])
        second = 2.0 * np.einsum("ij,ij->i", pv[:, d:], cv[:, d:])
        return (float(first.mean()), float(first.std()) or 1.0, float(second.mean()), float(second.std()) or 1.0)

    def calibration(self, kind: str) -> tuple[float, float, float, float]:
        """(mean, std) of each field cosine over random project-candidate pairs of this kind.

        Estimated from up to 4,000 deterministic random pairs and re-estimated when either table has grown or
        shrunk by more than 10% since."""
        projects, pool = self.tables["project"], self.tables[kind]
        sizes = (len(projects), len(pool))
        cached = self._calibration.get(kind)
        if cached is not None and kind in self._pinned:
            return cached[1]
        if cached is not None:
            (n_p, n_c), values = cached
            if abs(sizes[0] - n_p) <= 0.1 * max(n_p, 1) and abs(sizes[1] - n_c) <= 0.1 * max(n_c, 1):
                return values
        if min(sizes) == 0:
            return (0.0, 1.0, 0.0, 1.0)
        values = self._estimate(projects, np.arange(sizes[0]), pool, np.arange(sizes[1]))
        self._calibration[kind] = (sizes, values)
        return values

    def _lexical_rows(self, table: ProfileTable) -> Any:
        """The table's lexical rows as one sparse matrix (rows x features). Not kept: only the postings built
        from it are (at 100k rows each copy is ~77 MB, and both were invalidated by the same table version)."""
        from scipy import sparse

        ids, w = table.lex_ids, table.lex_weights.astype(np.float32)
        keep = w.ravel() > 0
        r = np.repeat(np.arange(len(ids)), ids.shape[1])[keep]
        return sparse.csr_matrix((w.ravel()[keep], (r, ids.ravel()[keep])), shape=(len(ids), self.lexical.width))

    def _lexical_scores(self, table: ProfileTable, q_table: ProfileTable, q_row: int) -> np.ndarray:
        """Lexical cosine of one query row with every row of ``table``, through the table's postings (the
        transposed lexical matrix): only the rows sharing one of the query's ~100 terms are touched (a tenth
        of a millisecond over 10k investors, where the product with the whole matrix took ~0.8 ms)."""
        key = (id(table), table.version)
        cached = self._lex_postings.get(table.kind)
        if cached is None or cached[0] != key:
            cached = (key, self._lexical_rows(table).T.tocsr())
            self._lex_postings[table.kind] = cached
        ids, weights = q_table.lex_ids[q_row], q_table.lex_weights[q_row]
        keep = weights > 0  # rows are zero-padded
        terms, last = np.unique(ids[keep][::-1], return_index=True)  # a repeated term: its last weight, as _dense_lex
        values = weights[keep][::-1][last].astype(np.float32)
        out: np.ndarray = np.asarray(cached[1][terms].T @ values, dtype=np.float32).ravel()
        return out

    def _dense_lex(self, table: ProfileTable, row: int) -> np.ndarray:
        out = np.zeros(self.lexical.width, dtype=np.float32)
        terms = table.lex_weights[row] > 0  # rows are zero-padded
        out[table.lex_ids[row][terms]] = table.lex_weights[row][terms].astype(np.float32)
        return out

    def thesis_features(self, project_rows: np.ndarray, investor_rows: np.ndarray, weights: WeightSet,
                        query_X: np.ndarray | None = None) -> np.ndarray:
        """The investor thesis features of aligned (project row, investor row) pairs, one side a single row
        (broadcast): shape (n, len(THESIS_FEATURES)) in the order of ``matcher.investor_ranker.THESIS_FEATURES``
        - the query-dependent named features, with ``round_fit`` from the declared rounds only (1 declared,
        0.5 none declared, 0 other rounds: the history features carry the portfolio's round mix; for a project
        that states no round, the chance that its stage's round is declared, :class:`StageFits`), then
        ``thesis_score`` = the operator-weighted sum of those named features. ``query_X``: the pairs'
        :func:`query_features`, when the caller has them already (read, not changed)."""
        from matcher.investor_ranker import THESIS_FEATURES

        projects, pool = self.tables["project"], self.tables["investor"]
        pr = np.asarray(project_rows, dtype=np.int64)
        ir = np.asarray(investor_rows, dtype=np.int64)
        if len(pr) != 1 and len(ir) != 1 and len(pr) != len(ir):
            raise ConfigError("thesis_features: pair arrays must align or one side must be a single row")
        if query_X is None:
            names = QUERY_COLUMNS + INVESTOR_COLUMNS
            X = query_features(gather({name: projects.cols[name] for name in names}, pr),
                               gather({name: pool.cols[name] for name in names}, ir), kind="investor",
                               expected=(self.stage_fits(), ir))
        else:
            X = query_X.copy()
        rounds_p, rounds_c = projects.cols["rounds"][pr], pool.cols["rounds"][ir]
        in_round = np.where((rounds_p & rounds_c) != 0, 1.0, 0.0)
        stage = stage_index(projects.cols["stages"][pr])
        unstated = (rounds_p == 0) & (stage >= 0)
        if unstated.any():  # a project that states no round: the chance that its stage's round is theirs
            n = max(len(pr), len(ir))
            at = (np.broadcast_to(ir, (n,)), np.broadcast_to(np.maximum(stage, 0), (n,)))
            in_round = np.where(unstated, self.stage_fits().in_round[at], in_round)
        X[:, FEATURE_INDEX["round_fit"]] = np.where(rounds_c == 0, 0.5, in_round)
        d = pool.field_dim
        cal = self.calibration("investor")
        if len(pr) == 1 or len(ir) == 1:  # one side is one vector: products over the other table, no gather
            one, many, rows = (projects, pool, ir) if len(pr) == 1 else (pool, projects, pr)
            v = one.vectors(pr if len(pr) == 1 else ir)[0]
            a, b = many.index.half_products(v, d)  # a bfloat16 table a block at a time, no float32 copy
            first, second = 2.0 * a[rows], 2.0 * b[rows]
        else:
            pv, cv = projects.vectors(pr), pool.vectors(ir)
            first = 2.0 * (pv[:, :d] * cv[:, :d]).sum(axis=1)
            second = 2.0 * (pv[:, d:] * cv[:, d:]).sum(axis=1)
        X[:, FEATURE_INDEX["sem_need"]] = calibrate(np.asarray(first, dtype=np.float32), cal[0], cal[1])
        X[:, FEATURE_INDEX["sem_domain"]] = calibrate(np.asarray(second, dtype=np.float32), cal[2], cal[3])
        if len(pr) == 1:
            X[:, FEATURE_INDEX["lexical"]] = self._lexical_scores(pool, projects, int(pr[0]))[ir]
        else:
            X[:, FEATURE_INDEX["lexical"]] = self.lexical.similarity(self._dense_lex(pool, int(ir[0])),
                                                                     projects.lex_ids[pr], projects.lex_weights[pr])
        named = [n for n in THESIS_FEATURES if n != "thesis_score"]
        cols = [FEATURE_INDEX[n] for n in named]
        w = np.array([float(weights.weights.get(n, 0.0)) for n in named], dtype=np.float64)
        out = np.empty((len(X), len(THESIS_FEATURES)), dtype=np.float64)
        out[:, : len(named)] = X[:, cols]
        out[:, len(named)] = out[:, : len(named)] @ w
        return out

    def _tables_for(self, kind: str, direction: str) -> tuple[ProfileTable, ProfileTable]:
        if kind not in KINDS:
            raise ConfigError(f"unknown candidate kind {kind!r}; valid: {', '.join(KINDS)}")
        if direction == "matches":
            return self.tables["project"], self.tables[kind]
        if direction == "dealflow":
            if kind != "investor":
                raise ConfigError("deal flow ranks projects for investors only")
            return self.tables["investor"], self.tables["project"]
        raise ConfigError(f"unknown direction {direction!r}")

    def rank(
        self,
        *,
        kind: str,
        query_id: int,
        weights: WeightSet,
        k: int = 10,
        direction: str = "matches",
        exclude: Iterable[int] = (),
        now: dt.datetime | float | None = None,
        learned: LearnedScorer | None = None,
        acceptance_prior: float = 0.3,
        exhaustive: bool = False,
        explain: bool = True,
        exploration: Exploration | None = None,
        history: InvestorHistory | None = None,
    ) -> Ranking:
        """Rank the pool for one query. Raises KeyError when the query id is not in its table.

        With ``history`` (investors only), the investment-history ranker orders the investors: its shortlist
        (every baseline's top, the ALS peer's and the thesis score's) replaces the semantic retrieval, and its
        score on [0, 1] times the ``history`` weight replaces the weighted sum of the named features (which
        reach it through the thesis score); learned and exposure terms add as usual."""
        if k < 1:
            raise ConfigError("k must be >= 1")
        cfg = self.config
        q_table, pool = self._tables_for(kind, direction)
        q_row = int(q_table.rows_of([query_id])[0])
        q_cols = gather(q_table.cols, np.array([q_row]))
        if isinstance(now, dt.datetime):
            now_ts = now.timestamp()
        elif now is None:
            now_ts = dt.datetime.now(dt.UTC).timestamp()
        else:
            now_ts = float(now)
        matches_dir = direction == "matches"

        def sides(pool_cols: Mapping[str, np.ndarray]) -> tuple[Mapping[str, np.ndarray], Mapping[str, np.ndarray]]:
            return (q_cols, pool_cols) if matches_dir else (pool_cols, q_cols)

        # 1. eligibility over the whole pool
        P, C = sides(pool.cols)
        eligible = hard_mask(P, C, kind=kind, direction=direction, config=cfg)
        excluded = [i for i in exclude if i in pool]
        if excluded:
            eligible[pool.rows_of(excluded)] = False
        if history is not None and kind == "investor" and history.exclude_prior and matches_dir:
            project = q_table.profiles[q_row]
            assert isinstance(project, ProjectProfile)
            prior = [int(i) for i in history.prior_investors(project) if int(i) in pool]
            if prior:  # its own investors are not new matches for it
                eligible[pool.rows_of(prior)] = False
        elif history is not None and kind == "investor" and history.exclude_prior:
            backed = [i for i in history.backed_projects(query_id) if i in pool]
            if backed:  # nor its own portfolio new deals for an investor
                eligible[pool.rows_of(backed)] = False
        elig_rows = np.flatnonzero(eligible)
        w = np.asarray(weights.vector(), dtype=np.float32)
        w_learned = float(weights.weights.get("learned", 0.0))
        w_exposure = float(weights.weights.get("exposure", 0.0))

        # 2. candidate generation
        dense_cos: tuple[np.ndarray, np.ndarray] | None = None
        names = QUERY_COLUMNS + (INVESTOR_COLUMNS if kind == "investor" else ())
        sub = gather({name: pool.cols[name] for name in names}, elig_rows)
        Ps, Cs = sides(sub)
        X_elig = query_features(Ps, Cs, kind=kind, expected=None if kind != "investor" else
                                (self.stage_fits(), elig_rows if matches_dir else np.array([q_row])))
        static = self._pool_features(pool, now_ts, acceptance_prior)
        for name in POOL_FEATURES:
            X_elig[:, FEATURE_INDEX[name]] = static[name][elig_rows]
        exp_elig = static["exposure"][elig_rows] if matches_dir else np.zeros(len(elig_rows), dtype=np.float32)
        q_vec = q_table.vectors(np.array([q_row]))[0].copy()
        q_lex = self._dense_lex(q_table, q_row)
        use_history = history is not None and kind == "investor"
        X_hist = np.zeros((0, 0), dtype=np.float32)
        cal = self.calibration(kind)
        w_a, w_b = float(w[FEATURE_INDEX["sem_need"]]), float(w[FEATURE_INDEX["sem_domain"]])
        keep = max(cfg.structured_fetch, 3 * k)

        def semantic_part(ca: np.ndarray, cb: np.ndarray) -> np.ndarray:
            """The semantic part of a pre-score from the two field cosines (both retrieval paths)."""
            out: np.ndarray = w_a * calibrate(ca, cal[0], cal[1]) + w_b * calibrate(cb, cal[2], cal[3])
            return out

        if use_history:
            assert history is not None
            day = dt.datetime.fromtimestamp(now_ts, dt.UTC).date()
            if matches_dir:
                project = q_table.profiles[q_row]
                assert isinstance(project, ProjectProfile)
                ctx = history.context([project], day,
                                      q_table.second_field(np.array([q_row])) if history.uses_text else None)
                thesis_all = self.thesis_features(np.array([q_row]), elig_rows, weights, query_X=X_elig)
                _, cand_local, X_hist = shortlist_rows(ctx, 0, sub["ids"], thesis_all, history.ranker.depth)
            else:
                projects = [pool.profiles[int(r)] for r in elig_rows]  # deal flow: the pool is projects
                ctx = history.context(projects, day,  # type: ignore[arg-type]
                                      pool.second_field(elig_rows) if history.uses_text else None)
                thesis = self.thesis_features(elig_rows, np.array([q_row]), weights, query_X=X_elig)
                cand_local = np.arange(len(elig_rows))
                X_hist = ctx.matrix(cand_local, np.full(len(elig_rows), query_id, dtype=np.int64), thesis)
            retrieved = len(cand_local)
        elif exhaustive:
            cand_local = np.arange(len(elig_rows))
            retrieved = len(elig_rows)
        elif len(pool) <= cfg.dense_max and not pool.index.half:
            # a small pool: every eligible row's pre-score exactly (structured part + calibrated semantic part, the
            # walk's `exact` below), its field cosines from two matrix-vector products over all stored vectors,
            # which read the memory once and copy nothing; the best `keep` by pre-score go on
            dense_cos = field_cosines(q_vec, pool.vectors(), pool.field_dim)
            pre = X_elig @ w + w_exposure * exp_elig + semantic_part(dense_cos[0][elig_rows], dense_cos[1][elig_rows])
            cand_local = np.sort(_top_rows(pre, sub["ids"], keep))
            retrieved = len(elig_rows)
        else:
            # (a) exact semantic top by faiss; the last score bounds the combined cosine of everyone else
            r_query, alpha, beta = _retrieval_query(q_vec, pool.field_dim, cal, w_a, w_b)
            fetch = cfg.semantic_fetch + len(excluded)
            sem_rows, sem_scores = pool.index.search_rows(r_query[None, :], fetch)
            sem_rows, sem_scores = sem_rows[0], sem_scores[0]
            found = sem_rows >= 0
            sem_rows, sem_scores = sem_rows[found], sem_scores[found]
            local_of = np.full(len(pool), -1, dtype=np.int64)
            local_of[elig_rows] = np.arange(len(elig_rows))
            sem_local = local_of[sem_rows[eligible[sem_rows]]]
            # (b) threshold algorithm over every eligible row: upper bound = structured part + semantic part,
            # exact for the rows faiss returned, bounded for the rest (their retrieval IP is below the last
            # one faiss returned). Rows are visited by decreasing bound, their semantic part made exact, until
            # no unvisited row can reach the pre-score of the current `keep`-th best.
            # The lexical part is left to the final scoring; the walk allows for it with a cap, an assumption
            # rather than a proof: on seed data (5,000 mentors, 300 projects) the largest lexical cosine per
            # query has p99 0.39 without the glossary's concepts and 0.57 with them (max 0.71), above the cap
            # of 0.5; bench.latency's recall@100 at 100k stayed 1.000. A cap of 0.75 visited a fifth more rows
            # there (p50 24 -> 31 ms; see the README, "A bilingual glossary").
            lex_cap = max(float(w[FEATURE_INDEX["lexical"]]), 0.0) * cfg.lexical_bound
            structured = X_elig @ w + w_exposure * exp_elig
            exact = np.full(len(elig_rows), np.nan, dtype=np.float32)

            def exact_part(local: np.ndarray) -> np.ndarray:
                return semantic_part(*field_cosines(q_vec, pool.vectors(elig_rows[local]), pool.field_dim))

            known_parts: list[np.ndarray] = []
            if len(sem_local):
                exact[sem_local] = structured[sem_local] + exact_part(sem_local)
                known_parts.append(exact[sem_local])
            if len(sem_rows) < len(pool):
                ip = float(sem_scores[-1]) if len(sem_scores) else np.inf
                upper = structured + _semantic_bound(ip, alpha, beta, cal, w_a, w_b)
                upper[sem_local] = exact[sem_local]
                # rows in decreasing bound, sorted lazily a block at a time (partial sorts only)
                chunk = max(keep, cfg.walk_chunk)
                remaining = upper.copy()
                order = np.zeros(0, dtype=np.int64)
                visited = 0
                while visited < len(upper):
                    if visited >= len(order):
                        take = min(4 * chunk, len(upper) - len(order))
                        if take < len(upper) - len(order):
                            block = np.argpartition(-remaining, take - 1)[:take]
                        else:
                            block = np.flatnonzero(remaining > -np.inf)
                        block = block[np.argsort(-remaining[block], kind="stable")]
                        remaining[block] = -np.inf
                        order = np.concatenate([order, block])
                    batch = order[visited:visited + chunk]
                    todo = batch[np.isnan(exact[batch])]
                    if len(todo):
                        exact[todo] = structured[todo] + exact_part(todo)
                        known_parts.append(exact[todo])
                    visited += len(batch)
                    known = np.concatenate(known_parts) if known_parts else np.zeros(0, dtype=np.float32)
                    if len(known) >= keep and visited < len(upper):
                        cut = np.partition(known, len(known) - keep)[len(known) - keep]
                        # rows not yet sorted have bounds no higher than the last sorted one
                        next_upper = upper[order[visited]] if visited < len(order) else upper[order[-1]]
                        if next_upper + lex_cap < cut:
                            break
            else:
                exact = np.where(np.isnan(exact), structured, exact).astype(np.float32)
            valid = ~np.isnan(exact)
            scored_local = np.flatnonzero(valid)
            top = _top_rows(exact[scored_local], sub["ids"][scored_local], keep)
            cand_local = np.sort(scored_local[top])
            retrieved = int(valid.sum())
        rows = elig_rows[cand_local]
        X = X_elig[cand_local]
        exp_c = exp_elig[cand_local]

        # 3. full features and scores
        if dense_cos is not None:
            cos_a, cos_b = dense_cos[0][rows], dense_cos[1][rows]
        else:
            cos_a, cos_b = field_cosines(q_vec, pool.vectors(rows), pool.field_dim)
        X[:, FEATURE_INDEX["sem_need"]] = calibrate(cos_a, cal[0], cal[1])
        X[:, FEATURE_INDEX["sem_domain"]] = calibrate(cos_b, cal[2], cal[3])
        X[:, FEATURE_INDEX["lexical"]] = self.lexical.similarity(q_lex, pool.lex_ids[rows], pool.lex_weights[rows])
        base = X @ w
        w_history = float(weights.weights.get("history", 0.0))
        raw: np.ndarray | None = None
        if use_history:
            assert history is not None
            # the named weights reach the ranker through its thesis score; they do not add up again here
            raw = history.ranker.score(X_hist)
            base = np.zeros(len(rows), dtype=np.float64) + w_history * history.h(raw)
        ids = pool.cols["ids"][rows]
        # the second stage (sem_item) over the best of the first by the score the shortlist was drawn by (named
        # features without the lexical part, and exposure), so every path scores the same rows; an investor
        # history ranker has its own
        item_w = 0.0 if use_history else float(weights.weights.get("sem_item", 0.0))
        first = base - w[FEATURE_INDEX["lexical"]] * X[:, FEATURE_INDEX["lexical"]] + w_exposure * exp_c \
            if item_w else base
        item_part, item_cos, item_q, item_c = self.item_part(q_table, q_row, pool, rows, first, ids, item_w, k)
        base = base + item_part.astype(base.dtype)
        scored_cos = item_cos[item_c >= 0] if explain else item_cos[:0]
        # quote a pair only well above this list's typical best pair
        quote_min = max(ITEM_REASON_COSINE, float(np.median(scored_cos)) + 0.1) if len(scored_cos) else 1.0
        lam = float(weights.diversity)
        tail = exploration.tail if exploration is not None else 0
        # positions whose order must be exact: the list and the exploration tail after it (MMR: its pool)
        # exposure in the tail (MatcherConfig.exposure_tail_*): the list's tail is drawn from this many more
        spread = cfg.exposure_tail_pool if w_exposure > 0 and matches_dir and lam <= 0 \
            and 0 < cfg.exposure_tail_from < k else 0
        depth = (max(k, k * cfg.diversity_pool) if lam > 0 else k) + tail + spread
        # exposure also discounts the learned boost of over-exposed candidates: a model that has learned who
        # is good would otherwise show the same stars to everyone (exp_c is in [-1, 0])
        # (an exposure weight of 0 switches exposure control off entirely)
        d_share = cfg.exposure_learned_discount if w_exposure > 0 else 0.0
        p_learned, scored = self._learned_scores(learned, X, ids, base + w_exposure * exp_c,
                                                 w_learned * (1.0 + d_share * exp_c),
                                                 depth if cfg.learned_prune else len(rows))
        discount = d_share * w_learned * p_learned
        exposure_part = w_exposure * exp_c + discount * exp_c
        total = base + w_learned * p_learned + exposure_part
        if scored is not None:  # rows the model was not asked about cannot reach the top `depth`
            total = np.where(scored, total, -np.inf)

        # 4. selection: plain top-k, or MMR for diversity
        diversity = np.zeros(len(rows), dtype=np.float32)
        lifted: set[int] = set()  # rows placed in the list's tail by exposure, past higher scores
        if lam > 0 and len(rows) > 1:
            order = self._mmr(total, ids, pool.vectors(rows)[:, pool.field_dim:], k, lam, diversity)
        else:
            # the ranker's raw score breaks ties of the bounded total (a logistic saturates far in the tail)
            order = _top_rows(total, ids, k + tail + spread, raw)
            if spread:
                natural = set(order[:k].tolist())
                order = _spread_tail(order, k, cfg.exposure_tail_from, spread, pool.cols["impressions"][rows[order]])
                lifted = {int(i) for i in order[:k] if int(i) not in natural}
        shown = list(order[:k])
        explored_idx: int | None = None
        propensity = {int(i): 1.0 for i in shown}
        if exploration is not None and len(order) > k and exploration.share > 0:
            p_list = min(1.0, exploration.share * k)
            if len(shown) == k:
                propensity[int(shown[-1])] = 1.0 - p_list
            beyond = order[k:k + exploration.tail]
            if exploration.rng.random() < p_list and len(beyond):
                shows = pool.cols["impressions"][rows[beyond]].astype(np.float64)
                q = 1.0 / (1.0 + shows)
                q /= q.sum()
                pick = int(beyond[int(exploration.rng.choice(len(beyond), p=q))])
                slot = int(exploration.rng.integers(math.ceil(k / 2), k)) if k > 1 else 0
                shown = shown[:-1] if len(shown) == k else shown
                shown.insert(min(slot, len(shown)), pick)
                explored_idx = pick
                propensity[pick] = p_list * float(q[int(np.flatnonzero(beyond == pick)[0])])

        matches: list[Match] = []
        learned_active = learned is not None
        if learned_active and explain and shown:
            assert learned is not None
            attr, baseline = learned.attribute(X[shown], ids[shown])
        hist_part: np.ndarray = np.zeros(len(shown))
        hist_named: dict[str, np.ndarray] = {}
        hist_groups: dict[str, np.ndarray] = {}
        if use_history and shown:
            assert history is not None
            hist_part, hist_named, hist_groups = attribute(history, X_hist[shown], w_history,
                                                           dict(weights.weights))
        # the shown rows' values as Python floats in one conversion each (not one numpy scalar per feature)
        shown_X = X[shown] if shown else np.zeros((0, X.shape[1]), dtype=X.dtype)
        feat_rows = shown_X.tolist()
        contrib_rows = (shown_X * w).tolist()
        attr_rows = (w_learned * attr).tolist() if learned_active and explain and shown else []
        for pos, i in enumerate(shown, start=1):
            i = int(i)
            row = shown.index(i)
            feats = dict(zip(FEATURES, feat_rows[row], strict=True))
            history_breakdown: dict[str, float] = {}
            if use_history:
                contrib = {name: float(hist_named[name][row]) if name in hist_named else 0.0 for name in FEATURES}
                contrib["history"] = float(hist_part[row])
                history_breakdown = {g: float(v[row]) for g, v in sorted(hist_groups.items())}
            else:
                contrib = dict(zip(FEATURES, contrib_rows[row], strict=True))
                contrib["history"] = 0.0
            contrib["sem_item"] = float(item_part[i])
            contrib["learned"] = float(w_learned * p_learned[i])
            contrib["exposure"] = float(exposure_part[i])
            contrib["diversity"] = float(diversity[i])
            breakdown: dict[str, float] = {}
            if learned_active and explain:
                breakdown = {"baseline": float(w_learned * baseline[row])}
                breakdown.update(zip(FEATURES, attr_rows[row], strict=True))
            rz: list[str] = []
            ren: list[str] = []
            if explain:
                pool_profile = pool.profiles[int(rows[i])]
                q_profile = q_table.profiles[q_row]
                project, candidate = (q_profile, pool_profile) if matches_dir else (pool_profile, q_profile)
                assert isinstance(project, ProjectProfile) and isinstance(candidate, CandidateProfile)
                extra = history_reasons(history.ranker.names, X_hist[i], history_breakdown, project) \
                    if use_history and history is not None else []
                if 0 <= item_c[i] < len(pool_profile.items) and item_q[i] < len(q_profile.items):
                    q_item, c_item = q_profile.items[int(item_q[i])], pool_profile.items[int(item_c[i])]
                    extra = extra + item_reason(project, *((q_item, c_item) if matches_dir else (c_item, q_item)),
                                                float(item_cos[i]), float(item_part[i]), matches_dir, quote_min)
                rz, ren = reasons(project, candidate, feats, contrib, learned_active=learned_active,
                                  learned_probability=float(p_learned[i]) if learned_active else None, extra=extra,
                                  direction="matches" if matches_dir else "dealflow", explored=i == explored_idx,
                                  glossary=self.lexical.glossary, spread=i in lifted)
            matches.append(Match(
                id=int(ids[i]), position=pos, score=float(sum(contrib.values())), features=feats,
                contributions=contrib, learned_breakdown=breakdown, reasons_zh=rz, reasons_en=ren,
                explored=i == explored_idx, propensity=propensity.get(i, 1.0), history_breakdown=history_breakdown,
            ))
        return Ranking(
            direction=direction, kind=kind, query_id=query_id, matches=matches, eligible=len(elig_rows),
            retrieved=retrieved, learned_active=learned_active,
            learned_version=learned.version if learned is not None else None,
            weight_version=weights.version, candidate_rows=rows,
        )

    @staticmethod
    def _learned_scores(learned: LearnedScorer | None, X: np.ndarray, ids: np.ndarray, fixed: np.ndarray,
                        room: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray | None]:
        """The learned model's probabilities for the rows that can reach the best ``depth`` totals, where a
        row's total is ``fixed + room * p`` with ``p`` in [0, 1]: the model is asked about the rows best by
        their highest possible total first, then about every other row whose highest possible total reaches
        the ``depth``-th best total found (that cut can only rise as rows are added, so the rows left out are
        below it whatever the model would say). Returns (p, mask of the scored rows; None when all were): the
        same best ``depth`` rows, in the same order, as scoring every row, for a fraction of the trees' work."""
        n = len(X)
        if learned is None:
            return np.zeros(n, dtype=np.float32), None
        first = max(2 * depth, 64)
        if n <= first + depth:
            return np.clip(np.asarray(learned.predict(X, ids), dtype=np.float32), 0.0, 1.0), None
        upper = (fixed + np.maximum(room, 0.0)).astype(np.float64)
        p = np.zeros(n, dtype=np.float32)
        scored = np.zeros(n, dtype=bool)

        def ask(rows: np.ndarray) -> None:
            p[rows] = np.clip(np.asarray(learned.predict(X[rows], ids[rows]), dtype=np.float32), 0.0, 1.0)
            scored[rows] = True

        ask(np.sort(np.argpartition(-upper, first - 1)[:first]))
        totals = (fixed + room * p).astype(np.float64)[scored]
        cut = float(np.partition(totals, len(totals) - depth)[len(totals) - depth])
        more = np.flatnonzero(~scored & (upper + 1e-5 >= cut))  # 1e-5: float32 rounding of the totals
        if len(more):
            ask(more)
        return p, (None if scored.all() else scored)

    def _mmr(self, total: np.ndarray, ids: np.ndarray, expertise: np.ndarray, k: int, lam: float,
             diversity_out: np.ndarray) -> np.ndarray:
        """Greedy maximal marginal relevance over the best ``k * diversity_pool`` rows.

        Writes each picked row's penalty ``-lam * max cosine to the rows picked before it`` into
        ``diversity_out`` and returns picked rows first, then the rest by score."""
        pool_n = min(len(total), k * self.config.diversity_pool)
        top = _top_rows(total, ids, pool_n)
        emb = expertise[top]
        emb = emb / np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
        sims = emb @ emb.T
        picked: list[int] = []
        max_sim = np.full(len(top), -np.inf)
        remaining = np.ones(len(top), dtype=bool)
        for _ in range(min(k, len(top))):
            penalty = np.where(np.isinf(max_sim), 0.0, lam * np.maximum(max_sim, 0.0))
            value = np.where(remaining, total[top] - penalty, -np.inf)
            best = int(np.argmax(value))
            picked.append(best)
            remaining[best] = False
            diversity_out[top[best]] = 0.0 - float(penalty[best])
            max_sim = np.maximum(max_sim, sims[best])
        chosen = top[picked]
        rest = np.setdiff1d(np.arange(len(total)), chosen)
        rest = rest[np.lexsort((ids[rest], -total[rest]))]
        return np.concatenate([chosen, rest]).astype(np.int64)
