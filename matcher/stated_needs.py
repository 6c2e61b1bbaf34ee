"""Needs a founder states in words but did not tag: "有人抢注了我们的商标" is an IP need, "补贴申报的表格
看不懂" a policy-application need, "we need a pilot line" pilot production.

Each need code of :data:`matcher.taxonomy.NEEDS` has Chinese and English cue phrases of the domain (not of
any data set). :func:`stated_needs` returns the codes whose cues a text contains, with the phrase that
matched, so an explanation can quote it. The cues are deliberately specific: a word that also describes
the company itself ("我们做检测设备", "our sales team") is not a cue, and a project's tags stay what
the founder chose; the stated needs are added to them (``ProjectProfile.all_needs``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence

__all__ = ["NEED_CUES", "problem_sentences", "stated_needs"]

# code -> (Chinese cues, English cues); English cues match at word starts, case-insensitively.
NEED_CUES: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "financing": (
        ("融资", "本轮", "天使轮", "领投", "跟投", "估值", "想融", "计划融", "募资", "银行贷款", "授信"),
        ("raise", "raising", "fundrais", "funding round", "seed round", "angel round", "series a", "investor",
         "valuation", "bank loan", "credit line"),
    ),
    "testing_certification": (
        ("检测报告", "检验报告", "第三方检测", "认证", "型式试验", "可靠性测试", "送检", "AEC-Q", "CE认证", "FDA",
         "注册检验", "食品接触"),
        ("test report", "certification", "certified", "certify", "conformity", "reliability test", "type test",
         "ce mark", "ul listing", "fda", "food-contact", "food contact", "aec-q"),
    ),
    "rd_design": (
        ("工业设计", "结构设计", "电路设计", "重新设计", "降本设计", "研发外包", "方案设计", "硬件设计", "外观设计"),
        ("redesign", "industrial design", "hardware design", "board design", "design partner", "engineering partner",
         "hardware partner", "design for manufactur"),
    ),
    "pilot_production": (
        ("中试", "小试", "小批量", "试产", "量产", "代工", "打样", "放大生产", "工艺验证"),
        ("pilot line", "pilot plant", "pilot production", "scale up", "scale-up", "small batch", "mass production",
         "contract manufactur", "manufacturing partner", "manufacturer"),
    ),
    "tech_transfer": (
        ("技术转移", "成果转化", "专利许可", "技术许可", "实验室成果", "作价入股"),
        ("tech transfer", "technology transfer", "licensing", "spin-out", "spin-off", "spinout"),
    ),
    "strategy": (
        ("战略", "商业模式", "转型"),
        ("strategy", "business model", "positioning", "pivot"),
    ),
    "product": (
        ("产品打磨", "产品体验", "产品经理", "用户体验", "留存", "产品化", "需求验证", "迭代"),
        ("product-market fit", "product market fit", "user experience", "retention", "ux", "product manager",
         "mvp", "roadmap"),
    ),
    "go_to_market": (
        ("进入市场", "市场进入", "打开市场", "首批客户", "试点客户", "找客户", "商业化", "冷启动"),
        ("go-to-market", "go to market", "market entry", "enter the", "first customers", "pilot customer",
         "launch in", "commercialis", "commercializ"),
    ),
    "team_building": (
        ("合伙人", "联合创始人", "股权架构", "股权结构", "股权分配", "期权池", "团队管理", "核心团队", "分工"),
        ("co-founder", "cofounder", "equity split", "vesting", "founding team", "team structure"),
    ),
    "legal": (
        ("合同", "法律", "律师", "合规", "纠纷", "诉讼", "许可证", "资质", "牌照", "数据安全", "个人信息"),
        ("contracts", "contract review", "legal", "lawyer", "compliance", "dispute", "gdpr", "regulat",
         "data protection", "terms of service"),
    ),
    "finance_accounting": (
        ("财务", "账目", "记账", "审计", "税务", "尽调", "尽职调查", "报表", "成本核算", "发票"),
        ("accountant", "bookkeeping", "audit", "tax", "due diligence", "financial statements", "cfo", "invoic"),
    ),
    "ip": (
        ("专利", "商标", "著作权", "版权", "知识产权", "抢注", "侵权", "软著"),
        ("patent", "trademark", "copyright", "intellectual property", "infring", "freedom to operate"),
    ),
    "marketing_branding": (
        ("品牌建设", "品牌定位", "品牌推广", "做品牌", "营销",
         "推广", "知名度", "内容运营", "小红书", "抖音", "直播", "投放", "包装设计"),
        ("branding", "brand awareness", "brand launch", "brand building", "marketing",
         "awareness", "campaign", "social media", "influencer", "xiaohongshu",
         "douyin", "tiktok"),
    ),
    "sales_channels": (
        ("销售渠道", "销售路径", "找销售", "卖不出", "渠道", "经销商", "代理商", "卖给", "商超", "招投标", "招标"),
        ("sales", "sell", "distributor", "reseller", "channel", "procurement", "tmall",
         "e-commerce", "ecommerce", "tender"),
    ),
    "policy_application": (
        ("政策", "补贴", "申报", "专精特新", "高新技术企业", "高企", "首台", "人才计划", "扶持", "资助", "项目申报",
         "创新券"),
        ("subsid", "grant", "government support", "policy", "incentive", "support scheme", "apply for support"),
    ),
    "registration": (
        ("工商注册", "注册公司", "设立公司", "营业执照", "落户", "外资企业", "WFOE", "变更登记", "注册地址"),
        ("register a company", "company registration", "incorporat", "set up a company", "set up an entity",
         "legal entity", "wfoe", "business licence", "business license", "local entity", "entity in"),
    ),
    "hr_recruiting": (
        ("招聘", "招人", "招不到", "招募", "社保", "外包团队"),
        ("hire", "hiring", "recruit", "headcount", "payroll"),
    ),
    "internationalisation": (
        ("出海", "海外市场", "国际化", "跨境", "外贸", "东南亚", "欧洲", "北美", "进入中国"),
        ("international", "overseas", "abroad", "cross-border", "enter china", "china market"),
    ),
}


def _compile() -> dict[str, re.Pattern[str]]:
    out: dict[str, re.Pattern[str]] = {}
    for code, (zh, en) in NEED_CUES.items():
        parts = [re.escape(c) for c in zh] + [r"\b" + re.escape(c) for c in en]
        out[code] = re.compile("|".join(parts), re.IGNORECASE)
    return out


_PATTERNS = _compile()


# A need's cue inside one of these longer words says something else: 申报表 is a form to file (a policy
# application, not 报表, financial statements), 外观设计专利 a design patent (IP, not design work).
_NOT_A_CUE: Mapping[str, re.Pattern[str]] = {
    "finance_accounting": re.compile("申报表"),
    "rd_design": re.compile("外观设计专利"),
}


# A cue its own clause turns down states no need: "我们今年不融资", "暂不考虑外部融资", "目前没有融资计划",
# "We are not raising now", "no plans to raise", "we don't need a lawyer". The negation must lead straight to the
# cue (a few words of intent between them at most), so a lack stays a need: "还没有检测报告", "不知道怎么融资",
# "we have no investors yet", "we have not found a manufacturer", "not sure how to raise"; so does a condition
# ("如果不融资，撑不过半年", "不转型就没有出路", "if we don't raise") and a cue that names a trouble however it is
# put ("数据出境不合规", "check we are not infringing").
_CLAUSE_END = re.compile(r"[，,。；;！？!?：:\n]|(?<=[A-Za-z0-9)])\.\s")
_NEGATED_ZH = re.compile(
    r"(?:不|不想|不再|无需|无须|不需要|不用|不打算|不考虑|不计划|不急于|不急着|暂不|没有计划|没打算)"
    r"(?:再|去|做|进行|继续|需要|考虑|外部|新一轮|新的|下一轮)*$")
_LACKING_ZH = re.compile(r"(?:没有|暂无|并无|无)$")  # + 计划 / 需求 after the cue: 没有融资计划, 暂无融资需求
_PLAN_AFTER = re.compile(r"的?(?:计划|打算|需求|安排)")
_NEGATED_EN = re.compile(
    r"(?:\b(?:not|never)|n['’]t)\s+(?:(?:currently|actively|presently)\s+)?"
    r"(?:(?:planning|plan|going|intending|intend|aiming|expecting|trying|looking)\s+to\s+|(?:looking|searching)\s+for\s+|seeking\s+|"
    r"(?:need|needing|want|wanting)\s+(?:to\s+)?(?:(?:an?|any|the|more|new|outside)\s+)*|interested\s+in\s+"
    r"(?:(?:an?|any|the|more|new|outside)\s+)*)?$"
    r"|\bno\s+(?:(?:plans?|need|intention|interest)\s+(?:to|for|in|of)\s+(?:(?:an?|any|the|more|new|outside)\s+)*)$",
    re.IGNORECASE)
_CONDITION = re.compile(r"如果|假如|要是|若是|\bif\b|\bunless\b|\botherwise\b", re.IGNORECASE)
_CONDITION_AFTER = re.compile(r"的话|就")
# cues that name a trouble, not a service (a negation of them is still the trouble)
_TROUBLE = re.compile(r"infring|dispute|complian|侵权|纠纷|抢注|卖不出|招不到|合规", re.IGNORECASE)
_REACH = 40  # characters of the clause before a cue that can negate it


def _negated(text: str, start: int, end: int, clause_ends: Sequence[int]) -> bool:
    """Whether the clause of ``text`` that holds the cue ``text[start:end]`` turns it down (``clause_ends``: the
    positions where clauses of ``text`` end, sorted)."""
    if _TROUBLE.match(text, start):
        return False
    clause_start = clause_ends[bisect_right(clause_ends, start) - 1] if clause_ends and clause_ends[0] <= start \
        else 0
    before = text[max(clause_start, start - _REACH):start]
    after = text[end:end + 4]
    if _CONDITION.search(before) or _CONDITION_AFTER.match(after):
        return False
    if _NEGATED_ZH.search(before) or _NEGATED_EN.search(before):
        return True
    return _LACKING_ZH.search(before) is not None and (
        text.startswith(("计划", "打算", "想"), start) or _PLAN_AFTER.match(after) is not None)


def stated_needs(text: str) -> dict[str, str]:
    """Need code -> the first phrase of ``text`` that states it (a cue its clause turns down does not)."""
    out: dict[str, str] = {}
    if not text:
        return out
    clause_ends = [m.end() for m in _CLAUSE_END.finditer(text)]
    for code, pattern in _PATTERNS.items():
        veto = _NOT_A_CUE.get(code)
        masked = [(v.start(), v.end()) for v in veto.finditer(text)] if veto is not None else []
        for m in pattern.finditer(text):
            if not any(lo <= m.start() and m.end() <= hi for lo, hi in masked) \
                    and not _negated(text, m.start(), m.end(), clause_ends):
                out[code] = m.group(0)
                break
    return out


# A sentence of a description that says what the founders lack or are stuck on, not what the company is or does:
# "投资人尽调时都问这个" is a problem, "颗粒卖给本地厂" a fact. Only such sentences of a description are read for
# needs (the needs statement is read whole).
_PROBLEM = re.compile(
    r"需要|想找|想请|希望找|希望能|不知道|不清楚|不确定|拿不准|搞不清|没底|没弄明白|不懂|不会|不熟|缺|难|头疼|麻烦|卡在|"
    r"还没|没有|怎么|如何|找不到|招不到|急需|"
    r"要求|问题|担心|"
    r"\b(?:need|needs|needed|looking for|struggl|don't know|do not know|not sure|unsure|unclear|require|lack|how to|"
    r"problem|trouble|worried|stuck)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[。；！？!?;])|(?<=\.)\s+|\n+")


def problem_sentences(text: str) -> str:
    """The sentences of ``text`` that state a problem or a lack (see ``_PROBLEM``), joined."""
    if not text:
        return ""
    return " ".join(s.strip() for s in _SENTENCE_END.split(text) if s and _PROBLEM.search(s))
