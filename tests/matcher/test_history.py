"""Investment history as features: known answers, nothing from after the view date, the ALS fold-in, the
ranker's selection and artifact."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pytest
from scipy import sparse

from matcher.history import (
    BASELINES,
    HISTORY_FEATURES,
    NB_DEFAULT,
    AlsPeer,
    Company,
    DealLog,
    HistoryView,
    Investment,
    Query,
    baseline_scores,
    history_features,
)
from matcher.investor_ranker import (
    ANCHOR_WEIGHT,
    SHORTLIST_BASELINES,
    SHORTLIST_COLUMNS,
    InvestorRanker,
    RankerContext,
    TrainConfig,
    Window,
    evaluate,
    feature_names,
    fit_naive_bayes,
    row_weights,
    simple_scorers,
    train_ranker,
    window_ages,
    window_rows,
)

D = dt.date


def small_log(extra: list[Investment] | None = None, extra_companies: dict[str, Company] | None = None) -> DealLog:
    """Investors 1-3. A (ai, east/shanghai) raised an angel round from 1 and 2, then an A round from 3;
    B (bio, north/beijing) raised an A round from 1; C (ai, east/hangzhou) an angel round from 2."""
    companies = {
        "A": Company("A", ("ai",), "east", "shanghai", "", D(2018, 1, 1)),
        "B": Company("B", ("bio",), "north", "beijing", "", D(2016, 1, 1)),
        "C": Company("C", ("ai", "saas"), "east", "hangzhou", "", None),
        "Q": Company("Q", ("ai",), "east", "shanghai", "", D(2019, 1, 1)),
        **(extra_companies or {}),
    }
    deals = [
        Investment(1, "A", "A1", "angel", D(2019, 3, 1)), Investment(2, "A", "A1", "angel", D(2019, 3, 1)),
        Investment(3, "A", "A2", "a", D(2020, 6, 1)), Investment(1, "B", "B1", "a", D(2019, 9, 1)),
        Investment(2, "C", "C1", "angel", D(2020, 2, 1)), *(extra or []),
    ]
    return DealLog(companies, deals, {1: "angel", 2: "vc", 3: "vc"})


def feats(view: HistoryView, query: Query, prior: list[int] | None = None) -> dict[int, dict[str, float]]:
    eq = view.encode([query], None if prior is None else [prior])
    F = history_features(view, eq, np.zeros(len(view.ids), dtype=np.int64), np.arange(len(view.ids)))
    return {int(i): dict(zip(HISTORY_FEATURES, F[r], strict=False)) for r, i in enumerate(view.ids)}


def test_features_have_known_answers() -> None:
    view = HistoryView(small_log(), D(2021, 1, 1))
    assert view.ids.tolist() == [1, 2, 3]
    f = feats(view, Query(Company("Q", ("ai",), "east", "shanghai", "", D(2019, 1, 1)), "a", D(2021, 1, 1)),
              prior=[2])
    # investor 1: two deals (angel in A, a in B); one of them a Series A, one in the east region
    assert math.expm1(f[1]["h_log_n"]) == pytest.approx(2)
    assert f[1]["h_round_share"] == pytest.approx(0.5)
    assert f[1]["h_region_share"] == pytest.approx(0.5)
    assert f[1]["h_city_share"] == pytest.approx(0.5)  # A is in shanghai
    assert math.expm1(f[1]["h_log_tag_count"]) == pytest.approx(1)  # one "ai" company
    assert math.expm1(f[1]["h_log_region_round"]) == pytest.approx(0)  # its Series A was in the north
    # investor 1 shared round A1 with investor 2 (the query company's earlier investor)
    assert math.expm1(f[1]["h_log_coinvest"]) == pytest.approx(1) and f[1]["h_coinvest_partners"] == 1
    # ... one of its two rounds; and every round investor 2 shared with anyone was with investor 1
    assert f[1]["h_coinvest_share"] == pytest.approx(0.5) and f[1]["h_partner_share"] == pytest.approx(1.0)
    assert f[3]["h_coinvest_share"] == 0 and f[3]["h_partner_share"] == 0
    # investor 3 came into A after 1 and 2 had: it "follows" 2
    assert math.expm1(f[3]["h_log_follow"]) == pytest.approx(1) and f[3]["h_log_coinvest"] == 0
    assert f[2]["h_prior_investor"] == 1 and f[1]["h_prior_investor"] == 0
    assert math.expm1(f[3]["h_log_region_round"]) == pytest.approx(1)  # Series A in the east
    # investor 3 invested in A when it was 2.4 years old; the query company is 2.0 years old
    age_a = (D(2020, 6, 1) - D(2018, 1, 1)).days / 365.25
    age_q = (D(2021, 1, 1) - D(2019, 1, 1)).days / 365.25
    assert f[3]["h_age_gap"] == pytest.approx(abs(math.log(age_q) - math.log(age_a)))
    # investor 2: A at 1.2 years; C has no founding date and counts for nothing
    age_2 = (D(2019, 3, 1) - D(2018, 1, 1)).days / 365.25
    assert f[2]["h_age_gap"] == pytest.approx(abs(math.log(age_q) - math.log(age_2)))
    # naive Bayes: log recent + smoothed shares (alpha 2): round a for investor 3 = (1 + 2 x 2/5) / (1 + 2)
    assert f[3]["h_nb_round"] == pytest.approx(math.log((1 + 2 * 2 / 5) / 3))


def test_description_features_compare_the_query_with_the_companies_each_investor_backed() -> None:
    """h_text_cosine: the query's description vector against the unit mean of the investor's described
    companies; h_text_nearest: against the most similar of them. Undescribed sides are NaN, not 0."""
    e = np.eye(3, dtype=np.float32)
    vectors = {"A": e[0], "B": e[1], "Q": (e[0] * 0.6 + e[2] * 0.8).astype(np.float32)}  # C has no description
    view = HistoryView(small_log(), D(2021, 1, 1), company_vectors=vectors)
    q = Query(Company("Q", ("ai",), "east", "shanghai", "", D(2019, 1, 1)), "a", D(2021, 1, 1))
    f = feats(view, q)
    # investor 1 backed A and B: mean direction (e0 + e1) / sqrt 2; nearest A
    assert f[1]["h_text_cosine"] == pytest.approx(0.6 / math.sqrt(2), abs=1e-6)
    assert f[1]["h_text_nearest"] == pytest.approx(0.6, abs=1e-6)
    # investor 2 backed A and C (undescribed): only A counts
    assert f[2]["h_text_cosine"] == pytest.approx(0.6, abs=1e-6) and f[2]["h_text_nearest"] == pytest.approx(0.6)
    # a query without a description, and a view without any, say nothing
    blank = feats(view, Query(Company("N", ("ai",), "east", "", "", None), "a", D(2021, 1, 1)))
    assert all(math.isnan(blank[i]["h_text_nearest"]) for i in (1, 2, 3))
    plain = feats(HistoryView(small_log(), D(2021, 1, 1)), q)
    assert all(math.isnan(plain[i]["h_text_cosine"]) for i in (1, 2, 3))
    # a query company the view has no text for takes the text the caller passes (a project's one-liner)
    eq = view.encode([Query(Company("N", ("ai",), "east", "", "", None), "a", D(2021, 1, 1))], text=[e[1]])
    F = history_features(view, eq, np.zeros(3, dtype=np.int64), np.arange(3))
    assert F[0, HISTORY_FEATURES.index("h_text_nearest")] == pytest.approx(1.0)  # investor 1 backed B


def test_text_neighbours_count_who_backed_the_companies_described_most_like_the_query(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """h_log_text_knn: of the query company's TEXT_KNN nearest earlier companies by description, how many each
    investor backed. The query's own company is never its neighbour, nor a company first funded on or after
    the view date; no text on the query side says nothing (NaN). text_neighbours ranks by it, ties by tags."""
    import matcher.history as history

    monkeypatch.setattr(history, "TEXT_KNN", 2)
    e = np.eye(4, dtype=np.float32)
    near_a = (e[0] * 0.9 + e[3] * np.sqrt(1 - 0.81)).astype(np.float32)
    vectors = {"A": e[0], "B": e[1], "C": (e[0] * 0.8 + e[2] * 0.6).astype(np.float32), "Q": near_a,
               "Z": e[0]}  # Z: described exactly like A, but first funded after the view date
    late = [Investment(3, "Z", "Z1", "angel", D(2021, 2, 1))]
    view = HistoryView(small_log(late, {"Z": Company("Z", ("ai",), "east", "", "", None)}), D(2021, 1, 1),
                       company_vectors=vectors)
    col = HISTORY_FEATURES.index("h_log_text_knn")
    f = feats(view, Query(Company("Q", ("ai",), "east", "shanghai", "", D(2019, 1, 1)), "a", D(2021, 1, 1)))
    # the two nearest earlier companies are A (0.9) and C (0.72), not B (0) nor Z (unfunded before the date):
    # investor 1 backed A, 2 backed A and C, 3 backed A (its Z deal is later)
    assert [f[i]["h_log_text_knn"] for i in (1, 2, 3)] == pytest.approx([math.log(2), math.log(3), math.log(2)])
    # a follow-on of A: A itself is not its own neighbour (C and B are), so only 2 (C) and 1 (B) count
    fa = feats(view, Query(Company("A", ("ai",), "east", "shanghai", "", D(2018, 1, 1)), "b", D(2021, 1, 1)))
    assert [fa[i]["h_log_text_knn"] for i in (1, 2, 3)] == pytest.approx([math.log(2), math.log(2), 0.0])
    # no description for the query: unknown, not zero; and the baseline falls back to tag popularity
    blank = feats(view, Query(Company("N", ("bio",), "north", "", "", None), "a", D(2021, 1, 1)))
    assert all(math.isnan(blank[i]["h_log_text_knn"]) for i in (1, 2, 3))
    eq = view.encode([Query(Company("N", ("bio",), "north", "", "", None), "a", D(2021, 1, 1))])
    F = history_features(view, eq, np.zeros(3, dtype=np.int64), np.arange(3))
    np.testing.assert_array_equal(baseline_scores("text_neighbours", F), baseline_scores("tag_popularity", F))
    eq = view.encode([Query(Company("Q", ("ai",), "east", "shanghai", "", D(2019, 1, 1)), "a", D(2021, 1, 1))])
    F = history_features(view, eq, np.zeros(3, dtype=np.int64), np.arange(3))
    assert int(np.argmax(baseline_scores("text_neighbours", F))) == 1  # investor 2 (row 1)
    assert F[:, col].tolist() == pytest.approx([math.log(2), math.log(3), math.log(2)])
    # one batch of both queries, unsorted, with an investor without history (-1): the same numbers, and 0 for it
    qa = Query(Company("A", ("ai",), "east", "shanghai", "", D(2018, 1, 1)), "b", D(2021, 1, 1))
    qq = Query(Company("Q", ("ai",), "east", "shanghai", "", D(2019, 1, 1)), "a", D(2021, 1, 1))
    eq = view.encode([qa, qq])
    q = np.array([1, 0, 1, 0, 1], dtype=np.int64)
    j = np.array([1, 2, -1, 0, 0], dtype=np.int64)
    F = history_features(view, eq, q, j)
    assert F[:, col].tolist() == pytest.approx([math.log(3), 0.0, 0.0, math.log(2), math.log(2)])
    # many queries against one investor (an investor's deal flow: one product with its row), a query without
    # text among them; and the same against an investor without history
    qn = Query(Company("N", ("bio",), "north", "", "", None), "a", D(2021, 1, 1))
    eq = view.encode([qa, qq, qn])
    F = history_features(view, eq, np.array([2, 1, 0, 1], dtype=np.int64), np.full(4, 1, dtype=np.int64))
    assert math.isnan(F[0, col]) and F[1:, col].tolist() == pytest.approx([math.log(3), math.log(2), math.log(3)])
    F = history_features(view, eq, np.array([0, 1, 2], dtype=np.int64), np.full(3, -1, dtype=np.int64))
    assert F[:2, col].tolist() == [0.0, 0.0] and math.isnan(F[2, col])


def test_the_view_knows_nothing_dated_on_or_after_its_date() -> None:
    """Vocabulary, IDF and every profile come from before the date: a company that first appears later, with
    tags nobody used before, changes no number of the view."""
    late = {"Z": Company("Z", ("quantum", "ai"), "west", "chengdu", "", None)}
    a = HistoryView(small_log(), D(2021, 1, 1))
    b = HistoryView(small_log([Investment(1, "Z", "Z1", "a", D(2021, 1, 1)), Investment(3, "Z", "Z2", "b",
                                                                                       D(2022, 5, 1))], late),
                    D(2021, 1, 1))
    assert a.tags == b.tags and "quantum" not in b.tags
    np.testing.assert_array_equal(a.idf, b.idf)
    q = Query(Company("Q", ("ai", "quantum"), "east", "shanghai", "", D(2019, 1, 1)), "a", D(2021, 2, 1))
    fa, fb = feats(a, q), feats(b, q)
    assert fa.keys() == fb.keys()
    for i in fa:
        np.testing.assert_array_equal(np.array(list(fa[i].values())), np.array(list(fb[i].values())))


def test_baselines_back_off_from_the_most_specific_count() -> None:
    view = HistoryView(small_log(), D(2021, 1, 1))
    eq = view.encode([Query(Company("Q", ("ai",), "east", "", "", None), "a", D(2021, 1, 1))])
    F = history_features(view, eq, np.zeros(3, dtype=np.int64), np.arange(3))
    s = baseline_scores("region_round_industry_popularity", F)
    # 3 did a Series A in an east-region ai company; 1 a Series A elsewhere; 2 no Series A at all
    assert np.argsort(-s).tolist() == [2, 0, 1]
    assert set(BASELINES) >= {"tag_popularity", "coinvestor_network", "recency_popularity"}
    with pytest.raises(ValueError, match="unknown baseline"):
        baseline_scores("nope", F)


def busy_once_log(later: list[Investment] | None = None) -> DealLog:
    """small_log, plus investors busy long ago and others active lately: 4 did three east-region Series A
    rounds in 2014, 5 one in 2020; 6 two northern Series A in 2013, 7 one in 2020; 8 three angel deals in
    2012, 9 one in 2020."""
    old = [Investment(4, "A", f"O{i}", "a", D(2014, 1 + i, 1)) for i in range(3)]
    north = [Investment(6, "B", f"B6{i}", "a", D(2013, 1 + i, 1)) for i in range(2)]
    angel = [Investment(8, "C", f"C8{i}", "angel", D(2012, 1 + i, 1)) for i in range(3)]
    return small_log([*old, Investment(5, "C", "N1", "a", D(2020, 9, 1)), *north,
                      Investment(7, "B", "B7", "a", D(2020, 10, 1)), *angel,
                      Investment(9, "C", "C9", "angel", D(2020, 11, 1)), *(later or [])])


def test_who_is_active_in_the_region_and_round_now_outranks_who_was_busier_there_years_ago() -> None:
    """Investor 4 did three east-region Series A rounds in 2014, investor 5 one in 2020: by counts 4 leads
    the region and round, by recency-weighted counts (half-life one year) 5 does. Without a deal in the
    region and round, the recency-weighted round count decides (7's one northern Series A in 2020 over 6's two
    in 2013), and without either, recent activity (9's one angel deal in 2020 over 8's three in 2012)."""
    view = HistoryView(busy_once_log(), D(2021, 1, 1))
    eq = view.encode([Query(Company("Q", ("ai",), "east", "", "", None), "a", D(2021, 1, 1))])
    F = history_features(view, eq, np.zeros(len(view.ids), dtype=np.int64), np.arange(len(view.ids)))
    at = {int(i): r for r, i in enumerate(view.ids)}
    by_count = baseline_scores("region_round_popularity", F)
    by_recent = baseline_scores("recent_region_round_popularity", F)
    assert by_count[at[4]] > by_count[at[5]] and by_count[at[6]] > by_count[at[7]]
    # investor 3's Series A in A (east, 2020-06) is also in the region and round, older than 5's
    assert by_recent[at[5]] > by_recent[at[3]] > by_recent[at[4]] > by_recent[at[7]]
    assert by_recent[at[7]] > by_recent[at[6]]  # the round, recency-weighted: not 6's larger plain count
    assert by_recent[at[6]] > by_recent[at[9]]  # any Series A before none
    assert by_recent[at[9]] > by_recent[at[8]]  # then recent activity: not 8's larger plain count


def test_a_served_shortlist_computes_only_the_columns_its_baselines_read() -> None:
    """Serving computes SHORTLIST_COLUMNS for every allowed investor, not every baseline's: the shortlist's
    baselines and the naive-Bayes score read nothing else (noise in every other column changes none of their
    scores), while the recent region x round rival does read more."""
    rng = np.random.default_rng(0)
    F = rng.random((40, len(HISTORY_FEATURES)))
    noisy = F.copy()
    other = [i for i, name in enumerate(HISTORY_FEATURES) if name not in SHORTLIST_COLUMNS]
    noisy[:, other] = rng.random((len(F), len(other)))
    for name in SHORTLIST_BASELINES:
        np.testing.assert_array_equal(baseline_scores(name, noisy), baseline_scores(name, F), err_msg=name)
    assert "h_nb_score" in SHORTLIST_COLUMNS
    assert not np.array_equal(baseline_scores("recent_region_round_popularity", noisy),
                              baseline_scores("recent_region_round_popularity", F))


def test_the_backtests_baseline_lists_come_from_every_column_they_read() -> None:
    """Each query's baseline top k (what the backtest compares with) equals that baseline's top k over the
    full history features of every allowed investor, the recent region x round rival included."""
    from matcher.investor_ranker import _lexicographic_top

    # 2021: Q's Series A (east) from 4 and 5, C's Series A (east) from 7, B's angel round from 9
    log = busy_once_log([Investment(4, "Q", "Q1", "a", D(2021, 3, 1)), Investment(5, "Q", "Q1", "a", D(2021, 3, 1)),
                         Investment(7, "C", "C2", "a", D(2021, 6, 1)),
                         Investment(9, "B", "B2", "angel", D(2021, 7, 1))])
    w = _window(log, D(2021, 1, 1), D(2022, 1, 1))
    rows = window_rows(w, 50, exclude_prior=True)
    assert len(rows) == 3
    assert rows and all("recent_region_round_popularity" in r.baseline_tops for r in rows)
    for qi, r in enumerate(rows):
        ids = w.allowed(qi)
        full = w.context.matrix(np.full(len(ids), qi, dtype=np.int64), ids, None, dtype=np.float64)
        for name in BASELINES:
            if name in ("random", "prior_investors_then_popularity"):
                continue
            want = ids[_lexicographic_top(baseline_scores(name, full[:, : len(HISTORY_FEATURES)]), ids, 10)]
            np.testing.assert_array_equal(r.baseline_tops[name], want, err_msg=f"{name}, query {qi}")


def test_a_training_windows_rows_skip_the_ranking_parts_until_a_ranking_asks_for_them() -> None:
    """Training reads only a window's shortlists, so rows computed for it leave the baselines' lists and the
    tail empty; a ranking of the same window afterwards gets them, with the same shortlists and features."""
    log = busy_once_log([Investment(4, "Q", "Q1", "a", D(2021, 3, 1)), Investment(5, "Q", "Q1", "a", D(2021, 3, 1)),
                         Investment(7, "C", "C2", "a", D(2021, 6, 1)),
                         Investment(9, "B", "B2", "angel", D(2021, 7, 1))])
    w = _window(log, D(2021, 1, 1), D(2022, 1, 1))
    fresh = window_rows(_window(log, D(2021, 1, 1), D(2022, 1, 1)), 50, exclude_prior=True)
    training = window_rows(w, 50, exclude_prior=True, ranking=False)
    assert len(training) == len(fresh) == 3
    assert all(r.baseline_tops == {} and len(r.fill) == 0 for r in training)
    assert window_rows(w, 50, exclude_prior=True, ranking=False) is training  # computed once
    ranked = window_rows(w, 50, exclude_prior=True)
    assert all(r.baseline_tops for r in ranked)
    assert window_rows(w, 50, exclude_prior=True, ranking=False) is ranked  # a ranking's rows serve training too
    for a, b, c in zip(training, ranked, fresh, strict=True):
        np.testing.assert_array_equal(a.short_ids, b.short_ids)
        np.testing.assert_array_equal(a.X, b.X)
        np.testing.assert_array_equal(b.fill, c.fill)
        assert b.baseline_tops.keys() == c.baseline_tops.keys()
        for name, top in b.baseline_tops.items():
            np.testing.assert_array_equal(top, c.baseline_tops[name])


def test_als_fold_in_is_implicits_own_least_squares() -> None:
    from implicit.cpu.als import AlternatingLeastSquares  # noqa: F401 - the reference implementation

    view = HistoryView(small_log(), D(2021, 1, 1))
    peer = AlsPeer(factors=4, iterations=5).fit(view)
    q = [Query(Company("Q", ("ai",), "east", "shanghai", "", None), "a", D(2021, 1, 1))]
    eq = view.encode(q, [[2]])
    ours = peer.user_factors(view, q, eq)
    # implicit's own recalculate_user over the same items: investor 2, and the round / region / city / tag tokens
    J = len(peer.ids)
    items = [int(np.searchsorted(peer.ids, 2))] + [J + peer.tokens[t] for t in ("r:3", "g:east", "c:shanghai", "t:ai")]
    vals = [1.0] + [peer.token_weight] * 4
    ui = sparse.csr_matrix((np.array(vals, dtype=np.float32), ([0] * 5, items)), shape=(1, J + len(peer.tokens)))
    ref = _reference_fold_in(peer, ui)
    np.testing.assert_allclose(ours[0], ref, atol=1e-5)
    again = AlsPeer.from_state(peer.state())
    np.testing.assert_allclose(again.user_factors(view, q, eq), ours, atol=1e-5)


def _reference_fold_in(peer: AlsPeer, ui: sparse.csr_matrix) -> np.ndarray:
    """x = (Y'Y + Y' (C - I) Y + reg I)^-1 Y' C p, confidence C = alpha x value (implicit's convention)."""
    Y = peer.item_factors
    assert Y is not None
    c = peer.alpha * ui.data
    Yi = Y[ui.indices]
    A = Y.T @ Y + (Yi.T * (c - 1.0)) @ Yi + peer.regularization * np.eye(Y.shape[1])
    return np.linalg.solve(A, Yi.T @ c)


# -- the ranker ------------------------------------------------------------------------------------------
def _window(log: DealLog, start: D, end: D, seed: int = 0) -> Window:
    from matcher.investor_training import WindowSpec, window_queries

    view = HistoryView(log, start)
    qs = window_queries(log, WindowSpec(start, end), exclude_prior=True)
    ctx = RankerContext.build(view, [Query(log.companies[q.company], q.label, q.date) for q in qs], seed=seed)
    return Window(ctx, [set(q.truth) for q in qs], [set(q.excluded) for q in qs], view.ids.copy())


def busy_log(validation_rule: str, seed: int = 0, switch_year: int = 2020) -> DealLog:
    """60 investors over 2016-2020, each active for two years and focused on a hidden mix of sectors; each
    round goes to 2 investors drawn by activity x sector fit - so no single count (activity, sector) ranks
    well on its own. In 2020 (``validation_rule="popular"``, or from ``switch_year``) the rule changes: the 2
    most active investors so far take every round; with ``"mixed"`` one of the 3 most active takes a seat in
    every round and the other is drawn as before; with ``"quiet"`` (from ``switch_year``) two investors with
    history are drawn, the fewer deals the likelier."""
    rng = np.random.default_rng(seed)
    n_inv = 60
    sectors = ["ai", "bio", "energy", "retail"]
    fit = rng.dirichlet(np.full(len(sectors), 0.3), size=n_inv)
    start = rng.integers(2015, 2020, n_inv)
    companies: dict[str, Company] = {}
    deals: list[Investment] = []
    counts = np.zeros(n_inv)
    for i in range(900):
        day = D(2016, 1, 1) + dt.timedelta(days=int(i * 2.0))
        s = int(rng.integers(len(sectors)))
        key = f"c{i}"
        companies[key] = Company(key, (sectors[s],), "east", "", "", None)
        if day.year >= switch_year and validation_rule == "quiet":  # the least busy so far, never the new
            w = np.where(counts > 0, 1.0 / (1.0 + counts) ** 2, 0.0)
            chosen = rng.choice(n_inv, size=2, replace=False, p=w / w.sum())
        elif day.year >= switch_year and validation_rule == "popular":
            chosen = np.argsort(-counts, kind="stable")[:2]
        elif day.year == 2020 and validation_rule == "mixed":
            top = int(np.argsort(-counts, kind="stable")[int(rng.integers(3))])  # one of the 3 busiest
            active = (start <= day.year) & (day.year < start + 2)
            w = fit[:, s] * active + 1e-6
            w[top] = 0.0
            chosen = np.array([top, int(rng.choice(n_inv, p=w / w.sum()))])
        else:
            active = (start <= day.year) & (day.year < start + 2)
            w = fit[:, s] * active + 1e-6
            chosen = rng.choice(n_inv, size=2, replace=False, p=w / w.sum())
        for j in chosen.tolist():
            deals.append(Investment(j + 1, key, f"r{i}", "a", day))
            if day.year < 2020:
                counts[j] += 1
    return DealLog(companies, deals, {})


def test_the_learned_ranker_is_kept_when_it_wins_on_validation() -> None:
    log = busy_log("sector")
    train = [_window(log, D(2018, 1, 1), D(2019, 1, 1)), _window(log, D(2017, 1, 1), D(2018, 1, 1))]
    validation = _window(log, D(2019, 1, 1), D(2020, 1, 1))
    ranker = train_ranker(train, validation, exclude_prior=True, config=TrainConfig(seed=0))
    val = ranker.report["validation"]
    assert ranker.selected == "learned"
    assert val["learned"] > val["best_baseline_ndcg@10"]
    # the model keeps a fixed tenth of the validation year's best baseline, both standardised over the training
    # pairs: the served score is exactly that sum, and the anchor survives the artifact's round trip
    assert ranker.anchor == val["best_baseline"] == val["anchored"]["with"]
    X = np.random.default_rng(2).random((30, len(feature_names([])))).astype(np.float32)
    b = ranker.blend
    model = np.mean([bst.predict(X) for bst in ranker._boosters], axis=0)
    simple = simple_scorers(exclude_prior=False)[val["best_baseline"]](X)
    expected = ((model - b["mean_model"]) / b["std_model"]
                + ANCHOR_WEIGHT * (simple - b["mean_simple"]) / b["std_simple"])
    assert b["weight"] == ANCHOR_WEIGHT and b["std_model"] > 0
    np.testing.assert_allclose(ranker.score(X), expected, rtol=1e-9)
    again = InvestorRanker.from_json(ranker.to_json())
    assert (again.selected, again.anchor) == ("learned", val["best_baseline"])
    np.testing.assert_array_equal(again.score(X), ranker.score(X))
    np.testing.assert_allclose(again.contributions(X).sum(axis=1), again.score(X), atol=1e-6)
    with pytest.raises(ValueError, match="anchored model needs"):
        InvestorRanker("learned", ranker.names, ranker.model_texts, anchor=ranker.anchor)
    with pytest.raises(ValueError, match="no model to blend"):
        InvestorRanker("naive_bayes", ranker.names, anchor=ranker.anchor)


def test_a_market_that_drifts_is_learnt_from_its_recent_years() -> None:
    """Until 2017 rounds follow the sector rule; from 2018 they go to the investors with the fewest deals so
    far. Trained on 2016-2018 with equal weights, the model learns mostly the old rule; with the newest year
    weighing most (decay 0.5: 2018 1, 2017 0.5, 2016 0.25) it ranks the validation year (2019) better and is
    the one kept, and the report gives both validation scores. One decay alone is not a choice."""
    log = busy_log("quiet", switch_year=2018)
    train = [_window(log, D(2018, 1, 1), D(2019, 1, 1)), _window(log, D(2017, 1, 1), D(2018, 1, 1)),
             _window(log, D(2016, 6, 1), D(2017, 1, 1))]
    validation = _window(log, D(2019, 1, 1), D(2020, 1, 1))
    ranker = train_ranker(train, validation, exclude_prior=True, config=TrainConfig(seed=0))
    decay = ranker.report["window_decay"]
    assert decay["chosen"] == 0.5
    assert decay["validation_ndcg@10"]["0.5"] > decay["validation_ndcg@10"]["1"] + 0.02
    assert ranker.report["validation"]["learned"] == decay["validation_ndcg@10"]["0.5"]
    equal = train_ranker(train, validation, exclude_prior=True, config=TrainConfig(seed=0, window_decays=(1.0,)))
    assert equal.report["window_decay"] == {"chosen": 1.0}
    assert equal.report["validation"]["learned"] == decay["validation_ndcg@10"]["1"]


def test_training_years_weigh_by_their_age_in_years_scaled_to_a_mean_of_one() -> None:
    log = busy_log("sector")
    windows = [_window(log, D(2019, 1, 1), D(2020, 1, 1)), _window(log, D(2018, 1, 1), D(2019, 1, 1)),
               _window(log, D(2016, 1, 1), D(2017, 1, 1))]  # a thin year between may be missing
    assert window_ages(windows) == pytest.approx([0.0, 365 / 365.25, 1096 / 365.25])
    age = np.repeat(window_ages(windows), [5, 1, 3])  # rows of each window
    w = row_weights(age, 0.5)
    assert w is not None and w.mean() == pytest.approx(1.0)
    # a row three years older weighs an eighth as much, whatever the mix of rows
    assert w.max() / w.min() == pytest.approx(0.5 ** -(1096 / 365.25))
    assert row_weights(age, 1.0) is None  # equal weights: LightGBM's own default
    for bad in ((), (0.0,), (1.0, 1.5)):
        with pytest.raises(ValueError, match="window_decays"):
            TrainConfig(window_decays=bad)


def test_the_ranker_falls_back_to_the_best_baseline_when_it_loses_on_validation() -> None:
    """In the validation year the two most active investors take every round: no model trained on the
    earlier years' sector rule can beat plain popularity there, so the baseline is selected."""
    log = busy_log("popular")
    train = [_window(log, D(2018, 1, 1), D(2019, 1, 1)), _window(log, D(2017, 1, 1), D(2018, 1, 1))]
    validation = _window(log, D(2020, 1, 1), D(2021, 1, 1))
    ranker = train_ranker(train, validation, exclude_prior=True, config=TrainConfig(seed=0))
    val = ranker.report["validation"]
    assert val["learned"] <= val["best_baseline_ndcg@10"]
    assert ranker.selected == f"baseline:{val['best_baseline']}"
    # what is served then ranks exactly as that baseline does
    scores = evaluate(validation, {"served": ranker}, exclude_prior=True, depth=ranker.depth)
    assert scores["served"]["ndcg@10"] == pytest.approx(scores[val["best_baseline"]]["ndcg@10"])


def test_a_blend_serves_where_model_and_baseline_each_know_half_of_the_validation_year() -> None:
    """In the validation year the most active investor joins every round and the other seat follows the
    sector rule the model learned: the model alone and the popularity baseline each find one of the two, so
    the model plus the baseline beats both on validation and serves; its artifact scores the same after a
    round trip, per row (a list and part of it alike), and its contributions add up to its score."""
    log = busy_log("mixed", seed=0)
    train = [_window(log, D(2018, 1, 1), D(2019, 1, 1)), _window(log, D(2017, 1, 1), D(2018, 1, 1))]
    validation = _window(log, D(2020, 1, 1), D(2021, 1, 1))
    ranker = train_ranker(train, validation, exclude_prior=True, config=TrainConfig(seed=0))
    val = ranker.report["validation"]
    assert val["learned"] <= val["best_baseline_ndcg@10"]  # the model alone loses ...
    assert ranker.selected == f"blend:{val['blend']['with']}"  # ... the blend wins
    assert max(val["blend"]["ndcg@10"].values()) > max(val["best_baseline_ndcg@10"], val["naive_bayes"])
    assert val["blend"]["wins_both_halves"]  # on odd and on even validation rounds, not only on their mean
    again = InvestorRanker.from_json(ranker.to_json())
    X = np.random.default_rng(0).random((40, len(feature_names([])))).astype(np.float32)
    np.testing.assert_array_equal(ranker.score(X), again.score(X))
    np.testing.assert_array_equal(again.score(X[:7]), again.score(X)[:7])
    np.testing.assert_allclose(again.contributions(X).sum(axis=1), again.score(X), atol=1e-6)
    with pytest.raises(ValueError, match="blend needs"):
        InvestorRanker(ranker.selected, ranker.names, None, blend=ranker.blend)


def test_an_artifact_selecting_a_ranking_this_release_does_not_know_is_refused_on_load() -> None:
    """An artifact written by a newer release may select a baseline this one lacks (read after a rollback):
    refused where it is loaded (``load_history`` turns the ValueError into a refused artifact), not with a
    KeyError at the first ranking it serves. The rankings this release does know still load."""
    names = feature_names([])
    servable = [b for b in BASELINES if b != "random"] + ["als"]  # random is a yardstick, never served
    assert set(servable) | {"naive_bayes"} == set(simple_scorers(exclude_prior=False))
    for known in ["naive_bayes", *(f"baseline:{b}" for b in servable)]:
        ranker = InvestorRanker.from_json(InvestorRanker(known, names).to_json())
        X = np.random.default_rng(0).random((5, len(names))).astype(np.float32)
        assert ranker.score(X).shape == (5,)
    obj = json.loads(InvestorRanker("baseline:popularity", names).to_json())
    for unknown in ["baseline:busiest_last_week", "baseline:", "popularity", "weights"]:
        obj["selected"] = unknown
        with pytest.raises(ValueError, match="unknown selected ranking"):
            InvestorRanker.from_json(json.dumps(obj))


@pytest.mark.parametrize("bags", [1, 3])
def test_ranker_artifact_round_trip_scores_the_same(bags: int) -> None:
    log = busy_log("sector", seed=1)
    train = [_window(log, D(2018, 1, 1), D(2019, 1, 1))]
    validation = _window(log, D(2019, 1, 1), D(2020, 1, 1))
    ranker = train_ranker(train, validation, exclude_prior=True, config=TrainConfig(seed=0, bags=bags))
    assert ranker.selected == "learned" and len(ranker.model_texts) == bags
    again = InvestorRanker.from_json(ranker.to_json())
    X = np.random.default_rng(0).random((50, len(feature_names([])))).astype(np.float32)
    np.testing.assert_array_equal(ranker.score(X), again.score(X))
    assert (again.selected, again.mean, again.std, again.depth, again.nb) == (
        ranker.selected, ranker.mean, ranker.std, ranker.depth, ranker.nb)
    assert ranker.nb != NB_DEFAULT  # fitted on the training rounds
    phi = again.contributions(X)
    np.testing.assert_allclose(phi.sum(axis=1), again.score(X), atol=1e-6)


def test_the_naive_bayes_fit_measures_rounds_as_the_evaluation_does() -> None:
    """The smoothing is chosen by the metric the backtest reports: the fit's NDCG@10 over its rounds equals
    what :func:`evaluate` gives the served ``naive_bayes`` ranking with those numbers (every candidate
    shortlisted), and the fit moved away from the defaults only because that scored better."""
    log = busy_log("sector")
    train = [_window(log, D(2018, 1, 1), D(2019, 1, 1)), _window(log, D(2017, 1, 1), D(2018, 1, 1))]
    nb, report = fit_naive_bayes(train, max_queries=10_000)
    assert nb != NB_DEFAULT and report["ndcg@10_fitted"] > report["ndcg@10_default"]
    names = feature_names([])
    total = 0.0
    for w in train:
        w.context.nb = nb
        scores = evaluate(w, {"nb": InvestorRanker("naive_bayes", names, nb=nb)}, exclude_prior=True, depth=100,
                          baselines=False)
        total += scores["nb"]["ndcg@10"] * len(w.truths)
    assert total == pytest.approx(report["ndcg@10_fitted"] * report["queries"], rel=1e-3)


def test_without_a_validation_window_a_baseline_serves() -> None:
    log = busy_log("sector")
    train = [_window(log, D(2018, 1, 1), D(2019, 1, 1))]
    ranker = train_ranker(train, None, exclude_prior=True, config=TrainConfig(seed=0))
    assert ranker.selected.startswith("baseline:") and "no validation window" in ranker.report["reason"]


def test_investor_kinds_are_fixed_by_the_caller() -> None:
    """A ranker trained with some investor kinds scores a view of a log that has since seen a new kind: the
    view takes the ranker's kind columns, a new kind is all zeros."""
    log = small_log()
    kinds = ["angel", "vc"]
    grown = DealLog(log.companies, [Investment(int(i), log.company_keys[int(c)], log.round_keys[int(r)],
                                               "a", D.fromordinal(int(d)))
                                    for i, c, r, d in zip(log.investor, log.company, log.round, log.day,
                                                          strict=True)],
                    {1: "angel", 2: "vc", 3: "family_office"})
    view = HistoryView(grown, D(2021, 1, 1), kinds=kinds)
    assert view.kinds == kinds and view.kind.shape == (3, 2)
    assert view.kind[2].tolist() == [0.0, 0.0]  # the new kind
    eq = view.encode([Query(Company("Q", ("ai",), "east", "", "", None), "a", D(2021, 1, 1))])
    F = history_features(view, eq, np.zeros(3, dtype=np.int64), np.arange(3))
    assert F.shape[1] == len(HISTORY_FEATURES) + 2


def test_an_investor_without_history_never_looks_like_the_best_fit() -> None:
    view = HistoryView(small_log(), D(2021, 1, 1))
    eq = view.encode([Query(Company("Q", ("ai",), "east", "shanghai", "", None), "a", D(2021, 1, 1))])
    F = history_features(view, eq, np.zeros(4, dtype=np.int64), np.array([0, 1, 2, -1]))
    col = {n: i for i, n in enumerate(HISTORY_FEATURES)}
    known, new = F[:3], F[3]
    assert new[col["h_nb_score"]] < known[:, col["h_nb_score"]].min()
    assert new[col["h_log_days_since_last"]] > known[:, col["h_log_days_since_last"]].max()
    assert new[col["h_level_gap"]] >= known[:, col["h_level_gap"]].max()


def test_single_column_and_row_reads_equal_scipy_indexing() -> None:
    """``_pick`` and ``_rowdot`` read one column (row) straight from a canonical matrix's arrays: the same
    values as scipy's own indexing, for float and integer matrices; a non-canonical one goes through scipy."""
    from scipy import sparse

    from matcher.history import _pick, _rowdot

    rng = np.random.default_rng(3)
    for dtype in (np.float64, np.float32, np.int64):
        m = sparse.random(300, 40, density=0.1, random_state=4, format="csr", dtype=np.float64)
        m.data = (m.data * 10).astype(dtype)
        m = m.astype(dtype)
        rows = rng.integers(0, 300, 500)
        for c in (0, 7, 39):
            cols = np.full(500, c)
            cols[::7] = -1
            want = np.where(cols >= 0, np.asarray(m.todense())[rows, np.maximum(cols, 0)], 0.0)
            np.testing.assert_array_equal(_pick(m.tocsc(), rows, cols), want)
            np.testing.assert_array_equal(_pick(m, rows, cols), want)
        b = sparse.random(5, 40, density=0.3, random_state=5, format="csr", dtype=np.float64).astype(dtype)
        for r in range(5):
            bi = np.full(len(rows), r)
            want = np.asarray(m.todense())[rows] @ np.asarray(b.todense())[r]
            np.testing.assert_allclose(_rowdot(m, rows, b, bi), want, rtol=1e-6)
            np.testing.assert_allclose(_rowdot(m, rows[:10], b, bi[:10]), want[:10], rtol=1e-6)
    dup = sparse.csr_matrix((np.array([1.0, 2.0]), np.array([3, 3]), np.array([0, 2])), shape=(1, 40))
    assert not dup.has_canonical_format
    np.testing.assert_allclose(_rowdot(sparse.identity(40, format="csr"), np.array([3, 4]), dup, np.array([0, 0])),
                               [3.0, 0.0])


def test_unit_rows_equal_scipy_arithmetic() -> None:
    """``_l2_rows`` on the CSR arrays gives scipy's diagonal-product result exactly (empty rows stay empty)."""
    from scipy import sparse

    from matcher.history import _l2_rows

    m = sparse.random(200, 50, density=0.08, random_state=7, format="csr") * 3.0
    m = sparse.vstack([m, sparse.csr_matrix((1, 50))]).tocsr()
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    want = (sparse.diags(1.0 / norms) @ m).tocsr()
    got = _l2_rows(m)
    np.testing.assert_array_equal(got.toarray(), want.toarray())
    assert got.getnnz(axis=1)[-1] == 0
    lengths = np.sqrt(np.asarray(got.multiply(got).sum(axis=1)).ravel())
    np.testing.assert_allclose(lengths[m.getnnz(axis=1) > 0], 1.0)
