"""All of China's places: names in three scripts, the hierarchy, region fit by it, and the hard
constraints that hold whatever the weights."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from matcher import WeightSet
from matcher.config import FEATURES
from matcher.errors import UnknownLabelError
from matcher.taxonomy import CITIES, REGIONS, region_of_city
from tests.matcher.helpers import NOW, build, investor, mentor, project


@pytest.mark.parametrize(("value", "code"), [
    ("济南", "370100"), ("济南市", "370100"), ("Jinan", "370100"), ("370100", "370100"),
    ("昆山", "320583"), ("Kunshan", "320583"), ("Xi'an", "610100"), ("xian", "610100"),  # pre-2026 code
    ("黔西南", "522300"), ("柏林", "de-berlin"), ("Berlin", "de-berlin"), ("德国柏林", "de-berlin"),
    ("shenzhen", "440300"), ("仙桃", "429004"),
])
def test_city_names_in_every_script(value: str, code: str) -> None:
    assert CITIES.parse(value) == code


def test_regions_and_their_hierarchy() -> None:
    assert REGIONS.parse("山东") == REGIONS.parse("山东省") == REGIONS.parse("Shandong") == "370000"
    assert REGIONS.parse("Inner Mongolia") == REGIONS.parse("内蒙古") == "150000"
    assert REGIONS.parse("华东") == "east" and REGIONS.parse("全国") == "nationwide"
    assert REGIONS.parse("吉林") == "220000" and CITIES.parse("吉林") == "220200"  # broadest where it may be
    kunshan = REGIONS.get("320583")
    assert (kunshan.prefecture, kunshan.province, kunshan.macro) == ("320500", "320000", "east")
    assert region_of_city("370100") == "east" and region_of_city("de-berlin") == "overseas"
    provinces = REGIONS.provinces()
    assert len(provinces) == 34
    assert all(REGIONS.children(p.code) for p in provinces if p.level == "province" and p.code != "710000")
    assert len([p for p in CITIES if p.level == "prefecture"]) >= 330


@pytest.mark.parametrize(("value", "says"), [
    ("Taizhou", "泰州市"), ("山东", "not a city"), ("济南x", "济南"), ("", "give a city")])
def test_unknown_or_ambiguous_places_say_why(value: str, says: str) -> None:
    with pytest.raises(UnknownLabelError) as err:
        CITIES.parse(value)
    assert says in str(err.value)


def _region_scores(proj_city: str, cands: dict[int, tuple[str, tuple[str, ...]]]) -> dict[int, float]:
    only_region = WeightSet.parse("mentor", {n: 0.0 for n in FEATURES} | {"region": 1.0, "exposure": 0.0})
    m = build([project(1, city=proj_city)], mentor=[mentor(i, city=c, regions=r) for i, (c, r) in cands.items()])
    ranked = m.rank(kind="mentor", query_id=1, weights=only_region, k=len(cands), now=NOW)
    return {x.id: x.features["region"] for x in ranked.matches}


def test_region_fit_follows_the_hierarchy() -> None:
    scores = _region_scores("320583", {  # a project in 昆山 (county-level city of 苏州, 江苏, 华东)
        1: ("320500", ("320500",)),      # serves 苏州: the project's city
        2: ("320100", ("320000",)),      # serves all 江苏
        3: ("310000", ("east",)),        # serves 华东
        4: ("440300", ("nationwide",)),  # serves all China
        5: ("320200", ("320200",)),      # 无锡 only: same province
        6: ("330100", ("330100",)),      # 杭州 only: same macro region
        7: ("440300", ("440300",)),      # 深圳 only
    })
    assert [scores[i] for i in range(1, 8)] == pytest.approx([1.0, 0.85, 0.7, 0.6, 0.45, 0.35, 0.0])


def test_a_candidate_based_near_the_project_that_serves_it_is_closer_than_one_far_away() -> None:
    scores = _region_scores("320583", {  # 昆山 again
        1: ("320500", ("nationwide",)),  # based in 苏州, serves all China: same city
        2: ("320100", ("nationwide",)),  # based in 南京: same province
        3: ("330100", ("nationwide",)),  # based in 杭州: same macro region
        4: ("440300", ("nationwide",)),  # based in 深圳: nationwide only
        5: ("320100", ("east",)),        # based in 南京, serves 华东: same province
        6: ("320500", ("440300",)),      # based in 苏州 but serves 深圳 only: it does not serve the project
    })
    assert [scores[i] for i in range(1, 7)] == pytest.approx([1.0, 0.85, 0.7, 0.6, 0.85, 0.45])
    # overseas is many countries: a London mentor serving China is no closer to a Berlin project for it
    abroad = _region_scores("de-berlin", {1: ("gb-london", ("nationwide",)), 2: ("de-berlin", ("nationwide",))})
    assert [abroad[1], abroad[2]] == pytest.approx([0.6, 1.0])


def test_region_reasons_say_what_the_region_fit_scored() -> None:
    m = build([project(1, city="320583")], mentor=[
        mentor(2, city="320100", regions=("nationwide",)),  # based in 江苏, serves all China
        mentor(3, city="440300", regions=("320000",)),      # serves all 江苏 from 深圳
        mentor(4, city="330100", regions=("nationwide",)),  # based in 华东, serves all China
        mentor(5, city="110000", regions=("east",)),        # serves 华东 from 北京
        mentor(6, city="440300", regions=("nationwide",)),  # serves all China from 深圳
        mentor(7, city="320200", regions=("320200",)),      # 无锡 only: another city of the province
        mentor(8, city="330100", regions=("330100",)),      # 杭州 only: another province of the macro region
    ])
    ranked = m.rank(kind="mentor", query_id=1, weights=WeightSet.parse("mentor", {}), k=7, now=NOW).matches
    reasons = {x.id: x.reasons_en for x in ranked}
    assert "Based in Jiangsu, serves your area" in reasons[2]
    assert "Serves all of Jiangsu" in reasons[3]
    assert "Based in East China, serves your area" in reasons[4]
    assert "Serves East China" in reasons[5]
    assert "Serves nationwide" in reasons[6]
    assert "Also in Jiangsu" in reasons[7]
    assert "Also in East China" in reasons[8]
    # in deal flow the investor reads about the project, so the same fact is said of the project
    d = build([project(1, city="320583")], investor=[investor(9, city="320100",
                                                                               regions=("nationwide",))])
    flow = d.rank(kind="investor", query_id=9, weights=WeightSet.default("dealflow"), k=1, direction="dealflow",
                  now=NOW).matches
    assert "The project is in Jiangsu, as you are" in flow[0].reasons_en
    assert not any("serves your area" in e for e in flow[0].reasons_en)


def _eligible(proj, investors) -> set[int]:  # type: ignore[no-untyped-def]
    m = build([proj], investor=investors)
    w = WeightSet.parse("investor", {})
    return {x.id for x in m.rank(kind="investor", query_id=proj.id, weights=w, k=50, now=NOW).matches}


def test_ticket_minimum_above_the_whole_round_excludes_but_a_small_maximum_does_not() -> None:
    p = project(1, funding_sought=5_000_000)
    got = _eligible(p, [investor(1, ticket_min=6_000_000, ticket_max=50_000_000),  # minimum above the round
                        investor(2, ticket_min=5_000_000, ticket_max=8_000_000),
                        investor(3, ticket_min=100_000, ticket_max=1_000_000)])  # part of a syndicate
    assert got == {2, 3}
    m = build([p], investor=[investor(3, ticket_min=100_000, ticket_max=1_000_000)])
    top = m.rank(kind="investor", query_id=1, weights=WeightSet.parse("investor", {}), k=5, now=NOW).matches[0]
    assert any("跟投" in z for z in top.reasons_zh) and any("co-investor" in e for e in top.reasons_en)


def test_round_language_activity_and_capacity_exclude() -> None:
    p = project(1, round_sought="a", funding_sought=20_000_000, languages=("zh",))
    got = _eligible(p, [investor(1, rounds=("angel",)), investor(2, rounds=("a",)), investor(3, rounds=("a",),
                    languages=("en",)), investor(4, rounds=("a",), active=False), investor(5, rounds=("a",),
                    capacity=2, load=2)])
    assert got == {2}


def test_local_only_candidates_stay_in_their_province_unless_the_project_would_move() -> None:
    fund_jinan = investor(1, subtype="government_fund", city="370100", regions=("370000",))
    fund_hz = investor(2, subtype="government_fund", city="330100", regions=("330100",))
    fund_national = investor(3, subtype="government_fund", city="110000", regions=("nationwide",))
    vc_hz = investor(4, subtype="vc", city="330100", regions=("330100",))
    in_qingdao = project(1, city="370200")
    assert _eligible(in_qingdao, [fund_jinan, fund_hz, fund_national, vc_hz]) == {1, 3, 4}
    moving = replace(in_qingdao, description="明年计划把总部搬迁到杭州，正在谈落户政策。")
    assert _eligible(moving, [fund_jinan, fund_hz, fund_national, vc_hz]) == {1, 2, 3, 4}


@pytest.mark.parametrize(("text", "city", "code"), [
    ("To cut cost we plan to move production to Shenzhen or Dongguan and open a small office.", "de-berlin", "440300"),
    ("We are thinking about opening a small representative office in Shanghai next year.", "gb-london", "310000"),
    ("We want to open a WFOE in Shaoxing and hire 5 sourcing staff.", "us-san-francisco", "330600"),
    ("我们计划明年在苏州设立子公司，负责华东销售。", "340100", "320500"),
    ("公司准备迁往合肥高新区。", "310000", "340100"),
    ("We plan to open an office in Berlin.", "110000", "de-berlin"),
    # not a plan to set up elsewhere: already there, selling there, no place, a country, a word that is a place
    ("公司已在合肥高新区落户。", "340100", ""),
    ("想拓展到湖南、湖北，但对外省职校的采购节奏不熟。", "360100", ""),
    ("也想找在东南亚、中东有渠道资源的合作方。", "330782", ""),
    ("We are still registering the company in Kunshan.", "320583", ""),
    ("Someone registered our brand name as a trademark in China.", "gb-london", ""),
    ("We do not know whether to set up a WFOE or a joint venture.", "320500", ""),
    ("We are raising a Series C to open service hubs in the Netherlands and Poland.", "440300", ""),
    ("We sell to hospitals in Shanghai and want to open up the market in Beijing.", "310000", ""),
    ("We relocated to Hangzhou last year.", "310000", ""),
    # a plan the text denies, a place it only sells to or builds channels in, a trademark
    ("我们不打算在北京设立分公司。", "310000", ""), ("暂不考虑在深圳设立分公司。", "310000", ""),
    ("We do not plan to open an office in Shanghai.", "110000", ""),
    ("We never plan to relocate to Beijing.", "310000", ""),
    ("计划在广东建立经销商网络。", "310000", ""), ("想在深圳注册商标。", "310000", ""),
    ("研发团队主要在上海设立的实验室。", "110000", ""),
    ("We set up a company in the US to sell in Shanghai.", "110000", ""),
    ("We are building a company that sells to hospitals in Shanghai.", "110000", ""),
    ("我们计划在深圳注册公司并招聘10人。", "110000", "440300"), ("明年在成都开设分公司。", "110000", "510100"),
    ("We are setting up a subsidiary in Suzhou this year.", "de-berlin", "320500"),
])
def test_where_a_project_says_it_will_set_up(text: str, city: str, code: str) -> None:
    from matcher.profiles import planned_place

    assert planned_place(text, city) == code


def test_a_project_that_will_set_up_elsewhere_gets_that_places_local_services() -> None:
    """A London team that will open a WFOE in Shaoxing: Shaoxing's registration service (local-only) becomes
    eligible and fits as if the project were there; a Hunan one stays out, and so does it without the plan."""
    def provider(i: int, **kw):  # type: ignore[no-untyped-def]
        return mentor(i, kind="provider", offer_text="外商独资企业设立", expertise_text="公司注册", **kw)

    reg_sx = provider(1, subtype="registration", serves=("registration",), city="330600", regions=("330600",),
                      languages=("zh", "en"))
    reg_hn = provider(2, subtype="registration", serves=("registration",), city="430100", regions=("430000",),
                      languages=("zh", "en"))
    lawyer = provider(3, subtype="legal", serves=("registration", "legal"), city="310000", regions=("nationwide",),
                      languages=("zh", "en"))
    base = project(1, city="gb-london", languages=("en",), needs=("registration",), need_text="company set-up",
                   description="US brands source fabric from mills.")
    plan = replace(base, description="We want to open a WFOE in Shaoxing and hire 5 sourcing staff.")
    w = WeightSet.default("provider")
    without = build([base], provider=[reg_sx, reg_hn, lawyer]).rank(kind="provider", query_id=1, weights=w, k=10,
                                                                      now=NOW)
    assert [m.id for m in without.matches] == [3]
    got = build([plan], provider=[reg_sx, reg_hn, lawyer]).rank(kind="provider", query_id=1, weights=w, k=10,
                                                                 now=NOW)
    assert [m.id for m in got.matches] == [1, 3]
    assert got.matches[0].features["region"] == pytest.approx(1.0)
    assert "在你计划落地的绍兴" in got.matches[0].reasons_zh
    assert "In Shaoxing, where you plan to set up" in got.matches[0].reasons_en
    # the Shanghai lawyer serves all China and is based in Shaoxing's macro region: closer to the plan than to London
    assert "在你计划落地的华东" in got.matches[1].reasons_zh, got.matches[1].reasons_zh
    # a project in Shaoxing's province: a Shaoxing candidate is explained by where the project is, not the plan
    hz = replace(plan, city="330100", description="我们计划在绍兴设立子公司。")
    local = build([hz], provider=[reg_sx]).rank(kind="provider", query_id=1, weights=w, k=10, now=NOW).matches[0]
    assert local.features["region"] == pytest.approx(1.0)
    assert "在你计划落地的绍兴" in local.reasons_zh
    sh = replace(plan, city="330600")  # already in Shaoxing: no plan, the same city
    same = build([sh], provider=[reg_sx]).rank(kind="provider", query_id=1, weights=w, k=10, now=NOW).matches[0]
    assert not any("计划落地" in r for r in same.reasons_zh) and "同城：绍兴" in same.reasons_zh


def test_hard_constraints_hold_in_cohort_allocation_too() -> None:
    from matcher.cohort import score_edges

    p = project(1, funding_sought=5_000_000, city="370200")
    m = build([p], investor=[investor(1, ticket_min=6_000_000), investor(2),
                             investor(3, subtype="government_fund", city="330100", regions=("330100",))])
    pids, cids, _ = score_edges(m, kind="investor", project_ids=[1], weights=WeightSet.parse("investor", {}), now=NOW)
    assert set(np.asarray(cids).tolist()) == {2}
    assert set(np.asarray(pids).tolist()) == {1}


@pytest.mark.parametrize(("region", "city", "expected"), [
    ("北京", "北京", ("110000", "110000", "north")),
    ("北京市", "北京市", ("110000", "110000", "north")),  # two spellings of one place meet
    ("广东", "深圳", ("440000", "440300", "south")),
    ("", "昆山", ("320000", "320500", "east")),  # a county-level city: its prefecture, and it says its province
    ("", "370100", ("370000", "370100", "east")),  # the service's own city codes
    ("浙江", "不是城市", ("330000", "不是城市", "east")),
    ("CA", "San Francisco", ("CA", "San Francisco", "us-pacific")),  # a US state: its census division
    ("California", "San Francisco", ("CA", "San Francisco", "us-pacific")),  # ... by name: the same state
    (" new  york", "Brooklyn", ("NY", "Brooklyn", "us-middle-atlantic")),
    ("Washington, D.C.", "", ("DC", "", "us-south-atlantic")),
    ("Washington D.C.", "", ("DC", "", "us-south-atlantic")),
    ("Washington, DC", "", ("DC", "", "us-south-atlantic")),
    ("SF Bay Area", "San Francisco", ("SF Bay Area", "San Francisco", "")),  # unknown: as written
    ("海外", "新加坡", ("sg", "sg-singapore", "overseas")),  # an overseas city: its country
    ("海外", "Singapore", ("sg", "sg-singapore", "overseas")),  # Latin script, under a region of the list
    ("广东", "Shenzhen", ("440000", "440300", "south")),
    ("", "de-berlin", ("de", "de-berlin", "overseas")),
    ("", "广东", ("440000", "", "south")),  # a province written as the city
    ("华东", "", ("", "", "east")),  # a macro region is no province
    ("北京", "海淀", ("110000", "110000", "north")),  # a district of a municipality
    ("湖北", "深圳", ("440000", "440300", "south")),  # disagreeing: the city is the more specific
])
def test_deal_records_places_resolve_to_the_hierarchy(region: str, city: str, expected: tuple[str, str, str]) -> None:
    from matcher.geography import deal_place

    assert deal_place(region, city) == expected


def test_served_and_backtest_companies_share_the_place_hierarchy() -> None:
    from matcher.investor_ranker import company_facts

    c = company_facts("p1", ("ai",), "320583")  # 昆山, as a project's city
    assert (c.region, c.city, c.macro) == ("320000", "320500", "east")
    abroad = company_facts("p2", ("ai",), "de-berlin")
    assert (abroad.region, abroad.city, abroad.macro) == ("de", "de-berlin", "overseas")
