"""The per-process ranking cache: entries expire between 0.5 and 1 times the ttl, LRU-bounded."""

from __future__ import annotations

from typing import Any

import pytest

from api.services import matching as svc


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> _Clock:
    c = _Clock()
    monkeypatch.setattr(svc.time, "monotonic", c)
    return c


def test_entries_live_between_half_and_all_of_the_ttl(clock: _Clock) -> None:
    cache = svc.RankingCache(ttl=40.0)
    marker: Any = object()
    lives = []
    for i in range(200):
        cache.put(("k", i), marker)
    for i in range(200):
        assert cache.get(("k", i)) is marker
    # walk the clock: every entry is alive before 20 s and gone after 40 s; expiries spread in between
    for step in range(0, 41):
        clock.now = 1000.0 + step
        alive = sum(cache.get(("k", i)) is not None for i in range(200))
        lives.append(alive)
    assert lives[19] == 200
    assert lives[40] == 0
    assert 0 < lives[30] < 200  # spread, not one cliff


def test_ttl_zero_switches_the_cache_off(clock: _Clock) -> None:
    cache = svc.RankingCache(ttl=0.0)
    cache.put(("k",), object())  # type: ignore[arg-type]
    assert cache.get(("k",)) is None


def test_size_bound_evicts_least_recently_used(clock: _Clock) -> None:
    cache = svc.RankingCache(ttl=60.0, size=2)
    a: Any = object()
    b: Any = object()
    c: Any = object()
    cache.put(("a",), a)
    cache.put(("b",), b)
    assert cache.get(("a",)) is a  # a is now the most recent
    cache.put(("c",), c)
    assert cache.get(("b",)) is None
    assert cache.get(("a",)) is a and cache.get(("c",)) is c
