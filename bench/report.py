"""Collect ``bench/results/*.json`` into ``bench/results/SUMMARY.md`` (with a latency plot).

    python -m bench.report
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RESULTS = Path("bench/results")


def _load(name: str) -> dict[str, Any] | None:
    path = RESULTS / name
    return json.loads(path.read_text()) if path.exists() else None


def _goal(ok: bool) -> str:
    return "met" if ok else "**missed**"


JUDGED_SETS = (("matches.json", "first (`bench/data/matches`)"),
               ("matches_heldout.json", "held-out (`bench/data/matches_heldout`)"),
               ("matches_third.json", "third (`bench/data/matches_third`)"))


def judged_sets_section(lines: list[str]) -> None:
    """The hand-judged match sets (``python -m bench.matches [--data DIR] --json``), against issue 14's bar."""
    rows = [(title, r) for name, title in JUDGED_SETS if (r := _load(name))]
    if not rows:
        return
    lines += ["## Hand-judged match sets (`python -m bench.matches [--data DIR] --json`)", "",
              "| set | kind | NDCG@5 | NDCG@10 | tag match NDCG@5 | ratio | violations | NDCG@5 >= 0.90 |",
              "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for title, r in rows:
        for kind, v in r["kinds"].items():
            ok = v["ndcg@5"] >= 0.90 and v["violations"] == 0
            lines.append(f"| {title} | {kind} | {v['ndcg@5']:.3f} | {v['ndcg@10']:.3f} | "
                         f"{v['tag_match']['ndcg@5']:.3f} | {v['ratio_to_tag_match']}x | {v['violations']} | "
                         f"{_goal(ok)} |")
    lines.append("")


def latency_section(lines: list[str]) -> None:
    rows = []
    for scale in ("1k", "10k", "100k"):
        r = _load(f"latency_{scale}.json")
        if r:
            rows.append(r)
    if not rows:
        return
    lines += ["## Ranking latency (`python -m bench.latency --candidates N --json`)", "",
              "| candidates | rank p50 ms | rank p99 ms | faiss p50 ms | faiss p99 ms | rank/faiss p99 | recall@100 |",
              "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        lines.append(f"| {r['candidates']:,} | {r['rank_p50_ms']} | {r['rank_p99_ms']} | {r['faiss_p50_ms']} | "
                     f"{r['faiss_p99_ms']} | {r['rank_to_faiss_p99']} | {r['recall@100']} |")
    big = rows[-1]
    lines += ["", f"Goal at 100k: rank p99 within 2.5x of faiss p99 - {_goal(big['rank_to_faiss_p99'] <= 2.5)}; "
              f"retrieval recall@100 >= 0.99 - {_goal((big['recall@100'] or 0) >= 0.99)}. Vectors: "
              f"{big['vectors']['candidates']['mode']} ({big['encoder']}, see bench/common.py).", ""]
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 3.5))
        xs = [r["candidates"] for r in rows]
        ax.plot(xs, [r["rank_p99_ms"] for r in rows], "o-", label="rank p99")
        ax.plot(xs, [r["faiss_p99_ms"] for r in rows], "s--", label="faiss flat p99")
        ax.set_xscale("log")
        ax.set_xlabel("candidates per kind")
        ax.set_ylabel("ms")
        ax.legend()
        fig.tight_layout()
        fig.savefig(RESULTS / "latency.png", dpi=110)
        plt.close(fig)
        lines += ["![latency](latency.png)", ""]
    except Exception:  # noqa: BLE001 - the table is the result; the plot is a convenience
        pass


def main() -> int:
    lines = ["# Huoban benchmarks", "", "Produced by `make bench` on this machine (2 cores). Raw numbers: the JSON "
             "files next to this one.", ""]
    enc = _load("encoders.json")
    if enc:
        lines += ["## Encoder choice (`python -m bench.encoders --json`)", "",
                  "| encoder | zh-zh | en-en | zh-en | en-zh | all | texts/s |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for spec, r in enc["encoders"].items():
            n = r["ndcg@10"]
            lines.append(f"| {spec} ({r['id']}) | {n['zh-zh']} | {n['en-en']} | {n['zh-en']} | {n['en-zh']} | "
                         f"{n['all']} | {r['texts_per_s']} |")
        lines += ["", f"NDCG@10 on the bilingual relevance set. Default: `{enc['default']}`; winner on all: "
                  f"`{enc['winner']}` ({'the default' if enc['default_is_winner'] else '**not the default**'}).", ""]
    latency_section(lines)
    alloc = _load("allocate.json")
    if alloc:
        lines += ["## Cohort allocation (`python -m bench.allocate --projects 5000 --mentors 2000 --json`)", "",
                  f"{alloc['seconds']} s, total score {alloc['total_score']} (greedy {alloc['greedy_total_score']}), "
                  f"{alloc['capacity_violations']} capacity violations. Goal under 10 s: "
                  f"{_goal(alloc['seconds'] < 10 and alloc['capacity_violations'] == 0)}.", ""]
    idx = _load("index.json")
    if idx:
        t, m = idx["throughput"], idx["memory"]
        lines += ["## Indexing (`python -m bench.index --json`)", "",
                  f"{t['encoder']}: raw {t['raw_texts_per_s']} texts/s, through `huoban index` "
                  f"{t['index_texts_per_s']} texts/s ({t['index_to_raw']:.0%} of raw); "
                  f"unchanged profiles from the cache at "
                  f"{t['cached_profiles_per_s']} profiles/s. Peak memory with {m['scale_per_kind']:,} profiles per "
                  f"kind ({m['rows']:,} rows, dim {m['dim']}x2): {m['peak_rss_mb']} MB "
                  f"({m['bytes_per_profile']:,} bytes per profile).", ""]
    for name, shape, how in (("http.json", "open loop at 330 req/s, 32 connections",
                              "--candidates 10000 --seconds 60 --json"),
                             ("http-closed.json", "closed loop, 32 connections (throughput ceiling)",
                              "--candidates 10000 --seconds 60 --rate 0 --json")):
        http = _load(name)
        if not http:
            continue
        line = (f"{http['rps']} req/s, p50 {http['p50_ms']} ms, p99 {http['p99_ms']} ms, {http['errors']} errors "
                f"over {http['requests']:,} requests.")
        if http.get("target_rate"):
            ok = http["rps"] >= 300 and http["p99_ms"] <= 50 and http["errors"] == 0
            line += f" Goal >= 300 req/s, p99 <= 50 ms, 0 errors: {_goal(ok)}."
        else:
            line += " (Latency here is queueing: 32 clients / throughput; the goal is judged on the open loop.)"
        lines += [f"## HTTP, {shape} (`python -m bench.http {how}`)", "", line, ""]
    rt = _load("retrain.json")
    if rt:
        lines += ["## Retraining (`python -m bench.retrain --events 1000000 --json`)", "",
                  f"{rt['events']:,} outcome events over {rt['impressions']:,} impressions: {rt['seconds']} s "
                  f"({rt['rows_per_s']:,} events/s). Goal <= 60 s: {_goal(rt['seconds'] <= 60)}.", ""]
    sim = _load("simulation.json")
    if sim:
        s = sim["summary"]
        acc = s["acceptance_at5"]
        gain = acc["learned"] / max(acc["weights"], 1e-9) - 1
        share = acc["learned"] / max(acc["oracle"], 1e-9)
        lines += ["## Closed loop (`huoban simulate --rounds 5 --seed 7 --json`)", "",
                  "| policy | top-5 acceptance | NDCG@10 | exposure Gini |", "| --- | --- | --- | --- |"]
        for p in ("weights", "learned", "oracle"):
            gini = s["exposure_gini"].get(p, "")
            lines.append(f"| {p} | {acc[p]} | {s['ndcg@10'][p]} | {gini} |")
        lines += ["", f"Learned vs weights: {gain:+.0%} (goal +25%: {_goal(gain >= 0.25)}); learned vs oracle: "
                  f"{share:.0%} (goal 85%: {_goal(share >= 0.85)}); exposure Gini no worse: "
                  f"{_goal(s['exposure_gini']['learned'] <= s['exposure_gini']['weights'])}.", "",
                  "![simulation](simulation.png)", ""]
    for name, title in (("backtest.json", "default synthetic deals"), ("backtest_us.json", "the US preset"),
                        ("backtest_cn.json", "the Chinese preset")):
        bt = _load(name)
        if not bt:
            continue
        lines += [f"## Investor backtest on {title} (`huoban backtest ... --exclude-prior-investors --json`)", "",
                  f"{bt['queries']:,} query rounds, {bt['candidates']:,} candidate investors, {bt['seconds']} s; "
                  f"selected: {bt.get('selected', 'learned')}.", "",
                  "| method | NDCG@10 | Recall@10 | HR@10 | MRR@10 |", "| --- | --- | --- | --- | --- |"]
        for method, m in [("huoban", bt["huoban"]), *bt["baselines"].items()]:
            lines.append(f"| {method} | {m['ndcg@10']:.4f} | {m['recall@10']:.4f} | {m['hr@10']:.4f} "
                         f"| {m['mrr@10']:.4f} |")
        best = bt.get("best_baseline") or max(bt["baselines"].items(), key=lambda kv: kv[1]["ndcg@10"])[0]
        lines += ["", f"Huoban / best baseline ({best}): {bt['ndcg_ratio_to_best_baseline']}x; "
                      f"/ ALS: {bt.get('ndcg_ratio_to_als', '-')}x.", ""]
    judged_sets_section(lines)
    (RESULTS / "SUMMARY.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(RESULTS / "SUMMARY.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
