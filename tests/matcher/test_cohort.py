from __future__ import annotations

import numpy as np
import pytest

from matcher import WeightSet
from matcher.cohort import allocate_cohort, score_edges
from tests.matcher.helpers import NOW, random_ecosystem


def test_batched_scores_equal_ranking_scores() -> None:
    m, projects = random_ecosystem(300, seed=4)
    w = WeightSet.default("mentor").with_weights(exposure=0.0)
    ep, ec, es = score_edges(m, kind="mentor", project_ids=projects, weights=w, top=10, now=NOW, block=7)
    for pid in projects:
        ranked = m.rank(kind="mentor", query_id=pid, weights=w, k=10, now=NOW, exhaustive=True, explain=False)
        mine = ep == pid
        got = dict(zip(ec[mine].tolist(), es[mine].tolist(), strict=True))
        assert list(got) == [x.id for x in ranked.matches]
        for x in ranked.matches:
            assert got[x.id] == pytest.approx(x.score, abs=1e-4)


def test_cohort_allocation_respects_capacity_and_covers() -> None:
    m, projects = random_ecosystem(40, seed=8)
    w = WeightSet.default("mentor")
    result, edges = allocate_cohort(m, kind="mentor", project_ids=projects, weights=w, cover=True,
                                    candidates_per_project=15, now=NOW)
    pool = m.tables["mentor"]
    assert result.capacity_violations == 0
    for cid, load in result.load.items():
        row = int(pool.rows_of([cid])[0])
        assert load <= pool.cols["capacity"][row] - pool.cols["load"][row]
    assert result.total_score == pytest.approx(sum(edges[p] for p in result.pairs))
    # every project with an eligible candidate is covered (capacity is ample here)
    with_edges = {p for p, _ in edges}
    assert set(projects) - set(result.unassigned) == with_edges
    limited, _ = allocate_cohort(m, kind="mentor", project_ids=projects, weights=w, cover=True,
                                 candidate_ids=[int(i) for i in pool.cols["ids"][:3]], now=NOW)
    assert {c for _, c in limited.pairs} <= set(int(i) for i in pool.cols["ids"][:3])
    assert np.all(np.isfinite([s for s in edges.values()]))
