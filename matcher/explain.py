"""Short bilingual reasons for one match, derived from the same features that produced its score.

Reasons are ordered by the contribution of the factor they describe, so the first reason is the
strongest; factors that pulled the score down are stated as such.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from matcher.features import REGION_LEVELS, place_fit
from matcher.geography import Place, deal_place
from matcher.glossary import Glossary
from matcher.profiles import CandidateProfile, ProjectProfile, canonical_place, lexical_text, project_plan, text_items
from matcher.taxonomy import INDUSTRIES, NEEDS, REGIONS, ROUNDS, STAGES

Reason = tuple[str, str, float]  # (zh, en, weight for ordering)


def _labels(vocab: object, codes: list[str], lang: str) -> str:
    from matcher.taxonomy import Vocabulary

    assert isinstance(vocab, Vocabulary)
    sep = "、" if lang == "zh" else ", "
    return sep.join(vocab.zh(c) if lang == "zh" else vocab.en(c) for c in codes if c in vocab)


def _fmt_cny(amount: float) -> tuple[str, str]:
    if amount >= 1e8:
        return f"{amount / 1e8:.1f}亿元", f"CNY {amount / 1e6:,.0f}M"
    return f"{amount / 1e4:,.0f}万元", f"CNY {amount / 1e6:,.1f}M"


# Words that say a profile works in an industry, beyond the industry's own labels: an industry reason is
# given only when the candidate's own text says so (a tag alone is not enough: a fund tagged 大数据 whose
# thesis is about games gets no 行业匹配：大数据).
INDUSTRY_CUES: dict[str, tuple[str, ...]] = {
    "ai": ("人工智能", "机器学习", "深度学习", "大模型", "算法", "视觉", "AI", "machine learning", "deep learning",
           "computer vision", "LLM"),
    "big_data": ("大数据", "数据", "data", "analytics"),
    "iot": ("物联网", "传感", "智能硬件", "IoT", "sensor", "connected device"),
    "open_hardware": ("开源硬件", "硬件", "创客", "hardware", "maker"),
    "robotics": ("机器人", "自动化", "robot", "automation"),
    "advanced_manufacturing": ("制造", "工业", "工厂", "装备", "产线", "manufactur", "industrial", "factory"),
    "semiconductors": ("芯片", "集成电路", "半导体", "晶圆", "MEMS", "chip", "semiconductor"),
    "new_energy": ("新能源", "储能", "电池", "光伏", "氢能", "碳", "绿色", "energy", "battery", "solar", "carbon",
                   "climate"),
    "biotech_health": ("医疗", "医药", "生物", "健康", "器械", "药", "medical", "biotech", "health", "pharma",
                       "clinical", "drug"),
    "new_materials": ("材料", "涂层", "纤维", "复合", "material", "coating"),
    "ecommerce_consumer": ("电商", "消费", "零售", "品牌", "e-commerce", "ecommerce", "consumer", "retail", "DTC"),
    "culture_creative": ("文化", "文创", "游戏", "动漫", "影视", "创意", "culture", "creative", "game", "media"),
    "education": ("教育", "培训", "学校", "研学", "education", "edtech", "school", "learning"),
    "agriculture_rural": ("农业", "农村", "乡村", "农产品", "种植", "养殖", "agri", "farm", "rural", "food"),
    "fintech": ("金融", "支付", "银行", "保险", "fintech", "payment", "finance", "banking", "insurance"),
    "enterprise_services": ("企业服务", "SaaS", "B2B", "软件", "software", "enterprise"),
    "smart_mobility": ("交通", "出行", "汽车", "车", "物流", "mobility", "vehicle", "automotive", "transport"),
    "social_innovation": ("社会", "公益", "养老", "普惠", "social", "impact", "nonprofit", "elderly"),
}
_NEGATION = ("不投", "不做", "不看", "不碰", "不涉及", "不含", "除了", "not ", "no ", "except ", "excluding ")
_CLAUSE = re.compile(r"[,，;；。.!?！？\n]")


def _own_text(candidate: CandidateProfile) -> str:
    """What the candidate wrote: a mentor's offer and expertise, an investor's thesis, a provider's services
    (the investor's and provider's second field is generated from their tags, so it cannot vouch for them)."""
    if candidate.kind == "mentor":
        return f"{candidate.offer_text} {candidate.expertise_text}"
    return candidate.offer_text


@lru_cache(maxsize=65536)
def text_supports_industry(text: str, code: str) -> bool:
    """True when ``text`` names the industry (its labels or a cue word) other than in a negation
    (不投医疗, "no gaming")."""
    from matcher.taxonomy import INDUSTRIES

    lowered = text.lower()
    cues = {INDUSTRIES.zh(code), INDUSTRIES.en(code), *INDUSTRY_CUES.get(code, ())}
    for cue in cues:
        c = cue.lower()
        start = lowered.find(c)
        while start >= 0:
            if c.isascii() and start > 0 and lowered[start - 1].isascii() and lowered[start - 1].isalnum():
                start = lowered.find(c, start + 1)  # inside a word: "training" does not say "ai"
                continue
            # the clause before the cue ("不投医疗、教育": both negated; "专投农业，不投医疗": 农业 is not)
            clause = _CLAUSE.split(lowered[:start])[-1]
            if not any(neg in clause for neg in _NEGATION):
                return True
            start = lowered.find(c, start + 1)
    return False


@lru_cache(maxsize=4096)
def _place(value: str) -> Place | None:
    """The place of a profile's city (a code, a name or an old code), as the region fit reads it."""
    code = canonical_place(value) if value else ""
    return REGIONS.get(code) if code in REGIONS else None


def _plan_fits_better(project: ProjectProfile, candidate: CandidateProfile, plan: str) -> bool:
    """Whether the candidate's region fit comes from where the project will set up, not from where it is."""
    regions = tuple(candidate.regions)
    return place_fit(plan, candidate.city, regions) > place_fit(project.city, candidate.city, regions)


def _based_in(zh: str, en: str, dealflow: bool, contribution: float) -> Reason:
    """A candidate based in the project's province or macro region that serves the project's area; in deal
    flow the investor reads it about the project."""
    if dealflow:
        return (f"项目与你同在{zh}", f"The project is in {en}, as you are", contribution)
    return (f"同在{zh}，服务范围覆盖本地", f"Based in {en}, serves your area", contribution)


def reasons(
    project: ProjectProfile,
    candidate: CandidateProfile,
    features: Mapping[str, float],
    contributions: Mapping[str, float],
    *,
    learned_active: bool,
    learned_probability: float | None,
    extra: Sequence[Reason] = (),
    direction: str = "matches",
    explored: bool = False,
    glossary: Glossary | None = None,
    spread: bool = False,
) -> tuple[list[str], list[str]]:
    """Reasons for one pair. ``direction`` "dealflow" words them for the investor reading about a project;
    ``explored`` marks a slot the exploration drew from beyond the top; ``glossary``: the one the lexical cosine
    read (its shared terms are quoted; None: the words alone); ``spread``: a place in the list's tail given to a
    candidate shown less often than those it passed (MatcherConfig.exposure_tail_*)."""
    out: list[Reason] = list(extra)
    c = contributions
    dealflow = direction == "dealflow"

    # an industry reason needs the candidate's own words (or a strong semantic match), not its tag alone
    own = _own_text(candidate)
    strong = features.get("sem_domain", 0.0) >= 0.8
    shared_ind = [code for code in project.industries if code in candidate.industries
                  and (strong or text_supports_industry(own, code))]
    if shared_ind:
        out.append((f"行业匹配：{_labels(INDUSTRIES, shared_ind, 'zh')}",
                    f"Industry match: {_labels(INDUSTRIES, shared_ind, 'en')}", c.get("industry", 0.0)))
    elif not candidate.industries and candidate.kind == "provider":
        out.append(("服务各行业", "Serves all industries", c.get("industry", 0.0)))

    served = [code for code in project.needs if code in candidate.serves] if not dealflow else []
    stated = {code: phrase for code, phrase in project.stated_needs.items()
              if code in candidate.serves and candidate.kind != "investor"} if not dealflow else {}
    if served:
        out.append((f"可满足需求：{_labels(NEEDS, served, 'zh')}",
                    f"Can serve: {_labels(NEEDS, served, 'en')}", c.get("needs_coverage", 0.0)))
    if stated:  # needs found in the founder's words, quoted so the founder sees why
        quoted_zh = "、".join(f"「{p}」→{NEEDS.zh(code)}" for code, p in stated.items())
        quoted_en = "; ".join(f"\"{p}\" -> {NEEDS.en(code)}" for code, p in stated.items())
        out.append((f"可满足你描述中提到的需求：{quoted_zh}", f"Can serve what you wrote you need: {quoted_en}",
                    c.get("needs_coverage", 0.0) * (0.99 if served else 1.0)))

    stage_fit = features.get("stage_fit", 0.0)
    if stage_fit >= 1.0:
        out.append((f"阶段匹配：{STAGES.zh(project.stage)}", f"Stage fit: {STAGES.en(project.stage)}",
                    c.get("stage_fit", 0.0)))
    elif stage_fit > 0:
        out.append((f"阶段相近：{STAGES.zh(project.stage)}", f"Adjacent stage: {STAGES.en(project.stage)}",
                    c.get("stage_fit", 0.0)))

    if candidate.kind == "investor" and not project.round_sought and features.get("round_fit", 0.0) >= 0.5:
        # the project states no round: the rounds its stage usually raises (matcher.features.StagePrior)
        out.append((f"投资{STAGES.zh(project.stage)}项目常见的轮次",
                    f"Invests in the rounds {STAGES.en(project.stage).lower()}-stage projects usually raise",
                    c.get("round_fit", 0.0)))
    if candidate.kind == "investor" and project.round_sought and project.round_sought in candidate.rounds:
        out.append((f"轮次匹配：{ROUNDS.zh(project.round_sought)}",
                    f"Round fit: {ROUNDS.en(project.round_sought)}", c.get("round_fit", 0.0)))
        if project.funding_sought > 0 and 0 < candidate.ticket_max < project.funding_sought:
            zh_hi, en_hi = _fmt_cny(candidate.ticket_max)
            out.append((f"单笔最多{zh_hi}，低于所需资金：可作为本轮的跟投方之一",
                        f"Invests up to {en_hi}, less than the round: a co-investor for part of it",
                        c.get("ticket_fit", 0.0)))
        elif project.funding_sought > 0 and features.get("ticket_fit", 0.0) >= 0.5:
            zh_lo, en_lo = _fmt_cny(candidate.ticket_min)
            zh_hi, en_hi = _fmt_cny(candidate.ticket_max)
            out.append((f"单笔投资额（{zh_lo}–{zh_hi}）覆盖所需资金",
                        f"Ticket ({en_lo}-{en_hi}) covers the amount sought", c.get("ticket_fit", 0.0)))

    # the feature is float32: 0.7 arrives as 0.69999999, so each level is compared with a little slack
    region = features.get("region", 0.0) + 1e-6
    place, home = _place(project.city), _place(candidate.city)
    province = REGIONS.get(place.province) if place is not None and place.province else None
    macro = REGIONS.get(place.macro) if place is not None and place.macro else None
    city_l, province_l, macro_l, nation_l, near_province_l, near_macro_l = REGION_LEVELS
    plan = _place(project_plan(project))
    if plan is not None and region >= near_macro_l and _plan_fits_better(project, candidate, plan.code):
        # where the project says it will set up, at the level the candidate shares with it (its city, province or
        # macro region), or the place itself for a candidate that serves it from elsewhere
        where, based = plan, False
        if home is not None:
            for code in (plan.prefecture, plan.province, plan.macro):
                if code and code in (home.code, home.prefecture, home.province, home.macro):
                    where, based = REGIONS.get(code), True
                    break
        label_zh = where.zh if where.level == "macro" else where.label_zh
        if dealflow:
            out.append((f"项目计划落地{plan.label_zh}，在你的投资地域内",
                        f"Plans to set up in {plan.en}, in your region", c.get("region", 0.0)))
        elif based:
            out.append((f"在你计划落地的{label_zh}", f"In {where.en}, where you plan to set up",
                        c.get("region", 0.0)))
        else:
            out.append((f"服务你计划落地的{plan.label_zh}", f"Serves {plan.en}, where you plan to set up",
                        c.get("region", 0.0)))
    elif region >= city_l and place is not None:
        out.append((f"同城：{place.label_zh}", f"Same city: {place.en}", c.get("region", 0.0)))
    elif region >= province_l and province is not None:
        if home is not None and home.province == province.code:  # based there, serving beyond it
            out.append(_based_in(province.label_zh, province.en, dealflow, c.get("region", 0.0)))
        else:
            out.append((f"服务{province.label_zh}全省", f"Serves all of {province.en}", c.get("region", 0.0)))
    elif region >= macro_l and macro is not None:
        if home is not None and home.macro == macro.code:
            out.append(_based_in(macro.zh, macro.en, dealflow, c.get("region", 0.0)))
        else:
            out.append((f"服务{macro.zh}地区", f"Serves {macro.en}", c.get("region", 0.0)))
    elif region >= nation_l:
        out.append(("服务全国", "Serves nationwide", c.get("region", 0.0)))
    elif region >= near_province_l and province is not None:
        out.append((f"同在{province.label_zh}", f"Also in {province.en}", c.get("region", 0.0)))
    elif region >= near_macro_l and macro is not None:
        out.append((f"同在{macro.zh}", f"Also in {macro.en}", c.get("region", 0.0)))

    # semantic features are calibrated: 0.5 is a typical random pair, 0.88 two standard deviations above
    sem = features.get("sem_need", 0.0)
    if dealflow:  # the investor reads about a project: its plans against the investor's thesis
        if sem >= 0.75:
            out.append(("项目的需求与你的投资方向相关", "The project's plans relate to your thesis",
                        c.get("sem_need", 0.0)))
        if features.get("sem_domain", 0.0) >= 0.8:
            out.append(("项目方向与你的关注领域接近", "The project is close to your focus", c.get("sem_domain", 0.0)))
    else:
        if sem >= 0.88:
            out.append(("其所长与你描述的需求高度相关", "What they offer closely matches your stated needs",
                        c.get("sem_need", 0.0)))
        elif sem >= 0.75:
            out.append(("其所长与你的需求相关", "What they offer relates to your needs", c.get("sem_need", 0.0)))
        if features.get("sem_domain", 0.0) >= 0.8:
            out.append(("专长领域与项目方向接近", "Their expertise is close to your domain",
                        c.get("sem_domain", 0.0)))
    if features.get("lexical", 0.0) >= 0.25:
        # the terms of the glossary both name, in either language (海藻 / seaweed), else the words they share
        common = [] if glossary is None else \
            glossary.shared(lexical_text(project), lexical_text(candidate))[:3]
        if glossary is not None and common:
            out.append(("共同术语：" + "、".join(glossary.label(t)[0] for t in common),
                        "Terms in common: " + ", ".join(glossary.label(t)[1] for t in common), c.get("lexical", 0.0)))
        else:
            out.append(("描述用词高度重合", "Profiles use much the same words", c.get("lexical", 0.0)))

    if candidate.capacity is not None and candidate.kind != "investor":
        left = max(candidate.capacity - candidate.load, 0)
        out.append((f"尚有名额：剩余{left}个", f"Has capacity: {left} slot(s) left", c.get("capacity_headroom", 0.0)))
    if candidate.requests >= 3:
        rate = candidate.accepted / max(candidate.requests, 1)
        out.append((f"历史接受率 {rate:.0%}", f"Past acceptance {rate:.0%}", c.get("acceptance", 0.0)))

    if c.get("exposure", 0.0) < -0.01:
        out.append(("近期推荐较多或名额将满，已适度降权", "Shown often or nearly full: down-weighted",
                    c.get("exposure", 0.0)))
    if c.get("diversity", 0.0) < -0.01:
        out.append(("与上方推荐相似，为多样性略降", "Similar to matches above: lowered for diversity",
                    c.get("diversity", 0.0)))

    if learned_active and learned_probability is not None:
        out.append((f"根据过往反馈，预计成功概率约 {learned_probability:.0%}",
                     f"Past outcomes suggest a {learned_probability:.0%} chance of a good outcome",
                     c.get("learned", 0.0)))
    # (no model yet is the response's learned_active flag, not a reason: reasons are about this candidate)

    # strongest positive factors first, then the ones that pulled the score down
    out.sort(key=lambda r: (r[2] < 0, -abs(r[2])))
    if explored:  # placed here by exploration, not by its score: say so first
        out.insert(0, ("新推荐，帮助我们了解你的偏好", "A fresh suggestion, to learn what you like", 0.0))
    elif spread:  # placed ahead of better scores because it has been shown less: say so last
        out.append(("近期较少被推荐，排在此处让更多人有机会被看到",
                    "Shown less often lately, so placed here ahead of some higher scores", 0.0))
    return [r[0] for r in out], [r[1] for r in out]


# sem_item worth quoting: about the best 2 % of pairs on the judged sets (USE); an encoder whose cosines sit higher
# (e5 alone) is held to its list's median best pair + 0.1 instead (Matcher.rank)
ITEM_REASON_COSINE = 0.45


def _quote(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def item_reason(project: ProjectProfile, project_item: str, candidate_item: str, cosine: float, contribution: float,
                matches: bool, threshold: float = ITEM_REASON_COSINE) -> list[Reason]:
    """The pair of sentences behind ``sem_item``, quoted when its cosine reaches ``threshold``. In matches it is
    addressed to the founder (a sentence of what the project needs "answered", its one-liner only "close"); in
    deal flow to the investor."""
    if cosine < threshold or contribution <= 0:
        return []
    p, c = _quote(project_item), _quote(candidate_item)
    if not matches:
        return [(f"项目写的「{p}」与你写的「{c}」相合", f"The project wrote \"{p}\", close to your \"{c}\"",
                 contribution)]
    if project_item in text_items(project.domain_text):
        return [(f"对方写的「{c}」与你的项目「{p}」相合", f"They wrote \"{c}\", close to your \"{p}\"", contribution)]
    return [(f"对方写的「{c}」正对应你写的「{p}」", f"They wrote \"{c}\", which answers your \"{p}\"", contribution)]


def history_reasons(names: Sequence[str], values: Sequence[float], breakdown: Mapping[str, float],
                    project: ProjectProfile) -> list[Reason]:
    """Reasons from an investor's deal history (the investor ranker's features of this pair), each weighted
    by the contribution of its group (``breakdown``): round, region, industry, co-investors, activity."""
    v = {name: float(x) for name, x in zip(names, values, strict=True)}
    b = breakdown
    out: list[Reason] = []

    def count(name: str) -> int:
        x = v.get(name, 0.0)
        return int(round(math.expm1(x))) if math.isfinite(x) else 0

    n_round = count("h_log_round_count")
    share = v.get("h_round_share", 0.0)
    if project.round_sought and n_round >= 2 and math.isfinite(share):
        out.append((f"常投{ROUNDS.zh(project.round_sought)}：{n_round}笔，占其投资的{share:.0%}",
                    f"Often backs this round ({ROUNDS.en(project.round_sought)}): {n_round} deals, {share:.0%} of "
                    "its total", b.get("round", 0.0)))
    n_region = int(round(v.get("h_region_share", 0.0) * math.expm1(v.get("h_log_n", 0.0))))
    if n_region >= 2:
        place = deal_place("", project.city)[0] if project.city in REGIONS else ""  # its province, as history
        zh = REGIONS.zh(place) if place in REGIONS else "本地区"
        en = REGIONS.en(place) if place in REGIONS else "this region"
        out.append((f"在{zh}投过{n_region}笔", f"{n_region} deals in this region ({en})", b.get("region", 0.0)))
    n_ind = count("h_log_tag_count")
    if n_ind >= 2:
        out.append((f"在同领域投过{n_ind}笔", f"{n_ind} deals in this field", b.get("industry", 0.0)))
    partners = int(v.get("h_coinvest_partners", 0.0))
    if partners >= 1:
        out.append((f"与本项目已有的{partners}家投资方合投过", f"Has co-invested with {partners} of your investors",
                    b.get("network", 0.0)))
    elif count("h_log_follow") >= 1:
        out.append(("常在本项目已有投资方之后跟投", "Often invests after your existing investors",
                    b.get("network", 0.0)))
    if v.get("h_prior_investor", 0.0) >= 1:
        out.append(("已投资过本项目", "Already an investor in this project", b.get("network", 0.0)))
    recent = count("h_log_recent")
    if recent >= 2:
        out.append((f"近期活跃：按时间加权约{recent}笔投资", f"Active lately: ~{recent} deals, recency-weighted",
                    b.get("activity", 0.0)))
    return out
