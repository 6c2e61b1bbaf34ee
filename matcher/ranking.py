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
from typing import Protocol

import numpy as np

from matcher.config import FEATURE_INDEX, FEATURES, KINDS, MatcherConfig, WeightSet
from matcher.errors import ConfigError
from matcher.explain import reasons
from matcher.features import exposure, gather, hard_mask, semantic_features, structured_features
from matcher.lexical import LexicalEncoder
from matcher.profiles import CandidateProfile, ProfileTable, ProjectProfile

__all__ = ["Exploration", "LearnedScorer", "Match", "Matcher", "Ranking"]


class LearnedScorer(Protocol):
    """A trained model over the named features (filled by the learning loop)."""

    @property
    def version(self) -> str: ...

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(n,) probability of a good outcome, in [0, 1]."""
        ...

    def attribute(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(per-feature attributions (n, F), baseline (n,)) with ``baseline + attr.sum(1) == predict(X)``."""
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


def _top_rows(scores: np.ndarray, ids: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k best scores, best first, ties broken by smaller id (deterministic)."""
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
    order = np.lexsort((ids[part], -scores[part]))
    return part[order][:k]


class Matcher:
    """Ranks over :class:`ProfileTable` s: ``tables`` maps "project", "mentor", "investor", "provider"."""

    def __init__(self, tables: Mapping[str, ProfileTable], lexical: LexicalEncoder,
                 config: MatcherConfig | None = None) -> None:
        self.tables = dict(tables)
        self.lexical = lexical
        self.config = config or MatcherConfig()

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
    ) -> Ranking:
        """Rank the pool for one query. Raises KeyError when the query id is not in its table."""
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
        if not matches_dir and query_id in pool:  # never recommend a profile to itself
            eligible[pool.rows_of([query_id])] = False
        elig_rows = np.flatnonzero(eligible)
        w = np.asarray(weights.vector(), dtype=np.float32)
        w_learned = float(weights.weights.get("learned", 0.0))
        w_exposure = float(weights.weights.get("exposure", 0.0))
        pool_side = "candidate" if matches_dir else "project"

        # 2. candidate generation
        sub = gather(pool.cols, elig_rows)
        Ps, Cs = sides(sub)
        X_elig = structured_features(Ps, Cs, kind=kind, now=now_ts, config=cfg,
                                     acceptance_prior=acceptance_prior, pool_side=pool_side)
        exp_elig = exposure(sub, cfg) if matches_dir else np.zeros(len(elig_rows), dtype=np.float32)
        q_vec = q_table.vectors(np.array([q_row]))[0].copy()
        if exhaustive:
            cand_local = np.arange(len(elig_rows))
            retrieved = len(elig_rows)
        else:
            prescore = X_elig @ w + w_exposure * exp_elig
            struct_local = _top_rows(prescore, sub["ids"], cfg.structured_fetch)
            sem_rows, _ = pool.index.search_rows(q_vec[None, :], cfg.semantic_fetch + len(excluded))
            sem_rows = sem_rows[0]
            sem_rows = sem_rows[sem_rows >= 0]
            sem_rows = sem_rows[eligible[sem_rows]]
            local_of = np.full(len(pool), -1, dtype=np.int64)
            local_of[elig_rows] = np.arange(len(elig_rows))
            sem_local = local_of[sem_rows]
            cand_local = np.union1d(struct_local, sem_local)
            retrieved = len(cand_local)
        rows = elig_rows[cand_local]
        X = X_elig[cand_local]
        exp_c = exp_elig[cand_local]

        # 3. full features and scores
        vecs = pool.vectors(rows)
        sem_a, sem_b = semantic_features(q_vec, vecs, pool.field_dim)
        X[:, FEATURE_INDEX["sem_need"]] = sem_a
        X[:, FEATURE_INDEX["sem_domain"]] = sem_b
        q_lex = np.zeros(self.lexical.n_features, dtype=np.float32)
        q_terms = q_table.lex_weights[q_row] > 0  # rows are zero-padded
        q_lex[q_table.lex_ids[q_row][q_terms]] = q_table.lex_weights[q_row][q_terms].astype(np.float32)
        X[:, FEATURE_INDEX["lexical"]] = self.lexical.similarity(q_lex, pool.lex_ids[rows], pool.lex_weights[rows])
        base = X @ w
        if learned is not None:
            p_learned = np.clip(np.asarray(learned.predict(X), dtype=np.float32), 0.0, 1.0)
        else:
            p_learned = np.zeros(len(rows), dtype=np.float32)
        total = base + w_learned * p_learned + w_exposure * exp_c
        ids = pool.cols["ids"][rows]

        # 4. selection: plain top-k, or MMR for diversity
        diversity = np.zeros(len(rows), dtype=np.float32)
        lam = float(weights.diversity)
        if lam > 0 and len(rows) > 1:
            order = self._mmr(total, ids, vecs[:, pool.field_dim:], k, lam, diversity)
        else:
            order = _top_rows(total, ids, k + (exploration.tail if exploration else 0))
        shown = list(order[:k])
        explored_idx: int | None = None
        propensity = {int(i): 1.0 for i in shown}
        if exploration is not None and len(order) > k and exploration.share > 0:
            p_list = min(1.0, exploration.share * k)
            if len(shown) == k:
                propensity[int(shown[-1])] = 1.0 - p_list
            tail = order[k:k + exploration.tail]
            if exploration.rng.random() < p_list and len(tail):
                shows = pool.cols["impressions"][rows[tail]].astype(np.float64)
                q = 1.0 / (1.0 + shows)
                q /= q.sum()
                pick = int(tail[int(exploration.rng.choice(len(tail), p=q))])
                slot = int(exploration.rng.integers(math.ceil(k / 2), k)) if k > 1 else 0
                shown = shown[:-1] if len(shown) == k else shown
                shown.insert(min(slot, len(shown)), pick)
                explored_idx = pick
                propensity[pick] = p_list * float(q[int(np.flatnonzero(tail == pick)[0])])

        matches: list[Match] = []
        learned_active = learned is not None
        if learned_active and explain and shown:
            assert learned is not None
            attr, baseline = learned.attribute(X[shown])
        for pos, i in enumerate(shown, start=1):
            i = int(i)
            feats = {name: float(X[i, j]) for j, name in enumerate(FEATURES)}
            contrib = {name: float(w[j] * X[i, j]) for j, name in enumerate(FEATURES)}
            contrib["learned"] = float(w_learned * p_learned[i])
            contrib["exposure"] = float(w_exposure * exp_c[i])
            contrib["diversity"] = float(diversity[i])
            breakdown: dict[str, float] = {}
            if learned_active and explain:
                row = shown.index(i)
                breakdown = {"baseline": float(w_learned * baseline[row])}
                breakdown.update({name: float(w_learned * attr[row, j]) for j, name in enumerate(FEATURES)})
            rz: list[str] = []
            ren: list[str] = []
            if explain:
                pool_profile = pool.profiles[int(rows[i])]
                q_profile = q_table.profiles[q_row]
                project, candidate = (q_profile, pool_profile) if matches_dir else (pool_profile, q_profile)
                assert isinstance(project, ProjectProfile) and isinstance(candidate, CandidateProfile)
                rz, ren = reasons(project, candidate, feats, contrib, learned_active=learned_active,
                                  learned_probability=float(p_learned[i]) if learned_active else None)
            matches.append(Match(
                id=int(ids[i]), position=pos, score=float(sum(contrib.values())), features=feats,
                contributions=contrib, learned_breakdown=breakdown, reasons_zh=rz, reasons_en=ren,
                explored=i == explored_idx, propensity=propensity.get(i, 1.0),
            ))
        return Ranking(
            direction=direction, kind=kind, query_id=query_id, matches=matches, eligible=len(elig_rows),
            retrieved=retrieved, learned_active=learned_active,
            learned_version=learned.version if learned is not None else None,
            weight_version=weights.version, candidate_rows=rows,
        )

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
