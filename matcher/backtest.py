"""Backtest of investor recommendation on a space's own deal history, with the service's own ranker.

Data: a directory of UTF-8 CSV files (header row) - ``companies.csv`` (company_id, name, industries
``|``-separated free-text tags, region, city, founded_on, description), ``rounds.csv`` (round_id,
company_id, round, date), ``investments.csv`` (round_id, investor_id) and optionally ``investors.csv``
(investor_id, name, kind, description).

Protocol (fixed, so results compare across evaluations): history = investments in rounds dated before the
cutoff; queries = rounds dated in [cutoff, until) with at least one investment; candidates = investors with
at least ``min_history`` history investments, profiled from history only; ground truth = the investors of
the query round (those that are not candidates count as misses). With ``exclude_prior_investors``, investors
that invested in the company before the cutoff leave both the truth and the candidates of that query, and
queries left without truth are dropped. Nothing dated on or after the cutoff informs any query: every
vocabulary, IDF, profile, the ALS peer and the model come from earlier investments. Metrics at k,
macro-averaged: Recall, NDCG (binary gain, ideal DCG over min(|truth|, k)), HR, MRR, next to every baseline of
``matcher.history.BASELINES`` and the ALS peer, all from the same history columns. ``uncertainty``: how far the
ratio to the best baseline moves when other query rounds are drawn (:func:`bootstrap_ratio`).

The method is the service's investor ranking, not a side model: the CSVs become the same profiles the
service holds (:func:`deal_log`, :func:`profiles_for`), the same :class:`~matcher.ranking.Matcher` computes
the thesis features, and :func:`matcher.investor_ranker.train_ranker` - the code ``huoban retrain`` runs -
learns and selects over windows of history before the cutoff (``training``, ``validation``, ``selected``).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from matcher.encoders import Encoder, KeywordEncoder
from matcher.errors import ConfigError, MatcherError
from matcher.geography import deal_place
from matcher.history import Company as HistCompany
from matcher.history import DealLog, Investment, normalise_tag
from matcher.investor_ranker import (
    InvestorRanker,
    TrainConfig,
    Window,
    evaluate,
    feature_names,
    list_metrics,
    metrics_dict,
    per_query_ndcg,
    train_ranker,
)
from matcher.investor_training import (
    RoundQuery,
    investor_profile,
    prepare_windows,
    split_windows,
    window_specs,
)
from matcher.taxonomy import ROUNDS
from matcher.textfile import decode_text, parse_date, read_records

__all__ = ["BacktestError", "DealData", "deal_date", "deal_log", "load_deals", "read_csv", "run_backtest", "segments"]

Progress = Callable[[str], None]


class BacktestError(MatcherError, ValueError):
    """Bad backtest input (the message names the file and line)."""


@dataclass
class Company:
    id: str
    tags: list[str]
    region: str
    city: str
    founded: dt.date | None
    description: str


@dataclass
class Round:
    id: str
    company: str
    label: str
    date: dt.date


@dataclass
class DealData:
    companies: dict[str, Company]
    rounds: dict[str, Round]
    investments: list[tuple[str, str]]  # (round id, investor id)
    investor_kind: dict[str, str] = field(default_factory=dict)
    investor_description: dict[str, str] = field(default_factory=dict)


_TAG_SPLIT = re.compile(r"[|,;，；、/]+")


def read_csv(path: Path, required: Sequence[str] = ()) -> list[dict[str, str]]:
    """The rows of one CSV of deal records as dicts of stripped strings: UTF-8 or what Excel writes (GBK, UTF-16;
    :func:`matcher.textfile.decode_text`), comma- or tab-separated."""
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise BacktestError(f"{path.name} not found in {path.parent}") from None
    text = decode_text(content)
    if text is None:
        raise BacktestError(f"{path.name}: cannot tell the file's encoding; save it as UTF-8")
    try:
        return read_records(text, path.name, tuple(required))
    except ValueError as exc:
        raise BacktestError(str(exc)) from None


def deal_date(value: str, where: str) -> dt.date:
    try:
        return parse_date(value)
    except ValueError as exc:
        raise BacktestError(f"{where}: {exc}") from None


def load_deals(directory: str | Path) -> DealData:
    directory = Path(directory)
    companies: dict[str, Company] = {}
    for i, row in enumerate(read_csv(directory / "companies.csv", ("company_id", "industries", "region", "city")),
                            start=2):
        cid = row["company_id"]
        if not cid:
            raise BacktestError(f"companies.csv line {i}: empty company_id")
        founded = deal_date(row["founded_on"], f"companies.csv line {i}") if row.get("founded_on") else None
        tags = [t for t in (normalise_tag(x) for x in _TAG_SPLIT.split(row["industries"])) if t]
        companies[cid] = Company(cid, tags, row["region"], row["city"], founded, row.get("description", ""))
    rounds: dict[str, Round] = {}
    valid = set(ROUNDS.codes)
    for i, row in enumerate(read_csv(directory / "rounds.csv", ("round_id", "company_id", "round", "date")), start=2):
        if row["company_id"] not in companies:
            raise BacktestError(f"rounds.csv line {i}: unknown company_id {row['company_id']!r}")
        label = row["round"].strip().lower()
        if label not in valid:
            try:
                label = ROUNDS.parse(row["round"])
            except ValueError:
                raise BacktestError(f"rounds.csv line {i}: unknown round {row['round']!r}; valid: "
                                    f"{', '.join(ROUNDS.codes)}") from None
        rounds[row["round_id"]] = Round(row["round_id"], row["company_id"], label,
                                        deal_date(row["date"], f"rounds.csv line {i}"))
    investments: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for i, row in enumerate(read_csv(directory / "investments.csv", ("round_id", "investor_id")), start=2):
        if row["round_id"] not in rounds:
            raise BacktestError(f"investments.csv line {i}: unknown round_id {row['round_id']!r}")
        pair = (row["round_id"], row["investor_id"])
        if row["investor_id"] and pair not in seen:
            seen.add(pair)
            investments.append(pair)
    kinds: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    if (directory / "investors.csv").exists():
        for row in read_csv(directory / "investors.csv", ("investor_id",)):
            kinds[row["investor_id"]] = (row.get("kind", "") or "").strip().lower()
            if row.get("description"):
                descriptions[row["investor_id"]] = row["description"]
    if not investments:
        raise BacktestError("investments.csv has no investments")
    return DealData(companies, rounds, investments, kinds, descriptions)


# -- the CSVs as the service's own records ------------------------------------------------------------------
def deal_log(data: DealData) -> tuple[DealLog, dict[str, int]]:
    """The deal records as a :class:`~matcher.history.DealLog`; investor ids become integers 1..n in the
    order of their CSV ids (returned as the mapping)."""
    names = sorted({inv for _, inv in data.investments} | set(data.investor_kind) | set(data.investor_description))
    ids = {name: i + 1 for i, name in enumerate(names)}
    companies = {c.id: HistCompany(c.id, tuple(c.tags), *deal_place(c.region, c.city), c.founded)
                 for c in data.companies.values()}
    investments = [Investment(ids[inv], data.rounds[rid].company, rid, data.rounds[rid].label, data.rounds[rid].date)
                   for rid, inv in data.investments]
    return DealLog(companies, investments, {ids[k]: v for k, v in data.investor_kind.items()}), ids


def run_backtest(data: DealData, *, cutoff: dt.date, until: dt.date, exclude_prior_investors: bool = False,
                 min_history: int = 1, k: int = 10, seed: int = 0, encoder: Encoder | None = None,
                 train_windows: int = 5, window_days: int | None = None, config: TrainConfig | None = None,
                 progress: Progress | None = None, details: bool = False,
                 keep: dict[str, Any] | None = None) -> dict[str, Any]:
    """The protocol of the module docstring; returns the JSON-ready result.

    Windows: the test window [cutoff, until); validation = the window of the same length (90 days to one
    year) just before the cutoff (the one before it when that one has fewer than 5 queries);
    ``train_windows`` earlier windows of that length with at least 5 queries train. Shorter, fresher windows
    beat windows as long as the test one: on the Chinese preset (two-year test window) two-year windows left
    45 training queries and the model lost to tag popularity, one-year windows gave 135 and it won.
    ``details`` adds ``per_query``: each query's round id, ground truth and Huoban's top k (investor ids)."""
    say = progress or (lambda m: None)
    if until <= cutoff:
        raise ConfigError("--until must be after --cutoff")
    started = time.perf_counter()
    log, ids = deal_log(data)
    names = {v: k_ for k_, v in ids.items()}
    span = dt.timedelta(days=window_days or min(max((until - cutoff).days, 90), 365))
    enc = encoder or KeywordEncoder()
    specs = window_specs(cutoff, span, 1 + train_windows, test_until=until)
    investors = [investor_profile(i, data.investor_kind.get(name, ""), data.investor_description.get(name, ""))
                 for name, i in sorted(ids.items(), key=lambda kv: kv[1])]
    prepared = prepare_windows(
        log, specs, exclude_prior=exclude_prior_investors, min_history=min_history, investors=investors, encoder=enc,
        descriptions={c.id: c.description for c in data.companies.values() if c.description}, seed=seed,
        held_out=0, progress=say)
    windows, queries = prepared.windows, prepared.queries
    test = windows[0]
    if test is None:
        raise ConfigError("no query rounds in [cutoff, until) with ground truth; check the dates")
    validation, train = split_windows(windows[1:])
    cfg = config or TrainConfig(seed=seed)
    ranker = train_ranker(train, validation, exclude_prior=exclude_prior_investors, config=cfg, progress=say) \
        if train else InvestorRanker("baseline:recency_popularity", feature_names(test.context.view.kinds),
                                     depth=cfg.depth,
                                     report={"selected": "baseline:recency_popularity",
                                             "reason": "too little history before the cutoff to learn from"})
    if keep is not None:  # what the ranking ran on (tests rank the same queries through Matcher.rank)
        keep.update(log=log, ids=ids, ranker=ranker, prepared=prepared)
    test.context.nb = ranker.nb  # the smoothing fitted before the cut-off
    tops: dict[str, list[list[int]]] = {}
    scores = evaluate(test, {"huoban": ranker}, exclude_prior=exclude_prior_investors, depth=ranker.depth, k=k,
                      top_out=tops)
    shortlist_recall = scores.pop("_shortlist_recall")
    baselines = {"random": _random_baseline(test, k, seed), **{n: v for n, v in scores.items() if n != "huoban"}}
    best_name = max((n for n in baselines if n != "random"), key=lambda n: baselines[n][f"ndcg@{k}"])
    huoban = scores["huoban"]
    out: dict[str, Any] = {
        "queries": len(test.truths),
        "candidates": int(len(test.candidates)),
        "huoban": huoban,
        "baselines": baselines,
        "selected": ranker.selected,
        "validation": ranker.report.get("validation"),
        "best_baseline": best_name,
        "ndcg_ratio_to_best_baseline": round(huoban[f"ndcg@{k}"] / max(baselines[best_name][f"ndcg@{k}"], 1e-12), 3),
        "ndcg_ratio_to_als": round(huoban[f"ndcg@{k}"] / max(baselines["als"][f"ndcg@{k}"], 1e-12), 3),
        "shortlist_recall": round(shortlist_recall, 4),
        "protocol": {"cutoff": cutoff.isoformat(), "until": until.isoformat(), "k": k, "min_history": min_history,
                     "exclude_prior_investors": exclude_prior_investors,
                     "history_investments": log.before(cutoff), "window_days": span.days},
        "training": {k_: v for k_, v in ranker.report.items() if k_ not in ("validation", "features")},
        "encoder": enc.id,
        "seconds": round(time.perf_counter() - started, 1),
    }
    out["segments"] = segments(log, queries[0], tops, best_name, cutoff, k)
    if keep is not None:
        keep["tops"] = tops  # every method's top k per query round, in the order of test.truths
    per_query = {name: per_query_ndcg(top, test.truths, k) for name, top in tops.items()}
    out["uncertainty"] = bootstrap_ratio(per_query.pop("huoban"), per_query, seed=seed)
    if details:
        out["per_query"] = [{"round_id": q.round, "company_id": q.company, "round": q.label,
                             "date": q.date.isoformat(), "truth": sorted(names[t] for t in q.truth),
                             "huoban": [names[t] for t in top], best_name: [names[t] for t in best]}
                            for q, top, best in zip(queries[0], tops["huoban"], tops[best_name], strict=True)]
    return out


def _selected_in_words(selected: str, validation: dict[str, Any] | None) -> str:
    """What ``selected`` means for the space, in one sentence (README, "What `selected` means for a space")."""
    val = validation or {}
    against = (f" (NDCG@10 on the year before the cut-off: model {val['learned']:.4f}, best simple ranking "
               f"{val['best_baseline']} {val['best_baseline_ndcg@10']:.4f})"
               if val.get("learned") is not None and val.get("best_baseline") else "")
    if selected == "learned":
        return f"the learned model: it ranked the year before the cut-off better than every simple ranking{against}"
    if selected.startswith("blend:"):
        return (f"the model blended with {selected.split(':', 1)[1]}: the model alone lost the year before the "
                f"cut-off, the two together won it{against}")
    if selected == "naive_bayes":
        return f"the fitted naive-Bayes score: the model did not beat it on the year before the cut-off{against}"
    return (f"the simple ranking {selected.split(':', 1)[-1]}: nothing learned beat it on the year before the "
            f"cut-off, or there was too little history to learn from{against}")


def format_summary(result: dict[str, Any]) -> str:
    """``huoban backtest``'s result for a reader: the protocol, what served and why, the ratio with its interval,
    and every method's metrics, best first (``--json`` prints everything)."""
    proto = result["protocol"]
    k = proto["k"]
    lines = [f"Backtest of investor matches: {result['queries']} query rounds in [{proto['cutoff']}, "
             f"{proto['until']}), {result['candidates']} candidate investors, {proto['history_investments']} "
             f"investments before the cut-off" + (", the companies' earlier investors excluded"
                                                  if proto["exclude_prior_investors"] else ""),
             f"Served: {_selected_in_words(result['selected'], result.get('validation'))}."]
    best = result["best_baseline"]
    ours = result["huoban"][f"ndcg@{k}"]
    line = (f"NDCG@{k}: Huoban {ours:.4f}, the best baseline ({best}) {result['baselines'][best][f'ndcg@{k}']:.4f}: "
            f"{result['ndcg_ratio_to_best_baseline']:.2f}x")
    unc = result.get("uncertainty") or {}
    if unc.get("ci90"):
        lo, hi = unc["ci90"]
        share = unc["share_at_or_above"]
        line += (f" (over resampled query rounds: 90 % between {lo:.2f}x and {hi:.2f}x; "
                 f"{share['1.5']:.0%} of draws at or above 1.5x, {share['1.0']:.0%} at or above 1.0x)")
    unseen = result.get("segments", {}).get("truth_history", {}).get("0", {}).get("share")
    lines += [line, f"Shortlist recall: {result['shortlist_recall']:.1%} of the true investors reach the ranked "
                    f"shortlist" + (f" ({unseen:.1%} had no investment before the cut-off: no method can rank "
                                    f"them)." if unseen is not None else "."), ""]
    names = [f"ndcg@{k}", f"recall@{k}", f"hr@{k}", f"mrr@{k}"]
    base = result["baselines"]
    rivals = sorted(((n, m) for n, m in base.items() if n != "random"), key=lambda kv: -kv[1][names[0]])
    rows = [("Huoban", result["huoban"]), *rivals, *([("random", base["random"])] if "random" in base else [])]
    width = max(len(n) for n, _ in rows) + 2
    lines.append("".ljust(width) + "".join(n.upper().rjust(11) for n in names))
    lines += [name.ljust(width) + "".join(f"{m[n]:11.4f}" for n in names) for name, m in rows]
    seg = result.get("segments", {}).get("query_type", {})
    if seg:
        lines.append("")
        lines += [f"{kind}: {g['queries']} rounds, Huoban {g['huoban']:.4f}, {best} {g['best_baseline']:.4f}"
                  for kind, g in seg.items() if g.get("queries")]
    return "\n".join(lines)


HISTORY_BUCKETS = ((0, "0"), (1, "1"), (2, "2-4"), (5, "5-19"), (20, "20+"))


def segments(log: DealLog, queries: Sequence[RoundQuery], tops: dict[str, list[list[int]]], best: str,
             cutoff: dt.date, k: int) -> dict[str, Any]:
    """Where Huoban wins or loses against the best baseline, for a space reading its own results (and for
    anyone re-running this on data they cannot share): NDCG@k (None for an empty group) by what the ranking
    knew of the company (``known_investors``: it had investors before the cutoff, so the network features had
    something to work with; ``new_company``: none, which includes a company's second round when its first
    lies in the test window too) and by round label; and the query rounds' true investors by how many deals
    each had before the cutoff (0: no history, a miss for every method; below ``--min-history`` too), with the
    share of them each method put in its top k, and the share of each method's top-k slots that went to
    investors of each group (what its lists are made of)."""
    def ndcg(name: str, idx: list[int]) -> float | None:
        return round(float(np.mean([list_metrics(tops[name][i], {t: 1.0 for t in queries[i].truth}, k)[0]
                                    for i in idx])), 4) if idx else None

    def group(idx: list[int]) -> dict[str, Any]:
        return {"queries": len(idx), "huoban": ndcg("huoban", idx), "best_baseline": ndcg(best, idx)}

    known = [i for i, q in enumerate(queries) if len(log.company_investors(q.company, cutoff))]
    new = sorted(set(range(len(queries))) - set(known))
    labels = sorted({q.label for q in queries}, key=ROUNDS.codes.index)
    deals = np.bincount(log.investor[:log.before(cutoff)], minlength=int(log.investor.max(initial=0)) + 1)

    def bucket(investor: int) -> str:
        n = int(deals[investor]) if investor < len(deals) else 0
        return next(b for lo, b in reversed(HISTORY_BUCKETS) if n >= lo)

    # per group: truths, of them in our top k, in the best baseline's; our slots, the best baseline's slots
    buckets: dict[str, list[int]] = {name: [0, 0, 0, 0, 0] for _, name in HISTORY_BUCKETS}
    for i, q in enumerate(queries):
        ours, theirs = set(tops["huoban"][i]), set(tops[best][i])
        for t in q.truth:
            buckets[bucket(t)][0] += 1
            buckets[bucket(t)][1] += t in ours
            buckets[bucket(t)][2] += t in theirs
        for t in ours:
            buckets[bucket(t)][3] += 1
        for t in theirs:
            buckets[bucket(t)][4] += 1
    truths = max(sum(v[0] for v in buckets.values()), 1)
    slots = [max(sum(v[j] for v in buckets.values()), 1) for j in (3, 4)]
    return {
        "best_baseline": best,
        "query_type": {"new_company": group(new), "known_investors": group(known)},
        "round": {label: group([i for i, q in enumerate(queries) if q.label == label]) for label in labels},
        "truth_history": {name: {"truths": v[0], "share": round(v[0] / truths, 4),
                                 "huoban_top_k": round(v[1] / max(v[0], 1), 4),
                                 "best_baseline_top_k": round(v[2] / max(v[0], 1), 4),
                                 "huoban_slots": round(v[3] / slots[0], 4),
                                 "best_baseline_slots": round(v[4] / slots[1], 4)}
                          for name, v in buckets.items()},
    }


BOOTSTRAP_RESAMPLES = 2000


def bootstrap_ratio(ours: np.ndarray, rivals: dict[str, np.ndarray], *, resamples: int = BOOTSTRAP_RESAMPLES,
                    seed: int = 0, block: int = 250) -> dict[str, Any]:
    """How far the ratio to the best baseline can be trusted: a paired bootstrap over the query rounds.

    ``ours`` and every array of ``rivals`` hold one NDCG per query, in the same order. Each resample draws the
    queries with replacement, takes every method's mean over the same draw and divides ours by the best rival
    of *that* draw (re-picking the best is part of the yardstick: a rival that wins by luck on the test year
    inflates it as much as it would on another year's rounds). Returns the 5th and 95th percentiles of that
    ratio (``ci90``) and the share of resamples at or above 1.0 and 1.5. Query rounds are not independent
    (one investor's rounds, one month's syndicates), so read the interval as a lower bound on the spread."""
    names = sorted(rivals)
    n = len(ours)
    if n == 0 or not names:
        return {"resamples": 0, "ci90": None, "share_at_or_above": None}
    M = np.stack([np.asarray(ours, dtype=np.float64), *(np.asarray(rivals[r], dtype=np.float64) for r in names)])
    rng = np.random.default_rng(seed)
    ratios = np.empty(resamples)
    for start in range(0, resamples, block):  # one block of draws at a time: resamples x n counts stay small
        b = min(block, resamples - start)
        counts = np.stack([np.bincount(rng.integers(0, n, n), minlength=n) for _ in range(b)])  # (b, n)
        means = counts @ M.T / n  # (b, methods)
        best = means[:, 1:].max(axis=1)
        ratios[start:start + b] = means[:, 0] / np.maximum(best, 1e-12)
    lo, hi = np.percentile(ratios, [5, 95])
    return {"resamples": resamples, "ci90": [round(float(lo), 3), round(float(hi), 3)],
            "share_at_or_above": {"1.0": round(float(np.mean(ratios >= 1.0)), 3),
                                  "1.5": round(float(np.mean(ratios >= 1.5)), 3)}}


def _random_baseline(w: Window, k: int, seed: int) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    sums = np.zeros(4)
    for qi, truth in enumerate(w.truths):
        allowed = w.candidates[~np.isin(w.candidates, list(w.excluded[qi]))] if w.excluded[qi] else w.candidates
        sums += list_metrics([int(x) for x in rng.permutation(allowed)[:k]], {int(t): 1.0 for t in truth}, k)
    return metrics_dict(sums / max(len(w.truths), 1), k)
