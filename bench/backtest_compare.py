"""Is a change to the investor ranker better, or noise? A paired comparison of backtest runs, query by query.

    python -m bench.backtest_compare BEFORE.json AFTER.json [BEFORE2.json AFTER2.json ...] [--json]

Each file is what ``huoban backtest ... --details FILE`` writes: every query round with its true investors and
Huoban's top k. Files come in pairs, the same data set and protocol before and after a change (one pair per
seed of a preset, say). For each pair, every query round present in both is scored in both runs (NDCG@k with
binary gain, as the backtest counts it), and the difference of the two means is that pair's effect. The
overall effect is the mean of the pairs' effects (each data set is one market and weighs the same), and its
interval comes from resampling each pair's query rounds with replacement (2,000 draws, the same rounds for
before and after: the comparison is paired, so what is hard for both cancels out). Also, for each run, Huoban
against the best baseline the file names on the same rounds.

Why: the ratio to the best baseline swings by +-0.2 between seeds of one preset and across a few hundred
query rounds (``uncertainty`` in the backtest JSON), so a change that moves the mean by 0.02 cannot be seen
in ratios; a paired difference over a few thousand rounds can (README, "How far a ratio can be trusted").
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from matcher.metrics import ndcg_at_k

RESAMPLES = 2000


def list_length(path: Path) -> int:
    """The backtest's k, as its ``--details`` file shows it: the longest of Huoban's lists."""
    obj = json.loads(path.read_text(encoding="utf-8"))
    return max((len(q["huoban"]) for q in obj["queries"]), default=0)


def per_query(path: Path, k: int = 10) -> tuple[dict[str, float], dict[str, float]]:
    """NDCG@k of Huoban's list and of the best baseline's, by round id, from one ``--details`` file."""
    obj = json.loads(path.read_text(encoding="utf-8"))
    best = obj.get("best_baseline")
    ours: dict[str, float] = {}
    theirs: dict[str, float] = {}
    number: dict[str, int] = {}  # the CSVs' investor ids as the integers the metric reads

    def ids(names: list[str]) -> list[int]:
        return [number.setdefault(str(n), len(number)) for n in names]

    for q in obj["queries"]:
        rel = {t: 1.0 for t in ids(q["truth"])}
        ours[q["round_id"]] = ndcg_at_k(ids(q["huoban"]), rel, k)
        if best and best in q:
            theirs[q["round_id"]] = ndcg_at_k(ids(q[best]), rel, k)
    return ours, theirs


def compare(pairs: list[tuple[Path, Path]], *, resamples: int = RESAMPLES, seed: int = 0) -> dict[str, Any]:
    """NDCG@k at the runs' own k (the length of their lists: ``huoban backtest --k``, 10 by default), which
    every file must share."""
    lengths = {p: list_length(p) for pair in pairs for p in pair}
    if len(set(lengths.values())) != 1:
        raise SystemExit(f"the runs' lists differ in length (their --k): {sorted(set(lengths.values()))}")
    k = max(next(iter(lengths.values())), 1)
    rng = np.random.default_rng(seed)
    rows: list[dict[str, Any]] = []
    before_all: list[np.ndarray] = []
    after_all: list[np.ndarray] = []
    for b_path, a_path in pairs:
        b, b_best = per_query(b_path, k)
        a, a_best = per_query(a_path, k)
        common = sorted(set(b) & set(a))
        if not common:
            raise SystemExit(f"{b_path} and {a_path} share no query round: not the same data set")
        vb = np.array([b[r] for r in common])
        va = np.array([a[r] for r in common])
        before_all.append(vb)
        after_all.append(va)
        row: dict[str, Any] = {"before": str(b_path), "after": str(a_path), "queries": len(common),
                               "only_before": len(set(b) - set(a)), "only_after": len(set(a) - set(b)),
                               "ndcg_before": round(float(vb.mean()), 4), "ndcg_after": round(float(va.mean()), 4),
                               "difference": round(float(va.mean() - vb.mean()), 4)}
        for name, best in (("before", b_best), ("after", a_best)):
            if best:
                shared = [r for r in common if r in best]
                row[f"best_baseline_ndcg_{name}"] = round(float(np.mean([best[r] for r in shared])), 4)
        rows.append(row)
    diffs = np.array([va.mean() - vb.mean() for vb, va in zip(before_all, after_all, strict=True)])
    draws = np.zeros(resamples)
    for vb, va in zip(before_all, after_all, strict=True):
        n = len(vb)
        idx = rng.integers(0, n, size=(resamples, n))
        draws += (va[idx].mean(axis=1) - vb[idx].mean(axis=1)) / len(before_all)
    base = float(np.mean([vb.mean() for vb in before_all]))
    lo, hi = np.percentile(draws, [5, 95])
    return {"pairs": rows, "k": k,
            "ndcg_before": round(base, 4), "difference": round(float(diffs.mean()), 4),
            "relative": round(float(diffs.mean()) / base, 4) if base > 0 else None,
            "ci90": [round(float(lo), 4), round(float(hi), 4)],
            "share_of_draws_above_zero": round(float(np.mean(draws > 0)), 3),
            "pairs_up": int(np.sum(diffs > 0)), "pairs_down": int(np.sum(diffs < 0)), "resamples": resamples}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", type=Path, help="BEFORE AFTER [BEFORE AFTER ...]: --details files")
    ap.add_argument("--json", action="store_true", help="print JSON")
    args = ap.parse_args(argv)
    if len(args.files) % 2:
        ap.error("files come in pairs: BEFORE AFTER [BEFORE AFTER ...]")
    out = compare(list(zip(args.files[::2], args.files[1::2], strict=True)))
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return 0
    for r in out["pairs"]:
        print(f"{r['after']}: {r['queries']} rounds, NDCG@{out['k']} {r['ndcg_before']:.4f} -> {r['ndcg_after']:.4f} "
              f"({r['difference']:+.4f})")
    relative = f" ({out['relative']:+.1%})" if out["relative"] is not None else ""
    print(f"mean over {len(out['pairs'])} data sets: {out['ndcg_before']:.4f}, difference {out['difference']:+.4f}"
          f"{relative}, 90 % interval [{out['ci90'][0]:+.4f}, {out['ci90'][1]:+.4f}], "
          f"{out['pairs_up']} up / {out['pairs_down']} down")
    return 0


if __name__ == "__main__":
    sys.exit(main())
