"""The int8 sketch of a vector table (matcher.sketch): its bound holds, it follows every change of its table, and
the dense path that pre-scores through it ranks exactly as the float32 products and the exhaustive ranking do."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from matcher import WeightSet
from matcher.index import FlatIndex
from matcher.sketch import Sketch
from tests.matcher.helpers import NOW, random_ecosystem


def _unit(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    x = rng.standard_normal((n, dim)).astype(np.float32)
    x[:, : dim // 2] /= np.linalg.norm(x[:, : dim // 2], axis=1, keepdims=True)
    x[:, dim // 2:] /= np.linalg.norm(x[:, dim // 2:], axis=1, keepdims=True)
    return (x * np.float32(np.sqrt(0.5))).astype(np.float32)


@pytest.mark.parametrize("half", [False, True])
def test_the_sketched_products_stay_within_their_bound_of_the_float32_products(half: bool) -> None:
    rng = np.random.default_rng(1)
    index = FlatIndex(96, half=half)
    x = _unit(rng, 3000, 96)
    x[:5] *= np.float32(40.0)  # rows far from unit length, and a row of one spike
    x[5] = 0.0
    x[5, 3] = 0.7
    index.add(np.arange(len(x)) + 10, x)
    stored = index.vectors(np.arange(len(x)))  # what the ranking's exact products read (bfloat16 widened)
    sketch = index.sketch()
    for q in [x[7], x[0] / 40.0, _unit(rng, 1, 96)[0], np.ones(96, dtype=np.float32) / np.sqrt(96)]:
        q = np.asarray(q, dtype=np.float32)
        first, second, e1, e2 = sketch.products(q)
        exact1, exact2 = stored[:, :48] @ q[:48], stored[:, 48:] @ q[48:]
        assert np.all(np.abs(first - exact1) <= e1) and np.all(np.abs(second - exact2) <= e2)
        assert np.abs(first - exact1).max() > 0  # a sketch, not a copy
        # and the bound is useful: far below the spread of the products over the table
        assert float(np.median(e1)) < 0.05 * float(exact1.std())
    with pytest.raises(ValueError, match="components"):
        sketch.products(np.zeros(95, dtype=np.float32))


def test_the_sketch_follows_every_change_of_its_table() -> None:
    """add, upsert, remove (rows move), keep_rows and the switch to bfloat16 leave the sketch equal to one built
    afresh from the stored rows."""
    rng = np.random.default_rng(2)
    index = FlatIndex(32)
    index.add(np.arange(100), _unit(rng, 100, 32))
    index.sketch()  # from now on kept in step

    def check() -> None:
        kept = index.sketch()
        fresh = Sketch(32, 16)
        fresh.append(index.vectors(np.arange(len(index))))
        q = _unit(rng, 1, 32)[0]
        assert kept.n == fresh.n == len(index)
        for a, b in zip(kept.products(q), fresh.products(q), strict=True):
            np.testing.assert_array_equal(a, b)

    index.add(np.arange(100, 1200), _unit(rng, 1100, 32))  # grows past the first capacity
    check()
    index.upsert([3, 50, 5000], _unit(rng, 3, 32))  # two replaced in place, one added
    check()
    index.remove([0, 17, 1199, 424242])
    check()
    index.keep_rows(np.arange(0, len(index), 3))
    check()
    index.to_half()
    check()
    index.upsert([3], _unit(rng, 1, 32))
    check()


@pytest.mark.parametrize("kind", ["mentor", "investor", "provider"])
def test_the_dense_path_ranks_alike_through_the_sketch_and_the_float32_products(kind: str) -> None:
    """Lists, scores and retrieved counts are the same with the sketch on and off, and the same as scoring every
    eligible row (the exhaustive ranking), with exclusions and with operator weights that make the semantic
    fields count more, less or against a candidate."""
    m, projects = random_ecosystem(1500, seed=11, kind=kind)
    m.config = replace(m.config, structured_fetch=60)
    on, off = m.config, replace(m.config, sketch=False)
    weights = [WeightSet.default(kind), WeightSet.parse(kind, {"sem_need": 2.0, "sem_domain": -0.5}),
               WeightSet.parse(kind, {"sem_need": 0.0, "sem_domain": 0.0})]
    for i, pid in enumerate(projects[:10]):
        w = weights[i % len(weights)]
        exclude = [] if i % 2 else [int(c) for c in m.tables[kind].index.ids()[:40]]
        m.config = on
        a = m.rank(kind=kind, query_id=pid, weights=w, k=20, now=NOW, explain=False, exclude=exclude)
        full = m.rank(kind=kind, query_id=pid, weights=w, k=20, now=NOW, explain=False, exclude=exclude,
                      exhaustive=True)
        m.config = off
        b = m.rank(kind=kind, query_id=pid, weights=w, k=20, now=NOW, explain=False, exclude=exclude)
        assert [x.id for x in a.matches] == [x.id for x in b.matches] == [x.id for x in full.matches]
        assert [x.score for x in a.matches] == pytest.approx([x.score for x in b.matches], abs=1e-6)
        assert a.retrieved == b.retrieved == a.eligible
    assert m.tables[kind].index._sketch is not None  # the sketch path did run
