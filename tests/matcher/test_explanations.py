"""Explanations that are true (issue 19): an industry reason needs the candidate's own words, deal-flow
reasons speak to the investor, and internal notes are not reasons."""

from __future__ import annotations

import pytest

from matcher import WeightSet
from matcher.explain import text_supports_industry
from matcher.features import MAIN_INDUSTRY_SHARE
from tests.matcher.helpers import NOW, build, investor, mentor, project


def test_the_candidates_own_words_vouch_for_an_industry_and_a_negation_does_not() -> None:
    assert text_supports_industry("我们投资游戏、动漫和数字内容", "culture_creative")
    assert not text_supports_industry("我们投资游戏、动漫和数字内容", "big_data")
    assert text_supports_industry("Seed rounds in B2B software and SaaS", "enterprise_services")
    assert not text_supports_industry("专投农业，不投医疗信息化", "biotech_health")
    assert text_supports_industry("专投农业，不投医疗信息化", "agriculture_rural")
    assert not text_supports_industry("Climate hardware; no gaming or media", "culture_creative")


def test_a_tag_without_words_earns_no_industry_reason() -> None:
    p = project(1, industries=("big_data",), need_text="需要数据平台的销售渠道", domain_text="工业数据平台")
    says = mentor(1, industries=("big_data",), offer_text="帮数据公司梳理销售", expertise_text="大数据产品")
    tag_only = mentor(2, industries=("big_data",), offer_text="游戏发行与动漫IP运营", expertise_text="游戏发行")
    m = build([p], mentor=[says, tag_only])
    r = m.rank(kind="mentor", query_id=1, weights=WeightSet.default("mentor"), k=2, now=NOW)
    by_id = {x.id: x for x in r.matches}
    assert by_id[1].features["industry"] == by_id[2].features["industry"] == 1.0  # the same tag, the same score
    assert "行业匹配：大数据" in by_id[1].reasons_zh
    assert by_id[2].features["sem_domain"] < 0.8  # (no strong semantic match either)
    assert not any(reason.startswith("行业匹配") for reason in by_id[2].reasons_zh)


def test_a_candidate_that_names_no_industry_fits_every_industry() -> None:
    """行业不限: full industry fit, as for a candidate of the project's own industry, and none for another
    industry's; a provider says it serves all industries."""
    p = project(1, industries=("big_data",), need_text="需要财务规范和审计准备", domain_text="工业数据平台")
    same = mentor(1, industries=("big_data",), offer_text="帮企业做审计准备", expertise_text="财务规范")
    anyone = mentor(2, industries=(), offer_text="帮企业做审计准备", expertise_text="财务规范")
    other = mentor(3, industries=("agriculture_rural",), offer_text="帮企业做审计准备", expertise_text="财务规范")
    provider = mentor(4, kind="provider", industries=(), subtype="finance_accounting",
                      offer_text="代理记账和审计准备", expertise_text="财务")
    m = build([p], mentor=[same, anyone, other], provider=[provider])
    r = m.rank(kind="mentor", query_id=1, weights=WeightSet.default("mentor"), k=3, now=NOW)
    fit = {x.id: x.features["industry"] for x in r.matches}
    assert fit == {1: 1.0, 2: 1.0, 3: 0.0}
    assert [x.id for x in r.matches][-1] == 3
    (served,) = m.rank(kind="provider", query_id=1, weights=WeightSet.default("provider"), k=1, now=NOW).matches
    assert served.features["industry"] == 1.0 and "服务各行业" in served.reasons_zh


def test_covering_a_projects_main_industry_counts_more_than_covering_another() -> None:
    """The first industry tag is the main one: covering it is worth MAIN_INDUSTRY_SHARE of the fit, the other tags
    share the rest; with one tag the fit is the plain share."""
    p = project(1, industries=("new_materials", "new_energy"), need_text="可食用海藻膜的中试", domain_text="海藻膜")
    main = mentor(1, industries=("new_materials", "agriculture_rural"), offer_text="中试", expertise_text="海藻")
    second = mentor(2, industries=("new_energy",), offer_text="中试", expertise_text="海藻")
    both = mentor(3, industries=("new_energy", "new_materials"), offer_text="中试", expertise_text="海藻")
    m = build([p, project(2, industries=("new_energy",))], mentor=[main, second, both])
    r = m.rank(kind="mentor", query_id=1, weights=WeightSet.default("mentor"), k=3, now=NOW)
    fit = {x.id: x.features["industry"] for x in r.matches}
    assert fit == pytest.approx({1: MAIN_INDUSTRY_SHARE, 2: 1.0 - MAIN_INDUSTRY_SHARE, 3: 1.0})
    assert [x.id for x in r.matches] == [3, 1, 2]
    r = m.rank(kind="mentor", query_id=2, weights=WeightSet.default("mentor"), k=3, now=NOW)
    assert {x.id: x.features["industry"] for x in r.matches} == {1: 0.0, 2: 1.0, 3: 1.0}


def test_deal_flow_reasons_speak_to_the_investor() -> None:
    m = build([project(1), project(2)], investor=[investor(10)])
    r = m.rank(kind="investor", query_id=10, weights=WeightSet.default("dealflow"), k=2, direction="dealflow",
               now=NOW)
    assert r.matches
    for match in r.matches:
        text = " ".join(match.reasons_zh + match.reasons_en)
        assert "你的需求" not in text and "your needs" not in text and "可满足需求" not in text
        assert "学习模型" not in text


def test_a_cue_inside_another_word_says_nothing() -> None:
    assert not text_supports_industry("Supply chain training for retailers", "ai")
    assert text_supports_industry("AI-driven supply chain tools", "ai")


def test_terms_both_sides_name_are_quoted_in_either_language() -> None:
    """An English project and a Chinese mentor naming the same things: the lexical reason names the glossary's
    terms they share (Chinese names for the Chinese reason, English for the English one), in the project's order."""
    p = project(1, industries=("new_materials",), languages=("zh", "en"),
                need_text="We need a pilot line and food contact tests", domain_text="Seaweed-based edible film")
    m1 = mentor(1, industries=("new_materials",), languages=("zh", "en"), offer_text="协调中试线，指导食品接触检测",
                expertise_text="海藻多糖可食用膜")
    m = build([p], mentor=[m1])
    match = m.rank(kind="mentor", query_id=1, weights=WeightSet.default("mentor"), k=1, now=NOW).matches[0]
    assert match.features["lexical"] >= 0.25  # the n-grams share nothing: this is the glossary's doing
    zh = next(r for r in match.reasons_zh if r.startswith("共同术语"))
    en = next(r for r in match.reasons_en if r.startswith("Terms in common"))
    assert zh == "共同术语：中试、食品接触、海藻" and en == "Terms in common: pilot line, food contact, seaweed"


def test_without_a_glossary_the_lexical_reason_names_no_terms() -> None:
    """The reason quotes the glossary the lexical cosine read; a matcher without one says only that the words
    overlap."""
    from matcher.explain import reasons
    from matcher.glossary import default_glossary

    p = project(1, need_text="需要中试线和食品接触检测", domain_text="海藻膜")
    m1 = mentor(1, offer_text="协调中试线，指导食品接触检测", expertise_text="海藻多糖可食用膜")
    feats = {"lexical": 0.4}
    contrib = {"lexical": 0.024}
    zh, en = reasons(p, m1, feats, contrib, learned_active=False, learned_probability=None, glossary=None)
    assert "描述用词高度重合" in zh and not any(r.startswith("共同术语") for r in zh)
    zh, en = reasons(p, m1, feats, contrib, learned_active=False, learned_probability=None,
                     glossary=default_glossary())
    assert "共同术语：中试、食品接触、检测" in zh  # the first three, in the project's order
    assert any(r.startswith("Terms in common: pilot line, food contact, ") for r in en)
