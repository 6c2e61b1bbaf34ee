"""Bilingual controlled vocabularies of the domain (pure data, no ORM).

Every vocabulary maps a stable ASCII code (what the database and the API store) to a Chinese and an
English label. ``Vocabulary.parse`` accepts a code, a Chinese label or an English label
(case-insensitive), or another spelling the vocabulary lists (aliases; for rounds also a small grammar of
series letters and deciding words, :func:`_round_grammar`), and returns the code; anything else raises
:class:`UnknownLabelError` listing the valid codes, so a typo in a CSV import or a CLI flag says what would
have been accepted.

Codes are also bit positions: ``Vocabulary.mask(codes)`` packs a set of codes into an ``int`` (< 2**63)
that the matcher stores in ``uint64`` arrays for vectorised overlap features.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from matcher.errors import UnknownLabelError
from matcher.geography import CITIES_ALL, REGIONS_ALL

__all__ = [
    "CITIES",
    "INDUSTRIES",
    "INVESTOR_KINDS",
    "LANGUAGES",
    "MACRO_REGIONS",
    "MENTOR_TYPES",
    "NEEDS",
    "PRICE_TIERS",
    "PROVIDER_CATEGORIES",
    "PROVIDER_SERVES",
    "REGIONS",
    "ROUNDS",
    "STAGES",
    "ROUND_STAGE",
    "Label",
    "Vocabulary",
    "region_of_city",
]


_SEPARATORS = re.compile(r"[\s_\-]+")


def _loose(value: str) -> str:
    """A label as people vary it: case, and spaces, hyphens and underscores between words ("series-a",
    "Series_A", "series  a" are "series a")."""
    return _SEPARATORS.sub(" ", value.strip().lower()).strip()


@dataclass(frozen=True)
class Label:
    code: str
    zh: str
    en: str


@dataclass(frozen=True)
class Vocabulary:
    """An ordered, closed set of labels. Order is meaningful for ordinal vocabularies (stages, rounds)."""

    name: str
    labels: tuple[Label, ...]
    # other spellings people and deal databases use -> code ("series-b", "B+轮", "战略融资"); matched like labels
    aliases: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    # a grammar for what no list can hold (the rounds' "Series G", "Pre-C轮", "天使+轮"): the loose spelling in, a
    # code or None out; asked only when no label or alias matches
    grammar: Callable[[str], str | None] | None = field(default=None, repr=False, compare=False)
    _lookup: Mapping[str, str] = field(init=False, repr=False, compare=False)
    _index: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.labels) > 63:
            raise ValueError(f"{self.name}: at most 63 labels fit a bit mask")
        lookup: dict[str, str] = {}
        codes = {label.code for label in self.labels}
        pairs = [(key, label.code) for label in self.labels for key in (label.code, label.zh, label.en)]
        for key, code in [*pairs, *self.aliases.items()]:
            if code not in codes:
                raise ValueError(f"{self.name}: alias {key!r} names no code ({code!r})")
            if lookup.setdefault(_loose(key), code) != code:
                raise ValueError(f"{self.name}: {key!r} would mean both {lookup[_loose(key)]!r} and {code!r}")
        object.__setattr__(self, "_lookup", lookup)
        object.__setattr__(self, "_index", {label.code: i for i, label in enumerate(self.labels)})

    # -- access -------------------------------------------------------------------------------
    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(label.code for label in self.labels)

    def __iter__(self) -> Iterator[Label]:
        return iter(self.labels)

    def __len__(self) -> int:
        return len(self.labels)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self.index_of

    @property
    def index_of(self) -> Mapping[str, int]:
        return self._index

    def label(self, code: str) -> Label:
        try:
            return self.labels[self.index_of[code]]
        except KeyError:
            raise self._unknown(code) from None

    def zh(self, code: str) -> str:
        return self.label(code).zh

    def en(self, code: str) -> str:
        return self.label(code).en

    # -- validation -----------------------------------------------------------------------------
    def _unknown(self, value: object) -> UnknownLabelError:
        return UnknownLabelError(self.name, str(value), self.codes,
                                 labels=[(label.code, label.zh, label.en) for label in self.labels])

    def parse(self, value: str) -> str:
        """Return the code for a code, a zh/en label, an alias or what the grammar reads; raise
        UnknownLabelError otherwise."""
        if not isinstance(value, str):
            raise self._unknown(value)
        loose = _loose(value)
        code = self._lookup.get(loose)
        if code is None and self.grammar is not None:
            code = self.grammar(loose)
        if code is None:
            raise self._unknown(value)
        return code

    def parse_many(self, values: Iterable[str]) -> list[str]:
        """Parse, de-duplicate and return codes in vocabulary order."""
        codes = {self.parse(v) for v in values}
        return [c for c in self.codes if c in codes]

    # -- bit masks ---------------------------------------------------------------------------------
    def mask(self, codes: Iterable[str]) -> int:
        idx = self.index_of
        out = 0
        for code in codes:
            if code not in idx:
                raise self._unknown(code)
            out |= 1 << idx[code]
        return out

    def unmask(self, mask: int) -> list[str]:
        return [label.code for i, label in enumerate(self.labels) if mask >> i & 1]


def _vocab(name: str, rows: Iterable[tuple[str, str, str]], aliases: Mapping[str, str] | None = None,
           grammar: Callable[[str], str | None] | None = None) -> Vocabulary:
    return Vocabulary(name, tuple(Label(*row) for row in rows), dict(aliases or {}), grammar)


# Round names as deal databases and founders write them, beyond the aliases' list: a series letter with Pre-
# or pluses (IT桔子's "Pre-C轮", "A++轮", "F轮-上市前"; Crunchbase's "series_h"), and words that decide the kind
# of round wherever they stand (Crunchbase's 2014+ investment types such as "pre_seed", "post_ipo_debt",
# "series_unknown"; IT桔子's "IPO上市后", "新三板定增", "被收购", "债权融资", "不明确").
_DASHES = str.maketrans("‐‑‒–—―−", "-------")  # what NFKC leaves: dashes of every width read as a hyphen
_ROUND_WORDS = re.compile(r"\b(series|round|funding|financing|investment)\b|轮|融资|投资|[()]")
_ROUND_SERIES = re.compile(r"^(pre ?)?([a-h]) ?(\+*)(?: ?上市前)?$")  # Series A to H


def _words(*latin: str) -> str:
    """Latin keywords as whole words (Chinese characters around them count as boundaries, as in "ipo上市后")."""
    return "|".join(rf"(?<![a-z]){w}(?![a-z])" for w in latin)


_ROUND_KEYWORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((code, re.compile(pattern)) for code, pattern in (
    # first match wins: a debt or a secondary sale after an IPO is neither an IPO nor equity; 未上市 is not listed
    ("other", _words("debt", "loans?", "convertible", "grants?", "secondary", r"acqui\w*", "mergers?", "coin", "ico",
                     "non equity", "assistance", "product crowdfunding", "unknown", "undisclosed")
     + "|债|贷|补贴|资助|股权转让|私有化|收购|并购|合并|不明|未透露|未披露|未上市"),
    ("pe", _words("pre ?ipo", "private equity") + "|ipo ?前|上市前|拟上市|私募"),
    ("ipo", _words("ipo", "public") + "|上市|新三板|定增"),
    ("strategic", _words("strategic", "corporate") + "|战略"),
    ("crowdfunding", _words("crowdfunding") + "|众筹"),
    ("seed", _words("seed") + "|种子"),
    ("angel", _words("angel") + "|天使"),
))


def _round_grammar(loose: str) -> str | None:
    text = _loose(unicodedata.normalize("NFKC", loose).translate(_DASHES))  # full-width letters, ＋, －
    text = " ".join(_ROUND_WORDS.sub(" ", text).split())
    if series := _ROUND_SERIES.match(text):
        pre, letter, plus = series.groups()
        if letter == "a":
            return "pre_a" if pre else "a_plus" if plus else "a"
        if letter == "b":
            return "a_plus" if pre else "b"
        return "c_plus"
    for code, pattern in _ROUND_KEYWORDS:
        if pattern.search(text):
            return code
    return None


STAGES = _vocab(
    "stage",
    [
        ("idea", "创意期", "Idea"),
        ("seed", "种子期", "Seed"),
        ("early", "初创期", "Early"),
        ("growth", "成长期", "Growth"),
        ("expansion", "扩张期", "Expansion"),
    ],
)

ROUNDS = _vocab(
    "round",
    [
        ("seed", "种子轮", "Seed round"),
        ("angel", "天使轮", "Angel round"),
        ("pre_a", "Pre-A轮", "Pre-A"),
        ("a", "A轮", "Series A"),
        ("a_plus", "A+轮", "Series A+"),
        ("b", "B轮", "Series B"),
        ("c_plus", "C轮及以后", "Series C+"),
        ("strategic", "战略投资", "Strategic"),
        ("pe", "私募股权", "Private equity"),
        ("ipo", "IPO及以后", "IPO"),
        ("crowdfunding", "股权众筹", "Equity crowdfunding"),
        ("other", "其他", "Other"),
    ],
    # the round names of public deal records (Crunchbase's funding_round_type; IT桔子-style Chinese labels), so
    # a space's exported rounds and `huoban backtest`'s CSVs load without hand-mapping. A round type that says
    # nothing of the series (Crunchbase's "venture"), debt, grants and acquisitions are "other".
    {
        "种子": "seed", "天使": "angel", "angel investment": "angel", "a round": "a", "pre-b": "a_plus",
        "pre-b轮": "a_plus", "b+轮": "b", "series b+": "b", "b round": "b", "series c": "c_plus", "series d": "c_plus",
        "series e": "c_plus", "series f": "c_plus", "pre-c轮": "c_plus", "c轮": "c_plus", "c+轮": "c_plus",
        "d轮": "c_plus", "d+轮": "c_plus", "e轮": "c_plus", "f轮": "c_plus", "战略融资": "strategic",
        "strategic investment": "strategic", "corporate round": "strategic", "private equity round": "pe",
        "pre-ipo": "pe", "post-ipo": "ipo", "post ipo equity": "ipo", "上市后": "ipo", "定向增发": "ipo",
        "新三板": "ipo", "众筹": "crowdfunding", "venture": "other", "venture round": "other", "undisclosed": "other",
        "debt financing": "other", "convertible note": "other", "grant": "other",
        "并购": "other", "acquisition": "other", "m&a": "other",
    },
    _round_grammar,
)

# The development stage a round is typical of: used by the round-fit feature and by the seed data.
ROUND_STAGE: dict[str, str] = {
    "seed": "seed",
    "angel": "seed",
    "pre_a": "early",
    "a": "early",
    "a_plus": "growth",
    "b": "growth",
    "c_plus": "expansion",
    "strategic": "growth",
    "pe": "expansion",
    "ipo": "expansion",
    "crowdfunding": "seed",
    "other": "early",
}

INDUSTRIES = _vocab(
    "industry",
    [
        ("ai", "人工智能", "AI"),
        ("big_data", "大数据", "Big data"),
        ("iot", "物联网", "IoT"),
        ("open_hardware", "开源硬件", "Open hardware"),
        ("robotics", "机器人", "Robotics"),
        ("advanced_manufacturing", "先进制造", "Advanced manufacturing"),
        ("semiconductors", "集成电路", "Semiconductors"),
        ("new_energy", "新能源与绿色科技", "New energy & green tech"),
        ("biotech_health", "生物医药与大健康", "Biotech & health"),
        ("new_materials", "新材料", "New materials"),
        ("ecommerce_consumer", "电商与消费", "E-commerce & consumer"),
        ("culture_creative", "文化创意", "Culture & creative"),
        ("education", "教育", "Education"),
        ("agriculture_rural", "农业与乡村振兴", "Agriculture & rural revitalisation"),
        ("fintech", "金融科技", "Fintech"),
        ("enterprise_services", "企业服务", "Enterprise services / SaaS"),
        ("smart_mobility", "智能交通", "Smart mobility"),
        ("social_innovation", "社会创新", "Social innovation"),
    ],
)

NEEDS = _vocab(
    "need",
    [
        ("financing", "融资", "Financing"),
        ("testing_certification", "检验检测", "Testing & certification"),
        ("rd_design", "研发设计", "R&D and design"),
        ("pilot_production", "小试中试", "Pilot production"),
        ("tech_transfer", "技术转移", "Tech transfer"),
        ("strategy", "战略规划", "Strategy"),
        ("product", "产品打磨", "Product"),
        ("go_to_market", "市场进入", "Go-to-market"),
        ("team_building", "团队建设", "Team building"),
        ("legal", "法律", "Legal"),
        ("finance_accounting", "财务", "Finance & accounting"),
        ("ip", "知识产权", "Intellectual property"),
        ("marketing_branding", "品牌营销", "Marketing & branding"),
        ("sales_channels", "销售渠道", "Sales channels"),
        ("policy_application", "政策申请", "Policy applications"),
        ("registration", "工商注册", "Company registration"),
        ("hr_recruiting", "人才招聘", "HR & recruiting"),
        ("internationalisation", "国际化", "Internationalisation"),
    ],
)

PROVIDER_CATEGORIES = _vocab(
    "provider_category",
    [
        ("legal", "法律服务", "Legal"),
        ("finance_accounting", "财务会计", "Finance & accounting"),
        ("ip", "知识产权", "Intellectual property"),
        ("testing_certification", "检验检测认证", "Testing & certification"),
        ("rd_design", "研发设计", "R&D and design"),
        ("pilot_production", "小试中试", "Pilot production"),
        ("tech_transfer", "技术转移", "Tech transfer"),
        ("marketing_branding", "市场品牌", "Marketing & branding"),
        ("hr", "人力资源", "HR"),
        ("policy_application", "政策申报", "Policy applications"),
        ("registration", "工商注册", "Company registration"),
        ("internationalisation", "国际化服务", "Internationalisation"),
    ],
)

# Needs a provider of each category can serve (the provider's own `serves` list may add to this).
PROVIDER_SERVES: dict[str, tuple[str, ...]] = {
    "legal": ("legal", "registration"),
    "finance_accounting": ("finance_accounting", "financing"),
    "ip": ("ip", "legal"),
    "testing_certification": ("testing_certification",),
    "rd_design": ("rd_design", "product"),
    "pilot_production": ("pilot_production", "rd_design"),
    "tech_transfer": ("tech_transfer", "ip"),
    "marketing_branding": ("marketing_branding", "sales_channels", "go_to_market"),
    "hr": ("hr_recruiting", "team_building"),
    "policy_application": ("policy_application", "financing"),
    "registration": ("registration", "finance_accounting"),
    "internationalisation": ("internationalisation", "go_to_market"),
}

MENTOR_TYPES = _vocab(
    "mentor_type",
    [
        ("angel_investor", "天使投资人", "Angel investor"),
        ("entrepreneur", "成功企业家", "Entrepreneur"),
        ("senior_manager", "资深管理者", "Senior manager"),
        ("technical_expert", "技术专家", "Technical expert"),
        ("marketing_expert", "市场营销专家", "Marketing expert"),
    ],
)

INVESTOR_KINDS = _vocab(
    "investor_kind",
    [
        ("angel", "天使投资人", "Angel"),
        ("vc", "风险投资", "Venture capital"),
        ("cvc", "企业创投", "Corporate VC"),
        ("government_fund", "政府引导基金", "Government guidance fund"),
        ("bank_credit", "银行/信贷", "Bank / credit"),
    ],
)

PRICE_TIERS = _vocab(
    "price_tier",
    [
        ("free", "公益/免费", "Free / pro bono"),
        ("budget", "经济", "Budget"),
        ("standard", "标准", "Standard"),
        ("premium", "高端", "Premium"),
    ],
)

LANGUAGES = _vocab(
    "language",
    [
        ("zh", "中文", "Chinese"),
        ("en", "英文", "English"),
    ],
)

MACRO_REGIONS = _vocab(
    "macro_region",
    [
        ("north", "华北", "North China"),
        ("east", "华东", "East China"),
        ("south", "华南", "South China"),
        ("central", "华中", "Central China"),
        ("southwest", "西南", "Southwest China"),
        ("northwest", "西北", "Northwest China"),
        ("northeast", "东北", "Northeast China"),
        ("overseas", "海外", "Overseas"),
    ],
)

# Places: every province, prefecture-level and county-level city of China, overseas cities, the macro
# regions and "nationwide" (``matcher.geography``). ``REGIONS`` parses any of them (a candidate's
# ``regions``), ``CITIES`` only a city (a profile's ``city``).
REGIONS = REGIONS_ALL
CITIES = CITIES_ALL


def region_of_city(code: str) -> str:
    """Macro region of a place code; a macro-region code maps to itself; "nationwide" to itself."""
    return REGIONS.macro_of(code if code in REGIONS else REGIONS.parse(code))


def cities() -> list[str]:
    return REGIONS.cities()
