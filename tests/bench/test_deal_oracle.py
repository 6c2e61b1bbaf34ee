"""bench.deal_oracle: the regenerated latent world is the one bench.backtest_data writes, and the oracles beat
the popularity baseline computed by the same code."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from bench import backtest_data, deal_oracle


def _pairs(directory: Path) -> set[tuple[str, str]]:
    with open(directory / "investments.csv", newline="", encoding="utf-8") as fh:
        return {(row["round_id"], row["investor_id"]) for row in csv.DictReader(fh)}


@pytest.mark.parametrize(("preset", "scale", "seed"), [("us", 0.1, 0), ("cn", 0.3, 3)])
def test_regenerated_world_matches_the_written_files(tmp_path: Path, preset: str, scale: float, seed: int) -> None:
    backtest_data.main(["--preset", preset, "--scale", str(scale), "--seed", str(seed), "--out", str(tmp_path)])
    world = deal_oracle.regenerate(preset, seed, scale)
    deal_oracle.verify(world, tmp_path)  # rounds.csv, investments.csv and the investor ids, row for row
    iid = {int(j): world.investor_id(no) for no, j in enumerate(world.investor_ids)}
    regenerated = {(world.round_id(no), iid[j]) for no, r in enumerate(world.order) for j in world.parts[r]}
    assert regenerated == _pairs(tmp_path)
    # The deal loop's participants are a prefix of every round's; the rest are the investors the loop left
    # without a deal, added once each at the end.
    loop = [j for p in world.loop_parts for j in p]
    late = [j for p, q in zip(world.parts, world.loop_parts, strict=True) for j in p[len(q):]]
    assert all(p[: len(q)] == q for p, q in zip(world.parts, world.loop_parts, strict=True))
    assert sorted(late) == sorted(set(range(world.inv.kind.size)) - set(loop))
    assert set(world.arrays) == set(deal_oracle._ASSIGN_ARRAYS)


def test_verify_notices_another_world(tmp_path: Path) -> None:
    backtest_data.generate(tmp_path, *deal_oracle.world_sizes("cn", 0.3), seed=1, preset="cn")
    with pytest.raises(AssertionError, match="differs"):
        deal_oracle.verify(deal_oracle.regenerate("cn", 2, 0.3), tmp_path)


def test_syndicate_and_slot_distributions() -> None:
    wd = backtest_data.PRESETS["us"]
    pmf = deal_oracle._syndicate_pmf(wd, "b")
    rng = np.random.default_rng(0)
    sizes = np.array([backtest_data._syndicate_size(rng, "b", wd) for _ in range(20000)])
    assert pmf.sum() == pytest.approx(1.0)
    assert float(pmf @ np.arange(pmf.size)) == pytest.approx(sizes.mean(), abs=0.05)
    joint = deal_oracle._new_slots(pmf, np.array([0.4]), np.array([0.3, 0.5]), wd.p_new_money_with_insiders)
    assert joint.shape == (pmf.size, 3)
    assert joint.sum() == pytest.approx(1.0)
    assert joint.sum(axis=0) == pytest.approx([0.7 * 0.5, 0.3 * 0.5 + 0.7 * 0.5, 0.3 * 0.5])


def test_oracle_beats_popularity_on_a_small_world(capsys: pytest.CaptureFixture[str]) -> None:
    deal_oracle.main(["--preset", "us", "--scale", "0.1", "--json"])
    res = json.loads(capsys.readouterr().out)
    assert res["world_matches_files"] is True
    assert res["queries"] > 100 and res["candidates"] > 300
    ndcg = res["ndcg@10"]
    assert set(ndcg) == set(deal_oracle.METHODS)
    assert ndcg["oracle_market"] >= ndcg["global_popularity"]
    assert ndcg["oracle_full"] >= ndcg["global_popularity"]
    assert ndcg["oracle_full"] >= ndcg["region_round_popularity"]


def test_ablation_takes_out_one_part_of_the_weight_at_a_time(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """In this generator every part of the lead-draw weight carries information: without any one of them the
    market oracle ranks worse. The quick evaluation behind the ablation scores the market oracle as the full one."""
    deal_oracle.main(["--preset", "us", "--scale", "0.1", "--ablate", "--json"])
    res = json.loads(capsys.readouterr().out)
    market = res["ndcg@10"]["oracle_market"]
    assert set(res["ablation"]) == {f"without_{name}" for name in deal_oracle.ABLATIONS}
    assert all(0.0 < value < market for value in res["ablation"].values()), res["ablation"]
    backtest_data.generate(tmp_path, *deal_oracle.world_sizes("cn", 0.3), seed=3, preset="cn")
    world = deal_oracle.regenerate("cn", 3, 0.3)
    quick = deal_oracle.evaluate(world, tmp_path, full=False)["ndcg@10"]
    whole = deal_oracle.evaluate(world, tmp_path)["ndcg@10"]
    assert set(whole) - set(quick) == {"oracle_full", "oracle_full_ndcg"}
    assert quick == {name: whole[name] for name in quick}
