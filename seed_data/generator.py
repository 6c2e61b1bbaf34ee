"""Deterministic generator of a realistic ecosystem: spaces, projects, mentors, investors, providers.

Same ``seed`` and ``scale`` -> byte-identical rows (ids included): every kind draws from its own child of
``np.random.SeedSequence(seed)``, timestamps count back from a fixed reference date, and nothing iterates a
set. About two thirds of the profiles are written in Chinese, the rest in English (spaces abroad lean
English), through the phrase banks of :mod:`seed_data.text_zh` and :mod:`seed_data.text_en`.

Alongside the rows the generator draws hidden traits (see :mod:`seed_data.truth`) that never enter a
profile column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from matcher.geography import LEGACY_CODES
from matcher.taxonomy import (
    INDUSTRIES,
    NEEDS,
    PRICE_TIERS,
    PROVIDER_CATEGORIES,
    PROVIDER_SERVES,
    ROUND_STAGE,
    ROUNDS,
    STAGES,
    region_of_city,
)
from seed_data import text_en, text_zh
from seed_data.topics import SUBTOPICS
from seed_data.truth import LATENT_DIM, Traits

REFERENCE_TIME = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
ZH_SHARE_DOMESTIC = 0.75
ZH_SHARE_ABROAD = 0.15

DEFAULT_COUNTS = {"spaces": 20, "projects": 1000, "mentors": 400, "investors": 250, "providers": 250}

Row = dict[str, Any]


@dataclass(frozen=True)
class SeedPlan:
    seed: int
    spaces: int
    projects: int
    mentors: int
    investors: int
    providers: int

    @classmethod
    def for_scale(cls, scale: int | None, seed: int) -> SeedPlan:
        if scale is None:
            return cls(seed=seed, **DEFAULT_COUNTS)
        if scale < 1:
            raise ValueError("--scale must be a positive number of profiles per kind")
        return cls(seed=seed, spaces=max(20, scale // 500), projects=scale, mentors=scale,
                   investors=scale, providers=scale)

    @property
    def total(self) -> int:
        return self.spaces + self.projects + self.mentors + self.investors + self.providers


# -- distributions ------------------------------------------------------------------------------------
STAGE_P = {"idea": 0.15, "seed": 0.33, "early": 0.30, "growth": 0.16, "expansion": 0.06}

NEED_WEIGHTS_BY_STAGE: dict[str, dict[str, float]] = {
    "idea": {"product": 3, "strategy": 3, "registration": 2, "team_building": 2, "financing": 2,
             "policy_application": 2, "ip": 1, "rd_design": 1, "legal": 1},
    "seed": {"financing": 4, "product": 3, "ip": 2, "rd_design": 2, "testing_certification": 1,
             "go_to_market": 2, "policy_application": 2, "legal": 1, "team_building": 1,
             "pilot_production": 1, "finance_accounting": 1},
    "early": {"financing": 4, "go_to_market": 3, "marketing_branding": 2, "sales_channels": 2,
              "hr_recruiting": 2, "ip": 2, "testing_certification": 1, "pilot_production": 1,
              "finance_accounting": 1, "legal": 1, "policy_application": 1, "tech_transfer": 1},
    "growth": {"financing": 4, "sales_channels": 3, "marketing_branding": 2, "hr_recruiting": 2,
               "internationalisation": 2, "finance_accounting": 2, "legal": 1, "strategy": 1,
               "testing_certification": 1},
    "expansion": {"financing": 3, "internationalisation": 3, "strategy": 2, "finance_accounting": 2,
                  "legal": 2, "hr_recruiting": 2, "sales_channels": 2},
}
HARDWARE = ("iot", "open_hardware", "robotics", "advanced_manufacturing", "semiconductors", "new_energy",
            "biotech_health", "new_materials", "smart_mobility")
HARDWARE_NEEDS = ("testing_certification", "pilot_production", "rd_design", "tech_transfer")

ROUND_BY_STAGE: dict[str, dict[str, float]] = {
    "idea": {"seed": 0.5, "angel": 0.4, "crowdfunding": 0.1},
    "seed": {"angel": 0.5, "seed": 0.25, "pre_a": 0.2, "crowdfunding": 0.05},
    "early": {"pre_a": 0.4, "a": 0.5, "other": 0.1},
    "growth": {"a_plus": 0.35, "b": 0.45, "strategic": 0.2},
    "expansion": {"c_plus": 0.5, "strategic": 0.2, "pe": 0.2, "ipo": 0.1},
}
ROUND_MEDIAN_CNY = {"seed": 1e6, "angel": 3e6, "pre_a": 8e6, "a": 2e7, "a_plus": 4e7, "b": 8e7,
                    "c_plus": 2e8, "strategic": 5e7, "pe": 3e8, "ipo": 5e8, "crowdfunding": 5e5,
                    "other": 1e7}
TEAM_BY_STAGE = {"idea": (1, 5), "seed": (2, 12), "early": (5, 30), "growth": (15, 120),
                 "expansion": (50, 400)}

MENTOR_TYPE_P = {"entrepreneur": 0.3, "technical_expert": 0.25, "senior_manager": 0.2,
                 "marketing_expert": 0.15, "angel_investor": 0.1}
MENTOR_SERVES: dict[str, dict[str, float]] = {
    "angel_investor": {"financing": 4, "strategy": 3, "team_building": 1, "go_to_market": 1},
    "entrepreneur": {"strategy": 3, "team_building": 2, "go_to_market": 2, "financing": 2, "product": 2,
                     "sales_channels": 1},
    "senior_manager": {"strategy": 2, "team_building": 2, "hr_recruiting": 2, "finance_accounting": 2,
                       "legal": 1, "internationalisation": 1},
    "technical_expert": {"rd_design": 3, "product": 2, "tech_transfer": 2, "testing_certification": 2,
                         "pilot_production": 2, "ip": 1},
    "marketing_expert": {"marketing_branding": 3, "sales_channels": 3, "go_to_market": 3,
                         "internationalisation": 1, "product": 1},
}
INVESTOR_KIND_P = {"vc": 0.4, "angel": 0.25, "cvc": 0.12, "government_fund": 0.13, "bank_credit": 0.1}
INVESTOR_ROUNDS: dict[str, tuple[str, ...]] = {
    "angel": ("seed", "angel", "pre_a", "crowdfunding"),
    "vc": ("angel", "pre_a", "a", "a_plus", "b", "c_plus"),
    "cvc": ("a", "a_plus", "b", "strategic", "c_plus"),
    "government_fund": ("seed", "angel", "pre_a", "a", "a_plus", "b"),
    "bank_credit": ("a", "a_plus", "b", "c_plus", "other"),
}
CAPACITY_CHOICES = (1, 2, 3, 4, 5, 6, 8)
CAPACITY_P = (0.08, 0.2, 0.27, 0.18, 0.13, 0.08, 0.06)


def _choice(rng: np.random.Generator, weights: dict[str, float]) -> str:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def _sample(rng: np.random.Generator, weights: dict[str, float], k: int) -> list[str]:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    k = min(k, len(keys))
    idx = rng.choice(len(keys), size=k, replace=False, p=p / p.sum())
    return [keys[int(i)] for i in sorted(idx)]


def _window(rng: np.random.Generator, seq: Sequence[str], lo: int, hi: int, front_bias: float = 0.0) -> list[str]:
    """A contiguous run of ``lo..hi`` items of ``seq`` (biased to the front when front_bias > 0)."""
    width = int(rng.integers(lo, hi + 1))
    width = min(width, len(seq))
    starts = np.arange(len(seq) - width + 1, dtype=float)
    p = np.exp(-front_bias * starts)
    start = int(rng.choice(len(starts), p=p / p.sum()))
    return list(seq[start:start + width])


def _days_ago(rng: np.random.Generator, lo: int, hi: int) -> dt.datetime:
    seconds = int(rng.integers(lo * 86400, hi * 86400 + 1))
    return REFERENCE_TIME - dt.timedelta(seconds=seconds)


def _phone(rng: np.random.Generator) -> str:
    return f"+86 1{int(rng.integers(30, 90))} {int(rng.integers(1000, 10000))} {int(rng.integers(1000, 10000))}"


def _languages(rng: np.random.Generator, text_lang: str) -> list[str]:
    other = "en" if text_lang == "zh" else "zh"
    both = rng.random() < (0.3 if text_lang == "zh" else 0.45)
    return sorted([text_lang, other]) if both else [text_lang]


def cities() -> list[str]:
    """The 27 cities the seed texts describe, by the short codes they are written with (see _placed)."""
    return list(LEGACY_CODES)


def _placed(row: Row) -> Row:
    """A row as stored: its places as national codes (the generator works with the seed texts' codes)."""
    if "city" not in row and "regions" not in row:
        return row
    out = dict(row)
    if out.get("city"):
        out["city"] = LEGACY_CODES.get(out["city"], out["city"])
    if "regions" in out:
        out["regions"] = [LEGACY_CODES.get(r, r) for r in out["regions"]]
    return out


def _candidate_regions(rng: np.random.Generator, city: str) -> list[str]:
    u = rng.random()
    if u < 0.2:
        return ["nationwide"]
    if u < 0.55:
        return [city, region_of_city(city)] if region_of_city(city) != city else [city]
    return [city]


_ZH_BRAND = list("星云启航智芯睿思源创新锐博远联达宏图灵犀极光未来鲸鱼蓝海领航卓越天工")
_ZH_SUFFIX = ["科技", "智能", "生物", "新材", "信息", "网络", "能源", "文化"]
_EN_SYL = ["nova", "qu", "lin", "tera", "via", "sol", "arc", "zen", "bright", "kin", "orb", "flux", "ly", "ra"]
_EN_SUFFIX = ["Labs", "Tech", "AI", "Bio", "Works", "Systems", "Robotics", "Energy"]


def _company_name(rng: np.random.Generator, lang: str) -> str:
    if lang == "zh":
        a, b = (int(i) for i in rng.choice(len(_ZH_BRAND), 2, replace=False))
        return _ZH_BRAND[a] + _ZH_BRAND[b] + _ZH_SUFFIX[int(rng.integers(len(_ZH_SUFFIX)))]
    a, b = (int(i) for i in rng.choice(len(_EN_SYL), 2, replace=False))
    return (_EN_SYL[a] + _EN_SYL[b]).capitalize() + " " + _EN_SUFFIX[int(rng.integers(len(_EN_SUFFIX)))]


def _text_module(lang: str) -> Any:
    return text_zh if lang == "zh" else text_en


# -- the generator --------------------------------------------------------------------------------------
class EcosystemGenerator:
    """Yields ``(table_name, rows)`` batches in foreign-key order and collects hidden traits."""

    def __init__(self, plan: SeedPlan, batch_size: int = 2000) -> None:
        self.plan = plan
        self.batch_size = batch_size
        kids = np.random.SeedSequence(plan.seed).spawn(6)
        self._rng = {name: np.random.default_rng(s) for name, s in
                     zip(("space", "project", "mentor", "investor", "provider", "latent"), kids, strict=True)}
        self.traits: dict[str, Traits] = {}
        self._spaces: list[Row] = []
        self._n_ind = len(INDUSTRIES)

    # Each kind's hidden traits are accumulated in lists and frozen to arrays at the end of the kind.
    def _latent(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        quality = rng.normal(0.0, 1.0, size=n).astype(np.float32)
        latent = rng.normal(0.0, 1.0 / np.sqrt(LATENT_DIM), size=(n, LATENT_DIM)).astype(np.float32)
        return quality, latent

    def batches(self, progress: Callable[[int], None] | None = None) -> Iterator[tuple[str, list[Row]]]:
        tick = progress or (lambda n: None)
        for name, gen in (("spaces", self._gen_spaces), ("projects", self._gen_projects),
                          ("mentors", self._gen_mentors), ("investors", self._gen_investors),
                          ("providers", self._gen_providers)):
            for table, rows in gen():
                if table == name:
                    tick(len(rows))
                yield table, [_placed(r) for r in rows]

    def _chunks(self, rows_iter: Iterator[Row], table: str) -> Iterator[tuple[str, list[Row]]]:
        batch: list[Row] = []
        for row in rows_iter:
            batch.append(row)
            if len(batch) >= self.batch_size:
                yield table, batch
                batch = []
        if batch:
            yield table, batch

    # -- spaces ---------------------------------------------------------------------------------------
    def _gen_spaces(self) -> Iterator[tuple[str, list[Row]]]:
        rng = self._rng["space"]
        city_list = cities()
        domestic = [c for c in city_list if region_of_city(c) != "overseas"]
        abroad = [c for c in city_list if region_of_city(c) == "overseas"]
        rows: list[Row] = []
        for i in range(1, self.plan.spaces + 1):
            city = abroad[int(rng.integers(len(abroad)))] if rng.random() < 0.12 else \
                domestic[int(rng.integers(len(domestic)))]
            focus = [INDUSTRIES.codes[int(j)] for j in sorted(rng.choice(self._n_ind, 3, replace=False))]
            lang = "zh" if rng.random() < (ZH_SHARE_ABROAD if city in abroad else ZH_SHARE_DOMESTIC) else "en"
            texts = _text_module(lang).space_texts(rng, city=city, industries=focus)
            created = _days_ago(rng, 400, 3000)
            rows.append({"id": i, "slug": f"space-{i:04d}", "name": texts["name"], "city": city,
                         "description": texts["description"], "focus_industries": focus,
                         "created_at": created, "updated_at": created})
        self._spaces = rows
        yield from self._chunks(iter(rows), "spaces")

    # -- projects -------------------------------------------------------------------------------------
    def _gen_projects(self) -> Iterator[tuple[str, list[Row]]]:
        rng = self._rng["project"]
        n = self.plan.projects
        tr: dict[str, list[Any]] = {k: [] for k in ("ids", "industries", "primary", "subtopic", "needs",
                                                     "stage", "round", "funding")}

        def rows() -> Iterator[Row]:
            for pid in range(1, n + 1):
                space = self._spaces[int(rng.integers(len(self._spaces)))]
                abroad = region_of_city(space["city"]) == "overseas"
                lang = "zh" if rng.random() < (ZH_SHARE_ABROAD if abroad else ZH_SHARE_DOMESTIC) else "en"
                stage = _choice(rng, STAGE_P)
                if rng.random() < 0.6:
                    primary = space["focus_industries"][int(rng.integers(len(space["focus_industries"])))]
                else:
                    primary = INDUSTRIES.codes[int(rng.integers(self._n_ind))]
                k_ind = int(rng.choice(3, p=[0.5, 0.35, 0.15]))
                others = [c for c in INDUSTRIES.codes if c != primary]
                extra = [others[int(j)] for j in sorted(rng.choice(len(others), k_ind, replace=False))]
                industries = [primary, *extra]
                subtopic = int(rng.integers(len(SUBTOPICS[primary])))
                weights = dict(NEED_WEIGHTS_BY_STAGE[stage])
                if primary in HARDWARE:
                    for need in HARDWARE_NEEDS:
                        weights[need] = weights.get(need, 0.5) * 2.0
                k_needs = 1 + int(rng.choice(4, p=[0.2, 0.35, 0.3, 0.15]))
                needs = _sample(rng, weights, k_needs)
                needs = [c for c in NEEDS.codes if c in needs]
                seeking = "financing" in needs
                round_code = _choice(rng, ROUND_BY_STAGE[stage])
                funding = int(round(ROUND_MEDIAN_CNY[round_code] * float(np.exp(rng.normal(0, 0.5))), -5))
                lo, hi = TEAM_BY_STAGE[stage]
                team = int(rng.integers(lo, hi + 1))
                city = space["city"] if rng.random() < 0.85 else cities()[int(rng.integers(len(cities())))]
                texts = _text_module(lang).project_texts(
                    rng, industries=industries, subtopic=subtopic, needs=needs, stage=stage,
                    round_sought=round_code, city=city, team_size=team, funding=funding)
                created = _days_ago(rng, 30, 900)
                updated = min(REFERENCE_TIME, created + dt.timedelta(days=int(rng.integers(0, 400))))
                founded = (created - dt.timedelta(days=int(rng.integers(0, 1500)))).date()
                tr["ids"].append(pid)
                tr["industries"].append(INDUSTRIES.mask(industries))
                tr["primary"].append(INDUSTRIES.index_of[primary])
                tr["subtopic"].append(subtopic)
                tr["needs"].append(NEEDS.mask(needs))
                tr["stage"].append(STAGES.index_of[stage])
                tr["round"].append(ROUNDS.index_of[round_code])
                tr["funding"].append(funding)
                yield {
                    "id": pid, "space_id": space["id"], "name": texts["name"],
                    "one_liner": texts["one_liner"], "needs_statement": texts["needs_statement"],
                    "description": texts["description"], "stage": stage,
                    "round_sought": round_code if seeking else None, "industries": industries,
                    "needs": needs, "city": city, "region": region_of_city(city),
                    "languages": _languages(rng, lang), "team_size": team,
                    "funding_sought": funding if seeking else 0, "founded_on": founded,
                    "dealflow_curated": bool(seeking and rng.random() < 0.6), "active": True,
                    "contact_name": _text_module(lang).person_name(rng),
                    "contact_email": f"founder{pid}@project{pid}.example.cn", "contact_phone": _phone(rng),
                    "created_at": created, "updated_at": updated,
                }

        yield from self._chunks(rows(), "projects")
        quality, latent = self._latent(self._rng["latent"], n)
        self.traits["project"] = Traits("project", {
            "ids": np.asarray(tr["ids"], dtype=np.int64),
            "industries": np.asarray(tr["industries"], dtype=np.uint64),
            "primary": np.asarray(tr["primary"], dtype=np.int16),
            "subtopic": np.asarray(tr["subtopic"], dtype=np.int16),
            "needs": np.asarray(tr["needs"], dtype=np.uint64),
            "stage": np.asarray(tr["stage"], dtype=np.int16),
            "round": np.asarray(tr["round"], dtype=np.int16),
            "funding": np.asarray(tr["funding"], dtype=np.int64),
            "quality": quality, "latent": latent,
        })

    # -- candidates -----------------------------------------------------------------------------------
    def _candidate_common(self, rng: np.random.Generator, cid: int, k_ind: tuple[int, int],
                          generalist_p: float = 0.0) -> dict[str, Any]:
        private = rng.random() < 0.3
        space = self._spaces[int(rng.integers(len(self._spaces)))]
        if private or rng.random() < 0.5:
            city = space["city"]
        else:
            city = cities()[int(rng.integers(len(cities())))]
        abroad = region_of_city(city) == "overseas"
        lang = "zh" if rng.random() < (ZH_SHARE_ABROAD if abroad else ZH_SHARE_DOMESTIC) else "en"
        if rng.random() < generalist_p:
            industries: list[str] = []
        else:
            k = int(rng.integers(k_ind[0], k_ind[1] + 1))
            picked = rng.choice(self._n_ind, k, replace=False)
            industries = [INDUSTRIES.codes[int(j)] for j in picked]  # first = primary
        created = _days_ago(rng, 60, 1500)
        updated = min(REFERENCE_TIME, created + dt.timedelta(days=int(rng.integers(0, 700))))
        return {
            "id": cid, "space_id": space["id"] if private else None, "lang": lang, "city": city,
            "industries": industries, "regions": _candidate_regions(rng, city),
            "languages": _languages(rng, lang), "active": bool(rng.random() < 0.95),
            "created_at": created, "updated_at": updated,
        }

    def _freeze_candidate_traits(self, kind: str, tr: dict[str, list[Any]], n: int) -> None:
        quality, latent = self._latent(self._rng["latent"], n)
        arrays = {
            "ids": np.asarray(tr["ids"], dtype=np.int64),
            "industries": np.asarray(tr["industries"], dtype=np.uint64),
            "primary": np.asarray(tr["primary"], dtype=np.int16),
            "subtopic": np.asarray(tr["subtopic"], dtype=np.int16),
            "serves": np.asarray(tr["serves"], dtype=np.uint64),
            "stages": np.asarray(tr["stages"], dtype=np.uint64),
            "rounds": np.asarray(tr.get("rounds") or [0] * n, dtype=np.uint64),
            "ticket_min": np.asarray(tr.get("ticket_min") or [0] * n, dtype=np.int64),
            "ticket_max": np.asarray(tr.get("ticket_max") or [0] * n, dtype=np.int64),
            "quality": quality, "latent": latent,
        }
        self.traits[kind] = Traits(kind, arrays)

    @staticmethod
    def _record(tr: dict[str, list[Any]], cid: int, industries: list[str], subtopic: int, serves: list[str],
                stages: list[str]) -> None:
        tr["ids"].append(cid)
        tr["industries"].append(INDUSTRIES.mask(industries))
        tr["primary"].append(INDUSTRIES.index_of[industries[0]] if industries else -1)
        tr["subtopic"].append(subtopic)
        tr["serves"].append(NEEDS.mask(serves))
        tr["stages"].append(STAGES.mask(stages))

    def _gen_mentors(self) -> Iterator[tuple[str, list[Row]]]:
        rng = self._rng["mentor"]
        n = self.plan.mentors
        tr: dict[str, list[Any]] = {k: [] for k in ("ids", "industries", "primary", "subtopic", "serves", "stages")}

        def rows() -> Iterator[Row]:
            for cid in range(1, n + 1):
                c = self._candidate_common(rng, cid, (1, 3))
                mtype = _choice(rng, MENTOR_TYPE_P)
                serves = _sample(rng, MENTOR_SERVES[mtype], int(rng.integers(2, 5)))
                serves = [s for s in NEEDS.codes if s in serves]
                stages = _window(rng, STAGES.codes, 2, 3, front_bias=0.4)
                subtopic = int(rng.integers(len(SUBTOPICS[c["industries"][0]])))
                texts = _text_module(c["lang"]).mentor_texts(
                    rng, mentor_type=mtype, industries=c["industries"], subtopic=subtopic, serves=serves,
                    stages=stages, city=c["city"])
                self._record(tr, cid, c["industries"], subtopic, serves, stages)
                yield {
                    "id": cid, "space_id": c["space_id"], "name": texts["name"], "mentor_type": mtype,
                    "title": texts["title"], "organisation": texts["organisation"],
                    "expertise": texts["expertise"], "offer": texts["offer"], "bio": texts["bio"],
                    "industries": c["industries"], "serves": serves, "stages": stages,
                    "capacity": int(rng.choice(CAPACITY_CHOICES, p=CAPACITY_P)),
                    "languages": c["languages"], "city": c["city"], "regions": c["regions"],
                    "active": c["active"], "contact_name": texts["name"],
                    "contact_email": f"mentor{cid}@mentors.example.cn", "contact_phone": _phone(rng),
                    "created_at": c["created_at"], "updated_at": c["updated_at"],
                }

        yield from self._chunks(rows(), "mentors")
        self._freeze_candidate_traits("mentor", tr, n)

    def _gen_investors(self) -> Iterator[tuple[str, list[Row]]]:
        rng = self._rng["investor"]
        n = self.plan.investors
        tr: dict[str, list[Any]] = {k: [] for k in ("ids", "industries", "primary", "subtopic", "serves",
                                                     "stages", "rounds", "ticket_min", "ticket_max")}
        portfolio: list[Row] = []
        pf_id = 0

        def rows() -> Iterator[Row]:
            nonlocal pf_id
            for cid in range(1, n + 1):
                c = self._candidate_common(rng, cid, (1, 4))
                kind = _choice(rng, INVESTOR_KIND_P)
                rounds = _window(rng, INVESTOR_ROUNDS[kind], 2, 4, front_bias=0.2)
                rounds = [r for r in ROUNDS.codes if r in rounds]
                stages = [s for s in STAGES.codes if s in {ROUND_STAGE[r] for r in rounds}]
                medians = [ROUND_MEDIAN_CNY[r] for r in rounds]
                ticket_min = int(round(min(medians) * 0.3, -4))
                ticket_max = int(round(max(medians) * 3.0, -4))
                serves = ["financing", "strategy"] if rng.random() < 0.35 else ["financing"]
                subtopic = int(rng.integers(len(SUBTOPICS[c["industries"][0]])))
                texts = _text_module(c["lang"]).investor_texts(
                    rng, kind=kind, industries=c["industries"], subtopic=subtopic, rounds=rounds,
                    stages=stages, regions=c["regions"])
                self._record(tr, cid, c["industries"], subtopic, serves, stages)
                tr["rounds"].append(ROUNDS.mask(rounds))
                tr["ticket_min"].append(ticket_min)
                tr["ticket_max"].append(ticket_max)
                for _ in range(min(25, int(rng.poisson(6)))):
                    pf_id += 1
                    pf_ind = c["industries"][int(rng.integers(len(c["industries"])))] if rng.random() < 0.8 \
                        else INDUSTRIES.codes[int(rng.integers(self._n_ind))]
                    pf_round = rounds[int(rng.integers(len(rounds)))]
                    portfolio.append({
                        "id": pf_id, "investor_id": cid, "project_id": None,
                        "company": _company_name(rng, c["lang"]), "round": pf_round, "industries": [pf_ind],
                        "city": cities()[int(rng.integers(len(cities())))],
                        "invested_on": (REFERENCE_TIME - dt.timedelta(days=int(rng.integers(30, 2200)))).date(),
                        "amount": int(round(ROUND_MEDIAN_CNY[pf_round] * 0.3 * float(np.exp(rng.normal(0, 0.6))),
                                            -4)),
                    })
                yield {
                    "id": cid, "space_id": c["space_id"], "name": texts["name"], "kind": kind,
                    "thesis": texts["thesis"], "description": texts["description"], "rounds": rounds,
                    "ticket_min": ticket_min, "ticket_max": ticket_max, "serves": serves,
                    "capacity": None if rng.random() < 0.5 else int(rng.integers(5, 30)),
                    "industries": c["industries"], "stages": stages, "languages": c["languages"],
                    "city": c["city"], "regions": c["regions"], "active": c["active"],
                    "contact_name": texts["name"], "contact_email": f"investor{cid}@capital.example.cn",
                    "contact_phone": _phone(rng), "created_at": c["created_at"], "updated_at": c["updated_at"],
                }

        yield from self._chunks(rows(), "investors")
        yield from self._chunks(iter(portfolio), "portfolio_investments")
        self._freeze_candidate_traits("investor", tr, n)

    def _gen_providers(self) -> Iterator[tuple[str, list[Row]]]:
        rng = self._rng["provider"]
        n = self.plan.providers
        tr: dict[str, list[Any]] = {k: [] for k in ("ids", "industries", "primary", "subtopic", "serves", "stages")}

        def rows() -> Iterator[Row]:
            for cid in range(1, n + 1):
                c = self._candidate_common(rng, cid, (1, 3), generalist_p=0.3)
                category = PROVIDER_CATEGORIES.codes[int(rng.integers(len(PROVIDER_CATEGORIES)))]
                serves = list(PROVIDER_SERVES[category])
                if rng.random() < 0.3:
                    serves.append(NEEDS.codes[int(rng.integers(len(NEEDS)))])
                serves = [s for s in NEEDS.codes if s in serves]
                stages = _window(rng, STAGES.codes, 2, 5)
                primary = c["industries"][0] if c["industries"] else None
                subtopic = int(rng.integers(len(SUBTOPICS[primary]))) if primary else -1
                texts = _text_module(c["lang"]).provider_texts(
                    rng, category=category, serves=serves, industries=c["industries"], city=c["city"])
                self._record(tr, cid, c["industries"], subtopic, serves, stages)
                yield {
                    "id": cid, "space_id": c["space_id"], "name": texts["name"], "category": category,
                    "services": texts["services"], "description": texts["description"], "serves": serves,
                    "industries": c["industries"], "stages": stages,
                    "price_tier": PRICE_TIERS.codes[int(rng.choice(4, p=[0.1, 0.3, 0.4, 0.2]))],
                    "capacity": int(rng.integers(3, 31)), "languages": c["languages"], "city": c["city"],
                    "regions": c["regions"], "active": c["active"], "contact_name": texts["name"],
                    "contact_email": f"provider{cid}@services.example.cn", "contact_phone": _phone(rng),
                    "created_at": c["created_at"], "updated_at": c["updated_at"],
                }

        yield from self._chunks(rows(), "providers")
        self._freeze_candidate_traits("provider", tr, n)

