"""bench.exposure_frontier: the spread tail keeps the head and spreads the tail; the cap holds; end to end on a
small ecosystem (keyword encoder: no model weights needed)."""

from __future__ import annotations

from bench import exposure_frontier as ef


def test_spread_tail_keeps_the_head_and_gives_the_tail_to_the_least_shown() -> None:
    order = {1: list(range(100, 130)), 2: list(range(100, 130))}
    out = ef.spread_tail(order, pool=10)
    assert out[1] == list(range(100, 110))  # nobody shown yet: the order as it is
    assert out[2][:5] == list(range(100, 105))
    # places 6-10 of the first list were shown once: the second list's tail is the next five, in order
    assert out[2][5:] == list(range(110, 115))


def test_capped_holds_the_cap_and_refuses_what_cannot_be_filled() -> None:
    knowable = {p: {c: float(c == 1) + 0.01 * c for c in range(1, 13)} for p in range(1, 7)}
    lists = ef.capped(knowable, cap=6)
    assert lists is not None
    seen: dict[int, int] = {}
    for ids in lists.values():
        assert len(ids) == ef.K == len(set(ids))
        assert [knowable[1][c] for c in ids] == sorted((knowable[1][c] for c in ids), reverse=True)
        for c in ids:
            seen[c] = seen.get(c, 0) + 1
    assert max(seen.values()) <= 6
    assert ef.capped(knowable, cap=4) is None  # 6 lists of 10 from 12 mentors need a cap of at least 5


def test_frontier_end_to_end() -> None:
    r = ef.frontier(seed_value=3, scale=120, encoder="keyword", var_dir=None)
    assert r["projects"] > 0 and r["active_mentors"] > 0
    ceiling, tail = r["ceiling"], r["ceiling_spread_tail"]
    assert tail["acceptance_at5"] == ceiling["acceptance_at5"]  # the head is the ceiling's
    assert tail["gini"] <= ceiling["gini"]
    assert r["ceiling_capped"], r
    for caps in r["ceiling_capped"].values():
        assert 0.0 < caps["acceptance_at5"] < 1.0
        assert 0.0 <= caps["gini"] < 1.0 and 0.0 < caps["gini_examined"] < 1.0
