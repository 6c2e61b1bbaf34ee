"""Small hand-made ecosystems for matcher tests (keyword encoder: no model load)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from matcher import KeywordEncoder, LexicalEncoder, Matcher, ProfileTable, upsert_profiles
from matcher.profiles import CandidateProfile, ProjectProfile, text_items

NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def project(id: int = 1, **kw) -> ProjectProfile:  # type: ignore[no-untyped-def]
    base = dict(id=id, space_id=1, stage="seed", industries=("ai",), needs=("ip", "financing"), city="shenzhen",
                languages=("zh",), need_text="需要专利申请和天使轮融资", domain_text="计算机视觉工业质检",
                round_sought="angel", funding_sought=3_000_000, updated_at=NOW, curated=True, name=f"P{id}")
    base.update(kw)
    base.setdefault("items", text_items(base["domain_text"], base["need_text"]))  # as api.engine builds them
    return ProjectProfile(**base)  # type: ignore[arg-type]


def mentor(id: int, **kw) -> CandidateProfile:  # type: ignore[no-untyped-def]
    base = dict(id=id, kind="mentor", space_id=None, industries=("ai",), stages=("seed", "early"),
                serves=("ip", "financing"), languages=("zh",), city="shenzhen", regions=("shenzhen",),
                offer_text="帮助专利申请与天使轮融资", expertise_text="计算机视觉", capacity=3, load=0,
                updated_at=NOW, name=f"M{id}", subtype="technical_expert")
    base.update(kw)
    base.setdefault("items", text_items(base["expertise_text"], base["offer_text"]))
    return CandidateProfile(**base)  # type: ignore[arg-type]


def investor(id: int, **kw) -> CandidateProfile:  # type: ignore[no-untyped-def]
    base = dict(id=id, kind="investor", space_id=None, industries=("ai",), stages=("seed",),
                serves=("financing",), languages=("zh",), city="shenzhen", regions=("nationwide",),
                offer_text="投资早期人工智能项目，天使轮", expertise_text="人工智能", rounds=("seed", "angel"),
                ticket_min=500_000, ticket_max=10_000_000, round_history=(("angel", 4), ("seed", 1)),
                updated_at=NOW, name=f"I{id}", subtype="angel")
    base.update(kw)
    base.setdefault("items", text_items(base["offer_text"]))
    return CandidateProfile(**base)  # type: ignore[arg-type]


def build(projects: Sequence[ProjectProfile], **pools: Sequence[CandidateProfile]) -> Matcher:
    enc = KeywordEncoder()
    lex = LexicalEncoder(n_features=2**16, terms=32)
    corpus = [" ".join((c.offer_text, c.expertise_text)) for group in pools.values() for c in group]
    lex.fit(corpus or ["x"])
    from matcher import MatcherConfig

    cfg = MatcherConfig(lexical_terms=32, lexical_features=2**16)
    tables = {"project": ProfileTable("project", enc.dim, cfg)}
    upsert_profiles(tables["project"], list(projects), enc, lex)
    for kind in ("mentor", "investor", "provider"):
        tables[kind] = ProfileTable(kind, enc.dim, cfg)
        upsert_profiles(tables[kind], list(pools.get(kind, [])), enc, lex)
    return Matcher(tables, lex, cfg)


def random_ecosystem(n_candidates: int, seed: int = 0, kind: str = "mentor") -> tuple[Matcher, list[int]]:
    """Random projects and candidates over the real vocabularies."""
    from matcher.taxonomy import INDUSTRIES, NEEDS, STAGES, cities

    rng = np.random.default_rng(seed)
    words = ["专利", "融资", "市场", "检测", "算法", "patent", "funding", "market", "testing", "design", "渠道",
             "品牌", "legal", "hiring", "团队", "出海"]

    def pick(codes, lo, hi):  # type: ignore[no-untyped-def]
        k = int(rng.integers(lo, hi + 1))
        return tuple(codes[int(i)] for i in sorted(rng.choice(len(codes), k, replace=False)))

    def text() -> str:  # two sentences: profiles have items (matcher.profiles.text_items) to match one by one
        w = [words[int(i)] for i in rng.choice(len(words), 4)]
        return f"{w[0]} {w[1]}；{w[2]} {w[3]}"

    city_list = cities()
    projects = [project(i, industries=pick(INDUSTRIES.codes, 1, 3), needs=pick(NEEDS.codes, 1, 4),
                        stage=STAGES.codes[int(rng.integers(5))], city=city_list[int(rng.integers(len(city_list)))],
                        need_text=text(), domain_text=text(), languages=("zh", "en"))
                for i in range(1, 21)]
    cands = []
    for i in range(1, n_candidates + 1):
        c = mentor(i, industries=pick(INDUSTRIES.codes, 1, 3), serves=pick(NEEDS.codes, 1, 4),
                   stages=pick(STAGES.codes, 1, 3), city=city_list[int(rng.integers(len(city_list)))],
                   offer_text=text(), expertise_text=text(), capacity=int(rng.integers(1, 6)),
                   load=int(rng.integers(0, 3)), accepted=int(rng.integers(0, 5)), requests=int(rng.integers(5, 10)),
                   updated_at=NOW - dt.timedelta(days=int(rng.integers(0, 800))),
                   impressions=int(rng.integers(0, 80)))
        cands.append(replace(c, kind=kind) if kind != "mentor" else c)
    return build(projects, **{kind: cands}), [p.id for p in projects]
