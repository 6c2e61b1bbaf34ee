"""Needs stated in a founder's words count like tagged ones, and the explanation quotes the words."""

from __future__ import annotations

from matcher import WeightSet
from matcher.profiles import project_need_text
from matcher.stated_needs import problem_sentences, stated_needs
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


def test_a_cue_inside_a_longer_word_that_means_something_else_is_not_one() -> None:
    # 申报表 is a form to file (a policy application), not 报表 (financial statements); 外观设计专利 is a design
    # patent (IP), not design work
    assert stated_needs("农业农村局给了我们一份申报表，预算表填了三遍都被退回") == {"policy_application": "申报"}
    assert stated_needs("对方投诉我们侵犯他的外观设计专利") == {"ip": "专利"}
    assert stated_needs("财务报表不规范；新品需要做外观设计") == {"finance_accounting": "财务", "rd_design": "外观设计"}


def test_a_cue_its_clause_turns_down_states_no_need_but_a_lack_stays_one() -> None:
    # founders say what they do not want as often as what they want: no financing need here ...
    for text in ("我们今年不融资，场地和设备已经投完了。", "暂时不考虑外部融资", "不打算进行新一轮融资",
                 "现在不需要融资。", "目前没有融资计划", "暂无融资需求", "我们没有计划融资", "我们暂时不想融资",
                 "We are not raising now.", "Not raising yet.", "We are profitable and not raising.",
                 "No plans to raise this year.", "We have no intention of raising.", "We do not intend to raise.",
                 "We are not looking for investors right now.", "We don’t need outside investors."):
        assert "financing" not in stated_needs(text), text
    # ... the negation reaches only its own clause: the next one still states a need
    assert stated_needs("目前不需要融资，但需要律师看合同") == {"legal": "律师"}
    assert stated_needs("We don't need a lawyer; we need a pilot line.") == {"pilot_production": "pilot line"}
    # a lack, or not knowing how, is a need, not a refusal
    for text, need in (("还没有检测报告", "testing_certification"), ("还没有融资", "financing"),
                       ("不知道怎么融资", "financing"), ("We have no investors yet.", "financing"),
                       ("There aren't any investors in our city.", "financing"),
                       ("Still no distributor in Germany.", "sales_channels"),
                       ("We have not found a manufacturer.", "pilot_production"),
                       ("We are not sure how to raise.", "financing")):
        assert need in stated_needs(text), text
    # so is a need put as a condition, and a cue that names a trouble however it is put
    for text, need in (("如果不融资，撑不过半年", "financing"), ("不融资的话撑不过半年", "financing"),
                       ("不转型就没有出路", "strategy"), ("If we don't raise we close.", "financing"),
                       ("数据出境不合规，怕被罚", "legal"), ("We are not in compliance with GDPR.", "legal"),
                       ("We must check we are not infringing anyone's rights.", "ip")):
        assert need in stated_needs(text), text


def test_only_the_sentences_of_a_description_that_state_a_problem_are_read() -> None:
    description = ("晋城是老铸造基地，去年营收4800万，客户主要是山西、河北的泵阀厂。"
                   "主机厂审厂时要求有IATF 16949质量体系认证，我们不知道从哪下手。"
                   "We sell to hotels in Chengdu. We do not know how to register a trademark.")
    assert problem_sentences(description) == ("主机厂审厂时要求有IATF 16949质量体系认证，我们不知道从哪下手。 "
                                              "We do not know how to register a trademark.")
    # not being sure is a problem too
    assert problem_sentences("已经装了900张床。我们不确定要不要做医疗器械注册。") == "我们不确定要不要做医疗器械注册。"
    assert problem_sentences("We sell in Leeds. We are unsure which certification applies.") == (
        "We are unsure which certification applies.")
    # what a company is and sells is not a need, even with a cue word in it (卖给, 营收, "sell")
    assert problem_sentences("我们的颗粒卖给本地塑料厂，年营收2000万。") == ""
    assert problem_sentences("We help orchards sell through Tmall. Twelve people in Kunming.") == ""
    assert problem_sentences("") == ""


def test_a_need_told_in_the_description_counts_as_stated() -> None:
    text = project_need_text("A轮融3000万扩产。", "砂型3D打印铸件",
                             "去年营收4800万。主机厂审厂时要求有IATF 16949质量体系认证，我们不知道从哪下手。")
    assert text == "A轮融3000万扩产。 主机厂审厂时要求有IATF 16949质量体系认证，我们不知道从哪下手。"
    p = project(1, needs=("financing",), need_text=text)
    assert p.stated_needs == {"testing_certification": "认证"}
    # no problem in the description: the needs statement alone (or the one-liner when there is none)
    assert project_need_text("想找懂医院采购的导师", "医疗SaaS", "团队14人，来自山东大学。") == "想找懂医院采购的导师"
    assert project_need_text("", "医疗SaaS", None) == "医疗SaaS"
    # ranked as a tagged need would be: the certification provider first, and the reason quotes the words
    cert = mentor(1, kind="provider", serves=("testing_certification",), offer_text="质量体系认证咨询",
                  expertise_text="质量体系", subtype="testing_certification")
    other = mentor(2, kind="provider", serves=("marketing_branding",), offer_text="质量体系认证咨询",
                   expertise_text="质量体系", subtype="marketing_branding")
    m = build([p], provider=[cert, other])
    r = m.rank(kind="provider", query_id=1, weights=WeightSet.default("provider"), k=2, now=NOW)
    assert [x.id for x in r.matches] == [1, 2]
    assert r.matches[0].features["needs_coverage"] == 0.5 and r.matches[1].features["needs_coverage"] == 0.0
    assert any("「认证」" in reason for reason in r.matches[0].reasons_zh)
