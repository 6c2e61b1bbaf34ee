"""Short bilingual reasons for one match, derived from the same features that produced its score.

Reasons are ordered by the contribution of the factor they describe, so the first reason is the
strongest; factors that pulled the score down are stated as such.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from matcher.features import REGION_LEVELS
from matcher.profiles import CandidateProfile, ProjectProfile
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


def reasons(
    project: ProjectProfile,
    candidate: CandidateProfile,
    features: Mapping[str, float],
    contributions: Mapping[str, float],
    *,
    learned_active: bool,
    learned_probability: float | None,
    extra: Sequence[Reason] = (),
) -> tuple[list[str], list[str]]:
    out: list[Reason] = list(extra)
    c = contributions

    shared_ind = [code for code in project.industries if code in candidate.industries]
    if shared_ind:
        out.append((f"行业匹配：{_labels(INDUSTRIES, shared_ind, 'zh')}",
                    f"Industry match: {_labels(INDUSTRIES, shared_ind, 'en')}", c.get("industry", 0.0)))
    elif not candidate.industries and candidate.kind == "provider":
        out.append(("服务各行业", "Serves all industries", c.get("industry", 0.0)))

    served = [code for code in project.needs if code in candidate.serves]
    stated = {code: phrase for code, phrase in project.stated_needs.items()
              if code in candidate.serves and candidate.kind != "investor"}
    if served:
        out.append((f"可满足需求：{_labels(NEEDS, served, 'zh')}",
                    f"Can serve: {_labels(NEEDS, served, 'en')}", c.get("needs_coverage", 0.0)))
    if stated:  # needs found in the founder's words, quoted so the founder sees why
        quoted_zh = "、".join(f"「{p}」→{NEEDS.zh(code)}" for code, p in stated.items())
        quoted_en = "; ".join(f"\"{p}\" -> {NEEDS.en(code)}" for code, p in stated.items())
        out.append((f"可满足你描述中提到的需求：{quoted_zh}", f"Can serve what your statement mentions: {quoted_en}",
                    c.get("needs_coverage", 0.0) * (0.99 if served else 1.0)))

    stage_fit = features.get("stage_fit", 0.0)
    if stage_fit >= 1.0:
        out.append((f"阶段匹配：{STAGES.zh(project.stage)}", f"Stage fit: {STAGES.en(project.stage)}",
                    c.get("stage_fit", 0.0)))
    elif stage_fit > 0:
        out.append((f"阶段相近：{STAGES.zh(project.stage)}", f"Adjacent stage: {STAGES.en(project.stage)}",
                    c.get("stage_fit", 0.0)))

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

    region = features.get("region", 0.0)
    place = REGIONS.get(project.city) if project.city in REGIONS else None
    province = REGIONS.get(place.province) if place is not None and place.province else None
    macro = REGIONS.get(place.macro) if place is not None and place.macro else None
    city_l, province_l, macro_l, nation_l, near_province_l, near_macro_l = REGION_LEVELS
    if region >= city_l and place is not None:
        out.append((f"同城：{place.label_zh}", f"Same city: {place.en}", c.get("region", 0.0)))
    elif region >= province_l and province is not None:
        out.append((f"服务{province.label_zh}全省", f"Serves all of {province.en}", c.get("region", 0.0)))
    elif region >= macro_l and macro is not None:
        out.append((f"服务{macro.zh}地区", f"Serves {macro.en}", c.get("region", 0.0)))
    elif region >= nation_l:
        out.append(("服务全国", "Serves nationwide", c.get("region", 0.0)))
    elif region >= near_province_l and province is not None:
        out.append((f"同在{province.label_zh}", f"Also in {province.en}", c.get("region", 0.0)))
    elif region >= near_macro_l and macro is not None:
        out.append((f"同在{macro.zh}", f"Also in {macro.en}", c.get("region", 0.0)))

    # semantic features are calibrated: 0.5 is a typical random pair, 0.88 two standard deviations above
    sem = features.get("sem_need", 0.0)
    if sem >= 0.88:
        out.append(("其所长与你描述的需求高度相关", "What they offer closely matches your stated needs",
                    c.get("sem_need", 0.0)))
    elif sem >= 0.75:
        out.append(("其所长与你的需求相关", "What they offer relates to your needs", c.get("sem_need", 0.0)))
    if features.get("sem_domain", 0.0) >= 0.8:
        out.append(("专长领域与项目方向接近", "Their expertise is close to your domain", c.get("sem_domain", 0.0)))
    if features.get("lexical", 0.0) >= 0.25:
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
    else:
        out.append(("学习模型尚未训练，学习分不计入得分",
                    "No trained model yet: the learned factor contributes nothing", -1e9))

    # strongest positive factors first, then the ones that pulled the score down, then notes
    out.sort(key=lambda r: (r[2] <= -1e8, r[2] < 0, -abs(r[2])))
    return [r[0] for r in out], [r[1] for r in out]


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
        from matcher.taxonomy import region_of_city

        place = region_of_city(project.city) if project.city in REGIONS else ""
        zh = REGIONS.zh(place) if place in REGIONS else "本地区"
        en = REGIONS.en(place) if place in REGIONS else "this region"
        out.append((f"在{zh}投过{n_region}家公司", f"{n_region} deals in this region ({en})", b.get("region", 0.0)))
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
