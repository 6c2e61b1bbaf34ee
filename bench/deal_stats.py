"""Marginal statistics of a deal-history directory in the backtest format, to compare synthetic data with real.

    python -m bench.deal_stats DIR [--cutoff 2012-01-01 --until 2013-01-01] [--json] [--compare us|cn]

``DIR`` holds the backtest CSVs (see README, "Backtest on your own deal history"): ``companies.csv``,
``rounds.csv``, ``investments.csv`` and optionally ``investors.csv``, UTF-8 or what Excel writes (GBK,
UTF-16), with dates as ``huoban backtest`` reads them (``matcher.textfile``). The statistics are the ones the
presets of ``bench.backtest_data`` are calibrated on: they were measured on real deal records (kept outside
the repository), so the same code has to compute them on both sides. Pure Python + numpy: no model, nothing
of the matcher but the file reading, a few seconds for 60k investments.

Definitions (exactly these; "investor" always means one with >= 1 investment):

- investments: the rows of ``investments.csv``, one per (round_id, investor_id): repeated pairs and rows with
  an empty investor_id are dropped. A round_id missing from ``rounds.csv`` is an error (file and line).
- ``top1_share``, ``top10_share``: investors sorted by investment count, descending; the top
  k = max(1, round(0.01 n)) resp. max(1, round(0.10 n)) of the n investors; share = their investments / all
  investments.
- ``single_deal_share``: share of investors with exactly one investment.
- ``top_region_share_5plus``: over investors with >= 5 investments, the median of (max over regions of the
  investor's investments in companies of that region) / (the investor's investments), the region taken from
  ``companies.csv`` ``region``. Investments in companies with an empty region leave both numerator and
  denominator; an investor left with < 5 counted investments is skipped.
- ``top_round_share_5plus``: the same with the round label of ``rounds.csv`` (stripped, lower-cased; not
  mapped onto the taxonomy, so ``A轮`` and ``a`` are two labels).
- ``investors_per_round``: mean number of investors over rounds with >= 1 investment.
- ``coinvested_new_investor_share``: rounds are walked in (date, round_id) order. A round is a follow-on round
  if its company had an earlier round (strictly earlier date, or the same date and a smaller round_id) with
  >= 1 investment. Every investor of a follow-on round that is new to the company (invested in none of its
  earlier rounds) is one slot; the slot is a hit if that investor, in some round dated strictly before this
  round's date, invested in the same round as at least one of the company's earlier investors.
  Share = hits / slots.
- ``median_tags_per_company``: median over companies of the number of non-empty tags in ``industries``, split
  on the separators the backtest loader accepts (``|,;，；、/``); ``description_share``: share of companies
  with a non-empty ``description``.

Sizes: companies, rounds, rounds_with_investments, investments, investors_with_investments, first and last
round date; with ``--cutoff C --until U`` also ``candidates`` (investors with >= 1 investment in a round
dated before C), ``queries`` (rounds dated in [C, U) with >= 1 investment) and ``queries_excluding_prior``
(of those, rounds with >= 1 investor that had not invested in the company in a round dated before C: the
query count of ``huoban backtest --exclude-prior-investors``).

``coinvest_slots`` is the denominator of the co-investment share (small sets: a few hundred slots, so a few
points of noise). A statistic that is undefined on the data (no investor with 5 investments, no slot) is null.

``--compare us|cn`` prints every statistic next to its target from the real set (``TARGETS``; ratio and whether
it lies within +-20 %, sizes within +-25 %; a target of 0 has to be met exactly) and, unless given, uses that
set's cut-off and end date (``WINDOWS``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from matcher.textfile import decode_text, parse_date, read_records

TAG_SPLIT = re.compile(r"[|,;，；、/]+")  # the separators of matcher.backtest's loader

STAT_KEYS = ["top1_share", "top10_share", "single_deal_share", "top_region_share_5plus", "top_round_share_5plus",
             "investors_per_round", "coinvested_new_investor_share", "median_tags_per_company",
             "description_share"]
SIZE_KEYS = ["candidates", "queries_excluding_prior"]
STAT_TOLERANCE = 0.20
SIZE_TOLERANCE = 0.25

# Measured on the real deal records (not in the repository): the calibration targets of the presets of
# bench.backtest_data, and the backtest windows (cut-off, until) their sizes were counted on.
WINDOWS: dict[str, tuple[str, str]] = {"us": ("2012-01-01", "2013-01-01"), "cn": ("2017-01-01", "2019-01-01")}
TARGETS: dict[str, dict[str, float]] = {
    "us": {"top1_share": 0.29, "top10_share": 0.68, "single_deal_share": 0.60, "top_region_share_5plus": 0.57,
           "top_round_share_5plus": 0.48, "investors_per_round": 2.77, "coinvested_new_investor_share": 0.31,
           "median_tags_per_company": 1.0, "description_share": 0.0,
           "candidates": 7177, "queries_excluding_prior": 2816},
    "cn": {"top1_share": 0.09, "top10_share": 0.40, "single_deal_share": 0.57, "top_region_share_5plus": 0.60,
           "top_round_share_5plus": 0.40, "investors_per_round": 1.98, "coinvested_new_investor_share": 0.05,
           "median_tags_per_company": 2.0, "description_share": 1.0,
           "candidates": 476, "queries_excluding_prior": 381},
}


class DealStatsError(ValueError):
    """Bad input (the message names the file and line)."""


def _read(path: Path) -> list[dict[str, str]]:
    text = decode_text(path.read_bytes())
    if text is None:
        raise DealStatsError(f"{path.name}: cannot tell the file's encoding; save it as UTF-8")
    try:
        return read_records(text, path.name)
    except ValueError as exc:
        raise DealStatsError(str(exc)) from None


def _date(value: str, where: str) -> dt.date:
    try:
        return parse_date(value)
    except ValueError as exc:
        raise DealStatsError(f"{where}: {exc}") from None


def _median_top_share(groups: dict[str, dict[str, int]]) -> float | None:
    """Median over investors with >= 5 counted investments of (largest group) / (counted investments)."""
    shares = []
    for counts in groups.values():
        total = sum(counts.values())
        if total >= 5:
            shares.append(max(counts.values()) / total)
    return float(np.median(shares)) if shares else None


def deal_stats(data: Path, cutoff: str | None = None, until: str | None = None) -> dict[str, object]:
    """The statistics of the module docstring for the directory ``data``."""
    companies = _read(data / "companies.csv")
    rounds_rows = _read(data / "rounds.csv")
    company_region = {c["company_id"]: c.get("region", "") for c in companies}

    # round_id -> (date, company, label)
    rounds: dict[str, tuple[dt.date, str, str]] = {}
    for line, r in enumerate(rounds_rows, start=2):
        rounds[r["round_id"]] = (_date(r["date"], f"rounds.csv line {line}"), r["company_id"], r["round"].lower())

    by_round: dict[str, list[str]] = {}
    seen: set[tuple[str, str]] = set()
    for line, row in enumerate(_read(data / "investments.csv"), start=2):
        rid, inv = row["round_id"], row["investor_id"]
        if rid not in rounds:
            raise DealStatsError(f"investments.csv line {line}: unknown round_id {rid!r}")
        if not inv or (rid, inv) in seen:
            continue
        seen.add((rid, inv))
        by_round.setdefault(rid, []).append(inv)
    n_investments = len(seen)
    if n_investments == 0:
        raise DealStatsError("investments.csv has no investments")

    # 1-2. concentration and the one-deal tail.
    per_investor: dict[str, int] = {}
    for ps in by_round.values():
        for p in ps:
            per_investor[p] = per_investor.get(p, 0) + 1
    counts = np.sort(np.array(list(per_investor.values()), dtype=np.int64))[::-1]
    n_inv = int(counts.size)
    top1 = max(1, int(round(0.01 * n_inv)))
    top10 = max(1, int(round(0.10 * n_inv)))

    # 3-4. how focused the active investors are on one region / one round label.
    by_region: dict[str, dict[str, int]] = {}
    by_label: dict[str, dict[str, int]] = {}
    for rid, ps in by_round.items():
        _, company, label = rounds[rid]
        region = company_region.get(company, "")
        for p in ps:
            if per_investor[p] < 5:
                continue
            if region:
                g = by_region.setdefault(p, {})
                g[region] = g.get(region, 0) + 1
            if label:
                g = by_label.setdefault(p, {})
                g[label] = g.get(label, 0) + 1

    # 6. co-investment ties of the new investors of follow-on rounds.
    order = sorted(by_round, key=lambda rid: (rounds[rid][0], rid))
    partners: dict[str, set[str]] = {}        # co-investors in rounds dated before the current date
    company_investors: dict[str, set[str]] = {}  # investors of the company's earlier rounds
    slots = hits = 0
    pending: list[list[str]] = []             # syndicates of the current date, added when the date changes
    current: dt.date | None = None
    for rid in order:
        day, company, _ = rounds[rid]
        if day != current:
            for ps in pending:
                for a in ps:
                    pa = partners.setdefault(a, set())
                    pa.update(b for b in ps if b != a)
            pending = []
            current = day
        ps = by_round[rid]
        earlier = company_investors.get(company)
        if earlier:
            for p in ps:
                if p in earlier:
                    continue
                slots += 1
                mine = partners.get(p, set())
                small, large = (mine, earlier) if len(mine) <= len(earlier) else (earlier, mine)
                hits += any(x in large for x in small)
        company_investors.setdefault(company, set()).update(ps)
        pending.append(ps)

    # 7. text.
    n_tags = [sum(1 for t in TAG_SPLIT.split(c.get("industries", "")) if t.strip()) for c in companies]
    n_desc = sum(1 for c in companies if c.get("description", ""))

    dates = sorted(d for d, _, _ in rounds.values())
    out: dict[str, object] = {
        "top1_share": round(float(counts[:top1].sum() / n_investments), 4),
        "top10_share": round(float(counts[:top10].sum() / n_investments), 4),
        "single_deal_share": round(float((counts == 1).mean()), 4),
        "top_region_share_5plus": _rounded(_median_top_share(by_region)),
        "top_round_share_5plus": _rounded(_median_top_share(by_label)),
        "investors_per_round": round(n_investments / len(by_round), 4),
        "coinvested_new_investor_share": round(hits / slots, 4) if slots else None,
        "median_tags_per_company": float(np.median(n_tags)) if n_tags else None,
        "description_share": round(n_desc / len(companies), 4) if companies else None,
        "coinvest_slots": slots,
        "companies": len(companies),
        "rounds": len(rounds),
        "rounds_with_investments": len(by_round),
        "investments": n_investments,
        "investors_with_investments": n_inv,
        "first_date": dates[0].isoformat() if dates else None,
        "last_date": dates[-1].isoformat() if dates else None,
    }
    if cutoff is not None and until is not None:
        c0, c1 = _date(cutoff, "--cutoff"), _date(until, "--until")
        before: dict[str, set[str]] = {}
        history: set[str] = set()
        for rid, ps in by_round.items():
            day, company, _ = rounds[rid]
            if day < c0:
                history.update(ps)
                before.setdefault(company, set()).update(ps)
        queries = excl = 0
        for rid, ps in by_round.items():
            day, company, _ = rounds[rid]
            if c0 <= day < c1:
                queries += 1
                prior = before.get(company, set())
                excl += any(p not in prior for p in ps)
        out.update(cutoff=cutoff, until=until, candidates=len(history), queries=queries,
                   queries_excluding_prior=excl)
    return out


def _rounded(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def compare(stats: dict[str, object], target: str) -> list[dict[str, object]]:
    """Each statistic (and size, when counted) next to its target; ``ok`` = within the tolerance."""
    rows: list[dict[str, object]] = []
    goal = TARGETS[target]
    for key in [*STAT_KEYS, *SIZE_KEYS]:
        if key not in stats:
            continue
        tol = SIZE_TOLERANCE if key in SIZE_KEYS else STAT_TOLERANCE
        want = goal[key]
        got = stats[key]
        if not isinstance(got, int | float):  # None: undefined on this data (e.g. nobody with 5 investments)
            rows.append({"statistic": key, "value": None, "target": want, "ratio": None, "ok": False})
            continue
        value = float(got)
        # A target of 0 (no descriptions) allows no relative slack: it has to be met exactly.
        ok = abs(value - want) <= tol * abs(want) + 1e-12
        rows.append({"statistic": key, "value": value, "target": want,
                     "ratio": round(value / want, 3) if want else None, "ok": ok})
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.deal_stats", description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, help="directory with companies.csv, rounds.csv, investments.csv")
    ap.add_argument("--cutoff", help="backtest cut-off (ISO date): also count candidates and queries")
    ap.add_argument("--until", help="end of the backtest window (ISO date, exclusive)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--compare", choices=sorted(TARGETS), help="print the statistics against a real set's")
    args = ap.parse_args(argv)
    if (args.cutoff is None) != (args.until is None):
        ap.error("--cutoff and --until go together")
    cutoff, until = args.cutoff, args.until
    if args.compare and cutoff is None:
        cutoff, until = WINDOWS[args.compare]
    try:
        stats = deal_stats(args.data, cutoff, until)
    except (OSError, DealStatsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    rows = compare(stats, args.compare) if args.compare else []
    if args.json:
        out = dict(stats)
        if args.compare:
            out["compare"] = {"target": args.compare, "rows": rows, "all_ok": all(r["ok"] for r in rows)}
        print(json.dumps(out, ensure_ascii=False))
        return 0
    if rows:
        print(f"{'statistic':<32}{'value':>10}{'target':>10}{'ratio':>8}  ok ({args.compare})")
        for r in rows:
            shown = "-" if r["value"] is None else f"{r['value']:.4g}"
            ratio = "-" if r["ratio"] is None else f"{r['ratio']:.3f}"
            print(f"{r['statistic']:<32}{shown:>10}{r['target']:>10.4g}{ratio:>8}  {'yes' if r['ok'] else 'NO'}")
        print()
    width = max(len(k) for k in stats)
    for key, value in stats.items():
        if rows and key in (*STAT_KEYS, *SIZE_KEYS):
            continue
        print(f"{key:<{width}}  {value if value is not None else '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
