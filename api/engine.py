"""The bridge between the database and the matcher: one :class:`MatchEngine` per process.

* ``build`` (``huoban index``) reads every profile, encodes what the embedding cache lacks, fits the
  lexical IDF and saves one index per kind (projects, mentors, investors, providers) with its manifest.
* ``load`` (service start) reads the saved indexes and reconciles them with the database: saved vectors
  whose text is unchanged are used as they are; new or changed profiles go through the cache.
* ``apply_changes`` replays the ``index_changes`` log (profile edits, outcome counters) so every worker
  converges on the same state; writers call ``note_change`` in the same transaction as the edit.

Ranking reads the current :class:`EngineState`; a rebuild or a new learned model replaces the state
reference in one assignment, so a request never sees a half-swapped state.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, sessionmaker

from matcher import (
    CachedEncoder,
    LexicalEncoder,
    Matcher,
    MatcherConfig,
    ProfileTable,
    SqliteEmbeddingCache,
    build_encoder,
    load_table,
    save_table,
    upsert_profiles,
)
from matcher.build import lexical_texts, lexical_version
from matcher.config import DEFAULT_ENCODER
from matcher.errors import IndexError_
from matcher.history import AlsPeer
from matcher.index import set_search_threads
from matcher.investor_ranker import InvestorHistory, InvestorRanker
from matcher.profiles import (
    CandidateProfile,
    ProjectProfile,
    candidate_items,
    investor_focus_text,
    project_need_text,
    provider_expertise_text,
    text_items,
)
from matcher.ranking import LearnedScorer
from models import (
    Impression,
    IndexChange,
    IntroRequest,
    Investor,
    Mentor,
    PortfolioInvestment,
    Project,
    Provider,
)

ALL_KINDS = ("project", "mentor", "investor", "provider")
log = logging.getLogger("huoban.engine")
_CJK = re.compile(r"[\u4e00-\u9fff]")
Progress = Callable[[str, int, int], None]  # (kind being indexed, profiles done, profiles of every kind)


@dataclass(frozen=True)
class EngineSettings:
    var_dir: Path = Path("var")
    encoder: str = DEFAULT_ENCODER
    threads: int | None = None
    impressions_window_days: int = 7
    refresh_interval_s: float = 0.5
    search_threads: int = 1  # faiss threads per serving process (see matcher.index.set_search_threads)

    @property
    def index_root(self) -> Path:
        return self.var_dir / "index"

    @property
    def embedding_cache(self) -> Path:
        return self.var_dir / "embeddings.sqlite"

    @property
    def models_dir(self) -> Path:
        return self.var_dir / "models"


@dataclass
class Stats:
    load: int = 0
    accepted: int = 0
    requests: int = 0
    impressions: int = 0


def _lang(text: str, languages: Sequence[str]) -> str:
    if _CJK.search(text):
        return "zh"
    return "en" if text.strip() else (languages[0] if languages else "zh")


def project_profile(row: Project, stats: Stats | None = None) -> ProjectProfile:
    s = stats or Stats()
    need_text = project_need_text(row.needs_statement, row.one_liner, row.description)
    return ProjectProfile(
        id=row.id, space_id=row.space_id, stage=row.stage, industries=tuple(row.industries),
        needs=tuple(row.needs), city=row.city, languages=tuple(row.languages),
        need_text=need_text, domain_text=row.one_liner, items=text_items(row.one_liner, need_text),
        name=row.name,
        round_sought=row.round_sought, funding_sought=int(row.funding_sought or 0), updated_at=row.updated_at,
        curated=bool(row.dealflow_curated), active=bool(row.active), accepted=s.accepted, requests=s.requests,
        founded_on=row.founded_on, description=row.description or "",
    )


def candidate_profile(kind: str, row: Any, stats: Stats | None = None,
                      round_history: Iterable[tuple[str, int]] = ()) -> CandidateProfile:
    s = stats or Stats()
    common: dict[str, Any] = dict(
        id=row.id, kind=kind, space_id=row.space_id, industries=tuple(row.industries), stages=tuple(row.stages),
        serves=tuple(row.serves), languages=tuple(row.languages), city=row.city, regions=tuple(row.regions),
        name=row.name, updated_at=row.updated_at, active=bool(row.active), load=s.load, accepted=s.accepted,
        requests=s.requests, impressions=s.impressions,
    )
    if kind == "mentor":
        return CandidateProfile(**common, offer_text=row.offer, expertise_text=row.expertise,
                                subtype=row.mentor_type, capacity=row.capacity,
                                items=candidate_items(kind, lambda name: getattr(row, name)))
    if kind == "investor":
        lang = _lang(row.thesis, row.languages)
        return CandidateProfile(
            **common, offer_text=row.thesis, expertise_text=investor_focus_text(row.industries, row.stages, lang),
            subtype=row.kind, capacity=row.capacity, rounds=tuple(row.rounds), ticket_min=int(row.ticket_min),
            ticket_max=int(row.ticket_max), round_history=tuple(sorted(round_history)),
            items=candidate_items(kind, lambda name: getattr(row, name)),
        )
    if kind == "provider":
        lang = _lang(row.services, row.languages)
        return CandidateProfile(**common, offer_text=row.services,
                                expertise_text=provider_expertise_text(row.category, row.industries, lang),
                                subtype=row.category, capacity=row.capacity,
                                items=candidate_items(kind, lambda name: getattr(row, name)))
    raise ValueError(f"unknown candidate kind {kind!r}")


CANDIDATE_MODELS: dict[str, Any] = {"mentor": Mentor, "investor": Investor, "provider": Provider}


def candidate_stats(session: Session, kind: str, ids: Sequence[int] | None = None,
                    window_days: int = 7) -> dict[int, Stats]:
    """Outcome counters per candidate: active engagements (load), decided intros and recent impressions."""
    stats: dict[int, Stats] = defaultdict(Stats)
    ir = IntroRequest
    q = select(
        ir.candidate_id,
        func.sum(case((and_(ir.status == "accepted", ir.ended_at.is_(None)), 1), else_=0)),
        func.sum(case((ir.status == "accepted", 1), else_=0)),
        func.sum(case((ir.status.in_(("accepted", "declined", "expired")), 1), else_=0)),
    ).where(ir.candidate_kind == kind, ir.direction == "project").group_by(ir.candidate_id)
    if ids is not None:
        q = q.where(ir.candidate_id.in_(list(ids)))
    for cid, load, accepted, decided in session.execute(q):
        s = stats[int(cid)]
        s.load, s.accepted, s.requests = int(load or 0), int(accepted or 0), int(decided or 0)
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=window_days)
    iq = select(Impression.candidate_id, func.count()).where(
        Impression.candidate_kind == kind, Impression.direction == "matches", Impression.created_at >= since,
    ).group_by(Impression.candidate_id)
    if ids is not None:
        iq = iq.where(Impression.candidate_id.in_(list(ids)))
    for cid, n in session.execute(iq):
        stats[int(cid)].impressions = int(n)
    return stats


def project_stats(session: Session, ids: Sequence[int] | None = None) -> dict[int, Stats]:
    """How founders answered investor-initiated (deal flow) intros."""
    stats: dict[int, Stats] = defaultdict(Stats)
    ir = IntroRequest
    q = select(
        ir.project_id,
        func.sum(case((ir.status == "accepted", 1), else_=0)),
        func.sum(case((ir.status.in_(("accepted", "declined", "expired")), 1), else_=0)),
    ).where(ir.direction == "candidate").group_by(ir.project_id)
    if ids is not None:
        q = q.where(ir.project_id.in_(list(ids)))
    for pid, accepted, decided in session.execute(q):
        stats[int(pid)].accepted, stats[int(pid)].requests = int(accepted or 0), int(decided or 0)
    return stats


def round_histories(session: Session, ids: Sequence[int] | None = None) -> dict[int, list[tuple[str, int]]]:
    q = select(PortfolioInvestment.investor_id, PortfolioInvestment.round, func.count()).group_by(
        PortfolioInvestment.investor_id, PortfolioInvestment.round)
    if ids is not None:
        q = q.where(PortfolioInvestment.investor_id.in_(list(ids)))
    out: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for iid, rnd, n in session.execute(q):
        out[int(iid)].append((str(rnd), int(n)))
    return out


def load_profiles(session: Session, kind: str, ids: Sequence[int] | None = None,
                  window_days: int = 7) -> dict[int, ProjectProfile | CandidateProfile]:
    """Matcher profiles of one kind (all, or the given ids), with their outcome counters."""
    out: dict[int, ProjectProfile | CandidateProfile] = {}
    if kind == "project":
        q = select(Project).order_by(Project.id)
        if ids is not None:
            q = q.where(Project.id.in_(list(ids)))
        pstats = project_stats(session, ids)
        for row in session.scalars(q):
            out[row.id] = project_profile(row, pstats.get(row.id))
        return out
    model = CANDIDATE_MODELS[kind]
    q = select(model).order_by(model.id)
    if ids is not None:
        q = q.where(model.id.in_(list(ids)))
    stats = candidate_stats(session, kind, ids, window_days)
    history = round_histories(session, ids) if kind == "investor" else {}
    for row in session.scalars(q):
        out[row.id] = candidate_profile(kind, row, stats.get(row.id), history.get(row.id, ()))
    return out


def note_change(session: Session, kind: str, entity_id: int, op: str = "upsert") -> None:
    """Log a change for every serving process (call inside the writing transaction)."""
    session.add(IndexChange(kind=kind, entity_id=entity_id, op=op))


@dataclass
class EngineState:
    tables: dict[str, ProfileTable]
    matcher: Matcher
    last_change_id: int
    learned: dict[str, LearnedScorer] = field(default_factory=dict)  # network serving, by kind (+ "dealflow")
    learned_version_id: int | None = None
    built_at: float = field(default_factory=time.time)
    pins: dict[int, int] = field(default_factory=dict)  # space -> pinned model version
    versions: dict[int, dict[str, LearnedScorer]] = field(default_factory=dict)  # loaded versions
    histories: dict[int, InvestorHistory] = field(default_factory=dict)  # version -> its investor ranker, served

    @property
    def history(self) -> InvestorHistory | None:
        """The network serving version's investor ranker over today's deal log (None: it has none)."""
        return self.histories.get(self.learned_version_id) if self.learned_version_id is not None else None

    def history_for(self, space_id: int | None) -> InvestorHistory | None:
        """The investor ranker of the version serving a space (its pinned one, else the network's)."""
        pinned = self.pins.get(space_id) if space_id is not None else None
        if pinned is not None and pinned in self.versions:
            return self.histories.get(pinned)
        return self.history

    def learned_for(self, space_id: int | None) -> tuple[dict[str, LearnedScorer], int | None]:
        """The models serving a space: its pinned version, else the network's serving version."""
        pinned = self.pins.get(space_id) if space_id is not None else None
        if pinned is not None and pinned in self.versions:
            return self.versions[pinned], pinned
        return self.learned, self.learned_version_id


class MatchEngine:
    def __init__(self, settings: EngineSettings | None = None, config: MatcherConfig | None = None) -> None:
        self.settings = settings or EngineSettings()
        self.config = config or MatcherConfig()
        self._encoder: CachedEncoder | None = None
        self._state: EngineState | None = None
        self._lock = threading.RLock()
        self._last_refresh = 0.0
        self._refused: set[int] = set()
        # what "now" is for the investor ranker's view of the deal log and its queries (tests pin it)
        self.clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
        self._history_lock = threading.Lock()
        self._rankers: dict[int, tuple[InvestorRanker, AlsPeer] | None] = {}  # loaded once per version
        self._history_day: dt.date | None = None
        self._history_serial = 0
        set_search_threads(self.settings.search_threads)

    # -- parts -------------------------------------------------------------------------------------------
    @property
    def encoder(self) -> CachedEncoder:
        if self._encoder is None:
            inner = build_encoder(self.settings.encoder, threads=self.settings.threads)
            self._encoder = CachedEncoder(inner, SqliteEmbeddingCache(self.settings.embedding_cache))
        return self._encoder

    @property
    def state(self) -> EngineState:
        if self._state is None:
            raise IndexError_("the matcher is not loaded: run `huoban index`, then start the service")
        return self._state

    @property
    def ready(self) -> bool:
        return self._state is not None

    def _new_lexical(self) -> LexicalEncoder:
        return LexicalEncoder(n_features=self.config.lexical_features, terms=self.config.lexical_terms)

    @staticmethod
    def _fit_lexical(lexical: LexicalEncoder, profiles: dict[str, dict[int, Any]]) -> None:
        """The IDF over every profile of every kind (the lexical space is shared)."""
        lexical.fit(lexical_texts([p for kind in ALL_KINDS for p in profiles[kind].values()]) or [""])

    @staticmethod
    def _max_change_id(session: Session) -> int:
        return int(session.scalar(select(func.coalesce(func.max(IndexChange.id), 0))) or 0)

    # -- build and load ----------------------------------------------------------------------------------
    def build(self, factory: sessionmaker[Session], *, progress: Progress | None = None,
              save: bool = True) -> dict[str, Any]:
        """Encode (through the cache) and index every profile; save the indexes. Returns a report."""
        with factory() as session:
            last_change = self._max_change_id(session)
            profiles = {kind: load_profiles(session, kind, window_days=self.settings.impressions_window_days)
                        for kind in ALL_KINDS}
        lexical = self._new_lexical()
        self._fit_lexical(lexical, profiles)
        encoder = self.encoder
        before, hits_before = encoder.encoded, getattr(encoder, "hits", 0)
        tables: dict[str, ProfileTable] = {}
        report: dict[str, Any] = {"encoder": encoder.id, "kinds": {}}
        started = time.perf_counter()
        total = sum(len(profiles[kind]) for kind in ALL_KINDS)
        done = 0
        for kind in ALL_KINDS:
            items = list(profiles[kind].values())
            table = ProfileTable(kind, encoder.dim, self.config)

            def tick(n: int, kind: str = kind) -> None:
                nonlocal done
                done += n
                if progress:
                    progress(kind, done, total)

            upsert_profiles(table, items, encoder, lexical, progress=tick)
            tables[kind] = table
            if save:
                save_table(table, self.settings.index_root / kind, encoder_id=encoder.id, lexical=lexical)
            report["kinds"][kind] = len(table)
        report["encoded_texts"] = encoder.encoded - before
        report["cached_texts"] = getattr(encoder, "hits", 0) - hits_before
        report["seconds"] = round(time.perf_counter() - started, 2)
        self._install(tables, lexical, last_change)
        return report

    def load(self, factory: sessionmaker[Session], *, progress: Progress | None = None) -> dict[str, Any]:
        """Load saved indexes and reconcile them with the database (see the module docstring)."""
        with factory() as session:
            last_change = self._max_change_id(session)
            profiles = {kind: load_profiles(session, kind, window_days=self.settings.impressions_window_days)
                        for kind in ALL_KINDS}
        lexical = self._new_lexical()
        # saved under another text preparation (before the glossary, or another glossary): a new IDF and every
        # row's lexical terms again, from the profiles' texts; the saved vectors stay
        refit = any(lexical_version(self.settings.index_root / kind) != lexical.version for kind in ALL_KINDS)
        if refit:
            self._fit_lexical(lexical, profiles)
        tables: dict[str, ProfileTable] = {}
        report: dict[str, Any] = {"encoder": self.encoder.id, "kinds": {}, "lexical_refitted": refit}
        for kind in ALL_KINDS:
            table, info = load_table(self.settings.index_root / kind, kind=kind, profiles=profiles[kind],
                                     encoder=self.encoder, lexical=lexical, config=self.config, lexical_fitted=refit)
            tables[kind] = table
            report["kinds"][kind] = {k: v for k, v in info.items() if k != "manifest"}
        self._install(tables, lexical, last_change)
        return report

    def _install(self, tables: dict[str, ProfileTable], lexical: LexicalEncoder, last_change: int) -> None:
        old = self._state
        state = EngineState(tables=tables, matcher=Matcher(tables, lexical, self.config),
                            last_change_id=last_change, learned=old.learned if old else {},
                            learned_version_id=old.learned_version_id if old else None,
                            pins=old.pins if old else {}, versions=old.versions if old else {},
                            histories=old.histories if old else {})
        with self._lock:
            self._state = state

    def set_learned(self, models: Mapping[str, LearnedScorer], version_id: int | None,
                    pins: Mapping[int, int] | None = None,
                    versions: Mapping[int, Mapping[str, LearnedScorer]] | None = None) -> None:
        """Swap the serving learned models in one assignment (never a moment of mixed state)."""
        with self._lock:
            state = self.state
            loaded = {k: dict(v) for k, v in (versions if versions is not None else state.versions).items()}
            if version_id is not None:
                loaded[version_id] = dict(models)
            self._state = EngineState(tables=state.tables, matcher=state.matcher,
                                      last_change_id=state.last_change_id, learned=dict(models),
                                      learned_version_id=version_id, built_at=state.built_at,
                                      pins=dict(pins if pins is not None else state.pins), versions=loaded,
                                      histories=state.histories)

    def refresh_history(self, session: Session, today: dt.date | None = None) -> None:
        """Serve every loaded version's investor ranker over the deal log as of today (default: the clock's).

        One refresh at a time (a lock): a refresh that read the set of versions before a switch can never
        install a stale set after it. Versions whose ranker artifact fails to load serve without one (logged)."""
        from api.history import serving_view
        from api.training import load_version_history
        from models import ModelVersion

        with self._history_lock:
            state = self._state
            if state is None:
                return
            wanted = {v for v in [state.learned_version_id, *state.pins.values()] if v is not None}
            for vid in sorted(wanted - set(self._rankers)):
                row = session.get(ModelVersion, vid)
                try:
                    self._rankers[vid] = load_version_history(row) if row is not None else None
                except Exception as exc:  # noqa: BLE001 - ModelArtifactError and I/O errors alike
                    log.error("investor ranker of version %s refused: %s; that version ranks investors by thesis",
                              vid, exc)
                    self._rankers[vid] = None
            rankers = {vid: self._rankers[vid] for vid in wanted if self._rankers.get(vid) is not None}
            day = today or self.clock().date()
            histories: dict[int, InvestorHistory] = {}
            if rankers:
                started = time.perf_counter()
                views: dict[tuple[str, ...], Any] = {}
                for vid, loaded in sorted(rankers.items()):
                    assert loaded is not None
                    ranker, als = loaded
                    kinds = tuple(ranker.kinds)
                    if kinds not in views:
                        views[kinds] = serving_view(session, self.encoder, day, kinds)
                    self._history_serial += 1
                    histories[vid] = InvestorHistory(ranker, views[kinds], als, exclude_prior=True,
                                                     serial=self._history_serial)
                log.info("investor rankers of versions %s over %d investments as of %s (%.2f s)", sorted(histories),
                         len(next(iter(views.values())).log), day, time.perf_counter() - started)
            self._history_day = day
            with self._lock:
                self.state.histories = histories

    # -- incremental changes -----------------------------------------------------------------------------
    def upsert(self, session: Session, kind: str, ids: Sequence[int]) -> None:
        """Re-read these profiles from ``session`` and put them into this process's tables."""
        state = self.state
        profiles = load_profiles(session, kind, ids, window_days=self.settings.impressions_window_days)
        gone = [i for i in ids if i not in profiles]
        with self._lock:
            table = state.tables[kind]
            if profiles:
                upsert_profiles(table, list(profiles.values()), self.encoder, state.matcher.lexical)
            if gone:
                table.remove(gone)

    def remove(self, kind: str, ids: Sequence[int]) -> None:
        with self._lock:
            self.state.tables[kind].remove(ids)

    def sync_model(self, session: Session) -> bool:
        """Serve what the database says: the network's serving version and every space's pinned version.

        Versions are loaded once; one whose artifacts fail to load is refused (logged) and whatever served
        before keeps serving. Everything switches in one assignment."""
        from api.training import load_version_models, serving_version
        from models import ModelVersion, SpaceModel

        if self._state is None:
            return False
        state = self._state
        row = serving_version(session)
        network = row.id if row is not None else None
        pins = {int(s): int(v) for s, v in session.execute(select(SpaceModel.space_id, SpaceModel.model_version_id))}
        if network == state.learned_version_id and pins == state.pins:
            return False
        versions = dict(state.versions)
        for vid in {v for v in [network, *pins.values()] if v is not None} - set(versions) - self._refused:
            version_row = row if row is not None and row.id == vid else session.get(ModelVersion, vid)
            if version_row is None:
                continue
            try:
                versions[vid] = load_version_models(version_row)
            except Exception as exc:  # noqa: BLE001 - ModelArtifactError and I/O errors alike
                self._refused.add(vid)
                log.error("model version %s refused: %s; what served before keeps serving", vid, exc)
        if network is not None and network not in versions:
            network, learned = state.learned_version_id, state.learned  # keep the previous one
        else:
            learned = versions.get(network, {}) if network is not None else {}
        pins = {s: v for s, v in pins.items() if v in versions}
        if network == state.learned_version_id and pins == state.pins:
            return False
        self.set_learned(learned, network, pins=pins, versions=versions)
        self.refresh_history(session)  # the investor rankers of the versions now serving
        log.info("serving model version %s; space pins %s", network, pins or "none")
        return True

    def apply_changes(self, session: Session, *, force: bool = False) -> int:
        """Replay logged changes newer than this process has seen (at most every refresh interval)."""
        if self._state is None:
            return 0
        now = time.monotonic()
        if not force and now - self._last_refresh < self.settings.refresh_interval_s:
            return 0
        self._last_refresh = now
        self.sync_model(session)
        state = self.state
        if state.histories and self._history_day != self.clock().date():
            self.refresh_history(session)  # a new day: the view of the log moves on
        rows = session.execute(
            select(IndexChange.id, IndexChange.kind, IndexChange.entity_id, IndexChange.op)
            .where(IndexChange.id > state.last_change_id).order_by(IndexChange.id)
        ).all()
        if not rows:
            return 0
        by_kind: dict[str, set[int]] = defaultdict(set)
        for _, kind, entity_id, _op in rows:
            by_kind[kind].add(int(entity_id))
        for kind, ids in by_kind.items():
            if kind in state.tables:
                self.upsert(session, kind, sorted(ids))
        if "history" in by_kind:  # new investments (an investor's kind, rarely edited, follows with the day)
            self.refresh_history(session)
        with self._lock:
            state.last_change_id = max(int(r[0]) for r in rows)
        return len(rows)


def default_settings(var_dir: str | os.PathLike[str] = "var", encoder: str | None = None) -> EngineSettings:
    return EngineSettings(var_dir=Path(var_dir), encoder=encoder or DEFAULT_ENCODER)
