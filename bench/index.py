"""Indexing: encoding throughput of the ``huoban index`` pipeline against the encoder's raw rate, and the
memory of the serving tables at scale.

    python -m bench.index [--profiles 1000] [--memory-scale 100000] [--json]

* throughput: ``--profiles`` seeded mentor profiles (two short texts each) go through the indexing path
  (``matcher.build.upsert_profiles`` with a cold embedding cache: hashing, cache look-ups, encoding,
  lexical terms, table insert), against ``encoder.encode`` on the same texts (the raw rate). A second pass
  over unchanged profiles measures the cache path.
* memory: a fresh process builds the four tables (projects, mentors, investors, providers) at
  ``--memory-scale`` profiles each, with vectors of the default encoder's dimension (values do not change the
  size), and reports its peak resident set size.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import _to_profiles
from matcher import CachedEncoder, LexicalEncoder, MatcherConfig, ProfileTable, SqliteEmbeddingCache, build_encoder
from matcher.build import lexical_texts, upsert_profiles
from matcher.config import DEFAULT_ENCODER
from matcher.profiles import encode_items, field_texts
from seed_data.generator import EcosystemGenerator, SeedPlan

ITEM_DIM = 512  # the item encoder's width (matcher.encoders.item_encoder: USE)


def throughput(profiles: int, encoder_spec: str) -> dict[str, Any]:
    plan = SeedPlan(seed=3, spaces=20, projects=1, mentors=profiles, investors=0, providers=0)
    rows: dict[str, list[dict[str, Any]]] = {}
    for table, batch in EcosystemGenerator(plan).batches():
        rows.setdefault(table, []).extend(batch)
    mentors = _to_profiles("mentor", rows["mentors"])
    texts = [t for p in mentors for t in field_texts(p)]
    raw_encoder = build_encoder(encoder_spec, threads=os.cpu_count())
    raw_encoder.encode(texts[:16])  # load the model
    t = time.perf_counter()
    raw_encoder.encode(texts)
    raw_s = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        enc = CachedEncoder(build_encoder(encoder_spec, threads=os.cpu_count()),
                            SqliteEmbeddingCache(Path(tmp) / "cache.sqlite"))
        enc.inner.encode(texts[:16])
        cfg = MatcherConfig()
        lexical = LexicalEncoder(cfg.lexical_features, cfg.lexical_terms).fit(lexical_texts(mentors))
        table = ProfileTable("mentor", enc.dim, cfg)
        t = time.perf_counter()
        upsert_profiles(table, mentors, enc, lexical)
        cold_s = time.perf_counter() - t
        table2 = ProfileTable("mentor", enc.dim, cfg)
        t = time.perf_counter()
        upsert_profiles(table2, mentors, enc, lexical)
        warm_s = time.perf_counter() - t
    return {
        "encoder": raw_encoder.id, "profiles": profiles, "texts": len(texts),
        "raw_texts_per_s": round(len(texts) / raw_s, 1),
        "index_texts_per_s": round(len(texts) / cold_s, 1),
        "index_to_raw": round((len(texts) / cold_s) / (len(texts) / raw_s), 3),
        "cached_profiles_per_s": round(profiles / warm_s, 1),
    }


def _memory_child(scale: int, dim: int) -> None:
    """Build four tables of ``scale`` profiles in this (fresh) process; print the peak RSS."""
    plan = SeedPlan(seed=5, spaces=max(20, scale // 500), projects=scale, mentors=scale, investors=scale,
                    providers=scale)
    gen = EcosystemGenerator(plan, batch_size=20_000)
    cfg = MatcherConfig()
    lexical = LexicalEncoder(cfg.lexical_features, cfg.lexical_terms)
    rng = np.random.default_rng(0)
    tables: dict[str, ProfileTable] = {}
    started = time.perf_counter()
    for table_name, batch in gen.batches():
        kind = {"projects": "project", "mentors": "mentor", "investors": "investor", "providers": "provider"}.get(
            table_name)
        if kind is None:
            continue
        profiles = _to_profiles(kind, batch)
        if kind not in tables:  # as `huoban index` (matcher.build.upsert_profiles) does: room for the whole kind
            tables[kind] = ProfileTable(kind, dim, cfg)
            tables[kind].reserve(getattr(plan, table_name))
        table = tables[kind]
        vecs = rng.normal(size=(len(profiles), 2 * dim)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        ids, weights = lexical.encode(lexical_texts(profiles))
        # item codes as a 512-d item encoder (USE) gives them, random: the table holds them all the same
        item_vecs = rng.normal(size=(sum(len(p.items) for p in profiles), ITEM_DIM)).astype(np.float32)
        items = encode_items(item_vecs, [len(p.items) for p in profiles])
        del item_vecs
        table.upsert(profiles, vecs, ids, weights, items)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"scale_per_kind": scale, "dim": dim, "rows": sum(len(t) for t in tables.values()),
                      "peak_rss_mb": round(peak_kb / 1024, 1),
                      "bytes_per_profile": round(peak_kb * 1024 / max(sum(len(t) for t in tables.values()), 1)),
                      "build_seconds": round(time.perf_counter() - started, 1)}))


def memory(scale: int, encoder_spec: str) -> dict[str, Any]:
    dim = build_encoder(encoder_spec).dim
    out = subprocess.run([sys.executable, "-m", "bench.index", "--memory-child", str(scale), "--dim", str(dim)],
                         capture_output=True, text=True, check=True, timeout=3600)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=1000)
    parser.add_argument("--memory-scale", type=int, default=100_000)
    parser.add_argument("--encoder", default=DEFAULT_ENCODER)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--memory-child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--dim", type=int, default=384, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child is not None:
        _memory_child(args.memory_child, args.dim)
        return 0
    out = {"throughput": throughput(args.profiles, args.encoder), "memory": memory(args.memory_scale, args.encoder)}
    print(json.dumps(out, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
