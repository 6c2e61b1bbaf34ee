from __future__ import annotations

import numpy as np
import pytest

from matcher import ConfigError, Exploration, WeightSet
from matcher.config import FEATURE_INDEX, FEATURES
from tests.matcher.helpers import NOW, build, investor, mentor, project, random_ecosystem


def ids(ranking) -> list[int]:  # type: ignore[no-untyped-def]
    return [m.id for m in ranking.matches]


@pytest.fixture
def small():  # type: ignore[no-untyped-def]
    mentors = [
        mentor(1),  # perfect
        mentor(2, serves=("ip",), offer_text="专利布局"),  # half the needs
        mentor(3, industries=("education",), serves=("hr_recruiting",), stages=("growth",),
               offer_text="招聘与团队", expertise_text="教育", city="harbin", regions=("harbin",)),  # poor
        mentor(4, active=False),
        mentor(5, capacity=2, load=2),
        mentor(6, languages=("en",)),
        mentor(7, space_id=99),  # private to another space
        mentor(8),  # excluded by the caller (already matched)
        mentor(9, space_id=1, serves=("ip",), offer_text="专利布局"),  # private to the project's space
    ]
    return build([project(1)], mentor=mentors)


def test_known_answer_ranking_and_hard_constraints(small) -> None:  # type: ignore[no-untyped-def]
    r = small.rank(kind="mentor", query_id=1, weights=WeightSet.default("mentor"), k=10, exclude=[8], now=NOW)
    got = ids(r)
    assert got[0] == 1
    assert set(got[1:3]) == {2, 9} and got[-1] == 3
    assert not {4, 5, 6, 7, 8} & set(got)
    assert r.eligible == 4


def test_contributions_sum_to_score(small) -> None:  # type: ignore[no-untyped-def]
    for diversity in (0.0, 0.6):
        r = small.rank(kind="mentor", query_id=1, weights=WeightSet.parse("mentor", {}, diversity=diversity), k=4,
                       now=NOW)
        scores = [m.score for m in r.matches]
        assert scores == sorted(scores, reverse=True)
        for m in r.matches:
            assert m.score == pytest.approx(sum(m.contributions.values()), abs=1e-6)
            assert set(FEATURES) <= set(m.contributions)


def test_explanations_are_bilingual_and_specific(small) -> None:  # type: ignore[no-untyped-def]
    top = small.rank(kind="mentor", query_id=1, weights=WeightSet.default("mentor"), k=1, now=NOW).matches[0]
    assert "行业匹配：人工智能" in top.reasons_zh and "Industry match: AI" in top.reasons_en
    assert "可满足需求：知识产权、融资" in top.reasons_zh
    assert not any("学习模型" in r for r in top.reasons_zh) and top.contributions["learned"] == 0.0


def test_weights_change_the_order(small) -> None:  # type: ignore[no-untyped-def]
    only_region = WeightSet.parse("mentor", {name: 0.0 for name in FEATURES} | {"region": 1.0, "exposure": 0.0})
    r = small.rank(kind="mentor", query_id=1, weights=only_region, k=10, now=NOW)
    assert ids(r)[-1] == 3  # the Harbin mentor is the only one in another city
    with pytest.raises(ConfigError, match="unknown weight names"):
        WeightSet.parse("mentor", {"charisma": 1.0})
    with pytest.raises(ConfigError, match="finite"):
        WeightSet.parse("mentor", {"region": float("nan")})


def test_investor_round_and_ticket_constraints() -> None:
    investors = [
        investor(1),
        investor(2, rounds=("b", "c_plus")),  # wrong round
        investor(3, ticket_min=50_000_000, ticket_max=200_000_000, rounds=("angel",)),  # ticket far too big
        investor(4, languages=("en",)),
    ]
    m = build([project(1), project(2, funding_sought=0, round_sought=None)], investor=investors)
    r = m.rank(kind="investor", query_id=1, weights=WeightSet.default("investor"), k=10, now=NOW)
    assert ids(r) == [1]
    top = r.matches[0]
    assert "轮次匹配：天使轮" in top.reasons_zh and top.features["round_fit"] > 0.6
    # a project not seeking a round is not filtered by rounds or tickets
    r2 = m.rank(kind="investor", query_id=2, weights=WeightSet.default("investor"), k=10, now=NOW)
    assert sorted(ids(r2)) == [1, 2, 3]


def test_a_project_that_states_no_round_gets_the_rounds_and_amounts_of_its_stage() -> None:
    """Without a stated round or amount, an investor's round and ticket fit are their expectation over what the
    network's projects at the same stage raise (a domain prior while few state it), not 0 and 0.5 for all."""
    investors = [
        investor(1, rounds=("angel",), round_history=(), ticket_min=1_000_000, ticket_max=5_000_000),
        investor(2, rounds=("b",), round_history=(), ticket_min=50_000_000, ticket_max=200_000_000),
    ]
    quiet = project(9, stage="seed", round_sought=None, funding_sought=0, needs=("ip",))
    # seed-stage projects of the network raise angel rounds of ~3m
    angels = [project(i, stage="seed", round_sought="angel", funding_sought=3_000_000) for i in range(1, 9)]
    m = build([*angels, quiet], investor=investors)
    w = WeightSet.default("investor")
    r = m.rank(kind="investor", query_id=9, weights=w, k=10, now=NOW)
    assert ids(r) == [1, 2]
    angel, b = r.matches
    assert angel.features["round_fit"] > 0.7 and b.features["round_fit"] < 0.1
    # eight stated amounts against a shrinkage worth five unknown ones (0.5): (8 x fit + 5 x 0.5) / 13
    assert angel.features["ticket_fit"] > 0.7 and b.features["ticket_fit"] == pytest.approx(2.5 / 13, abs=1e-6)
    assert "投资种子期项目常见的轮次" in angel.reasons_zh and not any("常见的轮次" in x for x in b.reasons_zh)
    # the network's own projects outweigh the prior: where seed-stage projects raise B rounds of 100m, B fits
    bees = [project(i, stage="seed", round_sought="b", funding_sought=100_000_000) for i in range(1, 9)]
    m2 = build([*bees, quiet], investor=investors)
    r2 = m2.rank(kind="investor", query_id=9, weights=w, k=10, now=NOW)
    assert ids(r2) == [2, 1]
    assert r2.matches[0].features["round_fit"] > 0.5 and r2.matches[0].features["ticket_fit"] > 0.7
    # one project stating an amount moves a silent project's ticket fit only a little
    one = build([angels[0], quiet], investor=investors).rank(kind="investor", query_id=9, weights=w, k=10, now=NOW)
    assert all(abs(m.features["ticket_fit"] - 0.5) < 0.1 for m in one.matches)
    # a project that states its round keeps the exact fit
    stated = m.rank(kind="investor", query_id=1, weights=w, k=10, now=NOW)
    assert ids(stated) == [1] and stated.matches[0].features["round_fit"] == pytest.approx(1.0)


def test_an_investors_deal_flow_keeps_the_project_that_shares_its_id() -> None:
    """Projects and investors are numbered in separate tables: investor 1's deal flow holds project 1."""
    m = build([project(1), project(2)], investor=[investor(1), investor(2)])
    for iid in (1, 2):
        r = m.rank(kind="investor", query_id=iid, weights=WeightSet.default("dealflow"), k=10, direction="dealflow",
                   now=NOW)
        assert sorted(ids(r)) == [1, 2]


def test_dealflow_ranks_curated_projects_for_an_investor() -> None:
    projects = [
        project(1),
        project(2, curated=False),
        project(3, industries=("education",), need_text="招聘", domain_text="在线教育"),
        project(4, space_id=2),
        project(5, round_sought="b", funding_sought=80_000_000),
    ]
    m = build(projects, investor=[investor(10), investor(11, space_id=1)])
    r = m.rank(kind="investor", query_id=10, weights=WeightSet.default("dealflow"), k=10, direction="dealflow", now=NOW)
    assert ids(r)[:2] == [1, 4] and 3 in ids(r) and 2 not in ids(r) and 5 not in ids(r)
    private = m.rank(kind="investor", query_id=11, weights=WeightSet.default("dealflow"), k=10,
                     direction="dealflow", now=NOW)
    assert 4 not in ids(private)
    with pytest.raises(ConfigError):
        m.rank(kind="mentor", query_id=10, weights=WeightSet.default("dealflow"), direction="dealflow")


def test_two_stage_matches_exhaustive_when_fetch_covers_pool() -> None:
    m, projects = random_ecosystem(300, seed=3)
    w = WeightSet.default("mentor")
    for pid in projects[:5]:
        fast = m.rank(kind="mentor", query_id=pid, weights=w, k=20, now=NOW, explain=False)
        full = m.rank(kind="mentor", query_id=pid, weights=w, k=20, now=NOW, explain=False, exhaustive=True)
        assert ids(fast) == ids(full)
        assert full.retrieved == full.eligible >= fast.retrieved


@pytest.mark.parametrize("half", [False, True])
@pytest.mark.parametrize("kind", ["mentor", "investor"])
@pytest.mark.parametrize("dense_max", [0, 20_000])
def test_both_retrieval_paths_rank_as_the_exhaustive_ranking(dense_max: int, kind: str, half: bool) -> None:
    """Faiss plus the threshold walk (dense_max 0; a fetch far smaller than the pool, so the walk does walk) and
    the dense products over every row select the same top lists as scoring every eligible row, also with
    candidates excluded (as intros already made exclude them); so they do when the pool stores bfloat16 rows
    (as a table reserved for more than ``half_above`` rows does)."""
    from dataclasses import replace

    m, projects = random_ecosystem(1500, seed=5, kind=kind)
    if half:
        m.tables[kind].index.to_half()
        m.tables["project"].index.to_half()
    m.config = replace(m.config, dense_max=dense_max, semantic_fetch=40, structured_fetch=60, walk_chunk=64)
    w = WeightSet.default(kind)
    for i, pid in enumerate(projects[:8]):
        exclude: list[int] = []
        if i % 2:  # the exhaustive ranking's best three are excluded
            exclude = ids(m.rank(kind=kind, query_id=pid, weights=w, k=3, now=NOW, explain=False, exhaustive=True))
        fast = m.rank(kind=kind, query_id=pid, weights=w, k=20, now=NOW, explain=False, exclude=exclude)
        full = m.rank(kind=kind, query_id=pid, weights=w, k=20, now=NOW, explain=False, exhaustive=True,
                      exclude=exclude)
        assert ids(fast) == ids(full) and not set(exclude) & set(ids(fast))
        assert [x.score for x in fast.matches] == pytest.approx([x.score for x in full.matches], abs=1e-6)
        if dense_max and not half:
            assert fast.retrieved == fast.eligible  # every eligible row was scored
        else:  # a bfloat16 pool is searched by faiss whatever its size (widening every row costs more)
            assert fast.retrieved < fast.eligible  # the walk stopped early


def test_exposure_pushes_busy_candidates_down() -> None:
    m = build([project(1)], mentor=[mentor(1, capacity=4, load=3, impressions=60), mentor(2)])
    w = WeightSet.default("mentor")
    r = m.rank(kind="mentor", query_id=1, weights=w, k=2, now=NOW)
    assert ids(r) == [2, 1] and r.matches[1].contributions["exposure"] < r.matches[0].contributions["exposure"] <= 0
    flat = m.rank(kind="mentor", query_id=1, weights=w.with_weights(exposure=0.0, capacity_headroom=0.0), k=2, now=NOW)
    assert flat.matches[0].score == pytest.approx(flat.matches[1].score)


def test_the_exposure_penalty_follows_every_served_list_and_every_load_change() -> None:
    """The exposure part is cached apart from the other pool features and recomputed after each served list;
    a load change (a new table version) recomputes its capacity part."""
    m = build([project(1)], mentor=[mentor(1, capacity=4), mentor(2, capacity=4)])
    w = WeightSet.default("mentor")

    def penalty(mid: int) -> float:
        r = m.rank(kind="mentor", query_id=1, weights=w, k=2, now=NOW)
        return next(x.contributions["exposure"] for x in r.matches if x.id == mid)

    start = penalty(1)
    m.tables["mentor"].bump_impressions([1] * 40)  # shown far more than its fair share
    shown = penalty(1)
    assert shown < start
    m.tables["mentor"].adjust_load(1, 3)  # and then nearly full
    assert penalty(1) < shown


def test_the_tail_of_a_list_goes_to_the_less_shown_of_the_next_best() -> None:
    """After the first ``exposure_tail_from`` places (by score), a list's places go to the least shown of the
    next best; a fresh pool (nobody shown) or ``exposure_tail_pool=0`` ranks by score alone."""
    from dataclasses import replace

    m, projects = random_ecosystem(200, seed=3)
    table = m.tables["mentor"]
    table.cols["impressions"][:] = 0.0  # a fresh pool: nobody shown yet
    table.exposure_version += 1
    w = WeightSet.default("mentor")
    fresh = m.rank(kind="mentor", query_id=projects[0], weights=w, k=20, now=NOW)
    scores = [x.score for x in fresh.matches]
    assert scores == sorted(scores, reverse=True)
    fresh10 = ids(m.rank(kind="mentor", query_id=projects[0], weights=w, k=10, now=NOW))
    assert fresh10 == ids(fresh)[:10]
    # everyone shown once but five of places 11-15: nobody is over the fair share, so no score moves
    spared = ids(fresh)[10:15]
    table.bump_impressions([i for i in table.cols["ids"].tolist() if i not in spared])
    spread = m.rank(kind="mentor", query_id=projects[0], weights=w, k=10, now=NOW)
    assert ids(spread)[:5] == fresh10[:5]
    assert ids(spread)[5:] == spared  # the five never shown, in their order by score
    assert all(("Shown less often lately" in x.reasons_en[-1]) == (x.position > 5) for x in spread.matches)
    before = {x.id: x.score for x in fresh.matches}
    assert all(x.score == pytest.approx(before[x.id]) for x in spread.matches)  # placed, not re-scored
    for off in ({"exposure_tail_pool": 0}, {"exposure_tail_from": 0}):
        m.config = replace(m.config, **{"exposure_tail_from": 5, "exposure_tail_pool": 10, **off})
        assert ids(m.rank(kind="mentor", query_id=projects[0], weights=w, k=10, now=NOW)) == fresh10
    with pytest.raises(ConfigError):
        replace(m.config, exposure_tail_from=-1)


def test_diversity_spreads_expertise() -> None:
    same = [mentor(i, expertise_text="计算机视觉 图像识别") for i in range(1, 5)]
    other = [mentor(10, expertise_text="供应链 金融 风控", serves=("ip",))]
    m = build([project(1)], mentor=same + other)
    plain = m.rank(kind="mentor", query_id=1, weights=WeightSet.default("mentor"), k=3, now=NOW)
    assert 10 not in ids(plain)
    diverse = m.rank(kind="mentor", query_id=1, weights=WeightSet.parse("mentor", {}, diversity=1.0), k=3, now=NOW)
    assert 10 in ids(diverse)
    assert any(x.contributions["diversity"] < 0 for x in diverse.matches)


def test_exploration_logs_propensities() -> None:
    m, projects = random_ecosystem(200, seed=5)
    w = WeightSet.default("mentor")
    base = m.rank(kind="mentor", query_id=projects[0], weights=w, k=10, now=NOW)
    rng = np.random.default_rng(0)
    explored_lists = 0
    for _ in range(40):
        r = m.rank(kind="mentor", query_id=projects[0], weights=w, k=10, now=NOW,
                   exploration=Exploration(share=0.05, rng=rng))
        assert len(r.matches) == 10 and len(set(ids(r))) == 10
        explored = [x for x in r.matches if x.explored]
        if explored:
            explored_lists += 1
            assert len(explored) == 1 and 0 < explored[0].propensity < 0.5
            assert explored[0].reasons_zh[0] == "新推荐，帮助我们了解你的偏好"  # marked, first
            assert not any("新推荐" in reason for x in r.matches if not x.explored for reason in x.reasons_zh)
            assert explored[0].id not in ids(base)
            assert explored[0].position >= 5
            assert ids(r)[:4] == ids(base)[:4]
        else:
            assert ids(r) == ids(base)
            assert r.matches[-1].propensity == pytest.approx(0.5)
    assert 8 < explored_lists < 32  # p_list = 0.5


class FakeLearned:
    version = "fake-1"

    def predict(self, X: np.ndarray, ids: np.ndarray | None = None) -> np.ndarray:
        return 0.2 + 0.5 * X[:, FEATURE_INDEX["needs_coverage"]] + 0.3 * X[:, FEATURE_INDEX["region"]]

    def attribute(self, X: np.ndarray, ids: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        attr = np.zeros_like(X)
        attr[:, FEATURE_INDEX["needs_coverage"]] = 0.5 * X[:, FEATURE_INDEX["needs_coverage"]]
        attr[:, FEATURE_INDEX["region"]] = 0.3 * X[:, FEATURE_INDEX["region"]]
        return attr, np.full(len(X), 0.2)


def test_learned_feature_is_blended_and_explained(small) -> None:  # type: ignore[no-untyped-def]
    w = WeightSet.default("mentor")
    r = small.rank(kind="mentor", query_id=1, weights=w, k=3, now=NOW, learned=FakeLearned())
    assert r.learned_active and r.learned_version == "fake-1"
    for x in r.matches:
        assert x.contributions["learned"] > 0
        assert sum(x.learned_breakdown.values()) == pytest.approx(x.contributions["learned"], abs=1e-6)
        assert x.score == pytest.approx(sum(x.contributions.values()), abs=1e-6)
        assert any("成功概率" in s for s in x.reasons_zh)


def test_table_updates_are_incremental(small) -> None:  # type: ignore[no-untyped-def]
    from matcher import KeywordEncoder, upsert_profiles

    table = small.tables["mentor"]
    upsert_profiles(table, [mentor(3, industries=("ai",), serves=("ip", "financing"))], KeywordEncoder(), small.lexical)
    r = small.rank(kind="mentor", query_id=1, weights=WeightSet.default("mentor"), k=3, now=NOW)
    assert 3 in ids(r)
    table.remove([1])
    r = small.rank(kind="mentor", query_id=1, weights=WeightSet.default("mentor"), k=10, now=NOW)
    assert 1 not in ids(r) and table.profile(3).industries == ("ai",)
    with pytest.raises(KeyError):
        small.rank(kind="mentor", query_id=999, weights=WeightSet.default("mentor"))


def test_retrieval_bound_is_valid() -> None:
    """No row outside the faiss list may have a semantic part above the bound the walk uses."""
    from matcher.features import calibrate, field_cosines
    from matcher.ranking import _retrieval_query, _semantic_bound

    m, projects = random_ecosystem(400, seed=11)
    pool = m.tables["mentor"]
    cal = m.calibration("mentor")
    w_a, w_b = 0.22, 0.14
    for pid in projects[:5]:
        q = m.tables["project"].vectors(m.tables["project"].rows_of([pid]))[0]
        r_query, alpha, beta = _retrieval_query(q, pool.field_dim, cal, w_a, w_b)
        rows, scores = pool.index.search_rows(r_query[None, :], 50)
        ca, cb = field_cosines(q, pool.vectors(), pool.field_dim)
        np.testing.assert_allclose(pool.vectors() @ r_query, alpha * ca + beta * cb, atol=1e-4)
        rest = np.setdiff1d(np.arange(len(pool)), rows[0])
        actual = w_a * calibrate(ca[rest], cal[0], cal[1]) + w_b * calibrate(cb[rest], cal[2], cal[3])
        assert actual.max() <= _semantic_bound(float(scores[0, -1]), alpha, beta, cal, w_a, w_b) + 1e-4


def test_lexical_scores_through_postings_equal_the_dense_product(small) -> None:  # type: ignore[no-untyped-def]
    """The lexical feature over a whole table (the investor thesis's), read through the postings, equals the
    product of the table's lexical matrix with the query's dense vector, for every project."""
    projects, pool = small.tables["project"], small.tables["mentor"]
    for row in range(len(projects)):
        want = np.asarray(small._lexical_rows(pool) @ small._dense_lex(projects, row)).ravel()
        got = small._lexical_scores(pool, projects, row)
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
        assert got.shape == (len(pool),)
    assert np.any(small._lexical_scores(pool, projects, 0) > 0)


def test_lexical_idf_fitted_in_chunks_equals_one_pass() -> None:
    """The IDF counted a few texts at a time (the build never holds the whole corpus's count matrix) is the
    same array as counted in one pass."""
    from matcher.lexical import LexicalEncoder

    texts = ["专利布局与知识产权", "We need help filing patents", "融资顾问，天使轮", "", "patent patent 专利",
             "供应链与制造", "Go-to-market in Southeast Asia", "人工智能 AI 医疗"] * 3
    one = LexicalEncoder(n_features=2**12).fit(texts, chunk=len(texts))
    for chunk in (1, 5, 7):
        np.testing.assert_array_equal(LexicalEncoder(n_features=2**12).fit(texts, chunk=chunk).idf, one.idf)


def test_a_table_reserved_beyond_half_above_stores_bfloat16_and_ranks_alike() -> None:
    """``ProfileTable.reserve`` past ``config.half_above`` switches the table to bfloat16 rows; its rankings are the
    float32 table's up to that rounding of the scores."""
    from dataclasses import replace

    m, projects = random_ecosystem(400, seed=9)
    w = WeightSet.default("mentor")
    before = [m.rank(kind="mentor", query_id=pid, weights=w, k=10, now=NOW, explain=False) for pid in projects[:6]]
    table = m.tables["mentor"]
    table.config = replace(table.config, half_above=len(table) + 5)
    table.reserve(len(table) + 5)
    assert not table.index.half  # not beyond it
    table.reserve(len(table) + 6)
    assert table.index.half and table.vectors(np.array([0, 1])).dtype == np.float32
    after = [m.rank(kind="mentor", query_id=pid, weights=w, k=10, now=NOW, explain=False) for pid in projects[:6]]
    for a, b in zip(before, after, strict=True):
        assert [x.score for x in b.matches] == pytest.approx([x.score for x in a.matches], abs=2e-3)
        assert len(set(ids(a)[:5]) & set(ids(b)[:5])) >= 4


def test_a_float32_table_saved_by_an_earlier_version_loads_as_bfloat16_and_ranks_alike(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from matcher.build import load_table, save_table
    from matcher.encoders import KeywordEncoder

    m, projects = random_ecosystem(300, seed=11)
    pool = m.tables["mentor"]
    assert not pool.index.half
    w = WeightSet.default("mentor")
    before = [m.rank(kind="mentor", query_id=pid, weights=w, k=10, now=NOW, explain=False) for pid in projects[:5]]
    save_table(pool, tmp_path / "mentor", encoder_id=KeywordEncoder().id, lexical=m.lexical)
    cfg = replace(pool.config, half_above=100)
    loaded, report = load_table(tmp_path / "mentor", kind="mentor", profiles={p.id: p for p in pool.profiles},
                                encoder=KeywordEncoder(), lexical=m.lexical, config=cfg)
    assert loaded.index.half and report["loaded"] == 300 and report["added"] == 0
    np.testing.assert_allclose(loaded.vectors(np.arange(300)), pool.vectors(np.arange(300)), atol=0.004)
    m.tables["mentor"] = loaded
    after = [m.rank(kind="mentor", query_id=pid, weights=w, k=10, now=NOW, explain=False) for pid in projects[:5]]
    for a, b in zip(before, after, strict=True):
        assert [x.score for x in b.matches] == pytest.approx([x.score for x in a.matches], abs=2e-3)


def test_thesis_features_and_one_liners_of_bfloat16_tables_match_float32() -> None:
    """The investor ranker's thesis features (one project against every investor and one investor against
    every project, products a block at a time over a bfloat16 table) and a project's one-liner vectors read
    the stored rows as float32 tables do, up to bfloat16 rounding."""
    m, projects = random_ecosystem(600, seed=13, kind="investor")
    w = WeightSet.default("investor")
    inv = np.arange(len(m.tables["investor"]))
    prj = np.arange(len(m.tables["project"]))
    before = (m.thesis_features(prj[:1], inv, w), m.thesis_features(prj, inv[:1], w),
              m.tables["project"].second_field(prj))
    m.tables["investor"].index.to_half()
    m.tables["project"].index.to_half()
    after = (m.thesis_features(prj[:1], inv, w), m.thesis_features(prj, inv[:1], w),
             m.tables["project"].second_field(prj))
    for b, a in zip(before, after, strict=True):
        assert a.shape == b.shape and a.dtype == b.dtype
        np.testing.assert_allclose(a, b, atol=0.02)
    assert float(np.abs(after[0] - before[0]).max()) > 0  # the rows did go through bfloat16
