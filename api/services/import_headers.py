"""Column headers as operators write them: each import field's Chinese and English label and common synonyms.

A sheet headed 项目名称, 所属行业, 融资轮次 imports like one headed ``name, industries, round_sought``; the
template and the export write ``项目名称 Project name (name)``, which reads back by the field in brackets.
Headers are compared after NFKC (full-width to half-width), case folding and dropping spaces, ``_ - * :``
and a trailing note in brackets such as （元） or （必填）.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

__all__ = ["FIELDS", "LABELS", "header_label", "map_headers", "normalise"]

# field -> (Chinese label, English label, synonyms...); kind-specific entries below override these.
_COMMON: dict[str, tuple[str, ...]] = {
    "id": ("伙伴编号", "Huoban id", "huoban id", "huoban_id", "伙伴id", "系统编号"),
    "external_id": ("外部编号", "External id", "编号", "外部id", "自编号", "档案编号", "ref", "reference", "your id",
                    "external ref"),
    "name": ("名称", "Name", "全称"),
    "description": ("详细介绍", "Description", "介绍", "描述", "about"),
    "industries": ("行业", "Industries", "所属行业", "行业领域", "领域", "industry", "sectors", "sector"),
    "stages": ("阶段", "Stages", "服务阶段", "关注阶段", "适合阶段", "stage"),
    "languages": ("语言", "Languages", "工作语言", "language"),
    "city": ("城市", "City", "所在城市", "所在地", "所在地区", "location"),
    "regions": ("服务区域", "Regions", "服务地区", "覆盖区域", "区域", "地区", "coverage", "region"),
    "serves": ("可服务需求", "Serves needs", "可满足需求", "服务需求", "可提供服务", "serves", "can serve"),
    "capacity": ("容量", "Capacity", "服务容量", "名额"),
    "active": ("是否有效", "Active", "是否启用", "启用", "有效", "enabled"),
    "contact_name": ("联系人", "Contact name", "联系人姓名", "contact"),
    "contact_email": ("邮箱", "Contact email", "电子邮箱", "联系邮箱", "email", "e-mail", "mail"),
    "contact_phone": ("电话", "Contact phone", "联系电话", "手机", "手机号", "手机号码", "phone", "mobile", "tel"),
}

_BY_KIND: dict[str, dict[str, tuple[str, ...]]] = {
    "project": {
        "external_id": (*_COMMON["external_id"], "项目编号", "企业编号"),
        "name": ("项目名称", "Project name", "名称", "企业名称", "公司名称", "项目", "company", "company name",
                 "project"),
        "one_liner": ("一句话介绍", "One-liner", "一句话简介", "项目简介", "简介", "tagline", "summary", "pitch"),
        "needs_statement": ("需求描述", "Needs statement", "需求说明", "当前需求", "需求详情", "what we need",
                            "needs description"),
        "description": ("项目介绍", "Description", "详细介绍", "项目详情", "介绍", "描述", "about"),
        "stage": ("发展阶段", "Stage", "阶段", "所处阶段", "项目阶段"),
        "round_sought": ("融资轮次", "Round sought", "拟融资轮次", "本轮轮次", "轮次", "round"),
        "industries": (*_COMMON["industries"],),
        "needs": ("需求类型", "Needs", "需求", "需求标签", "所需服务", "need", "need tags"),
        "team_size": ("团队人数", "Team size", "团队规模", "人数", "员工人数", "员工数", "headcount"),
        "funding_sought": ("拟融资金额", "Funding sought", "融资金额", "本轮融资金额", "融资需求", "amount sought",
                           "raise amount", "raising"),
        "founded_on": ("成立日期", "Founded on", "成立时间", "注册日期", "注册时间", "founded", "date founded"),
        "dealflow_curated": ("推荐给投资人", "Curated for deal flow", "纳入项目库", "路演推荐", "curated"),
    },
    "mentor": {
        "external_id": (*_COMMON["external_id"], "导师编号"),
        "name": ("姓名", "Name", "导师姓名", "名字", "full name"),
        "mentor_type": ("导师类型", "Mentor type", "类型", "type"),
        "title": ("职务", "Title", "职位", "头衔", "position", "job title"),
        "organisation": ("工作单位", "Organisation", "单位", "所在单位", "机构", "公司", "organization", "company",
                         "employer"),
        "expertise": ("专长", "Expertise", "擅长领域", "专业领域", "专业方向", "擅长", "specialties"),
        "offer": ("可提供的帮助", "Offer", "可提供支持", "辅导内容", "提供帮助", "can help with", "how i help"),
        "bio": ("个人简介", "Bio", "简历", "履历", "简介", "biography"),
        "capacity": ("可带项目数", "Capacity", "最多辅导项目数", "容量", "名额"),
    },
    "investor": {
        "external_id": (*_COMMON["external_id"], "机构编号"),
        "name": ("机构名称", "Name", "投资机构", "投资人", "名称", "姓名", "fund", "investor"),
        "kind": ("投资人类型", "Investor kind", "机构类型", "投资方类型", "类型", "investor type", "type"),
        "thesis": ("投资理念", "Thesis", "投资方向", "投资逻辑", "投资策略", "investment thesis"),
        "description": ("机构介绍", "Description", "详细介绍", "介绍", "描述", "about"),
        "rounds": ("投资轮次", "Rounds", "轮次", "round"),
        "ticket_min": ("单笔最低投资额", "Ticket min", "最低投资额", "单笔投资下限", "最小投资金额", "min ticket",
                       "minimum ticket"),
        "ticket_max": ("单笔最高投资额", "Ticket max", "最高投资额", "单笔投资上限", "最大投资金额", "max ticket",
                       "maximum ticket"),
        "stages": ("投资阶段", "Stages", "关注阶段", "阶段", "stage"),
        "industries": ("关注行业", "Industries", "投资领域", "行业", "所属行业", "领域", "industry", "sectors"),
        "regions": ("投资区域", "Regions", "关注区域", "服务区域", "区域", "地区", "region"),
        "capacity": ("同时对接上限", "Capacity", "容量"),
    },
    "provider": {
        "external_id": (*_COMMON["external_id"], "机构编号"),
        "name": ("机构名称", "Name", "服务机构", "名称", "公司名称", "company"),
        "category": ("服务类别", "Category", "机构类别", "类别", "类型", "type"),
        "services": ("服务内容", "Services", "服务项目", "提供的服务", "主要服务"),
        "description": ("机构介绍", "Description", "详细介绍", "介绍", "描述", "about"),
        "price_tier": ("收费档次", "Price tier", "价格档次", "收费标准", "收费", "pricing", "price"),
    },
}

# The fields of each kind, in template order (the create schemas' fields plus the two keys).
FIELDS: dict[str, tuple[str, ...]] = {
    "project": ("external_id", "name", "one_liner", "needs_statement", "description", "stage", "round_sought",
                "funding_sought", "industries", "needs", "city", "languages", "team_size", "founded_on",
                "dealflow_curated", "contact_name", "contact_email", "contact_phone", "id"),
    "mentor": ("external_id", "name", "mentor_type", "title", "organisation", "expertise", "offer", "bio", "serves",
               "industries", "stages", "languages", "city", "regions", "capacity", "active", "contact_name",
               "contact_email", "contact_phone", "id"),
    "investor": ("external_id", "name", "kind", "thesis", "description", "rounds", "ticket_min", "ticket_max",
                 "serves", "industries", "stages", "languages", "city", "regions", "capacity", "active",
                 "contact_name", "contact_email", "contact_phone", "id"),
    "provider": ("external_id", "name", "category", "services", "description", "serves", "industries", "stages",
                 "languages", "city", "regions", "price_tier", "capacity", "active", "contact_name", "contact_email",
                 "contact_phone", "id"),
}


def _labels(kind: str) -> dict[str, tuple[str, ...]]:
    return {f: _BY_KIND[kind].get(f) or _COMMON.get(f) or (f, f) for f in FIELDS[kind]}


LABELS: dict[str, dict[str, tuple[str, ...]]] = {kind: _labels(kind) for kind in FIELDS}

_NOTE = re.compile(r"[(\[（【]([^)\]）】]*)[)\]）】]\s*$")
_DROP = re.compile(r"[\s_\-*:：/]+")


def normalise(header: str) -> str:
    return _DROP.sub("", unicodedata.normalize("NFKC", header).casefold())


def header_label(kind: str, field: str) -> str:
    """``项目名称 Project name (name)``: both languages, and the field that a re-import reads."""
    zh, en = LABELS[kind][field][:2]
    return f"{zh} {en} ({field})"


def _lookup(kind: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for field in LABELS[kind]:
        table.setdefault(normalise(field), field)
    for field, names in LABELS[kind].items():  # labels: the first writer of a name wins (kind-specific first)
        for name in names:
            table.setdefault(normalise(name), field)
    return table


_LOOKUP = {kind: _lookup(kind) for kind in FIELDS}


def map_header(kind: str, header: str) -> str | None:
    """The field a header names, or None. Tries the whole header, then a field named in trailing brackets
    (``项目名称 (name)``), then the header without its bracketed note (``融资金额（元）``)."""
    table = _LOOKUP[kind]
    whole = normalise(header)
    if whole in table:
        return table[whole]
    m = _NOTE.search(unicodedata.normalize("NFKC", header))
    if m:
        inner = normalise(m.group(1))
        if inner in table:
            return table[inner]
        outer = normalise(header[: m.start()])
        if outer in table:
            return table[outer]
        # "项目名称 Project name (name)" without the brackets matching: the Chinese part alone
        first = normalise(header[: m.start()].split(" ")[0]) if " " in header[: m.start()] else ""
        if first in table:
            return table[first]
    return None


def map_headers(kind: str, header: Sequence[str]) -> tuple[dict[int, str], list[str], dict[str, list[str]]]:
    """(column index -> field, ignored headers, field -> the headers that name it when more than one does)."""
    columns: dict[int, str] = {}
    seen: dict[str, list[str]] = {}
    ignored: list[str] = []
    for i, h in enumerate(header):
        if not h:
            continue
        field = map_header(kind, h)
        if field is None:
            ignored.append(h)
            continue
        columns[i] = field
        seen.setdefault(field, []).append(h)
    return columns, ignored, {f: hs for f, hs in seen.items() if len(hs) > 1}


def template_fields(kind: str) -> tuple[str, ...]:
    return tuple(f for f in FIELDS[kind] if f != "id")


EXAMPLES: Mapping[str, Mapping[str, object]] = {
    "project": {"external_id": "P-2026-001", "name": "智瞳质检", "one_liner": "用工业相机和深度学习做表面缺陷检测",
                "needs_statement": "已在两家工厂试点，想找懂工厂采购流程的销售导师；本轮想融600万。",
                "description": "团队14人，来自高校视觉实验室。", "stage": "初创期", "round_sought": "Pre-A轮",
                "funding_sought": "600万", "industries": "人工智能|先进制造", "needs": "融资|销售渠道", "city": "济南",
                "languages": "中文", "team_size": 14, "founded_on": "2022-03-01", "dealflow_curated": "是",
                "contact_name": "张三", "contact_email": "founder@example.com", "contact_phone": "13800000000"},
    "mentor": {"external_id": "M-001", "name": "王建华", "mentor_type": "资深管理者", "title": "前副总经理",
               "organisation": "某装备集团", "expertise": "工业大客户销售；工厂数字化采购流程",
               "offer": "每月两次面谈，梳理进入工厂的销售路径", "bio": "在装备集团工作26年。",
               "serves": "销售渠道|战略规划", "industries": "先进制造|人工智能", "stages": "初创期|成长期",
               "languages": "中文", "city": "济南", "regions": "山东省", "capacity": 3, "active": "是",
               "contact_name": "王建华", "contact_email": "mentor@example.com", "contact_phone": ""},
    "investor": {"external_id": "I-001", "name": "齐鲁天使基金", "kind": "天使投资人", "thesis": "投早期硬科技",
                 "description": "", "rounds": "天使轮|Pre-A轮", "ticket_min": "100万", "ticket_max": "800万",
                 "serves": "融资", "industries": "先进制造|人工智能", "stages": "种子期|初创期", "languages": "中文",
                 "city": "济南", "regions": "山东省|华东", "capacity": "", "active": "是", "contact_name": "",
                 "contact_email": "ir@example.com", "contact_phone": ""},
    "provider": {"external_id": "S-001", "name": "泉城知识产权", "category": "知识产权",
                 "services": "专利申请；商标注册", "description": "服务济南科技企业十年。", "serves": "知识产权",
                 "industries": "", "stages": "种子期|初创期",
                 "languages": "中文", "city": "济南", "regions": "山东省", "price_tier": "标准", "capacity": 10,
                 "active": "是", "contact_name": "", "contact_email": "ip@example.com", "contact_phone": ""},
}
