"""The service's deal history and the investor ranker's life cycle around it.

Every investment the service knows becomes one :class:`~matcher.history.DealLog`:

* the portfolio table (past investments of an investor, imported or entered; a row linked to a project
  is that project's company, otherwise the company is known by its normalised name);
* ``invested`` feedback (an investor that put money into a project after an introduction), in the round the
  project was raising.

Investments of one company in the same round label and month are one round (a syndicate). ``huoban
retrain`` trains the investor ranker on this log with the code ``huoban backtest`` runs
(:func:`train_history`), and the serving processes view the log as of today with the serving version's
ranker (:func:`serving_history`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from matcher.config import WeightSet
from matcher.encoders import Encoder
from matcher.errors import ModelArtifactError
from matcher.history import AlsPeer, Company, DealLog, HistoryView, Investment
from matcher.investor_ranker import InvestorRanker, TrainConfig, company_facts, company_of_project, train_ranker
from matcher.investor_training import (
    company_text_vectors,
    prepare_windows,
    split_windows,
    unit_vectors,
    window_specs,
)
from matcher.learning import read_verified
from matcher.taxonomy import INDUSTRIES, ROUNDS
from models import FeedbackEvent, Investor, PortfolioInvestment, Project

log = logging.getLogger("huoban.history")
ARTIFACT = "investor_history.json"
# What a company's places mean in the artifact's features and ALS tokens: 2 = province, prefecture-level city and
# macro region (``matcher.geography.deal_place``); artifacts without it (macro region where the province is) are
# refused, and ``huoban retrain --if-none`` (make run) trains a new one.
PLACES_SCHEMA = 2
_SPACES = re.compile(r"\s+")


def _name_key(name: str) -> str:
    return "n:" + _SPACES.sub("", name.strip().lower())


# the investments reported as feedback: read through the partial index ix_feedback_invested (migration 0014)
_INVESTED_EVENTS = (select(FeedbackEvent.project_id, FeedbackEvent.candidate_id, FeedbackEvent.occurred_at)
                    # the literal in the SQL (not a parameter), so that a prepared plan can use the partial index
                    .where(FeedbackEvent.type == literal("invested", literal_execute=True),
                           FeedbackEvent.candidate_kind == "investor")
                    .order_by(FeedbackEvent.id))


def load_deal_log(session: Session) -> DealLog:
    """Every investment the service knows (see the module docstring)."""
    companies: dict[str, Company] = {}
    investments: list[Investment] = []
    projects = {int(r.id): r for r in session.execute(
        select(Project.id, Project.industries, Project.city, Project.founded_on, Project.round_sought))}

    def project_company(pid: int) -> Company:
        key = f"p{pid}"
        if key not in companies:
            p = projects[pid]
            companies[key] = company_of_project(pid, tuple(p.industries or ()), p.city or "", p.founded_on)
        return companies[key]

    rows = session.execute(select(
        PortfolioInvestment.id, PortfolioInvestment.investor_id, PortfolioInvestment.project_id,
        PortfolioInvestment.company, PortfolioInvestment.round, PortfolioInvestment.industries,
        PortfolioInvestment.city, PortfolioInvestment.invested_on).order_by(PortfolioInvestment.id))
    for r in rows:
        if r.project_id is not None and int(r.project_id) in projects:
            key = project_company(int(r.project_id)).key
        else:
            key = _name_key(r.company or f"#{r.id}")
            if key not in companies:
                companies[key] = company_facts(key, tuple(r.industries or ()), r.city)
        label = r.round if r.round in ROUNDS.index_of else "other"
        investments.append(Investment(int(r.investor_id), key, f"{key}|{label}|{r.invested_on:%Y-%m}", label,
                                      r.invested_on))
    for e in session.execute(_INVESTED_EVENTS):
        pid = int(e.project_id)
        if pid not in projects:
            continue
        key = project_company(pid).key
        label = projects[pid].round_sought if projects[pid].round_sought in ROUNDS.index_of else "other"
        day = e.occurred_at.date()
        investments.append(Investment(int(e.candidate_id), key, f"{key}|{label}|{day:%Y-%m}", label, day))
    kinds = {int(i): str(k) for i, k in session.execute(select(Investor.id, Investor.kind))}
    return DealLog(companies, investments, kinds)


def train_history(session: Session, encoder: Encoder, *, now: dt.datetime, weights: WeightSet, span_days: int = 365,
                  train_windows: int = 5, seed: int = 0,
                  progress: Callable[[str], None] | None = None) -> tuple[InvestorRanker, AlsPeer] | str:
    """Train the investor ranker on the service's deal log (windows of ``span_days`` back from ``now``: the
    latest validates, the earlier ones train) and fit the ALS peer on the whole log. Returns the pair, or the
    reason there was too little history."""
    from api.engine import load_profiles

    deal_log = load_deal_log(session)
    if len(deal_log) == 0:
        return "no investment history (portfolio or invested feedback)"
    investors = [p for p in load_profiles(session, "investor").values()]
    projects = {f"p{pid}": p for pid, p in load_profiles(session, "project").items()}
    specs = window_specs(now.date(), dt.timedelta(days=span_days), 1 + train_windows)
    windows = prepare_windows(deal_log, specs, exclude_prior=True, min_history=1,
                              investors=investors,  # type: ignore[arg-type]
                              encoder=encoder, weights=weights, projects=projects,  # type: ignore[arg-type]
                              seed=seed, progress=progress).windows
    validation, train = split_windows(windows)
    if validation is None or not train:
        counts = [len(w.truths) if w is not None else 0 for w in windows]
        return f"too little investment history to learn from (query rounds per window: {counts})"
    ranker = train_ranker(train, validation, exclude_prior=True, config=TrainConfig(seed=seed), progress=progress)
    als = AlsPeer(seed=seed).fit(HistoryView(deal_log, now.date()))
    return ranker, als


def save_history(ranker: InvestorRanker, als: AlsPeer, path: Path) -> str:
    """Write the artifact (JSON: LightGBM's text model, the ALS factors); return its sha256."""
    body = json.dumps({"ranker": json.loads(ranker.to_json()), "als": als.state(), "places": PLACES_SCHEMA},
                      ensure_ascii=False).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(body)
    tmp.replace(path)
    return hashlib.sha256(body).hexdigest()


def load_history(path: str | Path, checksum: str) -> tuple[InvestorRanker, AlsPeer]:
    """Read an artifact written by :func:`save_history`; refuse a wrong checksum or a malformed body."""
    body = read_verified(path, checksum, "investor ranker")
    try:
        obj = json.loads(body)
        if obj.get("places") != PLACES_SCHEMA:
            raise ValueError("trained before companies' places became (province, city, macro region); "
                             "retrain (huoban retrain)")
        ranker = InvestorRanker.from_json(json.dumps(obj["ranker"]))
        als = AlsPeer.from_state(obj["als"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelArtifactError(f"investor ranker {path} cannot be decoded: {exc}") from None
    return ranker, als


def serving_view(session: Session, encoder: Encoder, day: dt.date, kinds: Sequence[str]) -> HistoryView:
    """The deal log as served on ``day``: every investment up to and including that day (the view's date is
    the day after), tag vectors for the log's tags and every industry code (a project's tags), the investor
    kinds the ranker was trained with."""
    deal_log = load_deal_log(session)
    tags = sorted({t for c in deal_log.companies.values() for t in c.tags} | set(INDUSTRIES.codes))
    return HistoryView(deal_log, day + dt.timedelta(days=1), unit_vectors(tags, encoder), kinds,
                       company_text_vectors(project_one_liners(session, deal_log), {}, encoder))


def project_one_liners(session: Session, deal_log: DealLog) -> dict[str, str]:
    """The one-liners of the projects in the deal log, by company key: what those companies say they are
    (the text :func:`matcher.investor_training.company_text_vectors` takes from a project profile)."""
    ids = [int(k[1:]) for k in deal_log.companies if k.startswith("p") and k[1:].isdigit()]
    out: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        for pid, text in session.execute(select(Project.id, Project.one_liner)
                                         .where(Project.id.in_(ids[start:start + 500]))):
            if text and text.strip():
                out[f"p{pid}"] = text
    return out


def describe(ranker: InvestorRanker) -> dict[str, Any]:
    """What a manifest records about a trained ranker."""
    rep = ranker.report
    return {"selected": ranker.selected, "validation": rep.get("validation"),
            "train_queries": rep.get("train_queries"), "rounds": rep.get("rounds"),
            "window_decay": rep.get("window_decay")}
