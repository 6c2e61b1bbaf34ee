"""bench.deal_stats on hand-computed data sets, and the determinism of the generator's presets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import backtest_data
from bench.deal_stats import DealStatsError, compare, deal_stats, main

SAMPLE = Path(backtest_data.__file__).parent / "data" / "backtest_sample"


def _write(path: Path, header: str, rows: list[str], bom: bool = False) -> None:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8-sig" if bom else "utf-8")


@pytest.fixture
def network(tmp_path: Path) -> Path:
    """Co-investment cases (dates 2020-mm-dd); slots and hits of coinvested_new_investor_share:

    R04 (C1; earlier investors I1, I2): I1 is no slot (not new); I5 hit (with I2 in R02, dated before);
        I6 miss (no co-investment before).
    R05 (C3; earlier I4), same date as R04: I6 miss (R04 is not dated before; I6 meets I4 only in R06, after).
    R06 (C2; earlier I2, I5): I4 miss (alone in R03); I6 hit (with I5 in R04).
    R07: first round of C4, no slot. R08: no investments.
    R09 (C3; earlier I4, I6): I4, I6 no slot; I3 miss.
    R10, R11: C5 twice on one date: R11 is a follow-on by id order, I9 one slot, a miss.
    R12 (C1): only I1, not new.
    -> 7 slots, 2 hits.
    """
    _write(tmp_path / "companies.csv", "company_id,name,industries,region,city,founded_on,description",
           ["C1,a,x|y,A,,,", "C2,b,x,A,,,", "C3,c,y,B,,,", "C4,d,,,,,", "C5,e,z,B,,,"], bom=True)
    _write(tmp_path / "rounds.csv", "round_id,company_id,round,date",
           ["R01,C1,seed,2020-01-01", "R02,C2,seed,2020-02-01", "R03,C3,a,2020-03-01", "R04,C1,a,2020-06-01",
            "R05,C3,b,2020-06-01", "R06,C2,a,2020-07-01", "R07,C4,b,2020-07-01", "R08,C2,b,2020-09-01",
            "R09,C3,c_plus,2020-09-01", "R10,C5,seed,2020-10-01", "R11,C5,a,2020-10-01", "R12,C1,b,2020-08-01"])
    _write(tmp_path / "investments.csv", "round_id,investor_id",
           ["R01,I1", "R01,I2", "R01,I1", "R01,",  # a repeated pair and an empty investor: one investment each
            "R02,I2", "R02,I5", "R03,I4", "R04,I1", "R04,I5", "R04,I6", "R05,I6", "R06,I4", "R06,I6", "R07,I7",
            "R09,I4", "R09,I6", "R09,I3", "R10,I8", "R11,I9", "R12,I1"])
    return tmp_path


@pytest.fixture
def focus(tmp_path: Path) -> Path:
    """Concentration, region / round focus and text.

    P1: 7 investments; regions BJ BJ SH (empty) GD BJ SH -> 3 of 6 counted = 0.5; labels a a b a seed b B
        -> b 3 of 7 = 0.428571 (labels lower-cased).
    P2: 5 investments, one in the company without region -> 4 counted, skipped for regions; labels a a b a b
        -> 0.6.
    P3: 5 investments; regions BJ BJ BJ GD SH -> 0.6; labels a a b seed b -> 0.4.
    P4..P20: one investment each (in Q5).
    Tags per company 2, 3, 0, 2, 1 (median 2); descriptions 2 of 5 (whitespace only is empty).
    """
    _write(tmp_path / "companies.csv", "company_id,name,industries,region,city,founded_on,description",
           ["K1,a,x|y,BJ,,,d", "K2,b,\"x, y；z\",BJ,,,", "K3,c,,SH,,,  ", "K4,d,a / b,,,,e", "K5,e,solo,GD,,,"])
    _write(tmp_path / "rounds.csv", "round_id,company_id,round,date",
           ["Q1,K1,a,2019-01-01", "Q2,K2,a,2019-02-01", "Q3,K3,b,2019-03-01", "Q4,K4,a,2019-04-01",
            "Q5,K5,seed,2019-05-01", "Q6,K1,b,2019-06-01", "Q7,K3,B,2019-07-01"])
    rows = [f"{q},P1" for q in ("Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7")]
    rows += [f"{q},P2" for q in ("Q1", "Q2", "Q3", "Q4", "Q6")]
    rows += [f"{q},P3" for q in ("Q1", "Q2", "Q6", "Q5", "Q7")]
    rows += [f"Q5,P{i}" for i in range(4, 21)]
    _write(tmp_path / "investments.csv", "round_id,investor_id", rows)
    _write(tmp_path / "investors.csv", "investor_id,name,kind,description", ["P1,x,vc,"])
    return tmp_path


def test_coinvestment_and_sizes(network: Path) -> None:
    s = deal_stats(network, "2020-06-01", "2020-09-02")
    assert s["coinvest_slots"] == 7
    assert s["coinvested_new_investor_share"] == pytest.approx(2 / 7, abs=1e-4)
    assert s["investments"] == 18
    assert s["rounds"] == 12
    assert s["rounds_with_investments"] == 11
    assert s["investors_per_round"] == pytest.approx(18 / 11, abs=1e-4)
    assert s["companies"] == 5
    assert s["investors_with_investments"] == 9
    assert (s["first_date"], s["last_date"]) == ("2020-01-01", "2020-10-01")
    # history before 2020-06-01: R01-R03 -> I1, I2, I4, I5
    assert s["candidates"] == 4
    # R04 R05 R06 R07 R09 R12 have investments in the window; R12 only by I1, an investor of C1 before the cutoff
    assert s["queries"] == 6
    assert s["queries_excluding_prior"] == 5
    # I6: 4 investments of 18, k = max(1, round(0.09)) = 1 for both shares
    assert s["top1_share"] == s["top10_share"] == pytest.approx(4 / 18, abs=1e-4)
    # I3 I7 I8 I9 have one investment each
    assert s["single_deal_share"] == pytest.approx(4 / 9, abs=1e-4)
    assert s["top_region_share_5plus"] is None  # nobody has 5 investments
    assert s["description_share"] == 0.0  # no description anywhere


def test_concentration_focus_and_text(focus: Path) -> None:
    s = deal_stats(focus)
    assert s["investments"] == 34
    assert s["investors_with_investments"] == 20
    assert s["top1_share"] == pytest.approx(7 / 34, abs=1e-4)  # k = max(1, round(0.2)) = 1
    assert s["top10_share"] == pytest.approx(12 / 34, abs=1e-4)  # k = round(2.0) = 2: P1 and a 5-deal investor
    assert s["single_deal_share"] == pytest.approx(17 / 20, abs=1e-4)
    assert s["top_region_share_5plus"] == pytest.approx(0.55, abs=1e-4)  # median of P1 0.5 and P3 0.6
    assert s["top_round_share_5plus"] == pytest.approx(3 / 7, abs=1e-4)  # median of 0.4286, 0.6, 0.4
    assert s["investors_per_round"] == pytest.approx(34 / 7, abs=1e-4)
    assert s["median_tags_per_company"] == 2.0
    assert s["description_share"] == pytest.approx(0.4)
    assert s["coinvested_new_investor_share"] is not None
    assert "candidates" not in s  # only with --cutoff / --until


def test_unknown_round_is_reported(network: Path) -> None:
    with open(network / "investments.csv", "a", encoding="utf-8") as fh:
        fh.write("R99,I1\n")
    with pytest.raises(DealStatsError, match="line 22: unknown round_id 'R99'"):
        deal_stats(network)


def test_cli_json_and_compare(focus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(focus), "--json", "--compare", "cn", "--cutoff", "2019-04-01", "--until", "2019-08-01"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["median_tags_per_company"] == 2.0
    rows = {r["statistic"]: r for r in out["compare"]["rows"]}
    assert rows["median_tags_per_company"]["ok"] is True
    assert rows["top1_share"]["ok"] is False  # 0.206 against 0.09
    assert rows["candidates"]["value"] == 3.0
    assert main([str(focus), "--compare", "us"]) == 0
    text = capsys.readouterr().out
    assert "top_region_share_5plus" in text and "NO" in text


def test_compare_zero_target_needs_exact_zero() -> None:
    rows = {r["statistic"]: r["ok"] for r in compare({"description_share": 0.0, "top1_share": 0.25}, "us")}
    assert rows == {"description_share": True, "top1_share": True}
    assert compare({"description_share": 0.01}, "us")[0]["ok"] is False


def _files(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.glob("*.csv"))}


@pytest.mark.parametrize(("preset", "investors", "companies"), [("us", 600, 1000), ("cn", 400, 1100)])
def test_presets_are_deterministic(tmp_path: Path, preset: str, investors: int, companies: int) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    backtest_data.generate(a, investors=investors, companies=companies, seed=3, preset=preset)
    backtest_data.generate(b, investors=investors, companies=companies, seed=3, preset=preset)
    backtest_data.generate(c, investors=investors, companies=companies, seed=4, preset=preset)
    assert _files(a) == _files(b)
    assert _files(a) != _files(c)
    s = deal_stats(a)
    assert isinstance(s["investments"], int) and s["investments"] > 0
    if preset == "us":
        assert s["median_tags_per_company"] == 1.0 and s["description_share"] == 0.0
    else:
        assert s["median_tags_per_company"] == 2.0 and s["description_share"] == 1.0


def test_default_world_still_writes_the_checked_in_sample(tmp_path: Path) -> None:
    """The default world (no preset) is used elsewhere: its files must not change."""
    backtest_data.generate(tmp_path, investors=400, companies=1400, seed=0)
    assert _files(tmp_path) == _files(SAMPLE)


def test_cli_scale(tmp_path: Path) -> None:
    backtest_data.main(["--preset", "cn", "--scale", "0.2", "--out", str(tmp_path)])
    assert (tmp_path / "rounds.csv").exists()
