"""Shared set-up of the benchmarks: a seeded population turned into matcher tables, in process.

Vectors. Encoding every profile of a 100,000-candidate pool with the default encoder (multilingual-e5-small,
~45 texts/s here) would take over an hour, so pools larger than ``encode_limit`` use *sampled* vectors:
``encode_limit`` profiles per side are really encoded (cached under ``var/bench``), and every other profile
borrows the real vector of a random encoded profile with the same primary industry and sub-topic, plus
Gaussian noise of the spread measured among those encoded profiles, renormalised. Dimensions, norms and
the text-structure coupling at the sub-topic level are preserved; the JSON output says which mode ran.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from matcher import (
    CachedEncoder,
    LexicalEncoder,
    Matcher,
    MatcherConfig,
    ProfileTable,
    SqliteEmbeddingCache,
    build_encoder,
)
from matcher.build import embed_items, embed_profiles, lexical_texts
from matcher.config import DEFAULT_ENCODER
from matcher.encoders import item_encoder
from matcher.profiles import (
    CandidateProfile,
    ProjectProfile,
    candidate_items,
    investor_focus_text,
    project_need_text,
    provider_expertise_text,
    text_items,
)
from seed_data.generator import EcosystemGenerator, SeedPlan

BENCH_VAR = Path(os.environ.get("HUOBAN_BENCH_VAR", "var/bench"))
RESULTS = Path("bench/results")


@dataclass
class Population:
    matcher: Matcher
    kind: str
    project_ids: np.ndarray
    candidate_ids: np.ndarray
    encoder_id: str
    vectors: dict[str, Any]
    build_seconds: float
    traits: dict[str, Any]


def _to_profiles(kind: str, rows: list[dict[str, Any]]) -> list[Any]:
    out: list[Any] = []
    for r in rows:
        if kind == "project":
            need_text = project_need_text(r["needs_statement"], r["one_liner"], r.get("description"))
            out.append(ProjectProfile(
                id=r["id"], space_id=r["space_id"], stage=r["stage"], industries=tuple(r["industries"]),
                needs=tuple(r["needs"]), city=r["city"], languages=tuple(r["languages"]),
                need_text=need_text, domain_text=r["one_liner"], name=r["name"],
                items=text_items(r["one_liner"], need_text),
                round_sought=r["round_sought"], funding_sought=r["funding_sought"], updated_at=r["updated_at"],
                curated=r["dealflow_curated"], active=r["active"]))
            continue
        text = r.get("thesis", r.get("services", r.get("offer", "")))
        lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"
        common = dict(id=r["id"], kind=kind, space_id=r["space_id"], industries=tuple(r["industries"]),
                      stages=tuple(r["stages"]), serves=tuple(r["serves"]), languages=tuple(r["languages"]),
                      city=r["city"], regions=tuple(r["regions"]), name=r["name"], updated_at=r["updated_at"],
                      active=r["active"])
        if kind == "mentor":
            out.append(CandidateProfile(**common, offer_text=r["offer"], expertise_text=r["expertise"],
                                        capacity=r["capacity"], subtype=r["mentor_type"],
                                        items=candidate_items(kind, r.get)))
        elif kind == "investor":
            out.append(CandidateProfile(**common, offer_text=r["thesis"],
                                        expertise_text=investor_focus_text(r["industries"], r["stages"], lang),
                                        capacity=r["capacity"], rounds=tuple(r["rounds"]),
                                        ticket_min=r["ticket_min"], ticket_max=r["ticket_max"], subtype=r["kind"],
                                        items=candidate_items(kind, r.get)))
        else:
            out.append(CandidateProfile(**common, offer_text=r["services"],
                                        expertise_text=provider_expertise_text(r["category"], r["industries"], lang),
                                        capacity=r["capacity"], subtype=r["category"],
                                        items=candidate_items(kind, r.get)))
    return out


Block = tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]  # field vectors and item codes of a block of rows


def _vectors(profiles: list[Any], keys: np.ndarray, encoder: CachedEncoder, limit: int,
             rng: np.random.Generator, block: int = 20_000) -> tuple[Iterator[Block], dict[str, Any]]:
    """Real vectors for up to ``limit`` profiles; borrowed + noise for the rest (see module docstring). Item
    codes (``matcher.profiles``): encoded for the same profiles, the borrowed rows' copied from their source.

    The vectors come ``block`` rows at a time, in row order (the noise drawn in the same order as for the
    whole array at once, so the blocks are the same numbers): the caller adds each block to its table, and
    the pool's vectors are never held twice (as ``huoban index`` encodes and adds a batch at a time)."""
    n = len(profiles)
    if n <= limit:
        encoded = embed_profiles(profiles, encoder)
        codes, scales = embed_items(profiles, item_encoder(encoder))
        return ((encoded[start:start + block], (codes[start:start + block], scales[start:start + block]))
                for start in range(0, n, block)), {"mode": "encoded", "encoded": n}
    sample = np.sort(rng.choice(n, limit, replace=False))
    real = embed_profiles([profiles[i] for i in sample], encoder)
    real_codes, real_scales = embed_items([profiles[i] for i in sample], item_encoder(encoder))
    dim = encoder.dim
    by_key: dict[int, list[int]] = {}
    for j, i in enumerate(sample):
        by_key.setdefault(int(keys[i]), []).append(j)
    # noise level: the spread of encoded vectors around their sub-topic mean
    spreads = []
    for members in by_key.values():
        if len(members) > 1:
            v = real[members]
            spreads.append(float(np.sqrt(((v - v.mean(axis=0)) ** 2).sum(axis=1).mean())))
    sigma = float(np.median(spreads)) / np.sqrt(2 * dim) if spreads else 0.02
    sampled_at = np.full(n, -1, dtype=np.int64)
    sampled_at[sample] = np.arange(len(sample))
    all_members = np.arange(len(sample))

    def blocks() -> Iterator[Block]:
        for start in range(0, n, block):
            out = np.empty((min(block, n - start), 2 * dim), dtype=np.float32)
            source = np.empty(len(out), dtype=np.int64)
            for i in range(start, start + len(out)):
                if sampled_at[i] >= 0:
                    out[i - start] = real[sampled_at[i]]
                    source[i - start] = sampled_at[i]
                    continue
                members = by_key.get(int(keys[i]))
                src = members[int(rng.integers(len(members)))] if members else \
                    int(all_members[int(rng.integers(len(sample)))])
                source[i - start] = src
                v = real[src] + rng.normal(0.0, sigma, 2 * dim).astype(np.float32)
                a, b = v[:dim], v[dim:]
                out[i - start, :dim] = a / np.linalg.norm(a) / np.sqrt(2)
                out[i - start, dim:] = b / np.linalg.norm(b) / np.sqrt(2)
            yield out, (real_codes[source], real_scales[source])

    return blocks(), {"mode": "sampled", "encoded": int(limit), "noise_sigma": round(sigma, 5)}


def build_population(*, kind: str = "mentor", candidates: int, projects: int = 1000, seed: int = 7,
                     encoder: str | None = None, encode_limit: int = 2000,
                     config: MatcherConfig | None = None) -> Population:
    started = time.perf_counter()
    counts = {"mentor": 0, "investor": 0, "provider": 0}
    counts[kind] = candidates
    plan = SeedPlan(seed=seed, spaces=max(20, candidates // 500), projects=projects, mentors=counts["mentor"],
                    investors=counts["investor"], providers=counts["provider"])
    gen = EcosystemGenerator(plan, batch_size=10_000)
    rows: dict[str, list[dict[str, Any]]] = {}
    for table, batch in gen.batches():
        rows.setdefault(table, []).extend(batch)
    project_profiles = _to_profiles("project", rows["projects"])
    cand_profiles = _to_profiles(kind, rows[kind + "s"])
    del rows  # the generator's raw rows (the database's part in the service): the profiles hold what is needed
    spec = encoder or DEFAULT_ENCODER
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    enc = CachedEncoder(build_encoder(spec, threads=os.cpu_count()),
                        SqliteEmbeddingCache(BENCH_VAR / "embeddings.sqlite"))
    rng = np.random.default_rng(seed)
    pt, ct = gen.traits["project"].arrays, gen.traits[kind].arrays
    p_blocks, p_info = _vectors(project_profiles, pt["primary"].astype(np.int64) * 10 + pt["subtopic"], enc,
                                encode_limit, rng)
    p_vecs = list(p_blocks)  # drawn now (few rows): the candidates' draws come after the projects' as before
    c_vecs, c_info = _vectors(cand_profiles, ct["primary"].astype(np.int64) * 10 + ct["subtopic"], enc,
                              encode_limit, rng)
    cfg = config or MatcherConfig()
    lexical = LexicalEncoder(n_features=cfg.lexical_features, terms=cfg.lexical_terms)
    lexical.fit(lexical_texts(project_profiles + cand_profiles))
    tables = {k: ProfileTable(k, enc.dim, cfg) for k in ("project", "mentor", "investor", "provider")}
    sides = ((tables["project"], project_profiles, iter(p_vecs)), (tables[kind], cand_profiles, c_vecs))
    for table, profiles, blocks in sides:
        table.reserve(len(profiles))
        for start, (vecs, items) in zip(range(0, len(profiles), 20_000), blocks, strict=True):
            chunk = profiles[start:start + 20_000]
            ids, weights = lexical.encode(lexical_texts(chunk))
            table.upsert(chunk, vecs, ids, weights, items)
    return Population(
        matcher=Matcher(tables, lexical, cfg), kind=kind,
        project_ids=np.array([p.id for p in project_profiles]), candidate_ids=np.array([c.id for c in cand_profiles]),
        encoder_id=enc.id, vectors={"projects": p_info, "candidates": c_info},
        build_seconds=round(time.perf_counter() - started, 1), traits=gen.traits,
    )


def percentile_ms(samples: list[float], q: float) -> float:
    return round(float(np.percentile(np.asarray(samples) * 1e3, q)), 3)
