"""Which encoder ranks candidate offers best for project needs, per language pair?

    python -m bench.encoders [--json] [--encoders e5*8+use/128,use,e5] [--out bench/results/encoders.json]

Data: ``bench/data/relevance.json`` (project needs and descriptions against mentor / investor / provider
offers, each offer written in Chinese and in English, judged relevant or not). For a pair L1-L2 the
queries of language L1 rank every doc of language L2; a query's relevant doc groups map to the L2 doc of
each group. Reported per pair and over all (query, pair) instances ("all"): NDCG@10 (binary gain) and
Recall@10, plus encode throughput (texts/s, warm, one process). ``mixed`` is the shape of a real pool: every
query ranks the docs of both languages together, and both versions of a relevant group count; NDCG@10 there,
and ``same_language@10``, the share of each top 10 written in the query's language (an encoder that reads
meaning, not language, puts about half there; the pool is half and half). The encoder with the best "all"
NDCG@10 is the product default (``matcher.config.DEFAULT_ENCODER``); the output says whether that holds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from matcher.encoders import build_encoder
from matcher.metrics import ndcg_at_k, recall_at_k

DATA = Path(__file__).resolve().parent / "data" / "relevance.json"
PAIRS = ("zh-zh", "en-en", "zh-en", "en-zh")


def evaluate(spec: str, data: dict[str, Any], k: int = 10) -> dict[str, Any]:
    encoder = build_encoder(spec, threads=os.cpu_count())
    docs = data["docs"]
    queries = data["queries"]
    texts = [d["text"] for d in docs] + [q["text"] for q in queries]
    encoder.encode(texts[:8])  # warm up (lazy model load)
    start = time.perf_counter()
    vecs = encoder.encode(texts)
    seconds = time.perf_counter() - start
    doc_vecs, query_vecs = vecs[: len(docs)], vecs[len(docs):]
    ndcg: dict[str, list[float]] = {p: [] for p in PAIRS}
    recall: dict[str, list[float]] = {p: [] for p in PAIRS}
    for pair in PAIRS:
        ql, dl = pair.split("-")
        d_idx = [i for i, d in enumerate(docs) if d["lang"] == dl]
        group_of = {docs[i]["group"]: i for i in d_idx}
        for qi, q in enumerate(queries):
            if q["lang"] != ql:
                continue
            scores = doc_vecs[d_idx] @ query_vecs[qi]
            order = np.lexsort((np.arange(len(d_idx)), -scores))
            ranking = [d_idx[j] for j in order[:k]]
            rel = {group_of[g]: 1.0 for g in q["relevant"] if g in group_of}
            ndcg[pair].append(ndcg_at_k(ranking, rel, k))
            recall[pair].append(recall_at_k(ranking, rel, k))

    mixed: list[float] = []
    same: list[float] = []
    for qi, q in enumerate(queries):
        scores = doc_vecs @ query_vecs[qi]
        top = [int(j) for j in np.lexsort((np.arange(len(docs)), -scores))[:k]]
        wanted = set(q["relevant"])
        mixed.append(ndcg_at_k(top, {i: 1.0 for i, d in enumerate(docs) if d["group"] in wanted}, k))
        same.append(float(np.mean([docs[i]["lang"] == q["lang"] for i in top])))

    def summary(values: dict[str, list[float]]) -> dict[str, float]:
        out = {p: round(float(np.mean(v)), 4) for p, v in values.items()}
        out["all"] = round(float(np.mean([x for v in values.values() for x in v])), 4)
        return out

    return {
        "id": encoder.id,
        "dim": encoder.dim,
        f"ndcg@{k}": summary(ndcg),
        f"recall@{k}": summary(recall),
        "mixed": {f"ndcg@{k}": round(float(np.mean(mixed)), 4), f"same_language@{k}": round(float(np.mean(same)), 4)},
        "texts_per_s": round(len(texts) / seconds, 1),
        "queries": {p: len(v) for p, v in ndcg.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--encoders", default=None, help="comma-separated specs (default: the product default, "
                        "use, e5, minilm, keyword)")
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--out", default=None, help="also write the JSON here")
    args = parser.parse_args(argv)
    from matcher.config import DEFAULT_ENCODER

    data = json.loads(Path(args.data).read_text(encoding="utf-8"))
    results: dict[str, Any] = {}
    specs = args.encoders or f"{DEFAULT_ENCODER},use,e5,minilm,keyword"
    for spec in [s.strip() for s in specs.split(",") if s.strip()]:
        results[spec] = evaluate(spec, data)
        if not args.json:
            r = results[spec]
            print(f"{spec:8s} ndcg@10 {r['ndcg@10']}  recall@10 {r['recall@10']['all']}  mixed {r['mixed']}  "
                  f"{r['texts_per_s']} texts/s", file=sys.stderr)
    winner = max(results, key=lambda s: results[s]["ndcg@10"]["all"])
    report = {
        "default": DEFAULT_ENCODER,
        "winner": winner,
        "default_is_winner": winner == DEFAULT_ENCODER,
        "data": {"docs": len(data["docs"]), "queries": len(data["queries"])},
        "encoders": results,
    }
    text = json.dumps(report, indent=None if args.json else 2, ensure_ascii=False)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
