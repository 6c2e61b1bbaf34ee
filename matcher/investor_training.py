"""Windows of a deal log, the profiles their queries become, and one training run of the investor ranker.

``huoban retrain`` (on the service's deal log) and ``huoban backtest`` (on deal CSVs) both call
:func:`prepare_windows` and :func:`matcher.investor_ranker.train_ranker`: the same queries, profiles, thesis
features and learner. A window is a stretch of time whose rounds are ranked against the history viewed as
of the window's start (as a live ranking sees a view of the past that ages until the next refresh).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from matcher.build import lexical_texts, upsert_profiles
from matcher.config import MatcherConfig, WeightSet
from matcher.encoders import Encoder
from matcher.history import Company, DealLog, HistoryView, Query
from matcher.investor_ranker import RankerContext, Window
from matcher.lexical import LexicalEncoder
from matcher.profiles import CandidateProfile, ProfileTable, ProjectProfile
from matcher.ranking import Matcher
from matcher.taxonomy import INDUSTRIES, ROUNDS

__all__ = ["Prepared", "RoundQuery", "WindowSpec", "company_text_vectors", "investor_profile", "prepare_windows",
           "query_profile", "split_windows", "unit_vectors", "window_queries", "window_specs"]

Progress = Callable[[str], None]

STAGE_OF_ROUND = {"seed": "seed", "angel": "seed", "crowdfunding": "seed", "pre_a": "early", "a": "early",
                  "a_plus": "early", "b": "growth", "c_plus": "growth", "strategic": "growth", "other": "growth",
                  "pe": "expansion", "ipo": "expansion"}


@dataclass(frozen=True)
class RoundQuery:
    """A round of the log to rank investors for: its investors (truth) and who may not be ranked."""

    round: str
    company: str
    label: str
    date: dt.date
    truth: frozenset[int]
    excluded: frozenset[int]


@dataclass
class Prepared:
    """Windows (None where a window has no history or no query), their queries, the Matcher whose project
    table holds one profile per query, and each window's project rows (aligned with its queries)."""

    windows: list[Window | None]
    queries: list[list[RoundQuery]]
    matcher: Matcher
    project_rows: list[list[int]]


@dataclass(frozen=True)
class WindowSpec:
    start: dt.date
    end: dt.date


def window_specs(cutoff: dt.date, span: dt.timedelta, count: int, *, test_until: dt.date | None = None,
                 train_span: dt.timedelta | None = None) -> list[WindowSpec]:
    """[the test window [cutoff, test_until) when given], the validation window [cutoff - span, cutoff), then
    ``count - 1`` training windows of ``train_span`` (default ``span``) further back, newest first."""
    out = [WindowSpec(cutoff, test_until)] if test_until is not None else []
    if count <= 0:
        return out
    out.append(WindowSpec(cutoff - span, cutoff))
    step = train_span or span
    end = cutoff - span
    out += [WindowSpec(end - step * (i + 1), end - step * i) for i in range(count - 1)]
    return out


def window_queries(log: DealLog, spec: WindowSpec, *, exclude_prior: bool) -> list[RoundQuery]:
    """Rounds dated in the window with at least one investor, in (date, round) order. With ``exclude_prior``
    the company's investors before the window start leave the truth (and are excluded); rounds left without
    truth are dropped."""
    a, b = log.before(spec.start), log.before(spec.end)
    by_round: dict[int, list[int]] = defaultdict(list)
    for r, inv in zip(log.round[a:b].tolist(), log.investor[a:b].tolist(), strict=True):
        by_round[r].append(inv)
    first: dict[int, int] = {}
    for pos in range(a, b):
        first.setdefault(int(log.round[pos]), pos)
    out: list[RoundQuery] = []
    for r in sorted(by_round, key=lambda r: (int(log.day[first[r]]), log.round_keys[r])):
        pos = first[r]
        company = log.company_keys[int(log.company[pos])]
        truth = set(by_round[r])
        excluded: set[int] = set()
        if exclude_prior:
            excluded = {int(i) for i in log.company_investors(company, spec.start)}
            truth -= excluded
            if not truth:
                continue
        out.append(RoundQuery(log.round_keys[r], company, ROUNDS.codes[int(log.label[pos])],
                              dt.date.fromordinal(int(log.day[pos])), frozenset(truth), frozenset(excluded)))
    return out


def query_profile(pid: int, company: Company, label: str, description: str = "") -> ProjectProfile:
    """A company raising a round, as the service holds a project: the taxonomy industries its tags name, its
    description (else its tags) as what it needs, its tags as its domain; languages open, no city code (places
    are history features)."""
    industries: list[str] = []
    for t in company.tags:
        try:
            code = INDUSTRIES.parse(t)
        except ValueError:
            continue
        if code not in industries:
            industries.append(code)
    tags = " ".join(company.tags)
    return ProjectProfile(id=pid, space_id=0, stage=STAGE_OF_ROUND.get(label, "early"), industries=tuple(industries),
                          needs=("financing",), city="nationwide", languages=("zh", "en"),
                          need_text=description or tags, domain_text=tags or description, round_sought=label,
                          curated=True)


def investor_profile(iid: int, kind: str, description: str) -> CandidateProfile:
    """An investor known from deal records: its description as its thesis, nothing declared (no rounds,
    industries or ticket: its history speaks for it)."""
    return CandidateProfile(id=iid, kind="investor", space_id=None, industries=(), stages=(), serves=("financing",),
                            languages=("zh", "en"), city="nationwide", regions=("nationwide",),
                            offer_text=description, expertise_text="", subtype=kind)


def unit_vectors(texts: Sequence[str], encoder: Encoder) -> dict[str, np.ndarray]:
    if not texts:
        return {}
    vectors = np.asarray(encoder.encode(list(texts)), dtype=np.float64)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return dict(zip(texts, vectors, strict=True))


def company_text_vectors(descriptions: Mapping[str, str], projects: Mapping[str, ProjectProfile],
                         encoder: Encoder) -> dict[str, np.ndarray]:
    """Unit vectors of what each company says it is, by company key: a project's one-liner (its domain text),
    else the description of the deal records. Companies without text get none."""
    texts = {key: text.strip() for key, text in descriptions.items() if text and text.strip()}
    texts.update({key: p.domain_text.strip() for key, p in projects.items() if p.domain_text.strip()})
    if not texts:
        return {}
    vectors = unit_vectors(sorted(set(texts.values())), encoder)
    return {key: vectors[text].astype(np.float32) for key, text in texts.items()}


def thesis_matcher(projects: Sequence[ProjectProfile], investors: Sequence[CandidateProfile], encoder: Encoder,
                   config: MatcherConfig | None = None, fit_rows: Sequence[int] | None = None,
                   fit_investors: Sequence[int] | None = None) -> Matcher:
    """A Matcher over these projects and investors (rows in the given order) for thesis features. The
    lexical IDF and the semantic calibration come from the project rows ``fit_rows`` and the investor rows
    ``fit_investors`` (default: all), so held-out queries and investors seen only later inform no statistic."""
    cfg = config or MatcherConfig()
    lexical = LexicalEncoder(n_features=cfg.lexical_features, terms=cfg.lexical_terms)
    fit_projects = list(projects) if fit_rows is None else [projects[i] for i in fit_rows]
    fit_inv = list(investors) if fit_investors is None else [investors[i] for i in fit_investors]
    lexical.fit(lexical_texts([*fit_projects, *fit_inv]) or [""])
    tables: dict[str, ProfileTable] = {}
    for kind, items in (("project", projects), ("investor", investors)):
        table = ProfileTable(kind, encoder.dim, cfg)
        upsert_profiles(table, list(items), encoder, lexical)
        tables[kind] = table
    for kind in ("mentor", "provider"):
        tables[kind] = ProfileTable(kind, encoder.dim, cfg)
    matcher = Matcher(tables, lexical, cfg)
    if fit_rows is not None or fit_investors is not None:
        matcher.pin_calibration("investor", np.asarray(list(fit_rows if fit_rows is not None else
                                                              range(len(projects))), dtype=np.int64),
                                None if fit_investors is None else np.asarray(list(fit_investors), dtype=np.int64))
    return matcher


def prepare_windows(log: DealLog, specs: Sequence[WindowSpec], *, exclude_prior: bool, min_history: int,
                    investors: Sequence[CandidateProfile], encoder: Encoder, weights: WeightSet | None = None,
                    descriptions: Mapping[str, str] | None = None,
                    projects: Mapping[str, ProjectProfile] | None = None, seed: int = 0, held_out: int | None = None,
                    progress: Progress | None = None) -> Prepared:
    """Every window's queries, its view of the history, its ALS peer and the thesis features of its pairs.

    Each query round becomes a project profile (``projects[company key]`` when the company is a project of
    the service, with the round's label, else :func:`query_profile` from its facts and
    ``descriptions[company key]``); ``investors`` are the candidates' profiles. Tag embeddings come from
    ``encoder`` for the tags of companies with history before the latest window start and of the queries.
    The queries of window ``held_out`` (the backtest's test window) inform no shared statistic (lexical IDF,
    semantic calibration)."""
    say = progress or (lambda m: None)
    queries = [window_queries(log, s, exclude_prior=exclude_prior) for s in specs]
    descriptions = descriptions or {}
    projects = projects or {}
    profiles: list[ProjectProfile] = []
    rows: list[list[int]] = []
    for qs in queries:
        rows.append([])
        for q in qs:
            rows[-1].append(len(profiles))
            own = projects.get(q.company)
            if own is not None:
                from dataclasses import replace

                profiles.append(replace(own, id=len(profiles) + 1, round_sought=q.label))
            else:
                profiles.append(query_profile(len(profiles) + 1, log.companies[q.company], q.label,
                                              descriptions.get(q.company, "")))
    fit_rows = fit_investors = None
    kinds: list[str] | None = None
    if held_out is not None:  # nothing of the held-out window, nor investors first seen in or after it
        fit_rows = [r for i, window_rows in enumerate(rows) if i != held_out for r in window_rows]
        known = set(log.investors_before(specs[held_out].start).tolist())
        fit_investors = [i for i, p in enumerate(investors) if p.id in known]
        kinds = sorted({log.investor_kinds[i] for i in known if i in log.investor_kinds})
    matcher = thesis_matcher(profiles, investors, encoder, fit_rows=fit_rows, fit_investors=fit_investors)
    inv_table = matcher.tables["investor"]
    table_ids = inv_table.cols["ids"]
    row_of = np.full(int(table_ids.max()) + 2 if len(table_ids) else 1, -1, dtype=np.int64)
    row_of[table_ids] = np.arange(len(table_ids))  # id -> row without a Python loop per query
    w = weights or WeightSet.default("investor")
    latest = max(s.start for s in specs) if specs else dt.date.min  # history before any window start is past
    history_companies = {int(c) for c in np.unique(log.company[: log.before(latest)])}
    tags = sorted({t for c in history_companies for t in log.companies[log.company_keys[c]].tags}
                  | {t for qs in queries for q in qs for t in log.companies[q.company].tags})
    tag_vectors = unit_vectors(tags, encoder)
    company_vectors = company_text_vectors(descriptions, projects, encoder)
    say(f"{len(log)} investments, {len(inv_table)} investors, {len(tags)} tags; windows "
        + ", ".join(f"[{s.start}, {s.end}): {len(q)} queries" for s, q in zip(specs, queries, strict=True)))
    out: list[Window | None] = []
    for spec, qs, prow in zip(specs, queries, rows, strict=True):
        view = HistoryView(log, spec.start, tag_vectors, kinds, company_vectors)
        if len(view) == 0 or not qs:
            out.append(None)
            continue
        cand = view.ids[view.n >= min_history]
        cand = cand[np.isin(cand, table_ids)]
        hq = [Query(log.companies[q.company], q.label, q.date) for q in qs]
        ctx = RankerContext.build(view, hq, seed=seed)

        def thesis(qi: int, inv_ids: np.ndarray, prow: list[int] = prow) -> np.ndarray:
            # one query at a time, by the very products serving computes: a matrix product over many queries
            # (tried: a fifth faster on the US preset) rounds differently in the last bit, and a tree split that
            # falls between the two values then ranks a served list differently from the backtest's
            return matcher.thesis_features(np.array([prow[qi]]), row_of[inv_ids], w)

        out.append(Window(ctx, [set(q.truth) for q in qs], [set(q.excluded) for q in qs], np.sort(cand), thesis))
    return Prepared(out, queries, matcher, rows)


MIN_QUERIES = 5


def split_windows(windows: Sequence[Window | None]) -> tuple[Window | None, list[Window]]:
    """(validation, training windows) from windows newest first: the newest window with at least
    ``MIN_QUERIES`` queries validates (a too-thin latest year gives way to the one before), the older ones
    with that many train."""
    usable = [w for w in windows if w is not None and len(w.truths) >= MIN_QUERIES]
    if not usable:
        return None, []
    return usable[0], usable[1:]
