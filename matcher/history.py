"""Investment history: who invested in which round, as of a date, as vectorised investor features.

One module serves both the live service and the backtest, so both rank with the same numbers:

* :class:`DealLog` holds every known investment (one row per investor and round) with the facts of each
  company (free-text tags, region, city, macro region, founding date). The service fills it from the
  portfolio table, past rounds and ``invested`` feedback; the backtest from the deal CSVs.
* :class:`HistoryView` is the log as of one date: per-investor activity, round / region / industry mix,
  usual company age, follow-on rate, co-investment and "who follows whom" networks, with every
  vocabulary and IDF fitted on investments before that date only; given text vectors of companies (a
  description, a project's one-liner), what its earlier companies said they were.
* :meth:`HistoryView.encode` turns query rounds (a company raising a round on a day) into sparse query
  rows; :func:`history_features` computes the named history features of aligned (query, investor) pairs
  and :func:`baseline_scores` the simple rankings anyone would try first, from the same columns.
* :class:`AlsPeer` is implicit-feedback matrix factorisation (the ``implicit`` package's ALS) over rounds
  x (investors + the rounds' tag / region / city / round tokens), so a company without investors still
  gets a user vector from its own attributes.

Dates are ``datetime.date``; internally proleptic ordinals (days). Investors are integer ids (the
candidate ids of the investor table); companies are string keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from matcher.taxonomy import ROUNDS

__all__ = [
    "BASELINES",
    "HISTORY_FEATURES",
    "LEVEL",
    "NB_DEFAULT",
    "AlsPeer",
    "Company",
    "DealLog",
    "EncodedQueries",
    "HistoryView",
    "Investment",
    "NaiveBayes",
    "NbCounts",
    "Query",
    "baseline_scores",
    "history_features",
    "nb_counts",
    "normalise_tag",
]

R = len(ROUNDS)
ROUND_INDEX = ROUNDS.index_of
# Position on the financing ladder; side rounds sit where companies usually take them.
LEVEL: dict[str, float] = {"seed": 0.0, "angel": 1.0, "pre_a": 2.0, "a": 3.0, "a_plus": 4.0, "b": 5.0,
                           "c_plus": 6.0, "strategic": 5.0, "pe": 7.0, "ipo": 8.0, "crowdfunding": 0.5,
                           "other": 4.0}
_LEVELS = np.array([LEVEL[c] for c in ROUNDS.codes])
HALF_LIFE_DAYS = 365.0
SHORT_HALF_LIFE_DAYS = 90.0


def normalise_tag(tag: str) -> str:
    """Full-width to half-width, lower case, no inner spaces: ``"ＡＩ "`` and ``"ai"`` are one tag."""
    out = "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in tag)
    return "".join(out.strip().lower().split())


@dataclass(frozen=True)
class Company:
    """What is known of a company that raised money (static facts, no dates but its founding)."""

    key: str
    tags: tuple[str, ...] = ()
    region: str = ""  # province / state level
    city: str = ""
    macro: str = ""  # macro region (华东, ...), when the caller knows it
    founded: dt.date | None = None


@dataclass(frozen=True)
class Investment:
    """One investor in one round. ``round`` groups a syndicate: the same key = the same round."""

    investor: int
    company: str
    round: str
    label: str  # a ROUNDS code
    date: dt.date


@dataclass(frozen=True)
class Query:
    """A company raising a round on a day: the thing investors are ranked for."""

    company: Company
    label: str | None  # ROUNDS code; None = not stated
    date: dt.date


class DealLog:
    """Every known investment as aligned columns, sorted by (day, round, investor).

    Rows whose round label is not a ROUNDS code are refused (ValueError naming it); a repeated
    (round, investor) pair counts once."""

    def __init__(self, companies: Mapping[str, Company], investments: Iterable[Investment],
                 investor_kinds: Mapping[int, str] | None = None) -> None:
        self.companies: dict[str, Company] = dict(companies)
        self.company_keys: list[str] = sorted(self.companies)
        self.company_index = {k: i for i, k in enumerate(self.company_keys)}
        rows: dict[tuple[str, int], Investment] = {}
        for inv in investments:
            if inv.label not in ROUND_INDEX:
                raise ValueError(f"unknown round label {inv.label!r}; valid: {', '.join(ROUNDS.codes)}")
            if inv.company not in self.company_index:
                raise ValueError(f"investment in unknown company {inv.company!r}")
            rows.setdefault((inv.round, int(inv.investor)), inv)
        ordered = sorted(rows.values(), key=lambda i: (i.date.toordinal(), i.round, i.investor))
        round_ids: dict[str, int] = {}
        for inv in ordered:
            round_ids.setdefault(inv.round, len(round_ids))
        self.round_keys = list(round_ids)
        n = len(ordered)
        self.investor = np.fromiter((i.investor for i in ordered), dtype=np.int64, count=n)
        self.company = np.fromiter((self.company_index[i.company] for i in ordered), dtype=np.int64, count=n)
        self.round = np.fromiter((round_ids[i.round] for i in ordered), dtype=np.int64, count=n)
        self.label = np.fromiter((ROUND_INDEX[i.label] for i in ordered), dtype=np.int64, count=n)
        self.day = np.fromiter((i.date.toordinal() for i in ordered), dtype=np.int64, count=n)
        self.investor_kinds: dict[int, str] = {int(k): v for k, v in (investor_kinds or {}).items() if v}
        self.kinds: list[str] = sorted(set(self.investor_kinds.values()))

    def __len__(self) -> int:
        return int(len(self.investor))

    def before(self, day: dt.date) -> int:
        """Number of rows dated before ``day`` (rows are sorted by day)."""
        return int(np.searchsorted(self.day, day.toordinal(), side="left"))

    def investors_before(self, day: dt.date) -> np.ndarray:
        return np.unique(self.investor[: self.before(day)])

    def company_investors(self, company: str, before: dt.date) -> np.ndarray:
        """Investor ids that backed ``company`` in rounds dated before ``before``."""
        c = self.company_index.get(company)
        if c is None:
            return np.zeros(0, dtype=np.int64)
        m = self.before(before)
        return np.unique(self.investor[:m][self.company[:m] == c])


def _vocab(values: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in sorted(set(values)):
        if v:
            out[v] = len(out)
    return out


def _csr(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    m = sparse.csr_matrix((vals.astype(np.float64), (rows, cols)), shape=shape)
    m.sum_duplicates()
    return m


def _l2_rows(m: sparse.csr_matrix) -> sparse.csr_matrix:
    """Rows scaled to unit length (empty rows stay empty), on the CSR arrays: scipy's diagonal product cost ~1 ms
    for one query's row; the arithmetic is the same (squares summed in index order, times 1 / norm)."""
    m = sparse.csr_matrix(m, copy=True)  # the caller's matrix is left as it was
    m.sum_duplicates()
    data = m.data.astype(np.float64)
    counts = np.diff(m.indptr)
    squares = data * data
    sums = np.zeros(m.shape[0])
    if len(squares):  # scipy's row sum: np.add.reduceat over the rows' slices
        full = counts > 0
        sums[full] = np.add.reduceat(squares, m.indptr[:-1][full])
    norms = np.sqrt(sums)
    norms[norms == 0] = 1.0
    out = sparse.csr_matrix((data * np.repeat(1.0 / norms, counts), m.indices, m.indptr), shape=m.shape)
    return out


def _line(m: sparse.spmatrix, i: int, fmt: str) -> np.ndarray:
    """Row ``i`` of a CSR matrix (``fmt="csr"``) or column ``i`` of a CSC one, dense, read straight from the
    compressed arrays when the matrix is in that format and canonical (scipy's indexing costs ~50 us a read);
    otherwise through scipy."""
    if m.format == fmt and m.has_canonical_format:
        out = np.zeros(m.shape[1] if fmt == "csr" else m.shape[0], dtype=m.dtype)
        lo, hi = m.indptr[i], m.indptr[i + 1]
        out[m.indices[lo:hi]] = m.data[lo:hi]
        return out
    return np.asarray((m[i] if fmt == "csr" else m[:, i]).todense()).ravel()


def _rowdot(a: sparse.csr_matrix, ai: np.ndarray, b: sparse.csr_matrix, bi: np.ndarray) -> np.ndarray:
    """``sum_k a[ai[n], k] * b[bi[n], k]`` for aligned index arrays; one distinct ``bi`` is one mat-vec."""
    if len(ai) == 0:
        return np.zeros(0)
    if (bi == bi[0]).all():
        vec = _line(b, int(bi[0]), "csr")
        if 4 * len(ai) < a.shape[0]:
            return np.asarray(a[ai] @ vec).ravel()
        full: np.ndarray = np.asarray(a @ vec).ravel()
        picked: np.ndarray = full[ai]
        return picked
    return np.asarray(a[ai].multiply(b[bi]).sum(axis=1)).ravel()


def _pick(m: sparse.spmatrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Elements ``m[rows[n], cols[n]]``; a negative column gives 0. One distinct column is a column slice
    (pass a CSC matrix for that case)."""
    out = np.zeros(len(rows))
    ok = cols >= 0
    if not ok.any():
        return out
    if (cols[ok] == cols[ok][0]).all():
        col = _line(m, int(cols[ok][0]), "csc")
        out[ok] = col[rows[ok]]
        return out
    out[ok] = np.asarray(m[rows[ok], cols[ok]]).ravel()
    return out


def _vec_pick(prior: sparse.csr_matrix, net: sparse.csr_matrix, local: np.ndarray, jj: np.ndarray) -> np.ndarray:
    """``(prior @ net)[local[n], jj[n]]`` for the distinct query rows of ``prior``."""
    if prior.shape[0] == 1:
        row: np.ndarray = np.asarray((prior @ net).todense()).ravel()
        values: np.ndarray = row[jj]
        return values
    return _pick((prior @ net).tocsr(), local, jj)


@dataclass
class EncodedQueries:
    """Query rounds in a view's vocabularies (row n = query n)."""

    label: np.ndarray  # (n,) ROUNDS index, -1 = not stated
    day: np.ndarray  # (n,) ordinal
    region: np.ndarray  # (n,) view region index, -1 unknown
    city: np.ndarray
    macro: np.ndarray
    age_years: np.ndarray  # (n,) company age at the round, NaN unknown
    tfidf: sparse.csr_matrix  # (n, V) L2-normalised
    tags: sparse.csr_matrix  # (n, V) 0/1
    round_tag: sparse.csr_matrix  # (n, R * V) 0/1 at (round, tag)
    region_round_tag: sparse.csr_matrix  # (n, G * R * V) 0/1
    prior: sparse.csr_matrix  # (n, J) 0/1: the company's investors in the view
    tag_vec: np.ndarray  # (n, d) unit mean of the query's tag vectors (zeros when unknown)
    n_prior: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (n,) earlier investors in the view
    text_vec: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # (n, e) the company's text vector
    text_ok: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # (n,) it has one
    company: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # (n,) log index, -1 new
    # query row -> its text neighbours (positions in the view's pool), found once: a ranking reads the column
    # for every candidate, then again for its shortlist
    text_near: dict[int, np.ndarray] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return int(len(self.label))


class HistoryView:
    """The deal log as of ``as_of``: investments dated before it, profiled per investor.

    ``ids`` are the investors with at least one such investment (sorted); arrays are aligned with them.
    ``tag_vectors`` (tag -> unit vector) is optional; it lets synonyms and other languages meet. ``kinds``
    fixes the investor-kind columns (default: every kind the log knows)."""

    def __init__(self, log: DealLog, as_of: dt.date, tag_vectors: Mapping[str, np.ndarray] | None = None,
                 kinds: Sequence[str] | None = None,
                 company_vectors: Mapping[str, np.ndarray] | None = None) -> None:
        self.log = log
        self.as_of = as_of
        m = log.before(as_of)
        inv, comp, rnd, lab, day = (log.investor[:m], log.company[:m], log.round[:m], log.label[:m], log.day[:m])
        self.ids = np.unique(inv)
        J = len(self.ids)
        j = np.searchsorted(self.ids, inv)
        D = as_of.toordinal()
        age_days = (D - day).astype(np.float64)
        decay = 0.5 ** (age_days / HALF_LIFE_DAYS)
        decay90 = 0.5 ** (age_days / SHORT_HALF_LIFE_DAYS)
        comps = [log.companies[log.company_keys[c]] for c in range(len(log.company_keys))]
        seen_companies = np.unique(comp)
        # vocabularies and IDF from the companies with an investment before as_of only
        self.tags = _vocab(t for c in seen_companies for t in comps[c].tags)
        self.regions = _vocab(comps[c].region for c in seen_companies)
        self.cities = _vocab(comps[c].city for c in seen_companies)
        self.macros = _vocab(comps[c].macro for c in seen_companies)
        V, G = len(self.tags), len(self.regions)
        df = np.zeros(V)
        for c in seen_companies:
            for t in set(comps[c].tags):
                df[self.tags[t]] += 1
        self.idf = np.log((1.0 + len(seen_companies)) / (1.0 + df)) + 1.0
        # per-company codes
        nC = len(comps)
        c_region = np.array([self.regions.get(c.region, -1) for c in comps], dtype=np.int64)
        c_city = np.array([self.cities.get(c.city, -1) for c in comps], dtype=np.int64)
        c_macro = np.array([self.macros.get(c.macro, -1) for c in comps], dtype=np.int64)
        c_founded = np.array([c.founded.toordinal() if c.founded else -1 for c in comps], dtype=np.int64)
        tag_r: list[int] = []
        tag_c: list[int] = []
        for ci, c in enumerate(comps):
            for t in dict.fromkeys(c.tags):
                if t in self.tags:
                    tag_r.append(ci)
                    tag_c.append(self.tags[t])
        tr, tc = np.array(tag_r, dtype=np.int64), np.array(tag_c, dtype=np.int64)
        company_tags = _csr(tr, tc, np.ones(len(tr)), (nC, V))
        company_tfidf = _l2_rows(company_tags.multiply(self.idf[None, :]).tocsr())

        # activity
        self.n = np.bincount(j, minlength=J).astype(np.float64)
        self.recent = np.bincount(j, decay, minlength=J)
        self.recent90 = np.bincount(j, decay90, minlength=J)
        self.last_day = np.full(J, -np.inf)
        np.maximum.at(self.last_day, j, day.astype(np.float64))
        self.first_day = np.full(J, np.inf)
        np.minimum.at(self.first_day, j, day.astype(np.float64))
        # round mix
        self.round_counts = np.zeros((J, R))
        np.add.at(self.round_counts, (j, lab), 1.0)
        self.round_recent = np.zeros((J, R))
        np.add.at(self.round_recent, (j, lab), decay)
        self.level_mean = np.bincount(j, _LEVELS[lab], minlength=J) / np.maximum(self.n, 1.0)
        # per-investor columns, and per-investor x round tables a query picks one column of
        nn = np.maximum(self.n, 1.0)
        self.log_n = np.log1p(self.n)
        self.log_recent = np.log1p(self.recent)
        self.log_recent90 = np.log1p(self.recent90)
        self.log_years_active = np.log1p(np.where(self.n > 0, (self.last_day - self.first_day) / 365.25, 0.0))
        self.round_share = self.round_counts / nn[:, None]
        self.log_round_count = np.log1p(self.round_counts)
        self.log_round_recent = np.log1p(self.round_recent)
        near = (np.abs(_LEVELS[:, None] - _LEVELS[None, :]) <= 1.0).astype(np.float64)
        self.near_share = (self.round_counts @ near) / nn[:, None]
        self.level_gap = np.abs(_LEVELS[None, :] - self.level_mean[:, None])
        # place
        reg = c_region[comp]
        has_reg = reg >= 0
        self.region_counts = _csr(j[has_reg], reg[has_reg], np.ones(int(has_reg.sum())), (J, max(G, 1)))
        self.region_round = _csr(j[has_reg], reg[has_reg] * R + lab[has_reg], np.ones(int(has_reg.sum())),
                                 (J, max(G, 1) * R))
        self.region_round_recent = _csr(j[has_reg], reg[has_reg] * R + lab[has_reg], decay[has_reg],
                                        (J, max(G, 1) * R))
        cit = c_city[comp]
        self.city_counts = _csr(j[cit >= 0], cit[cit >= 0], np.ones(int((cit >= 0).sum())),
                                (J, max(len(self.cities), 1)))
        mac = c_macro[comp]
        self.macro_counts = _csr(j[mac >= 0], mac[mac >= 0], np.ones(int((mac >= 0).sum())),
                                 (J, max(len(self.macros), 1)))
        # column-major copies: a query picks one column of each
        self.region_counts_c = self.region_counts.tocsc()
        self.region_round_c = self.region_round.tocsc()
        self.region_round_recent_c = self.region_round_recent.tocsc()
        self.city_counts_c = self.city_counts.tocsc()
        self.macro_counts_c = self.macro_counts.tocsc()
        # industry: investor x tag from the tags of the companies they backed
        inv_company = _csr(j, comp, np.ones(len(j)), (J, nC))
        inv_company_recent = _csr(j, comp, decay, (J, nC))
        self.tag_counts = (inv_company @ company_tags).tocsr()
        # the market's shares (smoothing targets of the naive-Bayes features)
        total = max(float(len(j)), 1.0)
        self.p_round = np.bincount(lab, minlength=R) / total
        self.p_region = np.bincount(reg[has_reg], minlength=max(G, 1)) / total
        self.p_tag = np.asarray(self.tag_counts.sum(axis=0)).ravel() / total
        self.tag_tfidf = _l2_rows((inv_company @ company_tfidf).tocsr())
        self.tag_recent = _l2_rows((inv_company_recent @ company_tfidf).tocsr())
        # (round, tag) and (region, round, tag) counts: one row per investment expanded over its company's tags
        ct = company_tags[comp].tocoo()  # rows = investments
        e_inv, e_tag = j[ct.row], ct.col.astype(np.int64)
        e_lab, e_reg = lab[ct.row], reg[ct.row]
        self.round_tag = _csr(e_inv, e_lab * V + e_tag, np.ones(len(e_inv)), (J, R * max(V, 1)))
        ok = e_reg >= 0
        self.region_round_tag = _csr(e_inv[ok], (e_reg[ok] * R + e_lab[ok]) * V + e_tag[ok], np.ones(int(ok.sum())),
                                     (J, max(G, 1) * R * max(V, 1)))
        # networks: rounds together (co-investment) and "i backed the company before j did" (follow)
        round_inv = _csr(rnd, j, np.ones(len(j)), (int(rnd.max()) + 1 if len(rnd) else 1, J))
        round_inv.data[:] = 1.0
        co = (round_inv.T @ round_inv).tocsr()
        co.setdiag(0.0)
        co.eliminate_zeros()
        self.coinvest = co
        self.coinvest_totals = np.asarray(co.sum(axis=1)).ravel()  # rounds each investor shared, partner-weighted
        self.coinvest_bin = co.copy()
        self.coinvest_bin.data[:] = 1.0
        # first day each investor entered each company; i -> j when i entered strictly earlier
        first: dict[tuple[int, int], int] = {}
        for a, c, d in zip(j.tolist(), comp.tolist(), day.tolist(), strict=True):
            first.setdefault((c, a), d)  # rows are sorted by day
        by_company: dict[int, list[tuple[int, int]]] = {}
        for (c, a), d in first.items():
            by_company.setdefault(c, []).append((d, a))
        f_r: list[int] = []
        f_c: list[int] = []
        followon = np.zeros(J)
        for c in sorted(by_company):
            entries = sorted(by_company[c])
            for x in range(len(entries)):
                for y in range(x + 1, len(entries)):
                    if entries[x][0] < entries[y][0]:
                        f_r.append(entries[x][1])
                        f_c.append(entries[y][1])
        self.follow = _csr(np.array(f_r, dtype=np.int64), np.array(f_c, dtype=np.int64), np.ones(len(f_r)), (J, J))
        # follow-on rate: share of an investor's investments in companies it had backed in an earlier round
        entered = np.array([first[(c, a)] for a, c in zip(j.tolist(), comp.tolist(), strict=True)], dtype=np.int64)
        np.add.at(followon, j, (day > entered).astype(np.float64))
        self.followon_rate = followon / np.maximum(self.n, 1.0)
        # usual company age at investment (log years)
        f_at = c_founded[comp]
        known = (f_at >= 0) & (day > f_at)
        log_age = np.full(len(j), np.nan)
        log_age[known] = np.log(np.maximum((day[known] - f_at[known]) / 365.25, 0.05))
        self.median_log_age = np.full(J, np.nan)
        order = np.lexsort((log_age, j))
        js, ls = j[order], log_age[order]
        cuts = np.flatnonzero(np.diff(js)) + 1
        for grp_j, grp in zip(np.split(js, cuts), np.split(ls, cuts), strict=True):
            vals = grp[~np.isnan(grp)]
            if len(grp_j) and len(vals):
                self.median_log_age[int(grp_j[0])] = float(np.median(vals))
        # kind
        # the investor-kind columns: fixed by the caller (a trained ranker's, or the kinds known before a
        # backtest's cutoff) so that an investor of a new kind adds no column; unknown kinds are all zeros
        self.kinds = list(kinds) if kinds is not None else log.kinds
        self.kind = np.zeros((J, len(self.kinds)))
        for r_, iid in enumerate(self.ids.tolist()):
            k = log.investor_kinds.get(int(iid))
            if k in self.kinds:
                self.kind[r_, self.kinds.index(k)] = 1.0
        # tag embeddings
        self.tag_vectors = dict(tag_vectors or {})
        dim = len(next(iter(self.tag_vectors.values()))) if self.tag_vectors else 0
        self.dim = dim
        if dim and V:
            tv = np.zeros((V, dim))
            for tag, col in self.tags.items():
                if tag in self.tag_vectors:
                    tv[col] = self.tag_vectors[tag]
            s = np.asarray(self.tag_counts @ tv)
            nrm = np.linalg.norm(s, axis=1, keepdims=True)
            self.tag_vec = np.divide(s, nrm, out=np.zeros_like(s), where=nrm > 0)
        else:
            self.tag_vec = np.zeros((J, 0))
        # who backed each company (view rows), for queries
        self._company_rows = inv_company.T.tocsr()  # (companies, J)
        self._company_rows.data[:] = 1.0
        # what the companies say they are (a description's embedding, by company key): per investor the unit
        # mean over the described companies it backed, and those companies (for the nearest one)
        self.company_vectors = dict(company_vectors or {})
        tdim = len(next(iter(self.company_vectors.values()))) if self.company_vectors else 0
        self.text_dim = tdim
        if tdim:
            cv = np.zeros((nC, tdim), dtype=np.float32)
            described = np.zeros(nC)
            for ci, key in enumerate(log.company_keys):
                vec = self.company_vectors.get(key)
                if vec is not None:
                    cv[ci] = vec
                    described[ci] = 1.0
            self.company_text = cv
            backed = inv_company.copy()
            backed.data[:] = 1.0
            backed = (backed @ sparse.diags(described)).tocsr()
            backed.eliminate_zeros()
            self._text_companies = backed  # (J, companies): described companies each investor backed
            # the neighbours a query may have: described companies someone in the view backed (a company first
            # funded on or after the view date is not one, though its description may be known)
            backed_csc = backed.tocsc()
            self._knn_pool = np.flatnonzero(np.diff(backed_csc.indptr) > 0)  # company indices
            self._knn_text = cv[self._knn_pool]  # their vectors, gathered once
            self._knn_backed = backed_csc[:, self._knn_pool].tocsc()  # (J, pool)
            self._knn_backed_rows = self._knn_backed.tocsr()  # the same by investor (deal flow: one row)
            c_last = np.full(nC, -np.inf)
            np.maximum.at(c_last, comp, day.astype(np.float64))
            self._knn_last = c_last[self._knn_pool]  # their last funding day: ties go to the latest
            s_ = np.asarray(backed @ cv, dtype=np.float64)
            nrm = np.linalg.norm(s_, axis=1, keepdims=True)
            self.text_vec = np.divide(s_, nrm, out=np.zeros_like(s_), where=nrm > 0)
            self.text_ok = np.diff(backed.indptr) > 0
        else:
            self.company_text = np.zeros((nC, 0), dtype=np.float32)
            self._text_companies = sparse.csr_matrix((J, nC))
            self._knn_pool = np.zeros(0, dtype=np.int64)
            self._knn_text = np.zeros((0, 0), dtype=np.float32)
            self._knn_backed = sparse.csc_matrix((J, 0))
            self._knn_backed_rows = sparse.csr_matrix((J, 0))
            self._knn_last = np.zeros(0)
            self.text_vec = np.zeros((J, 0))
            self.text_ok = np.zeros(J, dtype=bool)

    def __len__(self) -> int:
        return int(len(self.ids))

    def rows_of(self, investor_ids: np.ndarray) -> np.ndarray:
        """View row of each investor id, -1 for investors without history in this view."""
        ids = np.asarray(investor_ids, dtype=np.int64)
        if len(self.ids) == 0:
            return np.full(len(ids), -1, dtype=np.int64)
        pos = np.clip(np.searchsorted(self.ids, ids), 0, len(self.ids) - 1)
        return np.where(self.ids[pos] == ids, pos, -1).astype(np.int64)

    def encode(self, queries: Sequence[Query], prior: Sequence[Iterable[int]] | None = None,
               text: Sequence[np.ndarray | None] | None = None) -> EncodedQueries:
        """Query rounds in this view's vocabularies. ``prior`` (investor ids per query) overrides the
        company's investors known to the view (the default); ``text`` gives the text vector of a query
        whose company the view has none for (a project not in the deal log)."""
        n = len(queries)
        V, G = len(self.tags), max(len(self.regions), 1)
        label = np.array([ROUND_INDEX.get(q.label or "", -1) for q in queries], dtype=np.int64)
        day = np.array([q.date.toordinal() for q in queries], dtype=np.int64)
        region = np.array([self.regions.get(q.company.region, -1) for q in queries], dtype=np.int64)
        city = np.array([self.cities.get(q.company.city, -1) for q in queries], dtype=np.int64)
        macro = np.array([self.macros.get(q.company.macro, -1) for q in queries], dtype=np.int64)
        age = np.array([(q.date - q.company.founded).days / 365.25 if q.company.founded else np.nan
                        for q in queries])
        rows: list[int] = []
        cols: list[int] = []
        for i, q in enumerate(queries):
            for t in dict.fromkeys(q.company.tags):
                k = self.tags.get(t)
                if k is not None:
                    rows.append(i)
                    cols.append(k)
        r_, c_ = np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)
        tags = _csr(r_, c_, np.ones(len(r_)), (n, max(V, 1)))
        tfidf = _l2_rows(tags.multiply(np.append(self.idf, 1.0)[None, : max(V, 1)]).tocsr()) if V else tags
        lab_r = label[r_]
        ok = lab_r >= 0
        round_tag = _csr(r_[ok], lab_r[ok] * V + c_[ok], np.ones(int(ok.sum())), (n, R * max(V, 1)))
        reg_r = region[r_]
        ok2 = ok & (reg_r >= 0)
        region_round_tag = _csr(r_[ok2], (reg_r[ok2] * R + lab_r[ok2]) * V + c_[ok2], np.ones(int(ok2.sum())),
                                (n, G * R * max(V, 1)))
        if prior is None:
            idx = [self.log.company_index.get(q.company.key, -1) for q in queries]
            have = np.array([i >= 0 for i in idx], dtype=bool)
            P = sparse.csr_matrix((n, len(self.ids)))
            if have.any():
                sel = np.array([max(i, 0) for i in idx], dtype=np.int64)
                P = self._company_rows[sel].tocsr()
                P = sparse.diags(have.astype(np.float64)) @ P
                P = P.tocsr()
                P.eliminate_zeros()
        else:
            pr: list[int] = []
            pc: list[int] = []
            for i, ids in enumerate(prior):
                rows_i = self.rows_of(np.fromiter(ids, dtype=np.int64))
                for r in rows_i[rows_i >= 0].tolist():
                    pr.append(i)
                    pc.append(r)
            P = _csr(np.array(pr, dtype=np.int64), np.array(pc, dtype=np.int64), np.ones(len(pr)), (n, len(self.ids)))
            P.data[:] = 1.0
        if self.dim:
            tv = np.zeros((n, self.dim))
            for i, q in enumerate(queries):
                vs = [self.tag_vectors[t] for t in q.company.tags if t in self.tag_vectors]
                if vs:
                    v = np.mean(vs, axis=0)
                    nv = float(np.linalg.norm(v))
                    tv[i] = v / nv if nv > 0 else v
        else:
            tv = np.zeros((n, 0))
        text_vec = np.zeros((n, self.text_dim), dtype=np.float32)
        text_ok = np.zeros(n, dtype=bool)
        if self.text_dim:
            for i, q in enumerate(queries):
                vec = self.company_vectors.get(q.company.key)
                if vec is None and text is not None:
                    vec = text[i]
                if vec is not None:
                    text_vec[i] = vec
                    text_ok[i] = True
        company = np.fromiter((self.log.company_index.get(q.company.key, -1) for q in queries), dtype=np.int64,
                              count=n)
        return EncodedQueries(label, day, region, city, macro, age, tfidf, tags, round_tag, region_round_tag,
                              P, tv, np.asarray(P.sum(axis=1)).ravel(), text_vec, text_ok, company)


HISTORY_FEATURES: tuple[str, ...] = (
    "h_log_n",  # investments before the view date
    "h_log_recent",  # recency-weighted (half-life 1 year)
    "h_log_recent90",  # recency-weighted (half-life 90 days)
    "h_log_days_since_last",  # days from the investor's last deal to the query day
    "h_log_years_active",  # first to last deal
    "h_round_share",  # share of its deals in the query's round
    "h_log_round_count",
    "h_log_round_recent",
    "h_near_round_share",  # within one ladder step of the query's round
    "h_level_gap",  # |ladder level of the round - the investor's mean level|
    "h_region_share",
    "h_log_region_count",
    "h_city_share",
    "h_macro_share",
    "h_log_region_round",  # deals in this region and round
    "h_log_region_round_recent",  # ... recency-weighted (half-life 1 year): who is active there now
    "h_tag_cosine",  # TF-IDF of its companies' tags vs the query's
    "h_tag_recent_cosine",
    "h_log_tag_count",  # deals in companies sharing each query tag (summed over tags)
    "h_log_round_tag",  # ... in this round
    "h_log_region_round_tag",  # ... in this region and round
    "h_tag_embedding",  # mean tag embedding of its companies vs the query's tags
    "h_text_cosine",  # the unit mean of its companies' description vectors vs the query company's; NaN unknown
    "h_text_nearest",  # the most similar description among the companies it backed; NaN unknown
    "h_log_text_knn",  # of the TEXT_KNN companies whose descriptions are nearest the query's, how many it backed
    "h_log_coinvest",  # rounds shared with the company's earlier investors
    "h_coinvest_partners",  # how many of the company's earlier investors it shared a round with
    "h_log_follow",  # companies where an earlier investor of this company came first and it followed
    "h_coinvest_share",  # rounds shared with the company's earlier investors / its rounds (affinity, not activity)
    "h_partner_share",  # ... / every round the earlier investors shared with anyone (their favourite partners)
    "h_prior_investor",  # it backed this company before
    "h_followon_rate",
    "h_age_gap",  # |log company age - log of its usual company age|; NaN unknown
    "q_log_prior",  # the company's earlier investors (same for every candidate of a query)
    "q_level",  # the round's ladder level
    # a naive-Bayes view of the same counts: log P(investor) + log P(round | investor) + log P(region | investor)
    # + log P(tags | investor), each share smoothed towards the market's (alpha = 2 deals)
    "h_nb_round",
    "h_nb_region",
    "h_nb_tag",
    "h_nb_score",
)


@dataclass(frozen=True)
class NbCounts:
    """The counts the naive-Bayes features of aligned (query, investor) pairs are made of (zeros for an
    investor without history, whose shares are then the market's)."""

    n: np.ndarray  # the investor's deals
    recent: np.ndarray  # ... recency-weighted
    round_count: np.ndarray  # ... in the query's round; p_round: the market's share of that round
    p_round: np.ndarray
    round_ok: np.ndarray  # the query states a round
    region_count: np.ndarray
    p_region: np.ndarray
    region_ok: np.ndarray
    tag_count: np.ndarray  # mean over the query's tags of the investor's deals with that tag
    p_tag: np.ndarray
    tag_ok: np.ndarray


def nb_counts(view: HistoryView, eq: EncodedQueries, q: np.ndarray, j: np.ndarray) -> NbCounts:
    """:class:`NbCounts` of aligned pairs (query row ``q[n]``, view row ``j[n]``; -1 = no history)."""
    q = np.asarray(q, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    have = j >= 0
    jj = np.maximum(j, 0)
    n = len(q)
    lab, reg = eq.label[q], eq.region[q]
    labc = np.maximum(lab, 0)
    zero = np.zeros(n)
    nj = np.where(have, view.n[jj], 0.0) if len(view.ids) else zero
    recent = np.where(have, view.recent[jj], 0.0) if len(view.ids) else zero
    rc = np.where(have, view.round_counts[jj, labc], 0.0) if len(view.ids) and n else zero
    gc = np.where(have, _pick(view.region_counts_c, jj, reg), 0.0) if len(view.ids) else zero
    pg = view.p_region[np.maximum(reg, 0)] if len(view.p_region) else zero
    if len(view.tags) and n:
        n_tags = np.asarray(eq.tags.sum(axis=1)).ravel()[q]
        tc = np.zeros(n)
        if have.any() and len(view.ids):
            tc[have] = _rowdot(view.tag_counts, j[have], eq.tags, q[have])
        tc /= np.maximum(n_tags, 1.0)
        pt = np.asarray(eq.tags @ view.p_tag).ravel()[q] / np.maximum(n_tags, 1.0)
    else:
        n_tags = tc = pt = zero
    return NbCounts(nj, recent, rc, view.p_round[labc], lab >= 0, gc, pg, reg >= 0, tc, pt, n_tags > 0)


@dataclass(frozen=True)
class NaiveBayes:
    """log P(investor) + log P(round | investor) + log P(region | investor) + log P(tags | investor): each
    share smoothed towards the market's with a prior of ``alpha_*`` deals; P(investor) ~ recent activity **
    ``beta``. The defaults are the untrained ones; :func:`matcher.investor_ranker.fit_naive_bayes` chooses them
    on history before a cut-off (real deal sets differ in how far one investor's few deals can be trusted)."""

    alpha_round: float = 2.0
    alpha_region: float = 2.0
    alpha_tag: float = 2.0
    beta: float = 1.0

    def terms(self, c: NbCounts) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(round, region, tag, total score) of each pair."""
        def part(count: np.ndarray, p: np.ndarray, ok: np.ndarray, a: float) -> np.ndarray:
            return np.where(ok, np.log((count + a * p + 1e-9) / (c.n + a)), 0.0)

        r = part(c.round_count, c.p_round, c.round_ok, self.alpha_round)
        g = part(c.region_count, c.p_region, c.region_ok, self.alpha_region)
        t = part(c.tag_count, c.p_tag, c.tag_ok, self.alpha_tag)
        return r, g, t, self.beta * np.log(c.recent + 0.1) + r + g + t

    def to_list(self) -> list[float]:
        return [self.alpha_round, self.alpha_region, self.alpha_tag, self.beta]

    @classmethod
    def from_list(cls, values: Sequence[float] | None) -> NaiveBayes:
        return cls(*(float(v) for v in values)) if values else cls()


NB_DEFAULT = NaiveBayes()
_COLUMN = {name: i for i, name in enumerate(HISTORY_FEATURES)}


BASELINE_COLUMNS: tuple[str, ...] = ("h_log_n", "h_log_recent", "h_log_round_count", "h_log_region_round",
                                      "h_log_round_recent", "h_log_region_round_recent", "h_log_region_round_tag",
                                      "h_log_tag_count", "h_log_text_knn", "h_log_coinvest", "h_prior_investor",
                                      "h_nb_score")


def history_features(view: HistoryView, eq: EncodedQueries, q: np.ndarray, j: np.ndarray,
                     only: Sequence[str] | None = None, nb: NaiveBayes | None = None) -> np.ndarray:
    """History features of aligned pairs (query row ``q[n]``, view row ``j[n]``); ``j = -1`` = an investor
    without history (its history features 0, shares and ages NaN where undefined). Shape
    (n, len(HISTORY_FEATURES) + number of investor kinds): the named columns, then the kind one-hot.
    ``only`` computes just those columns (the rest stay 0), e.g. :data:`BASELINE_COLUMNS`; ``nb`` is the
    naive-Bayes smoothing (default :data:`NB_DEFAULT`; a trained ranker fits its own)."""
    nb = nb or NB_DEFAULT
    q = np.asarray(q, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    n = len(q)
    idx = {name: i for i, name in enumerate(HISTORY_FEATURES)}
    nb_parts = {"h_nb_round", "h_nb_region", "h_nb_tag", "h_nb_score"}
    F = np.zeros((n, len(HISTORY_FEATURES) + view.kind.shape[1]), dtype=np.float64)
    want = set(HISTORY_FEATURES if only is None else only)
    have = j >= 0
    qq, jj = q[have], j[have]
    lab = eq.label[qq]
    lab_ok = lab >= 0
    labc = np.maximum(lab, 0)
    one_label = len(lab) > 0 and bool((lab == lab[0]).all())

    def per_round(table: np.ndarray) -> np.ndarray:  # table (J, R) at the query's round
        vals = table[:, int(labc[0])][jj] if one_label else table[jj, labc]
        return np.where(lab_ok, vals, np.nan)

    # the rows with history: a slice when every row has one (the usual case; a boolean mask would be
    # searched again at every column), else their positions once
    rows_h: slice | np.ndarray = slice(None) if bool(have.all()) else np.flatnonzero(have)

    def put(name: str, values: np.ndarray | Any) -> None:
        F[rows_h, idx[name]] = values

    for name, table in (("h_log_n", view.log_n), ("h_log_recent", view.log_recent),
                        ("h_log_recent90", view.log_recent90), ("h_log_years_active", view.log_years_active),
                        ("h_followon_rate", view.followon_rate)):
        if name in want:
            put(name, table[jj])
    if "h_log_days_since_last" in want:
        put("h_log_days_since_last", np.log1p(np.maximum(eq.day[qq] - view.last_day[jj], 0.0)))
    for name, table in (("h_round_share", view.round_share), ("h_log_round_count", view.log_round_count),
                        ("h_log_round_recent", view.log_round_recent), ("h_near_round_share", view.near_share),
                        ("h_level_gap", view.level_gap)):
        if name in want:
            values = per_round(table)
            put(name, values if name in ("h_round_share", "h_near_round_share", "h_level_gap")
                else np.nan_to_num(values))
    reg = eq.region[qq]
    nn = np.maximum(view.n[jj], 1.0)
    if want & {"h_region_share", "h_log_region_count"}:
        region_count = _pick(view.region_counts_c, jj, reg)
        put("h_region_share", region_count / nn)
        put("h_log_region_count", np.log1p(region_count))
    if "h_city_share" in want:
        put("h_city_share", _pick(view.city_counts_c, jj, eq.city[qq]) / nn)
    if "h_macro_share" in want:
        put("h_macro_share", _pick(view.macro_counts_c, jj, eq.macro[qq]) / nn)
    if want & {"h_log_region_round", "h_log_region_round_recent"}:
        rr_col = np.where(lab_ok & (reg >= 0), np.maximum(reg, 0) * R + labc, -1)
        if "h_log_region_round" in want:
            put("h_log_region_round", np.log1p(_pick(view.region_round_c, jj, rr_col)))
        if "h_log_region_round_recent" in want:
            put("h_log_region_round_recent", np.log1p(_pick(view.region_round_recent_c, jj, rr_col)))
    if len(view.tags):
        if "h_tag_cosine" in want:
            put("h_tag_cosine", _rowdot(view.tag_tfidf, jj, eq.tfidf, qq))
        if "h_tag_recent_cosine" in want:
            put("h_tag_recent_cosine", _rowdot(view.tag_recent, jj, eq.tfidf, qq))
        if "h_log_tag_count" in want:
            put("h_log_tag_count", np.log1p(_rowdot(view.tag_counts, jj, eq.tags, qq)))
        if "h_log_round_tag" in want:
            put("h_log_round_tag", np.log1p(_rowdot(view.round_tag, jj, eq.round_tag, qq)))
        if "h_log_region_round_tag" in want:
            put("h_log_region_round_tag", np.log1p(_rowdot(view.region_round_tag, jj, eq.region_round_tag, qq)))
    if view.dim and "h_tag_embedding" in want:
        put("h_tag_embedding", np.einsum("ij,ij->i", view.tag_vec[jj], eq.tag_vec[qq]))
    for name in want & {"h_text_cosine", "h_text_nearest", "h_log_text_knn"}:
        F[:, idx[name]] = np.nan  # unknown unless both sides have text
    if view.text_dim and want & {"h_text_cosine", "h_text_nearest"}:
        _text_features(view, eq, qq, jj, have, F, idx, want)
    if view.text_dim and "h_log_text_knn" in want:
        F[:, idx["h_log_text_knn"]] = _text_knn(view, eq, q, j)
    network = want & {"h_log_coinvest", "h_coinvest_partners", "h_log_follow", "h_prior_investor",
                      "h_coinvest_share", "h_partner_share"}
    if network and len(view.ids) and len(qq):
        # network products for the distinct queries of this batch only
        uq, local = np.unique(qq, return_inverse=True)
        prior = eq.prior[uq].tocsr()
        if prior.nnz:
            if want & {"h_log_coinvest", "h_coinvest_share", "h_partner_share"}:
                shared = _vec_pick(prior, view.coinvest, local, jj)
                if "h_log_coinvest" in want:
                    put("h_log_coinvest", np.log1p(shared))
                if "h_coinvest_share" in want:
                    put("h_coinvest_share", shared / np.maximum(view.n[jj], 1.0))
                if "h_partner_share" in want:
                    total = np.asarray(prior @ view.coinvest_totals).ravel()  # (distinct queries,)
                    put("h_partner_share", shared / np.maximum(total[local], 1.0))
            if "h_coinvest_partners" in want:
                put("h_coinvest_partners", _vec_pick(prior, view.coinvest_bin, local, jj))
            if "h_log_follow" in want:
                put("h_log_follow", np.log1p(_vec_pick(prior, view.follow, local, jj)))
            if "h_prior_investor" in want:
                put("h_prior_investor", np.asarray(prior.todense()).ravel()[jj] if len(uq) == 1
                    else _pick(prior, local, jj))
    if "h_age_gap" in want:
        with np.errstate(invalid="ignore"):
            put("h_age_gap", np.abs(np.log(np.maximum(eq.age_years[qq], 0.05)) - view.median_log_age[jj]))
        F[~have, idx["h_age_gap"]] = np.nan
    # query-level columns hold for every candidate, with or without history
    if "q_log_prior" in want:
        F[:, idx["q_log_prior"]] = np.log1p(eq.n_prior[q])
    if want & nb_parts:
        terms = nb.terms(nb_counts(view, eq, q, j))
        for name, vals in zip(("h_nb_round", "h_nb_region", "h_nb_tag", "h_nb_score"), terms, strict=True):
            F[:, idx[name]] = vals
    if "q_level" in want:
        F[:, idx["q_level"]] = np.where(eq.label[q] >= 0, _LEVELS[np.maximum(eq.label[q], 0)], np.nan)
    for name in ("h_round_share", "h_near_round_share"):
        if name in want:  # no history: none of its deals were in this round
            F[~have, idx[name]] = np.where(eq.label[q[~have]] >= 0, 0.0, np.nan)
    # an investor without history has the market's shares (the smoothed ones at zero deals), the longest
    # silence and the largest round gap: no evidence must never read as the best possible fit
    if (~have).any():
        qn = q[~have]
        lab_n = eq.label[qn]
        if "h_level_gap" in want:
            F[~have, idx["h_level_gap"]] = np.where(lab_n >= 0, float(_LEVELS.max()), np.nan)
        if "h_log_days_since_last" in want:
            F[~have, idx["h_log_days_since_last"]] = np.log1p(36525.0)
    if only is None:
        F[have, len(HISTORY_FEATURES):] = view.kind[jj]
    return F


def _text_features(view: HistoryView, eq: EncodedQueries, qq: np.ndarray, jj: np.ndarray, have: np.ndarray,
                   F: np.ndarray, idx: Mapping[str, int], want: set[str]) -> None:
    """h_text_cosine and h_text_nearest of the pairs with history (NaN where the query company or every
    company the investor backed has no description)."""
    ok = eq.text_ok[qq] & view.text_ok[jj]
    rows = np.flatnonzero(have)
    cos = np.full(len(qq), np.nan)
    near = np.full(len(qq), np.nan)
    if ok.any():
        qs, js = qq[ok], jj[ok]
        cos[ok] = np.einsum("ij,ij->i", view.text_vec[js], eq.text_vec[qs].astype(np.float64))
        if "h_text_nearest" in want:
            out = np.empty(len(qs))
            uq, inv = np.unique(qs, return_inverse=True)
            for u, qv in enumerate(uq.tolist()):
                sel = np.flatnonzero(inv == u)
                sub = view._text_companies[js[sel]]
                # only the companies these investors backed (not every company of the log: a served list)
                vals = view.company_text[sub.indices] @ eq.text_vec[qv]
                out[sel] = np.maximum.reduceat(vals, sub.indptr[:-1]) if len(vals) else np.nan
            near[ok] = out
    if "h_text_cosine" in want:
        F[rows, idx["h_text_cosine"]] = cos
    if "h_text_nearest" in want:
        F[rows, idx["h_text_nearest"]] = near


TEXT_KNN = 20  # neighbours of a query company by description (h_log_text_knn)


def _text_near(view: HistoryView, eq: EncodedQueries, qv: int) -> np.ndarray:
    """Positions in the view's pool of query ``qv``'s TEXT_KNN nearest companies by description (found once per
    query: cached on ``eq``). Never the query's own company; equally similar companies (the same description)
    by their last funding, latest first, then by position, so the choice never depends on how a partial sort
    happened to order them."""
    near = eq.text_near.get(qv)
    if near is None:
        pool = view._knn_pool
        sims = view._knn_text @ eq.text_vec[qv]
        sims[pool == eq.company[qv]] = -np.inf
        k = min(TEXT_KNN, int(np.isfinite(sims).sum()))
        if k == 0:
            near = np.zeros(0, dtype=np.int64)
        else:
            kth = np.partition(sims, len(sims) - k)[len(sims) - k]
            above = np.flatnonzero(sims > kth)
            tied = np.flatnonzero(sims == kth)
            tied = tied[np.lexsort((tied, -view._knn_last[tied]))][: k - len(above)]
            near = np.concatenate([above, tied])
        eq.text_near[qv] = near
    return near


def _text_knn(view: HistoryView, eq: EncodedQueries, q: np.ndarray, j: np.ndarray) -> np.ndarray:
    """log1p(how many of the query company's TEXT_KNN nearest earlier companies by description each investor
    backed) for aligned pairs: "who funded companies like this one", by what the companies say they do rather
    than by their tags. The query's own company is never its neighbour. NaN where the query has no text; 0 for
    an investor without history."""
    out = np.full(len(q), np.nan)
    if len(eq.company) != len(eq.label):
        raise ValueError("the encoded queries do not say which company each is (HistoryView.encode sets it)")
    uq, local = np.unique(q, return_inverse=True)
    ok = eq.text_ok[uq]
    if not ok.any():
        return out
    # the counts are sums of 0/1, exact in any order: one product for the whole batch, not one per query (an
    # investor's deal flow asks about thousands of projects at once; a loop cost it ~50 ms)
    nears = [_text_near(view, eq, int(qv)) if has else np.zeros(0, dtype=np.int64)
             for qv, has in zip(uq.tolist(), ok.tolist(), strict=True)]
    sel = ok[local]
    ll, jj = local[sel], j[sel]
    if len(uq) == 1:  # one query against many investors (a project's matches): one column sum
        counts = np.asarray(view._knn_backed[:, nears[0]].sum(axis=1)).ravel()[np.maximum(jj, 0)] \
            if len(nears[0]) else np.zeros(len(jj))
    else:
        lengths = np.array([len(n) for n in nears], dtype=np.int64)
        N = sparse.csr_matrix((np.ones(int(lengths.sum())), np.concatenate(nears),
                               np.concatenate([[0], np.cumsum(lengths)])), shape=(len(uq), view._knn_backed.shape[1]))
        investors = np.unique(jj[jj >= 0])
        if len(investors) <= 1:  # many queries against one investor (its deal flow): one product with its row
            row = _line(view._knn_backed_rows, int(investors[0]), "csr") if len(investors) \
                else np.zeros(N.shape[1])
            counts = np.asarray(N @ row).ravel()[ll]
        else:
            counts = np.asarray((N @ view._knn_backed_rows.T).tocsr()[ll, np.maximum(jj, 0)]).ravel()
    out[sel] = np.where(jj >= 0, np.log1p(counts), 0.0)
    return out


# The simple rankings anyone would try first. Each is a function of the history columns above (so it is
# also a feature the learner can use); ties are broken by the next, coarser level and finally by overall
# activity, so "back-off" is built in.
BASELINES: tuple[str, ...] = (
    "random", "popularity", "recency_popularity", "round_popularity", "region_round_popularity",
    "recent_region_round_popularity", "region_round_industry_popularity", "tag_popularity", "text_neighbours",
    "coinvestor_network", "prior_investors_then_popularity",
)


class _Columns:
    """Named columns of a history-feature matrix as float64 (one class, not one made per call)."""

    __slots__ = ("F",)

    def __init__(self, F: np.ndarray) -> None:
        self.F = F

    def __getitem__(self, name: str) -> np.ndarray:
        return np.asarray(self.F[:, _COLUMN[name]], dtype=np.float64)


def baseline_scores(name: str, F: np.ndarray, *, seed: int = 0) -> np.ndarray:
    """Score of baseline ``name`` for rows of a history-feature matrix (higher = better)."""
    f = _Columns(F)  # columns on demand: a baseline reads two or three of them
    pop = f["h_log_n"]
    out: np.ndarray
    if name == "random":
        out = np.random.default_rng(seed).random(len(F))
    elif name == "popularity":
        out = pop
    elif name == "recency_popularity":
        out = f["h_log_recent"] * 1e3 + pop
    elif name == "round_popularity":
        out = f["h_log_round_count"] * 1e3 + pop
    elif name == "region_round_popularity":
        out = f["h_log_region_round"] * 1e6 + f["h_log_round_count"] * 1e3 + pop
    elif name == "recent_region_round_popularity":  # who is active in this region and round now (half-life 1 year)
        out = (f["h_log_region_round_recent"] * 1e6 + f["h_log_round_recent"] * 1e3 + f["h_log_recent"])
    elif name == "region_round_industry_popularity":
        out = (f["h_log_region_round_tag"] * 1e9 + f["h_log_region_round"] * 1e6 + f["h_log_round_count"] * 1e3
               + pop)
    elif name == "tag_popularity":
        out = f["h_log_tag_count"] * 1e3 + pop
    elif name == "text_neighbours":  # who backed the companies that describe themselves most like this one
        # (without descriptions on either side it is tag popularity)
        out = np.nan_to_num(f["h_log_text_knn"]) * 1e6 + f["h_log_tag_count"] * 1e3 + pop
    elif name == "coinvestor_network":
        out = f["h_log_coinvest"] * 1e3 + pop
    elif name == "prior_investors_then_popularity":
        out = f["h_prior_investor"] * 1e3 + pop
    else:
        raise ValueError(f"unknown baseline {name!r}; valid: {', '.join(BASELINES)}")
    return out


@dataclass
class AlsPeer:
    """Implicit-feedback ALS over rounds x items, items = investors + attribute tokens of the rounds.

    A query round is folded in from its tokens (round, region, city, tags) and the company's earlier
    investors, so a first round still gets a user vector. ``score`` = user factor . investor factor; the
    factors are keyed by investor id, so a model fitted on one view scores the rows of another."""

    factors: int = 64
    regularization: float = 0.05
    iterations: int = 15
    alpha: float = 2.0
    token_weight: float = 0.5
    seed: int = 0
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # investor ids of item rows
    tokens: dict[str, int] = field(default_factory=dict, repr=False)
    item_factors: np.ndarray | None = field(default=None, repr=False)  # (len(ids) + len(tokens), factors)
    yty: np.ndarray | None = field(default=None, repr=False)

    @staticmethod
    def _round_tokens(label: int, region: str, city: str, tags: Iterable[str]) -> list[str]:
        out = [f"r:{label}"] if label >= 0 else []
        if region:
            out.append(f"g:{region}")
        if city:
            out.append(f"c:{city}")
        out.extend(f"t:{t}" for t in dict.fromkeys(tags))
        return out

    def fit(self, view: HistoryView) -> AlsPeer:
        import warnings

        from threadpoolctl import threadpool_limits

        log = view.log
        m = log.before(view.as_of)
        self.ids = view.ids.copy()
        J = len(self.ids)
        if J == 0 or m == 0:
            self.item_factors = None
            return self
        uniq, users = np.unique(log.round[:m], return_inverse=True)
        j = view.rows_of(log.investor[:m])
        tokens: dict[str, int] = {}
        t_r: list[int] = []
        t_c: list[int] = []
        first_row = np.unique(users, return_index=True)[1]
        for u, row in enumerate(first_row.tolist()):
            c = log.companies[log.company_keys[int(log.company[row])]]
            for tok in self._round_tokens(int(log.label[row]), c.region, c.city, c.tags):
                t_r.append(u)
                t_c.append(J + tokens.setdefault(tok, len(tokens)))
        self.tokens = tokens
        rows = np.concatenate([users, np.array(t_r, dtype=np.int64)])
        cols = np.concatenate([j, np.array(t_c, dtype=np.int64)])
        vals = np.concatenate([np.ones(len(users)), np.full(len(t_r), self.token_weight)])
        ui = sparse.csr_matrix((vals.astype(np.float32), (rows, cols)), shape=(len(uniq), J + len(tokens)))
        ui.sum_duplicates()
        from implicit.cpu.als import AlternatingLeastSquares

        with threadpool_limits(1, "blas"), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*OpenBLAS.*")  # we do limit it (implicit checks before)
            model = AlternatingLeastSquares(factors=self.factors, regularization=self.regularization,
                                            alpha=self.alpha, iterations=self.iterations, random_state=self.seed,
                                            num_threads=1)
            model.fit(ui, show_progress=False)
        self.item_factors = np.asarray(model.item_factors, dtype=np.float64)
        self.yty = self.item_factors.T @ self.item_factors
        return self

    def user_factors(self, view: HistoryView, queries: Sequence[Query], eq: EncodedQueries) -> np.ndarray:
        """(n, factors) user vectors of the query rounds: the least-squares fold-in of the implicit model
        (confidence alpha x value, as ``implicit`` fits it) over the round's tokens and the company's earlier
        investors."""
        n = len(queries)
        if self.item_factors is None:
            return np.zeros((n, self.factors))
        Y = self.item_factors
        k = Y.shape[1]
        J = len(self.ids)
        prior = eq.prior.tocsr()
        out = np.zeros((n, k))
        reg = self.regularization * np.eye(k)
        for i, q in enumerate(queries):
            items: list[int] = []
            vals: list[float] = []
            inv_ids = view.ids[prior.indices[prior.indptr[i]:prior.indptr[i + 1]]]
            if len(inv_ids) and J:
                pos = np.clip(np.searchsorted(self.ids, inv_ids), 0, J - 1)
                for p_ in pos[self.ids[pos] == inv_ids].tolist():
                    items.append(p_)
                    vals.append(1.0)
            label = ROUND_INDEX.get(q.label or "", -1)
            for tok in self._round_tokens(label, q.company.region, q.company.city, q.company.tags):
                t = self.tokens.get(tok)
                if t is not None:
                    items.append(J + t)
                    vals.append(self.token_weight)
            if not items:
                continue
            Yi = Y[items]
            c = self.alpha * np.asarray(vals)  # implicit's confidence: alpha x value
            A = self.yty + (Yi.T * (c - 1.0)) @ Yi + reg
            out[i] = np.linalg.solve(A, Yi.T @ c)
        return out

    def score(self, users: np.ndarray, q: np.ndarray, investor_ids: np.ndarray) -> np.ndarray:
        """ALS score of aligned pairs (query row, investor id); 0 for investors the model does not know."""
        out = np.zeros(len(q))
        if self.item_factors is None or len(self.ids) == 0:
            return out
        ids = np.asarray(investor_ids, dtype=np.int64)
        pos = np.clip(np.searchsorted(self.ids, ids), 0, len(self.ids) - 1)
        ok = self.ids[pos] == ids
        qk = q[ok]
        if len(qk) and (qk == qk[0]).all():  # one query (serving): one matrix-vector product, no gathered copies
            out[ok] = self.item_factors[pos[ok]] @ users[int(qk[0])]
        else:
            out[ok] = np.einsum("ij,ij->i", users[qk], self.item_factors[pos[ok]])
        return out

    def state(self) -> dict[str, Any]:
        """JSON-ready state (factors as nested lists) for an artifact."""
        return {"params": [self.factors, self.regularization, self.iterations, self.alpha, self.token_weight,
                           self.seed],
                "ids": self.ids.tolist(), "tokens": self.tokens,
                "items": None if self.item_factors is None else self.item_factors.round(6).tolist()}

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> AlsPeer:
        f, r, it, a, tw, seed = state["params"]
        peer = cls(int(f), float(r), int(it), float(a), float(tw), int(seed))
        peer.ids = np.asarray(state["ids"], dtype=np.int64)
        peer.tokens = {str(k): int(v) for k, v in state["tokens"].items()}
        if state.get("items") is not None:
            peer.item_factors = np.asarray(state["items"], dtype=np.float64)
            if peer.item_factors.shape != (len(peer.ids) + len(peer.tokens), peer.factors):
                raise ValueError("ALS factors do not match their ids and tokens")
            peer.yty = peer.item_factors.T @ peer.item_factors
        return peer
