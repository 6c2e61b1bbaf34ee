"""``huoban simulate`` end to end on a small ecosystem (keyword encoder: no model weights needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.simulation import simulate, small_spaces, space_lift


def test_small_closed_loop_reports_every_policy_and_the_ceiling(tmp_path: Path) -> None:
    result = simulate(rounds=2, seed_value=3, scale=120, encoder="keyword", work_dir=tmp_path)
    assert [r["round"] for r in result["rounds"]] == [1, 2]
    summary = result["summary"]
    assert set(summary) == {"acceptance_at5", "ndcg@10", "exposure_gini", "exposure_gini_reference",
                            "exposure_gini_examined", "small_space_lift_share"}
    assert summary["small_space_lift_share"] == result["rounds"][-1]["small_spaces"]["lift_share"]
    assert result["setup"]["spaces"] == 20 and result["setup"]["small_spaces"]["count"] >= 5
    assert set(summary["acceptance_at5"]) == set(summary["ndcg@10"]) == {"weights", "learned", "oracle"}
    assert set(summary["exposure_gini"]) == {"weights", "learned"}
    assert set(summary["exposure_gini_reference"]) == {"oracle", "ceiling"}
    assert all(0.0 <= g < 1.0 for g in summary["exposure_gini_reference"].values())
    # attention (appearances weighted by 1/position) of the four rankings; the oracle's and the ceiling's as above
    assert set(summary["exposure_gini_examined"]) == {"weights", "learned", "oracle", "ceiling"}
    assert all(0.0 < g < 1.0 for g in summary["exposure_gini_examined"].values())
    for r in result["rounds"]:
        p = {name: v["acceptance_at5"] for name, v in r["policies"].items()}
        # the oracle orders by the very probabilities measured: nothing beats it, the ceiling included
        assert p["oracle"] >= max(p["weights"], p["learned"], p["ceiling"]) - 1e-9
        assert r["policies"]["oracle"]["ndcg@10"] == pytest.approx(1.0)
        assert r["events"] > 0
    # outcomes were logged and a model was trained from them, and from the second round on the learned policy
    # (trained on the first round's outcomes) beats the operator weights alone
    assert result["rounds"][0]["model"]["version"] is not None
    last = result["rounds"][-1]["policies"]
    assert last["learned"]["acceptance_at5"] > last["weights"]["acceptance_at5"]
    # engagements end: every round evaluates every kind (capacity comes back)
    for r in result["rounds"]:
        assert all(n > 0 for n in r["projects_evaluated"].values()), r["projects_evaluated"]
    ceiling = result["ceiling"]
    assert 0.0 < ceiling["share_of_oracle"] <= 1.0
    assert ceiling["learned_share_of_oracle"] == pytest.approx(
        result["rounds"][-1]["policies"]["learned"]["acceptance_at5"]
        / result["rounds"][-1]["policies"]["oracle"]["acceptance_at5"], abs=1e-4)
    assert ceiling["ceiling_share"] == pytest.approx(
        result["rounds"][-1]["policies"]["learned"]["acceptance_at5"]
        / result["rounds"][-1]["policies"]["ceiling"]["acceptance_at5"], abs=1e-4)
    for r in result["rounds"]:
        assert r["ceiling_share"] == pytest.approx(
            r["policies"]["learned"]["acceptance_at5"] / r["policies"]["ceiling"]["acceptance_at5"], abs=1e-4)
    later = result["rounds"][1:]
    assert ceiling["ceiling_share_rounds_2_on"] == pytest.approx(
        sum(r["policies"]["learned"]["acceptance_at5"] for r in later)
        / sum(r["policies"]["ceiling"]["acceptance_at5"] for r in later), abs=1e-4)
    # strict JSON: a round in which some kind had no project left to evaluate reports null, never NaN
    import json

    json.dumps(result, allow_nan=False)


def test_a_round_without_evaluated_projects_is_null_and_still_plotted(tmp_path: Path) -> None:
    from api.simulation import POLICIES, _mean, plot

    assert _mean([None, 0.2, 0.4]) == pytest.approx(0.3) and _mean([None, None]) is None
    rounds = [{"round": r, "policies": {p: {"acceptance_at5": v, "ndcg@10": v} for p in POLICIES},
               "exposure_gini": {"weights": 0.5, "learned": 0.4}} for r, v in ((1, 0.3), (2, None), (3, 0.2))]
    plot({"rounds": rounds}, tmp_path / "curves.png")
    assert (tmp_path / "curves.png").stat().st_size > 1000


def test_the_smallest_quartile_of_spaces_and_its_share_of_the_lift() -> None:
    # spaces 1-4 hold 1, 2, 3 and 10 projects: the quartile cut is the size of the first (1 project)
    space_of = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, **{10 + i: 4 for i in range(10)}}
    small = small_spaces(space_of)
    assert small["spaces"] == {1} and small["max_projects"] == 1
    # network: weights 0.2 -> learned 0.3 everywhere but project 1, where 0.2 -> 0.25
    rows = [(pid, 0.2, 0.25 if pid == 1 else 0.3) for pid in space_of]
    out = space_lift(rows, small)
    net = (0.25 + 0.3 * 15) / 16 / 0.2 - 1
    assert out["small_lift"] == pytest.approx(0.25, abs=1e-4) and out["network_lift"] == pytest.approx(net, abs=1e-4)
    assert out["lift_share"] == pytest.approx(0.25 / net, abs=1e-3) and out["small_lists"] == 1
    assert space_lift([], small)["lift_share"] is None
