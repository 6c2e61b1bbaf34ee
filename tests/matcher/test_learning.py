"""Labels, IPS weights, time split, the model and its artifacts, replay metrics - on hand-made data."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.config import FEATURE_INDEX, N_FEATURES
from matcher.errors import ModelArtifactError
from matcher.learning import (
    UNOBSERVED,
    LoggedList,
    TrainingSet,
    blended_scores,
    fit,
    fit_effects,
    ips_weights,
    label_from_events,
    load_model,
    refit_effects,
    replay,
    save_model,
    time_split,
    training_weights,
)


@pytest.mark.parametrize("events,gain", [
    ([], 0),
    ([("viewed", None)], 0),
    ([("dismissed", None)], 0),
    ([("requested", None), ("declined", None)], 1),
    ([("requested", None), ("accepted", None)], 2),
    ([("requested", None), ("accepted", None), ("met", None)], 3),
    ([("accepted", None), ("met", None), ("rating", 5)], 4),
    ([("accepted", None), ("met", None), ("rating", 3)], 3),
    ([("accepted", None), ("met", None), ("rating", 1)], 1),  # a bad meeting caps the pair
    ([("accepted", None), ("rating", 2), ("invested", None)], 5),  # an investment still counts
])
def test_graded_labels(events: list, gain: int) -> None:
    assert label_from_events(events) == gain


def test_ips_weights_hand_computed() -> None:
    # position 1 shown for sure: 1; position 2 (examined 1/2) shown with p = 0.5: 1 / (0.5 * 0.5) = 4;
    # position 4 (examined 1/4): 4; position 40 explored with p = 0.01: 1 / (0.01 / 40) clipped at 20
    w = ips_weights(np.array([1, 2, 4, 40]), np.array([1.0, 0.5, 1.0, 0.01]))
    np.testing.assert_allclose(w, [1.0, 4.0, 4.0, 20.0])


def test_training_weights_regimes() -> None:
    gains = np.array([0, 2, 5, 0, 0])
    positions = np.array([1, 2, 4, 5, 6])
    shown = np.array([1.0, 1.0, 0.25, 1.0, 1.0])
    # nobody reported examination: every row, positives IPS-weighted (x grade), negatives 1
    mask, y, w = training_weights(gains, positions, shown)
    assert mask.all() and y.tolist() == [0, 1, 1, 0, 0]
    np.testing.assert_allclose(w, [1.0, 2.0 * 1.0, 16.0 * 2.5, 1.0, 1.0])
    # reactions observed: only rows somebody reacted to, corrected for the exploration selection only
    observed = np.array([0, 2, 5, UNOBSERVED, UNOBSERVED])
    mask, y, w = training_weights(observed, positions, shown)
    assert mask.tolist() == [True, True, True, False, False]
    np.testing.assert_allclose(w[mask], [1.0, 1.0, 4.0 * 2.5])


def make_set(n_lists: int, seed: int) -> TrainingSet:
    rng = np.random.default_rng(seed)
    n = n_lists * 10
    X = rng.random((n, N_FEATURES)).astype(np.float32)
    good = X[:, FEATURE_INDEX["needs_coverage"]] * X[:, FEATURE_INDEX["stage_fit"]] > 0.3
    gains = np.where(rng.random(n) < np.where(good, 0.8, 0.1), 2, 0)
    groups = np.repeat(np.arange(n_lists), 10)
    return TrainingSet(X, gains, np.tile(np.arange(1, 11), n_lists), np.ones(n), groups * 60.0, groups)


def test_time_split_keeps_lists_whole_and_orders_by_time() -> None:
    data = make_set(50, 0)
    train, test, cut = time_split(data, 0.2)
    assert len(train) + len(test) == len(data)
    assert train.times.max() < cut <= test.times.min()
    assert not set(train.groups.tolist()) & set(test.groups.tolist())
    assert len(set(test.groups.tolist())) == 10


def test_model_learns_is_seeded_and_explains_exactly() -> None:
    data = make_set(600, 1)
    a, b = fit(data, seed=3), fit(data, seed=3)
    X = data.X[:200]
    np.testing.assert_array_equal(a.predict(X), b.predict(X))
    effects = a.feature_effects()
    assert max(effects, key=effects.get) in ("needs_coverage", "stage_fit")
    attr, base = a.attribute(X)
    np.testing.assert_allclose(base + attr.sum(axis=1), a.predict(X), atol=1e-6)
    hi = np.zeros((1, N_FEATURES))
    hi[0, FEATURE_INDEX["needs_coverage"]] = hi[0, FEATURE_INDEX["stage_fit"]] = 1.0
    assert a.predict(hi)[0] > a.predict(np.zeros((1, N_FEATURES)))[0] + 0.3


@pytest.mark.parametrize("seed", [1, 4])
def test_lightgbm_evaluates_the_trees_bit_for_bit(seed: int) -> None:
    """The served log-odds come from the same trees carried over to LightGBM: equal to scikit-learn's own
    evaluation exactly, with missing values (each split's side), values outside [0, 1] (clipped first) and
    values exactly on a threshold; an estimator it cannot carry over is left to scikit-learn."""
    from matcher.learning import lightgbm_trees

    model = fit(make_set(800, seed), seed=seed)
    assert model._booster is not None
    rng = np.random.default_rng(seed)
    X = model.reference[rng.integers(0, len(model.reference), 500)].copy()
    X[rng.random(X.shape) < 0.1] = np.nan
    X[rng.random(X.shape) < 0.05] = 1.7
    X[rng.random(X.shape) < 0.05] = -0.3
    nodes = model.pipeline.named_steps["trees"]._predictors[0][0].nodes
    inner = nodes[~nodes["is_leaf"].astype(bool)]
    X[:len(inner), inner["feature_idx"].astype(np.int64)] = inner["num_threshold"]  # on a threshold
    np.testing.assert_array_equal(model.raw(X), model.raw_reference(X))
    np.testing.assert_array_equal(model.raw(X[:1]), model.raw_reference(X[:1]))
    assert lightgbm_trees(object()) is None  # not a fitted scikit-learn booster: scikit-learn serves


def test_artifacts_are_checked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    model = fit(make_set(200, 2))
    path = tmp_path / "m.skops"
    digest = save_model(model, path)
    np.testing.assert_array_equal(load_model(path, checksum=digest).predict(model.reference[:5]),
                                  model.predict(model.reference[:5]))
    with pytest.raises(ModelArtifactError, match="checksum"):
        load_model(path, checksum="0" * 64)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    import hashlib

    with pytest.raises(ModelArtifactError):
        load_model(path, checksum=hashlib.sha256(bytes(data)).hexdigest())
    # a file holding types outside scikit-learn / numpy / scipy is refused before anything is built
    import datetime

    import skops.io as sio

    evil = tmp_path / "evil.skops"
    sio.dump({"pipeline": datetime.date(2020, 1, 1), "reference": np.zeros(3), "features": []}, evil)
    with pytest.raises(ModelArtifactError, match="unexpected types"):
        load_model(evil, checksum=hashlib.sha256(evil.read_bytes()).hexdigest())


def test_replay_hand_computed() -> None:
    X = np.zeros((3, N_FEATURES), dtype=np.float32)
    lst = LoggedList(X, gains=np.array([0, 0, 2]), positions=np.array([1, 2, 3]), propensities=np.ones(3))
    worst = replay([lst], [np.array([3.0, 2.0, 1.0])], k=3, debias=False)
    best = replay([lst], [np.array([1.0, 2.0, 3.0])], k=3, debias=False)
    assert best["ndcg@3"] == pytest.approx(1.0) and worst["ndcg@3"] == pytest.approx(0.5)
    assert best["good@3"] == 1.0 and best["lists"] == 1.0
    assert replay([lst], [np.array([3.0, 2.0, 1.0])], k=1, debias=False)["good@1"] == 0.0


def test_track_records_separate_quality_from_match_fit() -> None:
    """Two candidates shown in equally good matches: one accepts 70 % of them, the other 30 %. A third is as
    good as the first but has been seen only 6 times. Offsets are centred on the model's prediction, signed by
    the excess, and shrunk by the evidence; a candidate never seen gets 0."""
    raw = np.zeros(406)  # the model predicts 50 % for every row
    y = np.r_[np.tile([1] * 7 + [0] * 3, 20), np.tile([1] * 3 + [0] * 7, 20), [1, 1, 1, 1, 0, 0]]
    ids = np.r_[np.full(200, 11), np.full(200, 22), np.full(6, 33)]
    fx = fit_effects(raw, y, np.ones(len(y)), ids)
    u = dict(zip(fx.ids.tolist(), fx.logit.tolist(), strict=True))
    assert u[11] > 0.5 and u[22] < -0.5
    assert u[11] == pytest.approx(-u[22], rel=1e-3)  # symmetric evidence, symmetric offsets
    assert 0 < u[33] < u[11]  # same observed rate (67 %) on far fewer rows: shrunk harder
    # unshrunk, the first would sit at logit(0.7) = 0.847; the prior pulls it in, but not by much at 200 rows
    assert 0.6 < u[11] < np.log(0.7 / 0.3)
    assert fx.lookup(np.array([22, 99, 11])).tolist() == [u[22], 0.0, u[11]]
    # the same outcomes explained by match fit instead (raw log-odds already match): nothing left to learn
    fitted = fit_effects(np.r_[np.full(200, np.log(7 / 3)), np.full(200, np.log(3 / 7)), np.zeros(6)],
                         y, np.ones(len(y)), ids)
    assert np.abs(fitted.logit[:2]).max() < 0.05


def quality_set(n_lists: int, seed: int) -> tuple[TrainingSet, np.ndarray]:
    """Lists of 10 out of 40 candidates whose hidden quality moves acceptance as much as the features do."""
    rng = np.random.default_rng(seed)
    quality = rng.normal(0.0, 1.0, 40)
    n = n_lists * 10
    X = rng.random((n, N_FEATURES)).astype(np.float32)
    cand = np.concatenate([rng.choice(40, 10, replace=False) for _ in range(n_lists)]).astype(np.int64)
    logit = 3.0 * (X[:, FEATURE_INDEX["needs_coverage"]] - 0.5) + 1.2 * quality[cand]
    gains = np.where(rng.random(n) < 1.0 / (1.0 + np.exp(-logit)), 2, 0)
    groups = np.repeat(np.arange(n_lists), 10)
    return TrainingSet(X, gains, np.tile(np.arange(1, 11), n_lists), np.ones(n), groups * 60.0, groups,
                       cand), quality


def test_fit_learns_track_records_that_rank_better_and_are_explained() -> None:
    data, quality = quality_set(800, 4)
    model = fit(data, seed=1)
    assert model.effects.tau > 0.5  # the spread of hidden quality is found, not assumed
    learned = model.effects.lookup(np.arange(40))
    assert np.corrcoef(learned, quality)[0, 1] > 0.9
    # on later lists, the model with track records ranks the good outcomes higher than without them
    later, _ = quality_set(300, 5)
    later = TrainingSet(later.X, np.where(np.random.default_rng(6).random(len(later)) < 1.0 / (1.0 + np.exp(
        -(3.0 * (later.X[:, FEATURE_INDEX["needs_coverage"]] - 0.5) + 1.2 * quality[later.candidates]))), 2, 0),
        later.positions, later.propensities, later.times, later.groups, later.candidates)
    lists = later.lists()
    w = np.zeros(N_FEATURES, dtype=np.float32)
    with_tr = replay(lists, blended_scores(lists, w, 1.0, model), debias=False)["ndcg@10"]
    blind = [LoggedList(lst.features, lst.gains, lst.positions, lst.propensities) for lst in lists]
    without = replay(blind, blended_scores(blind, w, 1.0, model), debias=False)["ndcg@10"]
    assert with_tr > without + 0.02
    # explanations stay exact and credit the track record to the acceptance factor
    X, ids = later.X[:50], later.candidates[:50]
    attr, base = model.attribute(X, ids)
    np.testing.assert_allclose(base + attr.sum(axis=1), model.predict(X, ids), atol=1e-6)
    plain, _ = model.attribute(X)
    moved = np.abs(attr - plain).max(axis=0)
    assert moved[FEATURE_INDEX["acceptance"]] > 0.05
    # refitting on more data keeps the trees and refreshes the records
    refit = refit_effects(model, data)
    np.testing.assert_array_equal(refit.raw(X), model.raw(X))
    np.testing.assert_allclose(refit.effects.logit, model.effects.logit, atol=1e-9)


def test_track_records_survive_the_artifact_and_bad_ones_are_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    import skops.io as sio

    data, _ = quality_set(200, 7)
    model = fit(data)
    path = tmp_path / "m.skops"
    loaded = load_model(path, checksum=save_model(model, path))
    ids = np.arange(40)
    np.testing.assert_array_equal(loaded.predict(data.X[:40], ids), model.predict(data.X[:40], ids))
    assert loaded.effects.tau == model.effects.tau
    bad = tmp_path / "bad.skops"
    obj = sio.loads(path.read_bytes(), trusted=sio.get_untrusted_types(data=path.read_bytes()))
    obj["effect_ids"] = obj["effect_ids"][::-1].copy()  # not sorted: lookups would silently miss
    sio.dump(obj, bad)
    with pytest.raises(ModelArtifactError, match="track records"):
        load_model(bad, checksum=hashlib.sha256(bad.read_bytes()).hexdigest())


def test_debiased_replay_does_not_favour_the_policy_that_logged_the_data() -> None:
    """The logging policy ranked at random; a model that knows each row's chance of a good outcome is better.
    Users examine position p with probability 1/p. Averaging per-list IPS-NDCG would still crown the logging
    order (its lists' ideal DCG is built from the same few outcomes, mostly seen at the top); the replay's
    ratio estimator ranks the two as full examination would."""
    from matcher.metrics import ndcg_at_k

    rng = np.random.default_rng(11)
    positions = np.arange(1, 11)
    lists, logged_order, knows = [], [], []
    for _ in range(3000):
        p_good = rng.uniform(0.0, 0.5, 10)
        seen = rng.random(10) < 1.0 / positions
        gains = np.where(seen, np.where(rng.random(10) < p_good, 2, 0), UNOBSERVED)
        lists.append(LoggedList(np.zeros((10, N_FEATURES), dtype=np.float32), gains, positions, np.ones(10)))
        logged_order.append(-positions.astype(np.float64))
        knows.append(p_good)
    fair = replay(lists, knows)["ndcg@10"], replay(lists, logged_order)["ndcg@10"]
    assert fair[0] > fair[1] + 0.05
    naive = []
    for scores in (knows, logged_order):
        per_list = []
        for lst, s in zip(lists, scores, strict=True):
            g = np.maximum(lst.gains, 0) * ips_weights(lst.positions, lst.propensities)
            if g.any():
                per_list.append(ndcg_at_k(list(np.argsort(-s, kind="stable")), dict(enumerate(g)), 10))
        naive.append(float(np.mean(per_list)))
    assert naive[1] > naive[0]  # the biased estimator this replaces prefers the logging order


def test_importance_weights_do_not_turn_noise_into_track_records() -> None:
    """400 interchangeable candidates, IPS-weighted positives (up to 20 x grade): the spread found between them
    must stay near zero, so nobody is served or explained a track record they do not have."""
    rng = np.random.default_rng(0)
    for per_candidate in (30, 100):
        n = 400 * per_candidate
        cand = np.repeat(np.arange(400), per_candidate)
        gains = np.where(rng.random(n) < 0.15, 2, 0)
        mask, y, w = training_weights(gains, rng.integers(1, 11, n), np.ones(n))
        assert mask.all() and w.max() > 5  # the weights really are uneven
        base = np.average(y, weights=w)
        fx = fit_effects(np.full(n, np.log(base / (1 - base))), y, w, cand)
        assert fx.tau < 0.2 and np.abs(fx.logit).max() < 0.3
