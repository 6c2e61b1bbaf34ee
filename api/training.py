"""Retraining, the model registry, promotion and rollback.

A training run reads the logged impressions and what followed (feedback events, introductions), splits
them by time *before* fitting, fits one additive model per kind (``mentor``, ``investor``, ``provider``
and ``dealflow``) on the earlier part, and compares it on the later part with the serving model under the
network's operator weights (primary metric: position-debiased NDCG@10 of good outcomes, see
``matcher.learning.replay``). The run becomes a :class:`~models.ModelVersion`: artifacts under
``<var>/models/v<id>/`` (skops, checksummed), a manifest (data window, row counts, library versions,
features, metrics) and a status. Promotion is decided per kind: a kind whose new model is worse than the
model serving it by more than ``tolerance`` is refused, and the version carries the serving model for that
kind; the version is promoted when at least one kind brings a model that is not worse, else it stays a
candidate. Its report names every refused kind with both scores.

Nothing a serving process reads changes until the final transaction that records the version (and, when
promoted, flips the ``serving`` status): a crash or a kill during training leaves serving as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version as pkg_version
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from matcher.config import FEATURES, WeightSet
from matcher.encoders import Encoder
from matcher.errors import ModelArtifactError
from matcher.history import AlsPeer
from matcher.investor_ranker import InvestorRanker
from matcher.learning import (
    MIN_EXAMINATION_SHARE,
    UNOBSERVED,
    LearnedModel,
    TrainingSet,
    blended_scores,
    features_matrix,
    fit,
    label_from_events,
    load_model,
    refit_effects,
    replay,
    save_model,
    time_split,
)
from models import AuditLog, FeedbackEvent, Impression, IntroRequest, Job, ModelVersion
from models import WeightSet as WeightSetRow

MODEL_KINDS = ("mentor", "investor", "provider", "dealflow")
log = logging.getLogger("huoban.training")
OUTCOME_TYPES = ("dismissed", "requested", "accepted", "declined", "met", "rating", "invested")
Progress = Callable[[float, str], None]


@dataclass
class RunResult:
    version_id: int | None
    status: str
    promoted: bool
    report: str
    metrics: dict[str, Any]
    manifest: dict[str, Any]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _selector(kind: str) -> tuple[str, str]:
    """(candidate kind, direction) of a model kind."""
    return ("investor", "dealflow") if kind == "dealflow" else (kind, "matches")


def load_training_set(session: Session, kind: str, *, since: dt.datetime | None = None) -> TrainingSet:
    """Impressions of one model kind with the graded outcome that followed each of them, and (without
    ``since``) what the impressions older than the retention period said, rolled up (``api.retention``).

    An outcome is credited to the impression it names (directly, or through its introduction); otherwise to
    the latest earlier impression of the same pair."""
    _, data = load_training_rows(session, kind, since=since)
    if since is not None:
        return data
    from api.retention import load_rolled

    rolled = load_rolled(session, kind)
    return data if rolled is None else dataclasses.replace(data, rolled=rolled)


def load_training_rows(session: Session, kind: str, *, since: dt.datetime | None = None,
                       credits: dict[int, list[int]] | None = None) -> tuple[np.ndarray, TrainingSet]:
    """The impression ids (aligned with the rows) and the training set of :func:`load_training_set`, without
    the rolled-up outcomes (nor the events they counted). ``credits`` collects, per row, the ids of the
    feedback events credited to it."""
    cand_kind, direction = _selector(kind)
    q = select(Impression.id, Impression.request_id, Impression.project_id, Impression.candidate_id,
               Impression.position, Impression.propensity, Impression.features, Impression.created_at).where(
        Impression.candidate_kind == cand_kind, Impression.direction == direction)
    if since is not None:
        q = q.where(Impression.created_at >= since)
    rows = session.execute(q.order_by(Impression.id)).all()
    if not rows:
        empty = np.zeros(0)
        return empty.astype(np.int64), TrainingSet(
            np.zeros((0, len(FEATURES)), dtype=np.float32), empty.astype(np.int64), empty.astype(np.int64), empty,
            empty, empty.astype(np.int64), empty.astype(np.int64))
    index_of = {r.id: i for i, r in enumerate(rows)}
    by_pair: dict[tuple[int, int], list[tuple[float, int]]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_pair[(r.project_id, r.candidate_id)].append((r.created_at.timestamp(), i))
    intro_impression = dict(session.execute(select(IntroRequest.id, IntroRequest.impression_id).where(
        IntroRequest.candidate_kind == cand_kind, IntroRequest.impression_id.is_not(None))).all())
    events: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
    ev_rows = session.execute(select(
        FeedbackEvent.id, FeedbackEvent.type, FeedbackEvent.rating, FeedbackEvent.impression_id,
        FeedbackEvent.intro_id, FeedbackEvent.project_id, FeedbackEvent.candidate_id, FeedbackEvent.occurred_at).where(
        FeedbackEvent.candidate_kind == cand_kind, FeedbackEvent.type.in_(OUTCOME_TYPES),
        FeedbackEvent.rolled_up.is_(False))).all()
    for ev in ev_rows:
        target = ev.impression_id
        if target is None and ev.intro_id is not None:
            target = intro_impression.get(ev.intro_id)
        i = index_of.get(target) if target is not None else None
        if i is None:
            shown = by_pair.get((ev.project_id, ev.candidate_id), [])
            before = [idx for t, idx in shown if t <= ev.occurred_at.timestamp()]
            i = before[-1] if before else None
        if i is not None:
            events[i].append((ev.type, ev.rating))
            if credits is not None:
                credits.setdefault(i, []).append(int(ev.id))
    groups: dict[str, int] = {}
    # rows nobody reacted to are "unobserved" only if clients report what was looked at at all
    examined = sum(1 for evs in events.values() if any(t in ("viewed", "dismissed") for t, _ in evs))
    silent = UNOBSERVED if examined >= MIN_EXAMINATION_SHARE * len(rows) else 0
    return np.array([r.id for r in rows], dtype=np.int64), TrainingSet(
        X=features_matrix([r.features for r in rows]),
        gains=np.array([label_from_events(events[i]) if i in events else silent for i in range(len(rows))],
                       dtype=np.int64),
        positions=np.array([r.position for r in rows], dtype=np.int64),
        propensities=np.array([r.propensity for r in rows], dtype=np.float64),
        times=np.array([r.created_at.timestamp() for r in rows], dtype=np.float64),
        groups=np.array([groups.setdefault(r.request_id, len(groups)) for r in rows], dtype=np.int64),
        candidates=np.array([r.project_id if direction == "dealflow" else r.candidate_id for r in rows],
                            dtype=np.int64),
    )


def network_weights(session: Session, kind: str) -> WeightSet:
    row = session.scalars(select(WeightSetRow).where(WeightSetRow.space_id.is_(None), WeightSetRow.kind == kind)
                          .order_by(WeightSetRow.version.desc()).limit(1)).first()
    if row is None:
        return WeightSet.default(kind)
    return WeightSet.parse(kind, row.weights, diversity=float(row.options.get("diversity", 0.0)))


def serving_version(session: Session) -> ModelVersion | None:
    return session.scalars(select(ModelVersion).where(ModelVersion.status == "serving")
                           .order_by(ModelVersion.promoted_at.desc()).limit(1)).first()


def load_version_models(row: ModelVersion, *, verify_history: bool = True) -> dict[str, LearnedModel]:
    """Every model of a version, checksums verified (ModelArtifactError otherwise); with ``verify_history``
    its investor ranker too (promotion serves a version whole or not at all)."""
    out: dict[str, LearnedModel] = {}
    for kind, info in (row.manifest.get("kinds") or {}).items():
        if info.get("artifact"):
            out[kind] = load_model(info["artifact"], checksum=info["checksum"], version=str(row.id))
    if verify_history:
        load_version_history(row)
    return out


def load_version_history(row: ModelVersion) -> tuple[InvestorRanker, AlsPeer] | None:
    """The version's investor ranker and ALS peer (checksum verified), None when it has none."""
    from api.history import load_history

    info = row.manifest.get("history") or {}
    if not info.get("artifact"):
        return None
    return load_history(info["artifact"], info["checksum"])


def _train_history(factory: sessionmaker[Session], encoder: Encoder, staging: Path, current: ModelVersion | None, *,
                   seed: int, span_days: int, now: dt.datetime) -> dict[str, Any]:
    """Train the investor ranker into ``staging``; without enough history, carry the serving one over."""
    from api.history import ARTIFACT, describe, save_history, train_history

    try:
        with factory() as session:
            weights = network_weights(session, "investor")
            result = train_history(session, encoder, now=now, weights=weights, span_days=span_days, seed=seed)
    except Exception as exc:  # noqa: BLE001 - a failed ranker must not cost the per-kind models their version
        log.exception("training the investor ranker failed")
        result = f"training failed ({exc.__class__.__name__}: {exc})"
    if isinstance(result, str):
        carried = (current.manifest.get("history") or {}) if current is not None else {}
        if carried.get("artifact"):
            return {**carried, "carried_from": current.id if current is not None else None,
                    "report": f"{result}; the serving ranker is carried over"}
        return {"report": result}
    ranker, als = result
    info = describe(ranker)
    info["checksum"] = save_history(ranker, als, staging / ARTIFACT)
    info["artifact"] = ARTIFACT
    val = info.get("validation") or {}
    info["report"] = (f"selected {ranker.selected}; validation NDCG@10 learned {val.get('learned')} vs "
                      f"{val.get('best_baseline')} {val.get('best_baseline_ndcg@10')}") if val else \
        f"selected {ranker.selected} (no validation window)"
    return info


def _libraries() -> dict[str, str]:
    names = ("scikit-learn", "numpy", "scipy", "skops", "huoban")
    out = {}
    for n in names:
        try:
            out[n] = pkg_version(n)
        except Exception:  # noqa: BLE001
            out[n] = "unknown"
    return out


def retrain(factory: sessionmaker[Session], models_dir: Path, *, seed: int = 0, tolerance: float = 0.01,
            test_share: float = 0.2, min_positives: int = 20, since: dt.datetime | None = None,
            promote: bool = True, progress: Progress | None = None, hold_seconds: float = 0.0,
            encoder: Encoder | None = None, history_span_days: int = 365,
            now: dt.datetime | None = None, retention_days: int | None = None) -> RunResult:
    """One training run (see the module docstring). With ``encoder``, the investor ranker is trained on the
    deal history too (``history`` in the manifest; see :mod:`api.history`). With ``retention_days``, the
    impressions older than that are rolled up first (:mod:`api.retention`)."""
    tick = progress or (lambda fraction, message: None)
    started = _now()
    rolled_up: dict[str, Any] | None = None
    if retention_days:
        from api.retention import roll_up

        tick(0.01, f"rolling up impressions older than {retention_days} days")
        rolled_up = roll_up(factory, (now or started) - dt.timedelta(days=retention_days))
    tick(0.02, "reading logs")
    with factory() as session:
        data = {kind: load_training_set(session, kind, since=since) for kind in MODEL_KINDS}
        weights = {kind: network_weights(session, kind) for kind in MODEL_KINDS}
        current = serving_version(session)
        current_models: dict[str, LearnedModel] = {}
        if current is not None:
            try:  # the per-kind models carry over even when the serving ranker's artifact is damaged
                current_models = load_version_models(current, verify_history=False)
            except ModelArtifactError:
                current_models = {}
        current_id = current.id if current is not None else None
    staging = models_dir / f".staging-{os.getpid()}-{int(time.time() * 1000)}"
    staging.mkdir(parents=True, exist_ok=True)
    kinds_manifest: dict[str, Any] = {}
    metrics: dict[str, Any] = {}
    reasons: list[str] = []
    worse: list[str] = []
    trained_any = False
    try:
        for n, kind in enumerate(MODEL_KINDS):
            tick(0.05 + 0.8 * n / len(MODEL_KINDS), f"training {kind}")
            full = data[kind]
            train, test, cut = time_split(full, test_share) if len(full) else (full, full, 0.0)
            positives = int((train.gains >= 2).sum())
            info: dict[str, Any] = {"rows": len(full), "train_rows": len(train), "test_rows": len(test),
                                    "positives": positives, "cut_time": cut,
                                    "window": [float(full.times.min()), float(full.times.max())] if len(full)
                                    else None}
            carried = current_models.get(kind)
            if positives < min_positives or len(test) == 0:
                reasons.append(f"{kind}: too little data ({positives} good outcomes before the cut, {len(test)} "
                               f"rows after); the serving model is carried over" if carried else
                               f"{kind}: too little data ({positives} good outcomes); no model for this kind yet")
                if carried is not None and current is not None:
                    info.update({k: current.manifest["kinds"][kind][k] for k in ("artifact", "checksum")},
                                carried_from=current.id)
                kinds_manifest[kind] = info
                continue
            model = fit(train, seed=seed)
            lists = test.lists()
            w = np.asarray(weights[kind].vector(), dtype=np.float32)
            w_l = float(weights[kind].weights.get("learned", 0.0))
            cand = replay(lists, blended_scores(lists, w, w_l, model))
            base = replay(lists, blended_scores(lists, w, w_l, None))
            # the serving model's track records were fitted on outcomes that may lie in this later slice: it is
            # judged with records re-fitted on the earlier slice only, exactly like the candidate
            judged = refit_effects(carried, train) if carried is not None else None
            serv = replay(lists, blended_scores(lists, w, w_l, judged)) if judged is not None else base
            metrics[kind] = {"candidate": cand, "serving": serv, "weights_only": base,
                             "effects": model.feature_effects()}
            if cand["ndcg@10"] < serv["ndcg@10"] - tolerance:
                # this kind's candidate is refused: the version keeps serving the current model for it
                worse.append(kind)
                reasons.append(f"{kind}: refused, NDCG@10 {cand['ndcg@10']:.4f} < serving {serv['ndcg@10']:.4f} - "
                               f"tolerance {tolerance}" + ("; the serving model is kept" if carried else ""))
                info["refused"] = True
                if carried is not None and current is not None:
                    info.update({k: current.manifest["kinds"][kind][k] for k in ("artifact", "checksum")},
                                carried_from=current.id)
                kinds_manifest[kind] = info
                continue
            reasons.append(f"{kind}: NDCG@10 {cand['ndcg@10']:.4f} vs serving {serv['ndcg@10']:.4f} "
                           f"(weights only {base['ndcg@10']:.4f}) on {int(cand['lists'])} later lists")
            # judged on the later slice with track records from the earlier one; served with track records
            # from every outcome so far (the freshest outcomes say most about who is good right now)
            model = refit_effects(model, full)
            info["track_records"] = {"candidates": int(len(model.effects.ids)), "tau": round(model.effects.tau, 4)}
            metrics[kind]["effects"] = model.feature_effects()  # of the model as served
            info["checksum"] = save_model(model, staging / f"{kind}.skops")
            info["artifact"] = f"{kind}.skops"
            kinds_manifest[kind] = info
            trained_any = True
        history_info: dict[str, Any] | None = None
        if encoder is not None:
            tick(0.86, "training the investor ranker on the deal history")
            history_info = _train_history(factory, encoder, staging, current, seed=seed, span_days=history_span_days,
                                          now=now or started)
            reasons.append(f"investor ranker: {history_info['report']}")
            trained_any = trained_any or bool(history_info.get("artifact")) and not history_info.get("carried_from")
        if hold_seconds:
            tick(0.9, "holding (fault-injection test)")
            time.sleep(hold_seconds)
        tick(0.92, "recording the version")
        manifest = {"seed": seed, "tolerance": tolerance, "test_share": test_share, "features": list(FEATURES),
                    "libraries": _libraries(), "started_at": started.isoformat(), "kinds": kinds_manifest,
                    "since": since.isoformat() if since else None, "previous_serving": current_id,
                    "retention_days": retention_days, "rolled_up": rolled_up}
        if history_info is not None:
            manifest["history"] = history_info
        if not trained_any and not worse:
            shutil.rmtree(staging, ignore_errors=True)
            return RunResult(None, "skipped", False, "; ".join(reasons) or "nothing to train", metrics, manifest)
        with factory() as session, session.begin():
            row = ModelVersion(status="candidate", artifact_path="", checksum="", manifest={}, metrics=metrics,
                               report="")
            session.add(row)
            session.flush()
            final = models_dir / f"v{row.id}"
            for info in [*kinds_manifest.values(), *([history_info] if history_info else [])]:
                if info.get("carried_from") is not None:
                    info["artifact"] = str(Path(info["artifact"]))
                elif info.get("artifact"):
                    info["artifact"] = str(final / info["artifact"])
            # promoted when at least one kind brings a model that is not worse than what serves it now
            promote_now = promote and trained_any
            status = "serving" if promote_now else "candidate"
            report = ("promoted: " if promote_now else
                      "kept as a candidate (not promoted): " if not trained_any else "not promoted (--no-promote): ") \
                + "; ".join(reasons)
            row.manifest = manifest
            row.artifact_path = str(final)
            # one digest over the per-kind artifact checksums (those are in the manifest)
            digests = {k: v.get("checksum") for k, v in kinds_manifest.items()}
            if history_info is not None:
                digests["history"] = history_info.get("checksum")
            row.checksum = hashlib.sha256(json.dumps(digests, sort_keys=True).encode()).hexdigest()
            row.report = report
            os.replace(staging, final)  # artifacts in place before the row can become visible
            if promote_now:
                session.execute(update(ModelVersion).where(ModelVersion.status == "serving")
                                .values(status="retired"))
                row.status = "serving"
                row.promoted_at = _now()
            else:
                row.status = status
            session.add(AuditLog(action="model.train", object_type="model_version", object_id=str(row.id),
                                 detail={"status": row.status, "report": report}))
            version_id = row.id
            result_status = row.status
        tick(1.0, "done")
        return RunResult(version_id, result_status, result_status == "serving", report, metrics, manifest)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def promote_version(session: Session, version_id: int, actor_user_id: int | None,
                    action: str = "promote") -> ModelVersion:
    """Make a version serving (its artifacts verified first); the current one is retired."""
    row = session.get(ModelVersion, version_id)
    if row is None:
        raise LookupError(f"no model version {version_id}")
    load_version_models(row)  # raises ModelArtifactError for a corrupt or missing artifact
    session.execute(update(ModelVersion).where(ModelVersion.status == "serving", ModelVersion.id != row.id)
                    .values(status="retired"))
    row.status = "serving"
    row.promoted_at = _now()
    session.add(AuditLog(actor_user_id=actor_user_id, action=f"model.{action}", object_type="model_version",
                         object_id=str(row.id), detail={}))
    return row


def rollback(session: Session, actor_user_id: int | None) -> ModelVersion:
    """Serve again the version that served before the current one."""
    current = serving_version(session)
    previous = session.scalars(select(ModelVersion).where(
        ModelVersion.promoted_at.is_not(None), ModelVersion.status != "serving",
        *((ModelVersion.promoted_at < current.promoted_at,) if current and current.promoted_at else ()))
        .order_by(ModelVersion.promoted_at.desc()).limit(1)).first()
    if previous is None:
        raise LookupError("no earlier serving version to roll back to")
    return promote_version(session, previous.id, actor_user_id, action="rollback")


# -- background jobs ------------------------------------------------------------------------------------
def start_job(session: Session, *, db_url: str, var_dir: str, user_id: int | None,
              retention_days: int = 0) -> Job:
    """Record a retrain job and run it in a separate process (serving is never blocked by training), with the
    service's impression retention (``IMPRESSION_RETENTION_DAYS``; 0 keeps every impression)."""
    running = session.scalars(select(Job).where(Job.kind == "retrain", Job.status.in_(("queued", "running")))).first()
    if running is not None and job_alive(running):
        return running
    job = Job(kind="retrain", status="queued", created_by_user_id=user_id, result={})
    session.add(job)
    session.commit()
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "retrain", "--db", db_url, "--var", var_dir, "--job", str(job.id)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        env={**os.environ, "HUOBAN_IMPRESSION_RETENTION_DAYS": str(int(retention_days or 0))},
    )
    job.result = {"pid": proc.pid, "host": os.uname().nodename}
    session.commit()
    threading.Thread(target=proc.wait, name=f"reap-job-{job.id}", daemon=True).start()  # no zombie process
    return job


def job_alive(job: Job) -> bool:
    pid = (job.result or {}).get("pid")
    if not pid or (job.result or {}).get("host") != os.uname().nodename:
        return job.status in ("queued",)
    try:
        os.kill(int(pid), 0)
    except OSError:
        return False
    try:  # a zombie (exited, not reaped) is not alive
        with open(f"/proc/{int(pid)}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except OSError:
        return True


def refresh_job(session: Session, job: Job) -> Job:
    """A running job whose process vanished is marked failed."""
    if job.status in ("queued", "running") and (job.result or {}).get("pid") and not job_alive(job):
        job.status = "failed"
        job.message = job.message or "the training process exited without finishing"
        job.finished_at = _now()
        session.commit()
    return job


_OUTCOMES = select(func.count()).select_from(FeedbackEvent).where(FeedbackEvent.type.in_(OUTCOME_TYPES))
# a range of ix_feedback_created_type alone (migration 0014): it runs on every feedback POST with auto-retraining
_OUTCOMES_SINCE = _OUTCOMES.where(FeedbackEvent.created_at > bindparam("since"))


def outcome_events_since(session: Session, moment: dt.datetime | None) -> int:
    if moment is None:
        return int(session.scalar(_OUTCOMES) or 0)
    return int(session.scalar(_OUTCOMES_SINCE, {"since": moment}) or 0)
