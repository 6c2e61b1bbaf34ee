"""Backtest of investor recommendation on a space's own deal history.

Data: a directory of UTF-8 CSV files (header row) - ``companies.csv`` (company_id, name, industries
``|``-separated free-text tags, region, city, founded_on, description), ``rounds.csv`` (round_id,
company_id, round, date), ``investments.csv`` (round_id, investor_id) and optionally ``investors.csv``
(investor_id, name, kind, description).

Protocol (fixed, so results compare across evaluations): history = investments in rounds dated before the
cutoff; queries = rounds dated in [cutoff, until) with at least one investment; candidates = investors with
at least ``min_history`` history investments, profiled from history only; ground truth = the investors of
the query round (those that are not candidates count as misses). With ``exclude_prior_investors``, investors
that invested in the company before the cutoff leave both the truth and the candidates of that query, and
queries left without truth are dropped. Nothing dated on or after the cutoff informs any query, and nothing
about a round's size is used. Metrics at k, macro-averaged: Recall, NDCG (binary gain, ideal DCG over
min(|truth|, k)), HR, MRR; baselines in the same run: random, global popularity, round popularity,
region x round popularity backing off to round, then global.

The method ("huoban") learns from history: it builds investor profiles as of ``cutoff - train_window``,
trains a gradient-boosted ranker on the rounds of the last ``train_window`` before the cutoff (labels: who
invested; negatives drawn uniformly), then rebuilds the profiles as of the cutoff and scores every candidate
of every query round. Pair features: activity
(total, recency-weighted, days since last deal), round mix (share of this round, of neighbouring rounds),
region and city mix, tag affinity (TF-IDF over normalised tags, and embeddings of the tags so that synonyms
and other languages meet), the investor's own description embedded against the company's tags and description,
co-investment with the company's earlier investors, follow-on, the company's age against the investor's usual
one, and the investor kind.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from matcher.encoders import Encoder
from matcher.errors import ConfigError, MatcherError
from matcher.metrics import hit_rate_at_k, mrr_at_k, ndcg_at_k, recall_at_k
from matcher.taxonomy import ROUNDS

__all__ = ["BacktestError", "DealData", "load_deals", "run_backtest"]

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


def normalise_tag(tag: str) -> str:
    # full-width to half-width, lower case, no inner spaces
    out = "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in tag)
    return re.sub(r"\s+", "", out.strip().lower())


def _read(path: Path, required: Sequence[str]) -> list[dict[str, str]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in required if c not in header]
            if missing:
                raise BacktestError(f"{path.name}: missing columns {missing} (header: {header})")
            rows = []
            for row in reader:
                rows.append({(k or "").strip(): (v or "").strip() for k, v in row.items()})
            return rows
    except FileNotFoundError:
        raise BacktestError(f"{path.name} not found in {path.parent}") from None
    except UnicodeDecodeError:
        raise BacktestError(f"{path.name} is not UTF-8") from None


def _date(value: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise BacktestError(f"{where}: not an ISO date: {value!r}") from None


def load_deals(directory: str | Path) -> DealData:
    directory = Path(directory)
    companies: dict[str, Company] = {}
    for i, row in enumerate(_read(directory / "companies.csv", ("company_id", "industries", "region", "city")),
                            start=2):
        cid = row["company_id"]
        if not cid:
            raise BacktestError(f"companies.csv line {i}: empty company_id")
        founded = _date(row["founded_on"], f"companies.csv line {i}") if row.get("founded_on") else None
        tags = [t for t in (normalise_tag(x) for x in _TAG_SPLIT.split(row["industries"])) if t]
        companies[cid] = Company(cid, tags, row["region"], row["city"], founded, row.get("description", ""))
    rounds: dict[str, Round] = {}
    valid = set(ROUNDS.codes)
    for i, row in enumerate(_read(directory / "rounds.csv", ("round_id", "company_id", "round", "date")), start=2):
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
                                        _date(row["date"], f"rounds.csv line {i}"))
    investments: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for i, row in enumerate(_read(directory / "investments.csv", ("round_id", "investor_id")), start=2):
        if row["round_id"] not in rounds:
            raise BacktestError(f"investments.csv line {i}: unknown round_id {row['round_id']!r}")
        pair = (row["round_id"], row["investor_id"])
        if row["investor_id"] and pair not in seen:
            seen.add(pair)
            investments.append(pair)
    kinds: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    if (directory / "investors.csv").exists():
        for row in _read(directory / "investors.csv", ("investor_id",)):
            kinds[row["investor_id"]] = (row.get("kind", "") or "").strip().lower()
            if row.get("description"):
                descriptions[row["investor_id"]] = row["description"]
    if not investments:
        raise BacktestError("investments.csv has no investments")
    return DealData(companies, rounds, investments, kinds, descriptions)


# -- profiles -------------------------------------------------------------------------------------------
ROUND_ORDER = {code: i for i, code in enumerate(ROUNDS.codes)}
HALF_LIFE_DAYS = 365.0


@dataclass
class Profiles:
    """Investor profiles from the investments dated before ``as_of``."""

    as_of: dt.date
    investors: list[str]
    index: dict[str, int]
    n: np.ndarray  # (J,)
    recent: np.ndarray  # recency-weighted count
    last_days: np.ndarray  # days since the last deal
    round_counts: np.ndarray  # (J, R)
    region_counts: sparse.csr_matrix  # (J, G)
    city_counts: sparse.csr_matrix  # (J, C)
    tag_tfidf: sparse.csr_matrix  # (J, V) L2-normalised
    tag_recent: sparse.csr_matrix  # same, recency-weighted
    tag_vec: np.ndarray  # (J, d) unit (zeros when unknown)
    coinvest: sparse.csr_matrix  # (J, J) rounds together
    portfolio: dict[str, set[int]]  # company -> investors (rows) that invested in it
    median_age: np.ndarray  # years
    kind: np.ndarray  # (J, K) one-hot
    desc_vec: np.ndarray  # (J, d) the investor's own description, unit (zeros when empty)


class Vocab:
    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def get(self, key: str) -> int:
        if key not in self.ids:
            self.ids[key] = len(self.ids)
        return self.ids[key]


@dataclass
class Spaces:
    """Shared vocabularies and tag vectors (the same columns for every profile build)."""

    tags: Vocab
    regions: Vocab
    cities: Vocab
    kinds: list[str]
    idf: np.ndarray
    tag_vectors: np.ndarray  # (V, d) unit rows, zeros when no encoder
    text_vectors: dict[str, np.ndarray] = field(default_factory=dict)  # description -> unit vector


def encode_descriptions(spaces: Spaces, texts: Sequence[str], encoder: Encoder | None) -> None:
    """Embed the distinct non-empty descriptions (investors', queried companies') once."""
    todo = sorted({t for t in texts if t and t not in spaces.text_vectors})
    if encoder is None or not todo or spaces.tag_vectors.shape[1] <= 1:
        return
    vectors = np.asarray(encoder.encode(todo), dtype=np.float32)
    for text, v in zip(todo, vectors, strict=True):
        n = float(np.linalg.norm(v))
        spaces.text_vectors[text] = v / n if n > 0 else v


def build_spaces(data: DealData, history_before: dt.date, encoder: Encoder | None) -> Spaces:
    tags, regions, cities = Vocab(), Vocab(), Vocab()
    df: Counter[int] = Counter()
    companies_seen = 0
    for c in data.companies.values():
        ids = {tags.get(t) for t in c.tags}
        regions.get(c.region)
        cities.get(c.city)
        df.update(ids)
        companies_seen += 1
    idf = np.ones(len(tags.ids))
    for t, n in df.items():
        idf[t] = math.log((1 + companies_seen) / (1 + n)) + 1.0
    if encoder is not None and tags.ids:
        names = sorted(tags.ids, key=tags.ids.__getitem__)
        vectors = np.asarray(encoder.encode(names), dtype=np.float32)
    else:
        vectors = np.zeros((len(tags.ids), 1), dtype=np.float32)
    kinds = sorted({k for k in data.investor_kind.values() if k})
    return Spaces(tags, regions, cities, kinds, idf, vectors)


def _company_tag_row(c: Company, spaces: Spaces) -> dict[int, float]:
    out: dict[int, float] = {}
    for t in c.tags:
        j = spaces.tags.ids.get(t)
        if j is not None:
            out[j] = spaces.idf[j]
    norm = math.sqrt(sum(v * v for v in out.values())) or 1.0
    return {k: v / norm for k, v in out.items()}


def _company_vec(c: Company, spaces: Spaces, with_description: bool = False) -> np.ndarray:
    """Unit mean of the company's tag embeddings (plus its description's, when asked and known)."""
    d = spaces.tag_vectors.shape[1]
    ids = [spaces.tags.ids[t] for t in c.tags if t in spaces.tags.ids]
    parts = []
    if ids and d > 1:
        tv = spaces.tag_vectors[ids].mean(axis=0)
        tn = float(np.linalg.norm(tv))
        if tn > 0:
            parts.append(tv / tn)
    if with_description and c.description in spaces.text_vectors:
        parts.append(spaces.text_vectors[c.description])
    if not parts:
        return np.zeros(d, dtype=np.float32)
    v = np.mean(parts, axis=0)
    n = float(np.linalg.norm(v))
    out: np.ndarray = v / n if n > 0 else v
    return out


def build_profiles(data: DealData, as_of: dt.date, spaces: Spaces, min_history: int = 1) -> Profiles:
    by_round: dict[str, list[str]] = defaultdict(list)
    for rid, inv in data.investments:
        if data.rounds[rid].date < as_of:
            by_round[rid].append(inv)
    counts = Counter(inv for invs in by_round.values() for inv in invs)
    investors = sorted(i for i, n in counts.items() if n >= min_history)
    index = {inv: j for j, inv in enumerate(investors)}
    J, R = len(investors), len(ROUNDS)
    n = np.zeros(J)
    recent = np.zeros(J)
    last = np.full(J, np.inf)
    round_counts = np.zeros((J, R))
    reg_rows, reg_cols, city_rows, city_cols = [], [], [], []
    tag_r, tag_c, tag_v, tag_w = [], [], [], []
    ages: dict[int, list[float]] = defaultdict(list)
    portfolio: dict[str, set[int]] = defaultdict(set)
    co_r, co_c = [], []
    d = spaces.tag_vectors.shape[1]
    vec_sum = np.zeros((J, d))
    for rid, invs in by_round.items():
        rnd = data.rounds[rid]
        company = data.companies[rnd.company]
        days = (as_of - rnd.date).days
        decay = 0.5 ** (days / HALF_LIFE_DAYS)
        rows = [index[i] for i in invs if i in index]
        trow = _company_tag_row(company, spaces)
        cvec = _company_vec(company, spaces)
        age = (rnd.date - company.founded).days / 365.25 if company.founded else None
        for j in rows:
            n[j] += 1
            recent[j] += decay
            last[j] = min(last[j], days)
            round_counts[j, ROUND_ORDER[rnd.label]] += 1
            reg_rows.append(j)
            reg_cols.append(spaces.regions.get(company.region))
            city_rows.append(j)
            city_cols.append(spaces.cities.get(company.city))
            for t, w in trow.items():
                tag_r.append(j)
                tag_c.append(t)
                tag_v.append(w)
                tag_w.append(w * decay)
            vec_sum[j] += cvec
            if age is not None and age >= 0:
                ages[j].append(age)
            portfolio[rnd.company].add(j)
        for a in rows:
            for b in rows:
                if a != b:
                    co_r.append(a)
                    co_c.append(b)
    G, C, V = len(spaces.regions.ids), len(spaces.cities.ids), len(spaces.tags.ids)
    ones = np.ones
    region = sparse.csr_matrix((ones(len(reg_rows)), (reg_rows, reg_cols)), shape=(J, G))
    city = sparse.csr_matrix((ones(len(city_rows)), (city_rows, city_cols)), shape=(J, C))

    def l2(m: sparse.csr_matrix) -> sparse.csr_matrix:
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        out: sparse.csr_matrix = sparse.diags(1.0 / norms) @ m
        return out.tocsr()

    tag_tfidf = l2(sparse.csr_matrix((tag_v, (tag_r, tag_c)), shape=(J, V)))
    tag_recent = l2(sparse.csr_matrix((tag_w, (tag_r, tag_c)), shape=(J, V)))
    norms = np.linalg.norm(vec_sum, axis=1, keepdims=True)
    tag_vec = np.divide(vec_sum, norms, out=np.zeros_like(vec_sum), where=norms > 0)
    coinvest = sparse.csr_matrix((ones(len(co_r)), (co_r, co_c)), shape=(J, J))
    median_age = np.array([float(np.median(ages[j])) if ages.get(j) else np.nan for j in range(J)])
    kind = np.zeros((J, max(len(spaces.kinds), 1)))
    for inv, j in index.items():
        k = data.investor_kind.get(inv, "")
        if k in spaces.kinds:
            kind[j, spaces.kinds.index(k)] = 1.0
    desc_vec = np.zeros((J, d), dtype=np.float32)
    for inv, j in index.items():
        text = data.investor_description.get(inv, "")
        if text in spaces.text_vectors:
            desc_vec[j] = spaces.text_vectors[text]
    return Profiles(as_of, investors, index, n, recent, np.where(np.isinf(last), 1e4, last), round_counts, region,
                    city, tag_tfidf, tag_recent, tag_vec, coinvest, portfolio, median_age, kind, desc_vec)


FEATURE_NAMES = (
    "log_n", "log_recent", "log_days_since_last", "round_share", "log_round_count", "near_round_share",
    "region_share", "city_share", "tag_cosine", "tag_recent_cosine", "tag_embedding", "coinvest",
    "coinvest_any", "prior_investor", "age_gap", "round_order", "description_embedding",
)


def pair_features(P: Profiles, spaces: Spaces, company: Company, label: str, date: dt.date,
                  prior: set[int]) -> np.ndarray:
    """Features of one query round against every candidate, shape (J, F + kinds)."""
    J = len(P.investors)
    r = ROUND_ORDER[label]
    n = np.maximum(P.n, 1.0)
    rc = P.round_counts
    near = rc[:, max(r - 1, 0):r + 2].sum(axis=1)
    g = spaces.regions.ids.get(company.region)
    c = spaces.cities.ids.get(company.city)
    region = np.asarray(P.region_counts[:, g].todense()).ravel() if g is not None and g < P.region_counts.shape[1] \
        else np.zeros(J)
    city = np.asarray(P.city_counts[:, c].todense()).ravel() if c is not None and c < P.city_counts.shape[1] \
        else np.zeros(J)
    trow = _company_tag_row(company, spaces)
    q = sparse.csr_matrix((list(trow.values()), ([0] * len(trow), list(trow.keys()))),
                          shape=(1, P.tag_tfidf.shape[1]))
    tag_cos = np.asarray((P.tag_tfidf @ q.T).todense()).ravel()
    tag_rec = np.asarray((P.tag_recent @ q.T).todense()).ravel()
    cvec = _company_vec(company, spaces, with_description=True)
    emb = P.tag_vec @ cvec if P.tag_vec.shape[1] > 1 else np.zeros(J)
    desc = P.desc_vec @ cvec if P.desc_vec.shape[1] > 1 else np.zeros(J)
    prior_rows = sorted(prior)
    if prior_rows:
        co = np.asarray(P.coinvest[prior_rows].sum(axis=0)).ravel()
    else:
        co = np.zeros(J)
    prior_flag = np.zeros(J)
    prior_flag[prior_rows] = 1.0
    if company.founded:
        age = max((date - company.founded).days / 365.25, 0.05)
        gap = np.where(np.isnan(P.median_age), 1.0, np.abs(np.log(age) - np.log(np.maximum(P.median_age, 0.05))))
    else:
        gap = np.full(J, 1.0)
    X = np.column_stack([
        np.log1p(P.n), np.log1p(P.recent), np.log1p(P.last_days), rc[:, r] / n, np.log1p(rc[:, r]), near / n,
        region / n, city / n, tag_cos, tag_rec, emb, np.log1p(co), (co > 0).astype(float), prior_flag, gap,
        np.full(J, r, dtype=float), desc,
    ])
    return np.hstack([X, P.kind])


def prior_score(X: np.ndarray) -> np.ndarray:
    """A cheap, unlearned relevance score: the ranking when there is too little history to learn from."""
    f = {name: i for i, name in enumerate(FEATURE_NAMES)}
    out: np.ndarray = (X[:, f["log_recent"]] + 2.0 * X[:, f["round_share"]] + 2.0 * X[:, f["tag_cosine"]]
                       + 1.0 * X[:, f["tag_embedding"]] + 0.5 * X[:, f["log_round_count"]]
                       + 1.0 * X[:, f["region_share"]] + 1.0 * X[:, f["coinvest"]] + 3.0 * X[:, f["prior_investor"]])
    return out


# -- the run ----------------------------------------------------------------------------------------------
def _company_prior(data: DealData, P: Profiles, before: dt.date) -> dict[str, set[int]]:
    """Company -> candidate rows that invested in it before ``before`` (from history only)."""
    out: dict[str, set[int]] = defaultdict(set)
    for rid, inv in data.investments:
        rnd = data.rounds[rid]
        if rnd.date < before and inv in P.index:
            out[rnd.company].add(P.index[inv])
    return out


def _queries(data: DealData, start: dt.date, end: dt.date) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for rid, inv in data.investments:
        if start <= data.rounds[rid].date < end:
            out[rid].append(inv)
    return dict(sorted(out.items(), key=lambda kv: (data.rounds[kv[0]].date, kv[0])))


def _metrics(rankings: list[list[int]], truths: list[set[int]], k: int) -> dict[str, float]:
    rel = [{t: 1.0 for t in truth} for truth in truths]
    return {
        f"recall@{k}": float(np.mean([recall_at_k(r, t, k) for r, t in zip(rankings, rel, strict=True)])),
        f"ndcg@{k}": float(np.mean([ndcg_at_k(r, t, k) for r, t in zip(rankings, rel, strict=True)])),
        f"hr@{k}": float(np.mean([hit_rate_at_k(r, t, k) for r, t in zip(rankings, rel, strict=True)])),
        f"mrr@{k}": float(np.mean([mrr_at_k(r, t, k) for r, t in zip(rankings, rel, strict=True)])),
    }


def _top(scores: np.ndarray, k: int, allowed: np.ndarray) -> list[int]:
    s = np.where(allowed, scores, -np.inf)
    k = min(k, int(allowed.sum()))
    if k <= 0:
        return []
    part = np.argpartition(-s, k - 1)[:k]
    return [int(i) for i in part[np.lexsort((part, -s[part]))]]


def run_backtest(data: DealData, *, cutoff: dt.date, until: dt.date, exclude_prior_investors: bool = False,
                 min_history: int = 1, k: int = 10, seed: int = 0, encoder: Encoder | None = None,
                 train_window_days: int = 365, negatives: int = 300, progress: Progress | None = None,
                 details: bool = False) -> dict[str, Any]:
    """The protocol of the module docstring; returns the JSON-ready result.

    ``details`` adds ``per_query``: each query's round id, ground truth and Huoban's top k (investor ids).
    """
    say = progress or (lambda m: None)
    if until <= cutoff:
        raise ConfigError("--until must be after --cutoff")
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    spaces = build_spaces(data, cutoff, encoder)
    t0 = cutoff - dt.timedelta(days=train_window_days)
    train_q = _queries(data, t0, cutoff)
    queries = _queries(data, cutoff, until)
    # descriptions are static attributes (no dates), so embedding them leaks nothing about later rounds
    encode_descriptions(spaces, [*data.investor_description.values(),
                                 *(data.companies[data.rounds[r].company].description for r in (*train_q, *queries))],
                        encoder)
    say(f"{len(spaces.tags.ids)} distinct tags, {len(spaces.text_vectors)} descriptions embedded, "
        f"{len(data.investments)} investments")

    # ---- train inside history: profiles as of t0, labels from rounds in [t0, cutoff) ----
    # Negatives are drawn uniformly from all candidates. Hard negatives (the popular, the prior investors)
    # looked tempting but bias the sample: the model then learns that being obscure predicts a deal, and
    # ranks thousands of one-deal investors first (NDCG@10 fell below popularity in our runs).
    P0 = build_profiles(data, t0, spaces, min_history)
    prior0 = _company_prior(data, P0, t0)
    X_rows: list[np.ndarray] = []
    y_rows: list[np.ndarray] = []
    for rid, invs in train_q.items():
        rnd = data.rounds[rid]
        company = data.companies[rnd.company]
        prior_rows = prior0.get(rnd.company, set())
        positives = np.array([P0.index[i] for i in invs if i in P0.index], dtype=np.int64)
        if exclude_prior_investors:  # train as the queries are asked: earlier investors are not candidates
            positives = positives[~np.isin(positives, list(prior_rows))]
        if len(positives) == 0:
            continue
        X = pair_features(P0, spaces, company, rnd.label, rnd.date, prior_rows)
        rand = rng.choice(len(P0.investors), size=min(negatives, len(P0.investors)), replace=False)
        if exclude_prior_investors:
            rand = rand[~np.isin(rand, list(prior_rows))]
        rows = np.unique(np.concatenate([positives, rand]))
        y = np.isin(rows, positives).astype(np.int64)
        X_rows.append(X[rows])
        y_rows.append(y)
    model = None
    train_info: dict[str, Any] = {"as_of": t0.isoformat(), "queries": len(X_rows)}
    if len(X_rows) >= 30:
        from sklearn.ensemble import HistGradientBoostingClassifier

        Xt = np.vstack(X_rows)
        yt = np.concatenate(y_rows)
        model = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.06, max_leaf_nodes=31,
                                               min_samples_leaf=30, l2_regularization=1.0, early_stopping=True,
                                               validation_fraction=0.1, n_iter_no_change=20, random_state=seed)
        model.fit(Xt, yt)
        train_info.update(rows=int(len(yt)), positives=int(yt.sum()), iterations=int(model.n_iter_))
        say(f"trained on {len(yt)} pairs from {len(X_rows)} rounds of the year before the cutoff")
    else:
        say("too little history before the cutoff to learn from; ranking by the unlearned prior score")

    # ---- test: profiles as of the cutoff ----
    P = build_profiles(data, cutoff, spaces, min_history)
    prior = _company_prior(data, P, cutoff)
    J = len(P.investors)
    global_count = P.n
    round_count = P.round_counts
    region_round: dict[tuple[str, str], np.ndarray] = {}
    for rid, inv in data.investments:
        rnd = data.rounds[rid]
        if rnd.date < cutoff and inv in P.index:
            key = (data.companies[rnd.company].region, rnd.label)
            arr = region_round.setdefault(key, np.zeros(J))
            arr[P.index[inv]] += 1
    earlier: dict[str, set[str]] = defaultdict(set)
    for rid, inv in data.investments:
        if data.rounds[rid].date < cutoff:
            earlier[data.rounds[rid].company].add(inv)
    results: dict[str, list[list[int]]] = defaultdict(list)
    truths: list[set[int]] = []
    per_query: list[dict[str, Any]] = []
    ids_out = 0
    for rid, invs in queries.items():
        rnd = data.rounds[rid]
        company = data.companies[rnd.company]
        allowed = np.ones(J, dtype=bool)
        truth_ids = set(invs)
        if exclude_prior_investors:
            before = earlier.get(rnd.company, set())  # its investors before the cutoff, candidates or not
            truth_ids -= before
            for inv in before:
                if inv in P.index:
                    allowed[P.index[inv]] = False
            if not truth_ids:
                continue
        # truth as candidate rows; non-candidates stay as misses (negative sentinels never ranked)
        truth: set[int] = set()
        for inv in truth_ids:
            if inv in P.index:
                truth.add(P.index[inv])
            else:
                ids_out -= 1
                truth.add(ids_out)
        truths.append(truth)
        X = pair_features(P, spaces, company, rnd.label, rnd.date, prior.get(rnd.company, set()))
        scores = model.predict_proba(X)[:, 1] if model is not None else prior_score(X)
        results["huoban"].append(_top(scores, k, allowed))
        if details:
            per_query.append({"round_id": rid, "truth": sorted(truth_ids),
                              "huoban": [P.investors[j] for j in results["huoban"][-1]]})
        results["random"].append(_top(rng.random(J), k, allowed))
        results["popularity"].append(_top(global_count, k, allowed))
        results["round_popularity"].append(_top(round_count[:, ROUND_ORDER[rnd.label]] * 1e6 + global_count, k,
                                                allowed))
        rr = region_round.get((company.region, rnd.label), np.zeros(J))
        results["region_round_popularity"].append(
            _top(rr * 1e12 + round_count[:, ROUND_ORDER[rnd.label]] * 1e6 + global_count, k, allowed))
    if not truths:
        raise ConfigError("no query rounds in [cutoff, until) with ground truth; check the dates")
    out: dict[str, Any] = {
        "queries": len(truths),
        "candidates": J,
        "huoban": _metrics(results["huoban"], truths, k),
        "baselines": {name: _metrics(results[name], truths, k)
                      for name in ("random", "popularity", "round_popularity", "region_round_popularity")},
        "protocol": {"cutoff": cutoff.isoformat(), "until": until.isoformat(), "k": k, "min_history": min_history,
                     "exclude_prior_investors": exclude_prior_investors, "history_investments":
                     sum(1 for rid, _ in data.investments if data.rounds[rid].date < cutoff)},
        "training": train_info,
        "encoder": getattr(encoder, "id", None),
        "seconds": round(time.perf_counter() - started, 1),
    }
    if details:
        out["per_query"] = per_query
    best = max(out["baselines"].values(), key=lambda m: m[f"ndcg@{k}"])
    out["ndcg_ratio_to_best_baseline"] = round(out["huoban"][f"ndcg@{k}"] / max(best[f"ndcg@{k}"], 1e-12), 3)
    return out
