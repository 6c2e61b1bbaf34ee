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
    fit,
    ips_weights,
    label_from_events,
    load_model,
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
