"""Cohort allocation over a :class:`~matcher.ranking.Matcher`: score every project of the cohort against
every candidate in blocks (all named features, vectorised over project x candidate pairs; semantics as
matrix products, the lexical part as one sparse product), keep each project's best eligible candidates as
edges, then solve the global assignment (:func:`matcher.allocation.allocate`).

The scores are the ranking scores of :meth:`Matcher.rank` without exposure and diversity (balancing load
is the allocation's own job); a test checks that both paths agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import cast

import numpy as np
from scipy import sparse

from matcher.allocation import Allocation, allocate
from matcher.config import FEATURE_INDEX, WeightSet
from matcher.features import POOL_FEATURES, WIDE_COLUMNS, LazyRows, calibrate, gather, hard_mask, query_features
from matcher.investor_ranker import InvestorHistory
from matcher.profiles import ProfileTable
from matcher.ranking import LearnedScorer, Matcher

__all__ = ["allocate_cohort", "score_edges"]


def _lexical_matrix(table: ProfileTable, rows: np.ndarray, width: int) -> sparse.csr_matrix:
    ids = table.lex_ids[rows]
    weights = table.lex_weights[rows].astype(np.float32)
    r = np.repeat(np.arange(len(rows)), ids.shape[1])
    keep = weights.ravel() > 0
    return sparse.csr_matrix((weights.ravel()[keep], (r[keep], ids.ravel()[keep])), shape=(len(rows), width))


def score_edges(
    matcher: Matcher,
    *,
    kind: str,
    project_ids: Sequence[int],
    weights: WeightSet,
    candidate_ids: Sequence[int] | None = None,
    top: int = 50,
    now: dt.datetime | float | None = None,
    learned: LearnedScorer | None = None,
    acceptance_prior: float = 0.3,
    block: int = 256,
    history: InvestorHistory | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each project's ``top`` best eligible candidates: (project ids, candidate ids, scores) as edges.

    Investors with ``history``: each project's list is :meth:`Matcher.rank` itself (the investor ranker
    scores a shortlist per project), without exposure and diversity."""
    projects, pool = matcher.tables["project"], matcher.tables[kind]
    if kind == "investor" and history is not None:
        return _ranked_edges(matcher, project_ids=project_ids, weights=weights, candidate_ids=candidate_ids, top=top,
                             now=now, learned=learned, acceptance_prior=acceptance_prior, history=history)
    cfg = matcher.config
    now_ts = now.timestamp() if isinstance(now, dt.datetime) else \
        dt.datetime.now(dt.UTC).timestamp() if now is None else float(now)
    p_rows = projects.rows_of(list(project_ids))
    c_rows = pool.rows_of(list(candidate_ids)) if candidate_ids is not None else np.arange(len(pool))
    n_c = len(c_rows)
    out_p: list[np.ndarray] = []
    out_c: list[np.ndarray] = []
    out_s: list[np.ndarray] = []
    if n_c == 0 or len(p_rows) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    w = np.asarray(weights.vector(), dtype=np.float32)
    w_learned = float(weights.weights.get("learned", 0.0))
    w_item = float(weights.weights.get("sem_item", 0.0))
    C = gather(pool.cols, c_rows)
    static = matcher._pool_features(pool, now_ts, acceptance_prior)
    static_c = {name: static[name][c_rows] for name in POOL_FEATURES}
    cal = matcher.calibration(kind)
    d = pool.field_dim
    c_vecs = pool.vectors(c_rows)
    c_lex = _lexical_matrix(pool, c_rows, matcher.lexical.width).T.tocsr()
    c_ids = C["ids"]
    keep = min(top, n_c)
    for start in range(0, len(p_rows), block):
        pr = p_rows[start:start + block]
        b = len(pr)
        # wide columns are never read on the project side, and on the candidate side lazily (LazyRows)
        P = {name: np.repeat(col[pr], n_c, axis=0) for name, col in projects.cols.items() if name not in WIDE_COLUMNS}
        Cb = {name: cast(np.ndarray, LazyRows(pool.cols[name], np.tile(c_rows, b))) if name in WIDE_COLUMNS
              else np.tile(col, (b,) + (1,) * (col.ndim - 1)) for name, col in C.items()}
        mask = hard_mask(P, Cb, kind=kind, direction="matches", config=cfg).reshape(b, n_c)
        X = query_features(P, Cb, kind=kind, expected=(matcher.stage_fits(), np.tile(c_rows, b))
                           if kind == "investor" else None)
        for name in POOL_FEATURES:
            X[:, FEATURE_INDEX[name]] = np.tile(static_c[name], b)
        p_vecs = projects.vectors(pr)
        cos_a = 2.0 * (p_vecs[:, :d] @ c_vecs[:, :d].T)
        cos_b = 2.0 * (p_vecs[:, d:] @ c_vecs[:, d:].T)
        X[:, FEATURE_INDEX["sem_need"]] = calibrate(cos_a.ravel(), cal[0], cal[1])
        X[:, FEATURE_INDEX["sem_domain"]] = calibrate(cos_b.ravel(), cal[2], cal[3])
        lex = (_lexical_matrix(projects, pr, matcher.lexical.width) @ c_lex).toarray()
        X[:, FEATURE_INDEX["lexical"]] = lex.ravel()
        score = (X @ w).reshape(b, n_c)
        score[~mask] = -np.inf
        if w_item:  # the second stage, as Matcher.rank scores it: over the best by the score without lexical
            first = score - w[FEATURE_INDEX["lexical"]] * lex
            for j in range(b):
                score[j] += matcher.item_part(projects, int(pr[j]), pool, c_rows, first[j], c_ids, w_item, top)[0]
        # best `keep` per project (a learned model re-scores a wider shortlist first)
        wide = min(n_c, keep * (3 if learned is not None else 1))
        part = np.argpartition(-score, wide - 1, axis=1)[:, :wide] if wide < n_c else \
            np.tile(np.arange(n_c), (b, 1))
        rows_b = np.repeat(np.arange(b), part.shape[1])
        cols_b = part.ravel()
        vals = score[rows_b, cols_b]
        if learned is not None:
            finite = np.isfinite(vals)
            flat = rows_b * n_c + cols_b
            bonus = np.zeros(len(vals), dtype=np.float32)
            bonus[finite] = w_learned * np.clip(learned.predict(X[flat[finite]], c_ids[cols_b[finite]]), 0.0, 1.0)
            vals = vals + bonus
        grid = vals.reshape(b, -1)
        top_idx = np.argsort(-grid, axis=1, kind="stable")[:, :keep]
        sel_r = np.repeat(np.arange(b), keep)
        sel_c = part[sel_r, top_idx.ravel()] if wide < n_c else top_idx.ravel()
        sel_v = grid[sel_r, top_idx.ravel()]
        ok = np.isfinite(sel_v)
        out_p.append(projects.cols["ids"][pr][sel_r[ok]])
        out_c.append(c_ids[sel_c[ok]])
        out_s.append(sel_v[ok].astype(np.float64))
    return np.concatenate(out_p), np.concatenate(out_c), np.concatenate(out_s)


def _ranked_edges(matcher: Matcher, *, project_ids: Sequence[int], weights: WeightSet,
                  candidate_ids: Sequence[int] | None, top: int, now: dt.datetime | float | None,
                  learned: LearnedScorer | None, acceptance_prior: float, history: InvestorHistory
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pool = matcher.tables["investor"]
    plain = replace(weights, weights={**weights.weights, "exposure": 0.0}, diversity=0.0)
    outside: list[int] = []
    if candidate_ids is not None:
        allowed = set(int(c) for c in candidate_ids)
        outside = [int(i) for i in pool.cols["ids"] if int(i) not in allowed]
    out_p: list[int] = []
    out_c: list[int] = []
    out_s: list[float] = []
    for pid in project_ids:
        ranking = matcher.rank(kind="investor", query_id=int(pid), weights=plain, k=top, exclude=outside, now=now,
                               learned=learned, acceptance_prior=acceptance_prior, explain=False, history=history)
        for m in ranking.matches:
            out_p.append(int(pid))
            out_c.append(m.id)
            out_s.append(m.score)
    return (np.asarray(out_p, dtype=np.int64), np.asarray(out_c, dtype=np.int64), np.asarray(out_s, dtype=np.float64))


def allocate_cohort(
    matcher: Matcher,
    *,
    kind: str,
    project_ids: Sequence[int],
    weights: WeightSet,
    per_project: int = 1,
    cover: bool = False,
    candidates_per_project: int = 50,
    candidate_ids: Sequence[int] | None = None,
    now: dt.datetime | float | None = None,
    learned: LearnedScorer | None = None,
    history: InvestorHistory | None = None,
) -> tuple[Allocation, dict[tuple[int, int], float]]:
    """Assign ``project_ids`` to candidates of ``kind`` within their remaining capacity.

    Edges are each project's ``candidates_per_project`` best eligible candidates (hard constraints apply).
    ``candidate_ids`` limits the pool (e.g. a space's mentor cohort). Returns the allocation and the score
    of every edge considered."""
    pool = matcher.tables[kind]
    ep, ec, es = score_edges(matcher, kind=kind, project_ids=project_ids, weights=weights,
                             candidate_ids=candidate_ids, top=candidates_per_project, now=now, learned=learned,
                             history=history)
    edges = {(int(p), int(c)): float(s) for p, c, s in zip(ep, ec, es, strict=True)}
    cand_ids = np.unique(ec)
    col_of = {int(c): j for j, c in enumerate(cand_ids)}
    row_of = {int(p): i for i, p in enumerate(project_ids)}
    capacities = np.zeros(len(cand_ids))
    if len(cand_ids):
        rows = pool.rows_of(cand_ids)
        cap = pool.cols["capacity"][rows].astype(np.float64)
        load = pool.cols["load"][rows].astype(np.float64)
        capacities = np.where(np.isinf(cap), float(len(project_ids) * per_project), np.maximum(cap - load, 0.0))
    result = allocate(
        np.asarray([int(p) for p in project_ids], dtype=np.int64),
        cand_ids.astype(np.int64),
        capacities,
        np.fromiter((row_of[int(p)] for p in ep), dtype=np.int64, count=len(ep)),
        np.fromiter((col_of[int(c)] for c in ec), dtype=np.int64, count=len(ec)),
        es,
        per_project=per_project,
        cover=cover,
    )
    return result, edges
