"""bench.matches loads a judged set through the import API and scores what the API serves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.matches import resample_projects, run

PROJECTS = """name,one_liner,needs_statement,stage,round_sought,industries,needs,city,languages,funding_sought
工业质检,用视觉检测做汽车零件质检,需要申请发明专利，也在找天使轮,seed,angel,ai,ip|financing,济南,zh,3000000
Farm drones,Drones that spray orchards,We need a patent lawyer and angel money,seed,angel,agriculture_rural,\
ip|financing,Kunshan,zh|en,2000000
"""
MENTORS = """name,mentor_type,expertise,offer,serves,stages,city,regions,languages
专利导师,technical_expert,专利,帮助申请发明专利和专利布局,ip,seed|early,济南,山东,zh
Marketing mentor,marketing_expert,branding,brand strategy for consumer goods,marketing_branding,growth,London,海外,en
融资导师,angel_investor,天使投资,帮助准备天使轮融资,financing,seed,上海,全国,zh
"""
INVESTORS = """name,kind,thesis,rounds,ticket_min,ticket_max,industries,stages,city,regions,languages
山东引导基金,government_fund,投资山东的早期科技企业,angel|seed,1000000,5000000,ai,seed,济南,山东,zh
大额基金,vc,成长期大额投资,angel|b,50000000,200000000,ai,growth,北京,全国,zh|en
"""
PROVIDERS = """name,category,services,serves,stages,city,regions,languages
专利代理,ip,发明专利申请与答复,ip,seed|early,济南,全国,zh|en
Registration desk,registration,company registration in Jinan,registration,idea|seed,济南,济南,zh|en
"""


def test_judged_set_is_loaded_through_the_api_and_scored(tmp_path: Path) -> None:
    for name, body in (("projects.csv", PROJECTS), ("mentors.csv", MENTORS), ("investors.csv", INVESTORS),
                       ("providers.csv", PROVIDERS)):
        (tmp_path / name).write_text(body, encoding="utf-8")
    (tmp_path / "judgments.json").write_text(json.dumps({
        "judgments": {"工业质检": {"mentor": {"专利导师": 3, "融资导师": 2}, "investor": {"山东引导基金": 3},
                                   "provider": {"专利代理": 3}},
                      "Farm drones": {"mentor": {"专利导师": 2}}},
        "must_not_appear": {"工业质检": {"mentor": ["Marketing mentor"], "investor": ["大额基金"]},
                            "Farm drones": {"investor": ["山东引导基金"], "provider": ["Registration desk"]}},
    }, ensure_ascii=False), encoding="utf-8")
    out = run(tmp_path, encoder="keyword", detail=True)
    assert out["projects"] == 2
    mentors, investors, providers = (out["kinds"][k] for k in ("mentor", "investor", "provider"))
    assert mentors["queries"] == 2 and 0.0 < mentors["ndcg@5"] <= 1.0
    # English-only mentor and a Chinese-only project share no language: never shown
    assert investors["violations"] == 0 and providers["violations"] == 0 and mentors["violations"] == 0
    assert investors["ndcg@10"] == 1.0  # the one eligible investor is the judged one
    assert investors["tag_match"]["ndcg@10"] == 1.0 and investors["ratio_to_tag_match"] == 1.0
    # one judged project: every draw is that project
    assert investors["uncertainty"]["ndcg@5_ci90"] == [1.0, 1.0]
    assert investors["uncertainty"]["share_of_draws_at_or_above_bar"] == 1.0
    lo, hi = mentors["uncertainty"]["ndcg@5_ci90"]
    assert lo <= mentors["ndcg@5"] <= hi
    # the Chinese project and the English one, apart; their mean is the kind's NDCG@5
    langs = mentors["by_project_language"]
    assert {lang: v["queries"] for lang, v in langs.items()} == {"en": 1, "zh": 1}
    assert (langs["en"]["ndcg@5"] + langs["zh"]["ndcg@5"]) / 2 == pytest.approx(mentors["ndcg@5"], abs=1e-4)
    assert investors["by_project_language"] == {"zh": {"ndcg@5": 1.0, "queries": 1}}
    # --detail: every judged project of a kind, worst first, with both lists named and graded
    detail = out["detail"]
    assert [r["project"] for r in detail["investor"]] == ["工业质检"]
    row = detail["investor"][0]
    assert row["top"] == [("山东引导基金", 3)]
    assert row["ndcg@5"] == 1.0 and row["tag_match_ndcg@5"] == 1.0 and row["judged"] == [("山东引导基金", 3)]
    assert sorted(r["project"] for r in detail["mentor"]) == ["Farm drones", "工业质检"]
    scores = [r["ndcg@5"] for r in detail["mentor"]]
    assert scores == sorted(scores)
    assert sum(scores) / 2 == pytest.approx(mentors["ndcg@5"], abs=1e-4)
    for r in detail["mentor"]:
        assert len(r["top"]) <= 10 and all(g == dict(r["judged"]).get(n, 0) for n, g in r["top"])


@pytest.mark.parametrize("name", ["matches_heldout", "matches_third"])
def test_the_held_out_sets_are_consistent(name: str) -> None:
    """A held-out judged set's own check (CSV shape, taxonomy codes, unique names, every judged name present,
    must_not_appear recomputed from its rules and disjoint from the grades) passes on what is committed."""
    import subprocess
    import sys

    check = Path(__file__).parents[2] / "bench" / "data" / name / "check.py"
    done = subprocess.run([sys.executable, str(check)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("OK")


def test_resampled_projects_give_the_interval_of_another_set_of_the_same_shape() -> None:
    """Forty projects, half at 1.0 and half at 0.8 (mean 0.9): a draw of forty lands on either side of the bar;
    the tag match at half of ours on every project is 2x in every draw."""
    ours = [1.0] * 20 + [0.8] * 20
    out = resample_projects(ours, [x / 2 for x in ours])
    assert out is not None
    lo, hi = out["ndcg@5_ci90"]
    assert lo < 0.9 < hi and hi - lo < 0.06  # sd of the mean: 0.1 / sqrt(40) ~ 0.016
    assert 0.3 < out["share_of_draws_at_or_above_bar"] < 0.7
    assert out["ratio_to_tag_match_ci90"] == [2.0, 2.0]
    assert resample_projects([], []) is None
