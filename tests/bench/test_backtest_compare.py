"""bench.backtest_compare on hand-made ``--details`` files: known NDCG, a paired difference, its interval."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from bench.backtest_compare import compare, main, per_query
from tests.matcher.test_backtest import tiny


def _details(path: Path, lists: dict[str, tuple[list[str], list[str]]], best: list[str] | None = None) -> Path:
    """round id -> (truth, Huoban's top k); ``best`` (the same top for every round) as the file's best baseline."""
    queries = [{"round_id": r, "company_id": "C", "round": "a", "date": "2024-01-01", "truth": truth, "huoban": top,
                **({"region_round_popularity": best} if best is not None else {})}
               for r, (truth, top) in lists.items()]
    path.write_text(json.dumps({"best_baseline": "region_round_popularity" if best is not None else None,
                                "queries": queries}), encoding="utf-8")
    return path


def test_ndcg_of_a_hand_made_details_file_is_known(tmp_path: Path) -> None:
    """Truth {A, B}, list [A, X, B]: (1 + 1/log2 4) / (1 + 1/log2 3); the CSVs' string ids are read as ids."""
    f = _details(tmp_path / "d.json", {"Q1": (["A", "B"], ["A", "X", "B"]), "Q2": (["B"], ["X", "Y"])},
                 best=["B", "A"])
    ours, best = per_query(f)
    assert ours["Q1"] == pytest.approx((1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3)))
    assert ours["Q2"] == 0.0
    assert best == {"Q1": pytest.approx(1.0), "Q2": pytest.approx(1.0)}


def test_a_file_the_backtest_wrote_scores_as_the_backtest_did(tmp_path: Path) -> None:
    """``huoban backtest --details``: the per-round NDCG read back averages to the JSON's NDCG@10, for Huoban
    and for the best baseline, and a run compared with itself differs by nothing."""
    from click.testing import CliRunner

    from api.cli import cli

    details = tmp_path / "details.json"
    result = CliRunner().invoke(cli, ["backtest", "--data", str(tiny(tmp_path)), "--cutoff", "2023-01-01",
                                      "--until", "2025-01-01", "--encoder", "keyword", "--var", str(tmp_path),
                                      "--details", str(details), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout.strip().splitlines()[-1])
    ours, best = per_query(details)
    assert len(ours) == out["queries"] == 3
    assert sum(ours.values()) / len(ours) == pytest.approx(out["huoban"]["ndcg@10"], abs=1e-12)
    assert sum(best.values()) / len(best) == pytest.approx(out["baselines"][out["best_baseline"]]["ndcg@10"],
                                                           abs=1e-12)
    same = compare([(details, details)])
    assert same["difference"] == 0.0 and same["ndcg_before"] == round(out["huoban"]["ndcg@10"], 4)


def test_a_paired_difference_and_its_interval(tmp_path: Path) -> None:
    rounds = [f"Q{i}" for i in range(40)]
    miss = _details(tmp_path / "before.json", {r: (["A"], ["X"]) for r in rounds})
    hit = _details(tmp_path / "after.json", {r: (["A"], ["A"]) for r in rounds})
    half = _details(tmp_path / "half.json", {r: (["A"], ["A"] if i % 2 else ["X"]) for i, r in enumerate(rounds)})
    out = compare([(miss, hit)])
    assert out["difference"] == 1.0 and out["ci90"] == [1.0, 1.0] and out["pairs_up"] == 1
    same = compare([(half, half)])
    assert same["difference"] == 0.0 and same["ci90"] == [0.0, 0.0] and same["pairs_up"] == same["pairs_down"] == 0
    mixed = compare([(miss, half)])  # half the rounds gained: 0.5, and resampled rounds move it
    assert mixed["difference"] == 0.5 and mixed["ci90"][0] < 0.5 < mixed["ci90"][1]
    both = compare([(miss, hit), (half, half)])  # each data set weighs the same
    assert both["difference"] == 0.5 and both["pairs_up"] == 1 and both["pairs_down"] == 0


def test_rounds_missing_from_one_run_are_counted_and_disjoint_runs_refused(tmp_path: Path) -> None:
    a = _details(tmp_path / "a.json", {"Q1": (["A"], ["A"]), "Q2": (["A"], ["A"])})
    b = _details(tmp_path / "b.json", {"Q2": (["A"], ["X"]), "Q3": (["A"], ["A"])})
    row = compare([(a, b)])["pairs"][0]
    assert (row["queries"], row["only_before"], row["only_after"], row["difference"]) == (1, 1, 1, -1.0)
    c = _details(tmp_path / "c.json", {"Q9": (["A"], ["A"])})
    with pytest.raises(SystemExit, match="share no query round"):
        compare([(a, c)])


def test_the_command_takes_files_in_pairs_of_one_k(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = _details(tmp_path / "a.json", {"Q1": (["A"], ["X"])})
    b = _details(tmp_path / "b.json", {"Q1": (["A"], ["A"])})
    assert main([str(a), str(b), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["difference"] == 1.0
    assert main([str(a), str(a)]) == 0  # text; a NDCG of 0 before has no relative change
    assert "difference +0.0000, 90 % interval" in capsys.readouterr().out
    longer = _details(tmp_path / "k20.json", {"Q1": (["A"], ["A", *(f"X{i}" for i in range(19))])})
    with pytest.raises(SystemExit, match="differ in length"):
        compare([(a, longer)])
    with pytest.raises(SystemExit) as exc:
        main([str(a), str(b), str(a)])
    assert exc.value.code == 2
