"""Plain profile objects the callers hand to the matcher, and the columnar table the matcher ranks over.

A :class:`ProfileTable` holds one kind (projects, mentors, investors or providers) as aligned numpy
columns plus a :class:`~matcher.index.FlatIndex` whose rows are the same rows. Taxonomy sets are packed
into ``uint64`` bit masks so overlap features are a handful of vectorised bit operations.

Embeddings: every profile contributes two short texts (the brief found long bios drown the signal):

=========  =====================  ==========================
side       first text ("need")    second text ("domain")
=========  =====================  ==========================
project    needs statement        one-liner
mentor     what they offer        their expertise
investor   thesis                 industries they back
provider   services offered       category and industries
=========  =====================  ==========================

The stored vector is ``[first, second] / sqrt(2)`` (both halves unit length), so one inner product with
the other side's vector is the mean of the two field similarities, and each field similarity is twice
the inner product of the matching halves.

Items: every profile also has up to :data:`ITEM_SLOTS` short sentences (``items``: a project's one-liner and
the sentences of what it needs; a mentor's expertise and offer, a provider's services and description, an
investor's thesis and description, split at sentence and list ends), each embedded on its own and kept as
4-bit codes. The best pair of one project sentence and one candidate sentence (``sem_item``) finds the one
line of a long offer that answers one line of a long need, which the whole-field vectors average away.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from matcher.config import MatcherConfig
from matcher.errors import IndexError_
from matcher.geography import MACRO_ORDER
from matcher.index import FlatIndex
from matcher.stated_needs import problem_sentences, stated_needs
from matcher.taxonomy import CITIES, INDUSTRIES, LANGUAGES, NEEDS, PROVIDER_CATEGORIES, REGIONS, ROUNDS, STAGES

__all__ = [
    "CandidateProfile",
    "ProfileTable",
    "ProjectProfile",
    "candidate_items",
    "combine_fields",
    "decode_items",
    "encode_items",
    "field_texts",
    "lexical_text",
    "text_items",
]

SQRT_HALF = 1.0 / math.sqrt(2.0)


@dataclass(frozen=True)
class ProjectProfile:
    id: int
    space_id: int
    stage: str
    industries: tuple[str, ...]
    needs: tuple[str, ...]
    city: str
    languages: tuple[str, ...]
    need_text: str
    domain_text: str
    name: str = ""
    round_sought: str | None = None
    funding_sought: int = 0
    updated_at: dt.datetime | None = None
    curated: bool = False
    active: bool = True
    accepted: int = 0  # intros from investors the founder accepted (deal flow acceptance)
    requests: int = 0
    founded_on: dt.date | None = None
    # not embedded whole (its problem sentences join need_text: project_need_text); read by rules such as
    # "would relocate"
    description: str = ""
    items: tuple[str, ...] = ()  # the sentences embedded one by one (text_items; module docstring)

    kind = "project"

    @cached_property
    def stated_needs(self) -> dict[str, str]:
        """Needs the founder states in words (the need text: see :func:`project_need_text`) but did not tag,
        with the phrase."""
        found = stated_needs(self.need_text)  # what it needs, not what it is (the one-liner says that)
        return {code: phrase for code, phrase in found.items() if code not in self.needs}

    @property
    def all_needs(self) -> tuple[str, ...]:
        """The tagged needs, then the stated ones: what mentors' and providers' needs coverage counts.
        Investors are matched on the tags only (the history ranker learnt them; a description's "融资" is
        no news to an investor)."""
        return self.needs + tuple(self.stated_needs)


@dataclass(frozen=True)
class CandidateProfile:
    id: int
    kind: str  # mentor | investor | provider
    space_id: int | None
    industries: tuple[str, ...]
    stages: tuple[str, ...]
    serves: tuple[str, ...]
    languages: tuple[str, ...]
    city: str
    regions: tuple[str, ...]
    offer_text: str
    expertise_text: str
    name: str = ""
    subtype: str = ""  # mentor type, investor kind or provider category
    capacity: int | None = None  # None: unlimited
    load: int = 0  # active engagements that count against capacity
    rounds: tuple[str, ...] = ()
    ticket_min: int = 0
    ticket_max: int = 0
    round_history: tuple[tuple[str, int], ...] = ()  # investors: past investments per round
    updated_at: dt.datetime | None = None
    active: bool = True
    accepted: int = 0
    requests: int = 0
    impressions: int = 0  # recent impressions (exposure control)
    items: tuple[str, ...] = ()  # the sentences embedded one by one (text_items; module docstring)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


Profile = ProjectProfile | CandidateProfile


def project_need_text(needs_statement: str | None, one_liner: str | None, description: str | None) -> str:
    """What a project needs, as it is embedded and read for stated needs: its needs statement (its one-liner
    when it wrote none), then the sentences of its description that state a problem or a lack
    (:func:`matcher.stated_needs.problem_sentences`). Founders often tell what blocks them where they tell
    their story ("技术合伙人上个月说要去大厂，股份怎么处理还没谈"), not in the field meant for it."""
    first = (needs_statement or "").strip() or (one_liner or "").strip()
    problems = problem_sentences(description or "")
    return f"{first} {problems}".strip() if problems else first


ITEM_SLOTS = 6  # sentences kept per profile: the judged sets' profiles have at most 6 (the mean is ~4)
_ITEM_END = re.compile(r"[。；;！？!?\n]|(?<=[a-z0-9)])\.\s")
_ITEM_TRIM = " \t，,、：:."


def text_items(*texts: str | None, slots: int = ITEM_SLOTS) -> tuple[str, ...]:
    """The sentences of these texts in order, each once, at most ``slots``: split where a sentence or a list
    item ends (。；;！？ and a full stop after a word), fragments under 4 characters dropped. Enumerations
    inside a sentence (钢铁、轴承、装备制造) stay whole: split there, the parts matched worse on the judged sets."""
    out: list[str] = []
    for text in texts:
        for part in _ITEM_END.split(text or ""):
            item = part.strip(_ITEM_TRIM)
            if len(item) >= 4 and item not in out:
                out.append(item)
                if len(out) == slots:
                    return tuple(out)
    return tuple(out)


# which texts of a candidate record give its items, in order (a project's: its one-liner, then its need text)
CANDIDATE_ITEM_FIELDS: dict[str, tuple[str, str]] = {
    "mentor": ("expertise", "offer"), "investor": ("thesis", "description"), "provider": ("services", "description"),
}


def candidate_items(kind: str, field_text: Callable[[str], str | None]) -> tuple[str, ...]:
    """A candidate's items from its record (``field_text(name)`` reads a field: the service's rows and the
    benchmarks' generated rows alike)."""
    return text_items(*(field_text(name) for name in CANDIDATE_ITEM_FIELDS[kind]))


ITEM_LEVELS = 7  # 4-bit item codes: each component one of -7..7 times the vector's scale, two to a byte


def encode_items(vectors: np.ndarray, counts: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """4-bit codes, two to a byte, ``(n, ITEM_SLOTS, ceil(dim / 2))`` uint8, and scales ``(n, ITEM_SLOTS)`` of n
    profiles' item vectors, given as one ``(sum(counts), dim)`` array in profile order. Each vector keeps its
    largest magnitude over 7 as its scale and each component the nearest of 15 levels (stored + 8; an odd
    width gets a zero level last); a cosine moves by ~0.01, ~0.03 at most (on the judged sets NDCG@5 moved by
    0.003 at most against 8-bit codes, which take twice the memory); an empty slot has scale 0."""
    n, dim = len(counts), int(vectors.shape[1]) if vectors.ndim == 2 else 0
    codes = np.zeros((n, ITEM_SLOTS, (dim + 1) // 2), dtype=np.uint8)
    scales = np.zeros((n, ITEM_SLOTS), dtype=np.float32)
    if not len(vectors):
        return codes, scales
    row = np.repeat(np.arange(n), counts)
    slot = np.arange(len(vectors)) - np.repeat(np.cumsum(counts) - np.asarray(counts), counts)
    peak = np.abs(vectors).max(axis=1)
    peak = np.where(peak > 0, peak, 1.0).astype(np.float32)
    levels = (np.rint(vectors / peak[:, None] * ITEM_LEVELS) + 8).astype(np.uint8)  # 1..15
    if dim % 2:
        levels = np.pad(levels, ((0, 0), (0, 1)), constant_values=8)
    codes[row, slot] = levels[:, 0::2] | (levels[:, 1::2] << 4)
    scales[row, slot] = peak / ITEM_LEVELS
    return codes, scales


def unpack_items(codes: np.ndarray, dim: int | None = None) -> np.ndarray:
    """The signed levels (-7..7) of packed item codes, ``(..., dim)`` int8 (default: two per byte)."""
    out = np.empty((*codes.shape[:-1], 2 * codes.shape[-1]), dtype=np.int8)
    out[..., 0::2] = (codes & 0x0F).astype(np.int8)
    out[..., 1::2] = (codes >> 4).astype(np.int8)
    out -= 8
    return out if dim is None else out[..., :dim]


def decode_items(codes: np.ndarray, scales: np.ndarray, dim: int | None = None) -> np.ndarray:
    """The float32 vectors of item codes (zero in empty slots)."""
    out: np.ndarray = unpack_items(codes, dim).astype(np.float32) * scales[..., None]
    return out


def field_texts(profile: Profile) -> tuple[str, str]:
    """The two short texts embedded for a profile (see the module table)."""
    return profile.need_text if isinstance(profile, ProjectProfile) else profile.offer_text, \
        profile.domain_text if isinstance(profile, ProjectProfile) else profile.expertise_text


def lexical_text(profile: Profile) -> str:
    """The text the lexical cosine reads (and an explanation quotes the glossary terms of): both fields."""
    return " ".join(field_texts(profile))


def combine_fields(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """``[first, second] / sqrt(2)`` for unit rows: a unit vector of twice the dimension."""
    return (np.concatenate([first, second], axis=1) * SQRT_HALF).astype(np.float32)


def _mask(vocab: Any, codes: Sequence[str]) -> int:
    return int(vocab.mask(c for c in codes if c in vocab))


# Region columns (see ``matcher.geography``): one bit per province, per macro region and for "nationwide"
# in a uint64; cities as indexes of their prefecture-level city in REGIONS (a county-level city counts as
# its prefecture), with a 64-bit Bloom mask so the exact city test runs only on the few rows it flags.
_PROVINCE_BIT = {p.code: i for i, p in enumerate(REGIONS.provinces())}
_MACRO_BIT = {m: len(_PROVINCE_BIT) + i for i, m in enumerate(MACRO_ORDER)}
NATIONWIDE_BIT = 1 << (len(_PROVINCE_BIT) + len(MACRO_ORDER))
PROVINCE_MASK = (1 << len(_PROVINCE_BIT)) - 1
MACRO_MASK = ((1 << len(MACRO_ORDER)) - 1) << len(_PROVINCE_BIT)
OVERSEAS_BIT = 1 << _MACRO_BIT["overseas"]  # the macro region of overseas cities: many countries, not one area
SERVED_WIDTH = 30  # a candidate lists at most 30 regions (api.schemas)
# Candidates whose users want them local: a government guidance fund invests in its own province, policy
# applications and company registration are filed where the company is registered.
LOCAL_ONLY = {("investor", "government_fund"), ("provider", "policy_application"), ("provider", "registration")}
# a project that says it would move (not one that says where it already is: "已在合肥落户" stays put)
_RELOCATING = re.compile(r"(?:计划|考虑|愿意|准备|打算|拟|可以?)(?:在\S{1,8})?落户|迁往|迁到|迁至|搬迁到|搬到|"
                         r"relocat|move (?:the company|our (?:company|team|hq|headquarters))", re.IGNORECASE)


# a project that says where it will set up (an office, an entity, production): "move production to Shenzhen or
# Dongguan", "open a WFOE in Shaoxing", "计划在苏州设立子公司", "迁往合肥" - not where it wants to sell ("拓展到湖南",
# "sells to hospitals in Shanghai", "在广东建立经销商网络"), nor a plan it denies ("不打算在北京设立分公司")
_NOT_EN = re.compile(r"(?:\b(?:not|never|no|without)\b|n't)", re.IGNORECASE)
_GAP_EN = r"(?:(?!\b(?:in|to)\b)[^.;!?,]){0,15}?"  # a few words, up to the first "in" / "to"
_SETTING_UP_EN = re.compile(
    r"\b(?i:(?:(?:open(?:ing)?|set(?:ting)?\s+up|establish(?:ing)?|build(?:ing)?|start(?:ing)?|register(?:ing)?)\b"
    r"[^.;!?,]{0,40}?\b(?:office|wfoe|entity|company|subsidiary|branch|factory|plant|production|lab|"
    r"joint venture)s?|mov(?:e|ing)\s+(?:our\s+|the\s+)?(?:production|company|team|office|hq|headquarters|factory)"
    r"|relocat(?:e|ing))\b" + _GAP_EN + r"\b(?:in|to)\s+)([A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?)")
_MOVE_ZH = re.compile(r"(?:迁往|迁到|迁至|搬到|搬迁到|搬迁至|落户到)$")
_INTENT_ZH = re.compile(r"(?:计划|准备|打算|考虑|拟|想|将|希望|预计|明年|年内)[^。；！？，,]{0,6}(?:在|到|去|赴)$")
_SET_UP_ZH = re.compile(r"[^。；！？，,]{0,6}?(?:设立|成立|开设|开办|落户|建厂|设厂|办厂|搬迁|"
                        r"(?:注册|建立|开|建)[^。；！？，,]{0,2}?(?:公司|工厂|办事处|代表处|研发中心|实体|主体|基地))")
_NOT_ZH = re.compile(r"不|没|未|无意")
_TRIGGER_ZH = re.compile(r"迁往|迁到|迁至|搬到|搬迁|落户|设立|成立|开设|开办|建厂|设厂|办厂|"
                         r"公司|工厂|办事处|代表处|研发中心|实体|主体|基地")
_CLAUSE_END = re.compile(r"[。；！？，,.;!?\n]")
_PLANNED_LEVELS = frozenset({"province", "municipality", "prefecture", "county_city", "overseas"})


@lru_cache(maxsize=1)
def _zh_place_names() -> re.Pattern[str]:
    names = {n for p in REGIONS if p.level in _PLANNED_LEVELS for n in (p.zh, p.short_zh) if len(n) >= 2}
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))


def _clause_before(text: str, pos: int) -> str:
    """The text of the clause (or sentence) that ``pos`` lies in, up to ``pos``."""
    ends = list(_CLAUSE_END.finditer(text, max(0, pos - 120), pos))
    return text[ends[-1].end() if ends else max(0, pos - 120):pos]


@lru_cache(maxsize=4096)
def planned_place(text: str, city: str) -> str:
    """The place code of a city or province other than ``city`` where the text says the project will set up or
    move (the first one named), "" when it names none. A macro region, a country or the project's own city or
    province is not one, nor a place in a clause that denies the plan."""
    home = canonical_place(city)
    home_place = REGIONS.get(home) if home else None
    found: list[tuple[int, str]] = []
    for m in _SETTING_UP_EN.finditer(text):
        if _NOT_EN.search(_clause_before(text, m.start())):
            continue
        words = m.group(1).split()
        found += [(m.start(1), canonical_place(" ".join(words[:n]))) for n in (2, 1) if len(words) >= n]
    seen: set[int] = set()
    for t in _TRIGGER_ZH.finditer(text):  # place names are looked for only next to a verb that could say it
        lo = max(0, t.start() - 24)
        for m in _zh_place_names().finditer(text, lo, t.end() + 12):
            if m.start() in seen:
                continue
            seen.add(m.start())
            before, after = text[max(0, m.start() - 12):m.start()], text[m.end():m.end() + 12]
            if _NOT_ZH.search(_clause_before(text, m.start())):
                continue
            if _MOVE_ZH.search(before) or (_INTENT_ZH.search(before) and _SET_UP_ZH.match(after)):
                found.append((m.start(), canonical_place(m.group(0))))
    for _, code in sorted(found, key=lambda f: f[0]):  # the first named, in either language
        if not code or REGIONS.get(code).level not in _PLANNED_LEVELS:
            continue
        if home_place is not None and code in (home, home_place.prefecture, home_place.province):
            continue
        return code
    return ""


def _project_text(p: ProjectProfile) -> str:
    """What a project wrote about itself, as the relocation and planned-place readers take it."""
    return f"{p.need_text} {p.domain_text} {p.description}"


def project_plan(p: ProjectProfile) -> str:
    """:func:`planned_place` of a project's own texts."""
    return planned_place(_project_text(p), p.city)


def canonical_place(value: str) -> str:
    """A place code for a code, a name or a pre-2026 city code (``shenzhen``); "" when none."""
    if value in REGIONS:
        return value
    try:
        return REGIONS.parse(value)
    except ValueError:
        return ""


def place_bits(code: str) -> int:
    """The province and macro-region bits a place lies in (``nationwide``: its own bit)."""
    code = canonical_place(code)
    if not code:
        return 0
    place = REGIONS.get(code)
    if place.level == "nationwide":
        return NATIONWIDE_BIT
    bits = 1 << _PROVINCE_BIT[place.province] if place.province else 0
    return bits | (1 << _MACRO_BIT[place.macro] if place.macro else 0)


def _pref_index(code: str) -> int:
    code = canonical_place(code)
    return REGIONS.index_of[REGIONS.get(code).prefecture] if code in CITIES else -1


def _bloom(index: int) -> int:
    return 1 << (index % 64) if index >= 0 else 0


def region_columns(city: str, regions: Sequence[str] | None) -> dict[str, Any]:
    """``pref``/``pref_bit``/``home`` of a profile's city and, for a candidate (``regions`` not None), what
    it serves: ``served`` cities (prefecture indexes, -1 padded) with their Bloom mask, ``area`` (provinces,
    macro regions or nationwide served as a whole) and ``near`` (the provinces and macro regions of its
    city and of the cities it serves)."""
    pref = _pref_index(city)
    served = np.full(SERVED_WIDTH, -1, dtype=np.int32)
    out = {"pref": pref, "pref_bit": _bloom(pref), "home": place_bits(city), "area": 0, "near": 0,
           "served": served, "served_bloom": 0}
    if regions is None:
        return out
    listed = [c for c in (canonical_place(r) for r in (regions or (city,))) if c]
    cities = sorted({_pref_index(r) for r in listed if r in CITIES} - {-1})[:SERVED_WIDTH]
    served[: len(cities)] = cities
    area, near = 0, place_bits(city)
    for r in listed:
        place = REGIONS.get(r)
        if place.level in ("nationwide", "macro"):
            area |= NATIONWIDE_BIT if place.level == "nationwide" else 1 << _MACRO_BIT[place.code]
        elif place.level in ("province", "municipality"):
            area |= 1 << _PROVINCE_BIT[place.code]
        near |= place_bits(r) if place.level != "nationwide" else 0
    bloom = 0
    for c in cities:
        bloom |= _bloom(c)
    out.update(area=area, near=near, served_bloom=bloom)
    return out


def _plan_columns(code: str) -> dict[str, Any]:
    if not code:
        return {"plan_pref": -1, "plan_pref_bit": 0, "plan_home": 0}
    cols = region_columns(code, None)
    return {"plan_pref": cols["pref"], "plan_pref_bit": cols["pref_bit"], "plan_home": cols["home"]}


def _ts(value: dt.datetime | None) -> float:
    return value.timestamp() if value is not None else float("nan")


_COLUMNS: dict[str, Any] = {
    "ids": np.int64,
    "space": np.int64,  # 0 = network-wide
    "active": np.bool_,
    "curated": np.bool_,
    "industries": np.uint64,
    "main_industry": np.uint64,  # the first industry tag, the profile's main one (0: none)
    "needs": np.uint64,  # project needs / candidate serves
    "stated_needs": np.uint64,  # projects: needs stated in the founder's words but not tagged (mentors, providers)
    "stages": np.uint64,
    "rounds": np.uint64,
    "round_idx": np.int16,  # project's round (-1: none)
    "pref": np.int32,  # the profile's city as the index of its prefecture-level city in REGIONS (-1: none)
    "pref_bit": np.uint64,  # its Bloom bit
    "home": np.uint64,  # province and macro-region bits of the profile's city
    "area": np.uint64,  # candidates: provinces, macro regions, nationwide served as a whole
    "near": np.uint64,  # candidates: provinces and macro regions of their city and of the cities they serve
    "served": np.int32,  # (n, SERVED_WIDTH) candidates: cities served, -1 padded
    "served_bloom": np.uint64,
    "local_only": np.bool_,  # candidates that serve their own province only (LOCAL_ONLY)
    "relocating": np.bool_,  # projects whose texts say they would move
    # projects whose texts name a city or province where they will set up (:func:`planned_place`): its region
    # columns (pref -1 and 0 bits for none)
    "plan_pref": np.int32,
    "plan_pref_bit": np.uint64,
    "plan_home": np.uint64,
    "languages": np.uint64,
    "first_language": np.uint64,
    "funding": np.float64,
    "ticket_min": np.float64,
    "ticket_max": np.float64,
    "capacity": np.float32,  # inf = unlimited
    "load": np.float32,
    "accepted": np.float32,
    "requests": np.float32,
    "impressions": np.float32,
    "updated": np.float64,  # unix seconds (nan: unknown)
    "round_share": np.float32,  # (n, len(ROUNDS)) investors' portfolio share per round
}


_WIDTH = {"round_share": len(ROUNDS), "served": SERVED_WIDTH}


def _main(industries: Sequence[str]) -> int:
    """The bit of the first known industry tag: the one a founder (or candidate) lists first is its main one."""
    known = [c for c in industries if c in INDUSTRIES]
    return _mask(INDUSTRIES, known[:1])


def _row_values(p: Profile) -> dict[str, Any]:
    langs = [lang for lang in p.languages if lang in LANGUAGES]
    first = 1 << LANGUAGES.index_of[langs[0]] if langs else 0
    share = np.zeros(len(ROUNDS), dtype=np.float32)
    if isinstance(p, ProjectProfile):
        round_idx = ROUNDS.index_of.get(p.round_sought or "", -1)
        text = _project_text(p)
        return {
            "ids": p.id, "space": p.space_id, "active": p.active, "curated": p.curated,
            "industries": _mask(INDUSTRIES, p.industries), "main_industry": _main(p.industries),
            "needs": _mask(NEEDS, p.needs),
            "stated_needs": _mask(NEEDS, list(p.stated_needs)),
            "stages": _mask(STAGES, [p.stage]),
            "rounds": (1 << round_idx) if round_idx >= 0 else 0, "round_idx": round_idx,
            **region_columns(p.city, None), "local_only": False,
            "relocating": bool(_RELOCATING.search(text)), **_plan_columns(planned_place(text, p.city)),
            "languages": _mask(LANGUAGES, langs), "first_language": first,
            "funding": float(p.funding_sought), "ticket_min": 0.0, "ticket_max": 0.0,
            "capacity": np.inf, "load": 0.0, "accepted": p.accepted, "requests": p.requests,
            "impressions": 0.0, "updated": _ts(p.updated_at), "round_share": share,
        }
    if p.round_history:
        total = sum(n for _, n in p.round_history)
        for code, n in p.round_history:
            if code in ROUNDS and total > 0:
                share[ROUNDS.index_of[code]] += n / total
    return {
        "ids": p.id, "space": p.space_id or 0, "active": p.active, "curated": False,
        "industries": _mask(INDUSTRIES, p.industries), "main_industry": _main(p.industries),
        "needs": _mask(NEEDS, p.serves), "stated_needs": 0,
        "stages": _mask(STAGES, p.stages), "rounds": _mask(ROUNDS, p.rounds), "round_idx": -1,
        **region_columns(p.city, p.regions), "local_only": (p.kind, p.subtype) in LOCAL_ONLY, "relocating": False,
        **_plan_columns(""),
        "languages": _mask(LANGUAGES, langs), "first_language": first,
        "funding": 0.0, "ticket_min": float(p.ticket_min), "ticket_max": float(p.ticket_max),
        "capacity": float(p.capacity) if p.capacity is not None else np.inf, "load": float(p.load),
        "accepted": p.accepted, "requests": p.requests, "impressions": float(p.impressions),
        "updated": _ts(p.updated_at), "round_share": share,
    }


def provider_expertise_text(category: str, industries: Sequence[str], lang: str) -> str:
    """A short expertise text for providers, from their category and industries."""
    label = PROVIDER_CATEGORIES.label(category)
    inds = [INDUSTRIES.label(c) for c in industries if c in INDUSTRIES]
    if lang == "zh":
        return label.zh + ("：" + "、".join(i.zh for i in inds) if inds else "：各行业")
    return label.en + (": " + ", ".join(i.en for i in inds) if inds else ": all industries")


def investor_focus_text(industries: Sequence[str], stages: Sequence[str], lang: str) -> str:
    inds = [INDUSTRIES.label(c) for c in industries if c in INDUSTRIES]
    sts = [STAGES.label(c) for c in stages if c in STAGES]
    if lang == "zh":
        return "、".join(i.zh for i in inds) + ("；" + "、".join(s.zh for s in sts) if sts else "")
    return ", ".join(i.en for i in inds) + ("; " + ", ".join(s.en for s in sts) if sts else "")


class ProfileTable:
    """One kind of profile as aligned columns + an exact inner-product index over their vectors.

    ``profiles[row]`` is the profile object of a row (for explanations). Rows move when others are removed
    (swap with last); look rows up with :meth:`rows_of`.
    """

    def __init__(self, kind: str, dim: int, config: MatcherConfig | None = None) -> None:
        self.kind = kind
        self.field_dim = int(dim)
        self.config = config or MatcherConfig()
        self.index = FlatIndex(2 * self.field_dim)
        self.cols: dict[str, np.ndarray] = {
            name: np.zeros((0, _WIDTH[name]) if name in _WIDTH else 0, dtype=dtype)
            for name, dtype in _COLUMNS.items()
        }
        terms = self.config.lexical_terms
        self.lex_ids = np.zeros((0, terms), dtype=np.int32)
        self.lex_weights = np.zeros((0, terms), dtype=np.float16)
        # items (module docstring): packed 4-bit codes of each row's sentence vectors and their scales (0: empty slot);
        # the width is the item encoder's, set by the first rows that bring items
        self.item_codes = np.zeros((0, ITEM_SLOTS, 0), dtype=np.uint8)
        self.item_scales = np.zeros((0, ITEM_SLOTS), dtype=np.float32)
        self._item_room: tuple[np.ndarray, np.ndarray] | None = None  # reserved rows the item arrays are views of
        self._reserved = 0
        self.profiles: list[Profile] = []
        self.version = 0  # bumped on every change of profiles or outcome counters
        self.exposure_version = 0  # bumped when impressions are counted as they are served

    def __len__(self) -> int:
        return len(self.index)

    def __contains__(self, id_: object) -> bool:
        return id_ in self.index

    def rows_of(self, ids: Any) -> np.ndarray:
        return self.index.rows_of(ids)

    def profile(self, id_: int) -> Profile:
        return self.profiles[int(self.rows_of([id_])[0])]

    def vectors(self, rows: np.ndarray | None = None) -> np.ndarray:
        """The vectors of these rows as float32 (a copy); without rows, all of them: a view of a float32 table,
        a widened copy of a bfloat16 one (a table that large gathers the rows it needs instead)."""
        if rows is None:
            return self.index.widen(self.index.matrix())
        return self.index.vectors(rows)

    def item_vectors(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The item vectors of these rows, ``(len(rows), ITEM_SLOTS, 2 * width)`` float32 (the item dimension, and
        a last zero column when it is odd), and which slots hold one."""
        return decode_items(self.item_codes[rows], self.item_scales[rows]), self.item_scales[rows] > 0

    def _items_block(self, n: int, items: tuple[np.ndarray, np.ndarray] | None) -> tuple[np.ndarray, np.ndarray]:
        """Checked item codes and scales for ``n`` rows (empty slots when ``items`` is None); the first rows
        with items set the table's item width."""
        if items is None:
            return (np.zeros((n, ITEM_SLOTS, self.item_codes.shape[2]), dtype=np.uint8),
                    np.zeros((n, ITEM_SLOTS), dtype=np.float32))
        codes, scales = items
        if codes.shape[:2] != (n, ITEM_SLOTS) or scales.shape != (n, ITEM_SLOTS):
            raise IndexError_(f"expected item codes of shape ({n}, {ITEM_SLOTS}, dim), got {codes.shape}")
        if codes.dtype != np.uint8:
            raise IndexError_(f"item codes are packed 4-bit (uint8), not {codes.dtype}")
        if codes.shape[2] != self.item_codes.shape[2]:
            if self.item_scales.any():
                raise IndexError_(f"items of width {codes.shape[2]} cannot join items of width "
                                  f"{self.item_codes.shape[2]}")
            self.item_codes = np.zeros((len(self.item_codes), ITEM_SLOTS, codes.shape[2]), dtype=np.uint8)
        return codes, scales.astype(np.float32, copy=False)

    def second_field(self, rows: np.ndarray) -> np.ndarray:
        """Unit vectors of the second text of these rows (a project's one-liner; see the module table): the
        stored vector's second half, scaled back. Copies only that half."""
        out: np.ndarray = self.index.widen(self.index.matrix()[rows, self.field_dim:]) * np.float32(1.0 / SQRT_HALF)
        return out

    # -- changes --------------------------------------------------------------------------------------
    def _check_kind(self, profiles: Sequence[Profile]) -> None:
        for p in profiles:
            if (self.kind == "project") != isinstance(p, ProjectProfile) or \
                    (isinstance(p, CandidateProfile) and p.kind != self.kind):
                raise IndexError_(f"a {getattr(p, 'kind', 'project')} profile cannot go into the {self.kind} table")

    def reserve(self, rows: int) -> None:
        """Room for ``rows`` profiles in all in the vector index (see :meth:`FlatIndex.reserve`) and the item
        codes: call it before adding many profiles in batches. A table reserved for more than
        ``config.half_above`` rows stores its vectors as bfloat16 from then on (:meth:`FlatIndex.to_half`)."""
        if 0 < self.config.half_above < rows and not self.index.half:
            self.index.to_half()
            self.version += 1  # the stored values were rounded: what is cached from them is stale
        self.index.reserve(rows)
        self._reserved = max(self._reserved, int(rows))

    def _append_items(self, codes: np.ndarray, scales: np.ndarray) -> None:
        """Append rows' item codes into the reserved room (one allocation for a whole build, as the vector index
        does: growing by concatenation held the old and the new copy, +300 MB at 100k rows)."""
        n0, n1 = len(self.item_codes), len(self.item_codes) + len(codes)
        room = self._item_room
        if room is None or len(room[0]) < n1 or room[0].shape[2] != codes.shape[2] \
                or self.item_codes.base is not room[0]:
            # one live profile at a time reserves len + 1: grow by half, not by one row per copy of every row
            cap = max(n1, self._reserved, int(1.5 * len(room[0])) if room is not None else 0)
            room = (np.zeros((cap, ITEM_SLOTS, codes.shape[2]), dtype=np.uint8),
                    np.zeros((cap, ITEM_SLOTS), dtype=np.float32))
            room[0][:n0], room[1][:n0] = self.item_codes, self.item_scales
            self._item_room = room
        room[0][n0:n1], room[1][n0:n1] = codes, scales
        self.item_codes, self.item_scales = room[0][:n1], room[1][:n1]

    def adopt(self, index: FlatIndex, profiles: Sequence[Profile], lex_ids: np.ndarray,
              lex_weights: np.ndarray, items: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """Fill this empty table from an index whose rows are already these profiles' vectors, in order (a
        loaded one): the vectors are taken over, not copied; the columns are built a block at a time."""
        if len(self):
            raise IndexError_("adopt fills an empty table")
        if index.dim != 2 * self.field_dim:
            raise IndexError_(f"an index of dimension {index.dim} cannot hold {2 * self.field_dim}-d vectors")
        ids = np.array([p.id for p in profiles], dtype=np.int64)
        if not np.array_equal(index.row_ids(), ids) or len(lex_ids) != len(ids) or len(lex_weights) != len(ids):
            raise IndexError_("adopt needs the index's rows, the profiles and the lexical rows aligned")
        self._check_kind(profiles)
        blocks: dict[str, list[np.ndarray]] = {name: [] for name in self.cols}
        for start in range(0, len(profiles), 8192):
            for name, block in self._column_blocks([_row_values(p) for p in profiles[start:start + 8192]]).items():
                blocks[name].append(block)
        for name, parts in blocks.items():
            if parts:
                self.cols[name] = np.concatenate(parts)
        self.lex_ids = np.ascontiguousarray(lex_ids, dtype=np.int32)
        self.lex_weights = np.ascontiguousarray(lex_weights, dtype=np.float16)
        self.item_codes, self.item_scales = self._items_block(len(ids), items)
        self.profiles = list(profiles)
        self.index = index
        if 0 < self.config.half_above < len(index) and not index.half:
            index.to_half()  # saved as float32 by an earlier version: stored as a table of this size is now
        self.version += 1

    def _column_blocks(self, values: Sequence[dict[str, Any]]) -> dict[str, np.ndarray]:
        """The columns' rows for these profiles' row values, in the columns' dtypes."""
        return {name: np.array([v[name] for v in values], dtype=col.dtype) for name, col in self.cols.items()}

    def upsert(self, profiles: Sequence[Profile], vectors: np.ndarray, lex_ids: np.ndarray,
               lex_weights: np.ndarray, items: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """Insert or replace profiles. ``vectors``: (n, 2 * dim) combined field vectors; ``items``: their item
        codes and scales (:func:`encode_items`), or none."""
        if len(profiles) == 0:
            return
        if vectors.shape != (len(profiles), 2 * self.field_dim):
            raise IndexError_(f"expected vectors of shape ({len(profiles)}, {2 * self.field_dim}), "
                              f"got {vectors.shape}")
        self._check_kind(profiles)
        ids = np.array([p.id for p in profiles], dtype=np.int64)
        if len(np.unique(ids)) != len(ids):
            raise IndexError_("duplicate ids in one upsert")
        values = [_row_values(p) for p in profiles]
        item_codes, item_scales = self._items_block(len(profiles), items)
        present = np.array([int(i) in self.index for i in ids], dtype=bool)
        if present.any():
            rows = self.rows_of(ids[present])
            sel = np.flatnonzero(present)
            for name, block in self._column_blocks([values[i] for i in sel]).items():
                self.cols[name][rows] = block
            self.lex_ids[rows] = lex_ids[sel]
            self.lex_weights[rows] = lex_weights[sel]
            self.item_codes[rows] = item_codes[sel]
            self.item_scales[rows] = item_scales[sel]
            for r, i in zip(rows.tolist(), sel.tolist(), strict=True):
                self.profiles[r] = profiles[i]
            self.index.upsert(ids[present], vectors[present])
        new = np.flatnonzero(~present)
        if len(new):
            for name, block in self._column_blocks([values[i] for i in new]).items():
                self.cols[name] = np.concatenate([self.cols[name], block])
            self.lex_ids = np.concatenate([self.lex_ids, lex_ids[new]])
            self.lex_weights = np.concatenate([self.lex_weights, lex_weights[new]])
            self._append_items(item_codes[new], item_scales[new])
            self.profiles.extend(profiles[int(i)] for i in new)
            self.index.add(ids[new], vectors[new])
        self.version += 1

    def remove(self, ids: Any) -> int:
        before = len(self)
        moves = self.index.remove(ids)
        for src, dst in moves:
            for col in self.cols.values():
                col[dst] = col[src]
            self.lex_ids[dst] = self.lex_ids[src]
            self.lex_weights[dst] = self.lex_weights[src]
            self.item_codes[dst] = self.item_codes[src]
            self.item_scales[dst] = self.item_scales[src]
            self.profiles[dst] = self.profiles[src]
        n = len(self)
        for name in self.cols:
            self.cols[name] = self.cols[name][:n].copy()
        self.lex_ids = self.lex_ids[:n].copy()
        self.lex_weights = self.lex_weights[:n].copy()
        self.item_codes = self.item_codes[:n].copy()
        self.item_scales = self.item_scales[:n].copy()
        self._item_room = None
        del self.profiles[n:]
        self.version += 1
        return before - n

    def set_stats(self, ids: Any, *, load: Any = None, accepted: Any = None, requests: Any = None,
                  impressions: Any = None) -> None:
        """Refresh the outcome counters of known ids (unknown ids are skipped)."""
        ids_arr = np.asarray(ids, dtype=np.int64).reshape(-1)
        known = np.array([int(i) in self.index for i in ids_arr], dtype=bool)
        if not known.any():
            return
        rows = self.rows_of(ids_arr[known])
        for name, values in (("load", load), ("accepted", accepted), ("requests", requests),
                             ("impressions", impressions)):
            if values is not None:
                self.cols[name][rows] = np.asarray(values, dtype=np.float32).reshape(-1)[known]
        self.version += 1

    def bump_impressions(self, ids: Any, amount: float = 1.0) -> None:
        """Count candidates just shown (exposure control reacts within the serving process at once)."""
        ids_arr = np.asarray(ids, dtype=np.int64).reshape(-1)
        known = [int(i) for i in ids_arr if int(i) in self.index]
        if known:
            np.add.at(self.cols["impressions"], self.rows_of(known), amount)
            self.exposure_version += 1

    def adjust_load(self, id_: int, delta: int) -> None:
        if id_ in self.index:
            row = int(self.rows_of([id_])[0])
            self.cols["load"][row] = max(0.0, float(self.cols["load"][row]) + delta)
            self.version += 1
