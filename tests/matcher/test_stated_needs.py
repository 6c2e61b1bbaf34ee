"""Needs stated in a founder's words count like tagged ones, and the explanation quotes the words."""

from __future__ import annotations

from matcher import WeightSet
from matcher.stated_needs import stated_needs
from tests.matcher.helpers import NOW, build, mentor, project


def test_cues_in_chinese_and_english_name_the_need_and_the_phrase() -> None:
    assert stated_needs("去年有人抢注了我们的商标，另外补贴申报的表格看不懂") == {
        "ip": "抢注", "policy_application": "补贴"}
    assert stated_needs("Someone registered our brand as a Trademark in China; we need a pilot line.") == {
        "ip": "Trademark", "pilot_production": "pilot line"}


def test_a_company_describing_itself_states_no_need() -> None:
    assert stated_needs("我们做工业相机和边缘计算盒，团队14人，来自山东大学视觉实验室。") == {}
    assert stated_needs("We build soil sensors for orchards; twelve people in Kuala Lumpur.") == {}
    assert stated_needs("") == {}


def test_a_stated_need_is_covered_ranked_and_quoted_but_not_added_to_the_tags() -> None:
    p = project(1, needs=("financing",), need_text="本轮想融300万；我们的商标被人抢先注册了，想找人处理")
    assert p.needs == ("financing",) and p.stated_needs == {"ip": "商标"} and p.all_needs == ("financing", "ip")
    both = mentor(1, serves=("financing", "ip"), offer_text="帮助融资", expertise_text="早期融资")
    money = mentor(2, serves=("financing",), offer_text="帮助融资", expertise_text="早期融资")
    m = build([p], mentor=[both, money])
    r = m.rank(kind="mentor", query_id=1, weights=WeightSet.default("mentor"), k=2, now=NOW)
    first, second = r.matches
    assert (first.id, second.id) == (1, 2)
    assert first.features["needs_coverage"] == 1.0 and second.features["needs_coverage"] == 0.5
    assert any("「商标」" in reason and "知识产权" in reason for reason in first.reasons_zh)
    assert any('"商标" -> Intellectual property' in reason for reason in first.reasons_en)
    assert not any("商标" in reason for reason in second.reasons_zh)


def test_the_one_liner_says_what_a_company_is_not_what_it_needs() -> None:
    p = project(1, needs=("product",), need_text="想找懂医院采购的导师",
                domain_text="面向投资人的SaaS平台，年销售额2000万")
    assert p.stated_needs == {}  # neither 投资人 nor 销售额 in the one-liner is a need
