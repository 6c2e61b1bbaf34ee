"""Serving matches and deal flow: rank through the process's matcher, log every shown candidate as an
impression (position, score, features, propensity, model and weight-set versions), explain in both
languages."""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import orjson
from flask import Response, current_app
from sqlalchemy import bindparam, insert, or_, select
from sqlalchemy.orm import Session

from api.extensions import matching
from api.problems import problem
from api.services.impression_log import current_log
from matcher import Exploration, Ranking, WeightSet
from matcher.errors import MatcherError
from matcher.profiles import CandidateProfile, ProjectProfile
from models import Impression, IntroRequest
from models import WeightSet as WeightSetRow

_RNG_KEY = "huoban.exploration_rng"
_CACHE_KEY = "huoban.ranking_cache"

# Statements of the request path, built once: building a select() costs more than running it on SQLite.
_WEIGHT_COLUMNS = (WeightSetRow.id, WeightSetRow.version, WeightSetRow.weights, WeightSetRow.options)
_NEWEST = (WeightSetRow.space_id.is_(None), WeightSetRow.version.desc())  # the space's own rows sort first
_WEIGHTS_OF_SPACE = (select(*_WEIGHT_COLUMNS)
                     .where(or_(WeightSetRow.space_id == bindparam("space_id"), WeightSetRow.space_id.is_(None)),
                            WeightSetRow.kind == bindparam("kind"))
                     .order_by(*_NEWEST).limit(1))
_WEIGHTS_OF_NETWORK = (select(*_WEIGHT_COLUMNS)
                       .where(WeightSetRow.space_id.is_(None), WeightSetRow.kind == bindparam("kind"))
                       .order_by(WeightSetRow.version.desc()).limit(1))
_OPEN_OR_DECLINED = ("pending", "accepted", "declined")
_EXCLUDED_CANDIDATES = select(IntroRequest.candidate_id).where(
    IntroRequest.project_id == bindparam("project_id"), IntroRequest.candidate_kind == bindparam("kind"),
    IntroRequest.status.in_(_OPEN_OR_DECLINED))
_EXCLUDED_PROJECTS = select(IntroRequest.project_id).where(
    IntroRequest.candidate_kind == "investor", IntroRequest.candidate_id == bindparam("investor_id"),
    IntroRequest.status.in_(_OPEN_OR_DECLINED))
# Core insert (no ORM unit of work: impressions are never loaded back into this session). The rows of one
# list are told apart by their position, so RETURNING needs no order, and the driver sends one multi-row
# INSERT (asking for parameter order instead makes SQLAlchemy insert row by row on SQLite).
_IMPRESSIONS = Impression.__table__
_INSERT_IMPRESSIONS = insert(_IMPRESSIONS).returning(_IMPRESSIONS.c.position, _IMPRESSIONS.c.id)


class RankingCache:
    """Served rankings of this process, reused while nothing they depend on has changed.

    The key holds every input of a ranking: the engine state (indexes, learned models), the versions of both
    profile tables (profiles, capacity and outcome counters), the weight set, the model version, k, the
    diversity and the excluded ids. What it does not hold is the exposure counter bumped by serving itself:
    an entry lives 0.5 to 1 times ``ttl`` seconds, so a founder who reloads sees a stable list, while
    exposure control (and exploration's random pick) moves on at the next computation. ``ttl`` 0 switches
    the cache off."""

    def __init__(self, ttl: float, size: int = 4096) -> None:
        self.ttl = ttl
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], tuple[float, Ranking]] = OrderedDict()
        self._lock = threading.Lock()
        self._jitter = random.Random()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[Any, ...]) -> Ranking | None:
        if self.ttl <= 0:
            return None
        now = time.monotonic()
        with self._lock:
            item = self._items.get(key)
            if item is None or now > item[0]:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item[1]

    def put(self, key: tuple[Any, ...], ranking: Ranking) -> None:
        if self.ttl <= 0:
            return
        with self._lock:
            # expiry spread over the second half of the ttl: rankings first served together (a restart, a burst
            # of traffic) are not all recomputed in the same seconds (one wave of recomputation at 10k profiles
            # per kind saturated both cores for ~10 s when they expired within a quarter of the ttl)
            self._items[key] = (time.monotonic() + self.ttl * (1.0 - 0.5 * self._jitter.random()), ranking)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def ranking_cache() -> RankingCache:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    cache = app.extensions.get(_CACHE_KEY)
    if cache is None:
        cache = app.extensions[_CACHE_KEY] = RankingCache(float(app.config.get("RANKING_CACHE_SECONDS", 0)))
    return cache  # type: ignore[no-any-return]


def current_weights(session: Session, space_id: int | None, kind: str) -> WeightSet:
    """The newest weight set of the space, else the network default, else the built-in defaults."""
    if space_id is None:
        row = session.connection().execute(_WEIGHTS_OF_NETWORK, {"kind": kind}).first()
    else:
        row = session.connection().execute(_WEIGHTS_OF_SPACE, {"space_id": space_id, "kind": kind}).first()
    if row is not None:
        return WeightSet.parse(kind, row.weights, diversity=float(row.options.get("diversity", 0.0)),
                               version=row.version, id=row.id)
    return WeightSet.default(kind)


def excluded_candidates(session: Session, project_id: int, kind: str) -> list[int]:
    """Candidates already matched with (pending or accepted intro) or that declined this project."""
    rows = session.connection().execute(_EXCLUDED_CANDIDATES, {"project_id": project_id, "kind": kind}).scalars().all()
    return sorted(set(rows))


def excluded_projects(session: Session, investor_id: int) -> list[int]:
    rows = session.connection().execute(_EXCLUDED_PROJECTS, {"investor_id": investor_id}).scalars().all()
    return sorted(set(rows))


def _exploration(share: float) -> Exploration | None:
    if share <= 0:
        return None
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    rng = app.extensions.get(_RNG_KEY)
    if rng is None:
        seed = app.config.get("EXPLORATION_SEED")
        rng = app.extensions[_RNG_KEY] = np.random.default_rng(seed)
    return Exploration(share=share, rng=rng)


def require_ready() -> None:
    """503 unless this worker's matcher is loaded; a request arriving while it loads waits for the indexes
    (up to READY_WAIT_SECONDS, one waiting request per worker; others are told to retry at once).

    Each worker process loads its own indexes after start-up, so a client that saw /readyz answer 200 from one
    worker can reach another one still loading: it is served late rather than refused."""
    engine = matching.engine
    if engine.ready:
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    loader = app.extensions.get("huoban.loader")
    loaded = app.extensions.get("huoban.loaded")
    waiters = app.extensions.get("huoban.load_waiters")
    wait = float(app.config.get("READY_WAIT_SECONDS", 0) or 0)
    loading = loader is not None and loader.is_alive() and loaded is not None and not loaded.is_set()
    if loading and wait > 0 and loader is not threading.current_thread() and waiters is not None \
            and waiters.acquire(blocking=False):
        try:
            loaded.wait(wait)
        finally:
            waiters.release()
    if not engine.ready:
        loading = loaded is not None and not loaded.is_set()
        problem(503, "the matcher is still loading; retry shortly" if loading else
                "the matcher is not loaded: run `huoban index` and restart the service",
                type_="matcher-not-ready", headers={"Retry-After": "5"} if loading else None)


def rank(session: Session, *, kind: str, query_id: int, space_id: int, direction: str, k: int,
         diversity: float | None = None, exclude: Sequence[int] = ()) -> tuple[Ranking, WeightSet, int | None]:
    engine = matching.engine
    require_ready()
    engine.apply_changes(session)
    state = engine.state
    weight_kind = "dealflow" if direction == "dealflow" else kind
    weights = current_weights(session, space_id, weight_kind)
    if diversity is not None:
        weights = WeightSet.parse(weight_kind, weights.weights, diversity=diversity, version=weights.version,
                                  id=weights.id)
    models_here, version_id = state.learned_for(space_id or None)
    learned = models_here.get(weight_kind)
    table = state.tables["project" if direction == "matches" else "investor"]
    if query_id not in table:
        engine.upsert(session, "project" if direction == "matches" else "investor", [query_id])
    pool = state.tables[kind if direction == "matches" else "project"]
    history = state.history_for(space_id or None) if kind == "investor" else None
    key = (id(state), direction, kind, query_id, k, weights.id, weights.version, weights.diversity, version_id,
           id(learned), history.serial if history is not None else 0, table.version, pool.version,
           tuple(sorted(set(exclude))))
    cache = ranking_cache()
    cached = cache.get(key)
    if cached is not None:
        return cached, weights, (version_id if learned is not None or history is not None else None)
    try:
        ranking = state.matcher.rank(
            kind=kind, query_id=query_id, weights=weights, k=k, direction=direction, exclude=exclude,
            learned=learned, exploration=_exploration(float(current_app.config["EXPLORATION_SHARE"])),
            acceptance_prior=0.3, history=history, now=engine.clock(),
        )
    except KeyError:
        problem(404, f"no such {'project' if direction == 'matches' else 'investor'} in the matcher")
    except MatcherError as exc:
        problem(422, str(exc))
    cache.put(key, ranking)
    return ranking, weights, (version_id if learned is not None or history is not None else None)


def request_id() -> str:
    """A UUID whose leading bits are the time in milliseconds (the layout of UUIDv7): ids of one second sort
    together, so the impression log's request-id index grows at its end instead of at random pages."""
    value = (int(time.time() * 1000) & ((1 << 48) - 1)) << 80 | random.getrandbits(80)
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return str(uuid.UUID(int=value))


def impression_rows(ranking: Ranking, weights: WeightSet, *, space_of: dict[int, int],
                    viewer_user_id: int | None, model_version_id: int | None) -> tuple[str, list[dict[str, Any]]]:
    """One impression row per shown item (without ids), and the list's request id.

    An impression belongs to the space of its project (deal flow lists span spaces)."""
    rid = request_id()
    now = dt.datetime.now(dt.UTC)
    rows = []
    for m in ranking.matches:
        if ranking.direction == "matches":
            project_id, candidate_id = ranking.query_id, m.id
        else:
            project_id, candidate_id = m.id, ranking.query_id
        rows.append({
            "request_id": rid, "space_id": space_of[project_id], "direction": ranking.direction,
            "project_id": project_id, "candidate_kind": ranking.kind, "candidate_id": candidate_id,
            "position": m.position, "score": round(m.score, 6),
            "features": {name: round(v, 6) for name, v in m.features.items()},
            "propensity": round(m.propensity, 6), "explored": m.explored,
            "model_version_id": model_version_id, "weight_set_id": weights.id,
            "viewer_user_id": viewer_user_id, "created_at": now,
        })
    return rid, rows


def log_impressions(session: Session, ranking: Ranking, weights: WeightSet, *, space_of: dict[int, int],
                    viewer_user_id: int | None, model_version_id: int | None) -> tuple[str, list[int]]:
    """Insert the list's impressions in ``session``'s transaction (one statement) and return (request id,
    impression ids). Serving goes through the process's buffered log instead (:func:`serve`)."""
    rid, rows = impression_rows(ranking, weights, space_of=space_of, viewer_user_id=viewer_user_id,
                                model_version_id=model_version_id)
    return rid, _insert_impressions(session, rows)


def _insert_impressions(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    id_at = {pos: id_ for pos, id_ in session.connection().execute(_INSERT_IMPRESSIONS, rows)}
    return [id_at[row["position"]] for row in rows]


@lru_cache(maxsize=4096)
def _label(vocab_name: str, code: str) -> dict[str, str]:
    from matcher.taxonomy import CITIES, INDUSTRIES, INVESTOR_KINDS, MENTOR_TYPES, PROVIDER_CATEGORIES, STAGES

    vocab: Any = {"stage": STAGES, "mentor": MENTOR_TYPES, "investor": INVESTOR_KINDS,
                  "provider": PROVIDER_CATEGORIES, "industry": INDUSTRIES, "city": CITIES}[vocab_name]
    if code in vocab:
        return {"zh": vocab.zh(code), "en": vocab.en(code)}
    return {"zh": code, "en": code}


def subject(profile: ProjectProfile | CandidateProfile) -> dict[str, Any]:
    """Who a match is, with the Chinese and English labels of its codes beside them; a project is summed up
    by what it does (its one-liner), a candidate by what it offers."""
    project = isinstance(profile, ProjectProfile)
    subtype = profile.stage if isinstance(profile, ProjectProfile) else profile.subtype
    labels = {"subtype": _label("stage" if project else profile.kind, subtype), "city": _label("city", profile.city),
              "industries": [{"code": c, **_label("industry", c)} for c in profile.industries]}
    if isinstance(profile, ProjectProfile):
        return {"id": profile.id, "kind": "project", "name": profile.name, "subtype": profile.stage,
                "city": profile.city, "industries": list(profile.industries), "summary": profile.domain_text,
                "labels": labels}
    return {"id": profile.id, "kind": profile.kind, "name": profile.name, "subtype": profile.subtype,
            "city": profile.city, "industries": list(profile.industries), "summary": profile.offer_text,
            "labels": labels}


def _rounded(values: dict[str, float]) -> dict[str, float]:
    """Six decimals: no float32 noise (0.30000001192092896) in what clients display."""
    return {k: round(float(v), 6) for k, v in values.items()}


def _rounded_parts(parts: dict[str, float], total: float) -> dict[str, float]:
    """Parts of ``total`` rounded so they still add up to the rounded total (the rounding residue goes to
    the largest part, ``baseline`` where there is one)."""
    out = _rounded(parts)
    if not out:
        return out
    key = "baseline" if "baseline" in out else max(out, key=lambda k: abs(out[k]))
    out[key] = round(round(float(total), 6) - sum(v for k, v in out.items() if k != key), 6)
    return out


def serve(session: Session, *, kind: str, query_id: int, space_id: int, direction: str, k: int,
          viewer_user_id: int | None, diversity: float | None = None, exclude: Sequence[int] = (),
          writer: Session | None = None) -> dict[str, Any]:
    """Rank with ``session`` (reads only) and log the impressions through the process's buffered log
    (:mod:`api.services.impression_log`); with the log off, with ``writer`` (default: ``session``) in one short
    transaction, so concurrent requests do not queue behind each other's ranking on SQLite."""
    ranking, weights, version_id = rank(session, kind=kind, query_id=query_id, space_id=space_id,
                                        direction=direction, k=k, diversity=diversity, exclude=exclude)
    engine = matching.engine
    projects = engine.state.tables["project"]
    project_ids = [query_id] if direction == "matches" else [m.id for m in ranking.matches]
    space_of = {pid: int(projects.profile(pid).space_id) for pid in project_ids}  # type: ignore[union-attr]
    buffer = current_log()
    rid, rows = impression_rows(ranking, weights, space_of=space_of, viewer_user_id=viewer_user_id,
                                model_version_id=version_id)
    # the process's log writes the impressions within its interval; if it is off (or has no ids left while
    # the caller holds SQLite's write slot) they go into the caller's transaction
    impression_ids = buffer.append(rows) if buffer.buffered else None
    if impression_ids is None:
        if writer is None:
            writer = session
        else:
            session.rollback()  # end the read transaction: no snapshot pins the WAL while the writer commits
        impression_ids = _insert_impressions(writer, rows)
        writer.commit()
    if direction == "matches":  # this process counts what it showed at once; the stats refresh reconciles
        engine.state.tables[kind].bump_impressions([m.id for m in ranking.matches])
    pool = engine.state.tables[kind if direction == "matches" else "project"]
    items = []
    for m, imp_id in zip(ranking.matches, impression_ids, strict=True):
        contributions = _rounded(m.contributions)
        items.append({  # the score is the sum of the contributions as shown
            "position": m.position, "impression_id": imp_id, "score": round(sum(contributions.values()), 6),
            "explored": m.explored, "propensity": round(m.propensity, 6), "subject": subject(pool.profile(m.id)),
            "features": _rounded(m.features), "contributions": contributions,
            "learned_breakdown": _rounded_parts(m.learned_breakdown, contributions["learned"]),
            "history_breakdown": _rounded_parts(m.history_breakdown, contributions["history"]),
            "reasons": {"zh": m.reasons_zh, "en": m.reasons_en},
        })
    return {
        "request_id": rid, "direction": direction, "kind": kind, "query_id": query_id,
        "weight_set_version": weights.version, "model_version": version_id,
        "learned_active": ranking.learned_active, "eligible": ranking.eligible, "items": items,
    }


def response(result: dict[str, Any]) -> Response:
    """A served list as JSON, encoded by orjson: it holds only plain values already in the documented shape
    (tests hold it to ``MatchList``), so field-by-field re-serialisation and the slower encoder are skipped."""
    body = orjson.dumps(result, option=orjson.OPT_SERIALIZE_NUMPY)
    return current_app.response_class(body, mimetype="application/json")
