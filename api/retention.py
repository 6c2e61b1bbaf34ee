"""Impression retention: rows older than ``HUOBAN_IMPRESSION_RETENTION_DAYS`` are rolled up and deleted.

Every served list logs a row per shown candidate, so the impression table grows with traffic, not with the
network. What the learning loop needs from an old row is small: the row's outcome as a training weight (the
weight :func:`matcher.learning.training_weights` gives it, computed on the whole log as a retraining run would,
so a rolled row counts exactly as it did while it was kept) and the profile it ranked. Those are added into one
:class:`~models.ImpressionRollup` per ranked profile and model kind, and the rows go, in the same transaction
per model kind: a failure leaves both the rows and the counters as they were, never a row both counted and
kept. The track records (:func:`matcher.learning.fit_effects`) read the rollups as two extra rows per profile;
the trees train on the rows that remain. The exposure counts of serving read the last week only, so the
retention period cannot be shorter than :data:`MIN_DAYS`.

What is lost with a row: its features (the trees cannot learn from it again) and, for an outcome reported
after the row was rolled up, the impression it would have been credited to (such an outcome is credited to a
later impression of the same pair, if one was shown before it, else to none).

``huoban impressions prune`` applies the policy; ``huoban retrain`` applies it first when the variable is set.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from typing import Any

import numpy as np
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from matcher.learning import RolledUp, training_weights
from models import FeedbackEvent, Impression, ImpressionRollup

__all__ = ["ENV", "MIN_DAYS", "forget", "load_rolled", "retention_days", "roll_up"]

ENV = "HUOBAN_IMPRESSION_RETENTION_DAYS"
MIN_DAYS = 14  # the exposure statistics of serving count the last 7 days of impressions; twice that is kept
_CHUNK = 500  # ids per DELETE / SELECT ... IN (well under SQLite's bound-parameter limit)


def retention_days(environ: Mapping[str, str] | None = None) -> int | None:
    """The configured retention in days, or None (keep every impression: the default). Raises ValueError with
    the reason for a value that is not a whole number of at least :data:`MIN_DAYS`."""
    raw = (environ if environ is not None else os.environ).get(ENV, "").strip()
    if raw in ("", "0"):
        return None
    try:
        days = int(raw)
    except ValueError:
        raise ValueError(f"{ENV} must be a whole number of days (or 0 to keep every impression), not {raw!r}") from None
    if days < MIN_DAYS:
        raise ValueError(f"{ENV}={days}: at least {MIN_DAYS} days are kept (serving counts the last week's "
                         "impressions), or 0 to keep every impression")
    return days


def load_rolled(session: Session, kind: str) -> RolledUp | None:
    """The rollups of one model kind, or None when there are none."""
    rows = session.execute(select(ImpressionRollup.entity_id, ImpressionRollup.good_weight,
                                  ImpressionRollup.other_weight, ImpressionRollup.good_sq,
                                  ImpressionRollup.other_sq, ImpressionRollup.trained)
                           .where(ImpressionRollup.model_kind == kind).order_by(ImpressionRollup.entity_id)).all()
    if not rows:
        return None
    a = np.array([tuple(r) for r in rows], dtype=np.float64).reshape(len(rows), 6)
    return RolledUp(a[:, 0].astype(np.int64), a[:, 1], a[:, 2], a[:, 3], a[:, 4], a[:, 5])


def roll_up(factory: sessionmaker[Session], older_than: dt.datetime) -> dict[str, Any]:
    """Roll up and delete the impressions created before ``older_than``, one transaction per model kind.
    Returns per kind the rows rolled up and the profiles whose counters changed."""
    from api.training import MODEL_KINDS, _selector, load_training_rows

    cut = older_than.timestamp()
    out: dict[str, Any] = {}
    for kind in MODEL_KINDS:
        cand_kind, direction = _selector(kind)
        with factory() as session:  # the common case, nothing that old, without taking SQLite's write slot
            any_old = session.scalar(select(Impression.id).where(
                Impression.candidate_kind == cand_kind, Impression.direction == direction,
                Impression.created_at < older_than).limit(1))
        if any_old is None:
            out[kind] = {"rows": 0, "profiles": 0}
            continue
        with factory() as session, session.begin():
            credits: dict[int, list[int]] = {}
            ids, data = load_training_rows(session, kind, credits=credits)
            old = data.times < cut
            if not old.any():
                out[kind] = {"rows": 0, "profiles": 0}
                continue
            trained, y, w = training_weights(data.gains, data.positions, data.propensities)
            assert data.candidates is not None
            ent, inv = np.unique(data.candidates[old], return_inverse=True)
            use = trained[old].astype(np.float64)
            good = use * y[old] * w[old]
            other = use * (1 - y[old]) * w[old]
            sums = {
                "shown": np.bincount(inv, minlength=len(ent)),
                "trained": np.bincount(inv, use, minlength=len(ent)),
                "good_weight": np.bincount(inv, good, minlength=len(ent)),
                "other_weight": np.bincount(inv, other, minlength=len(ent)),
                "good_sq": np.bincount(inv, good * good, minlength=len(ent)),
                "other_sq": np.bincount(inv, other * other, minlength=len(ent)),
            }
            first = np.full(len(ent), np.inf)
            np.minimum.at(first, inv, data.times[old])
            last = np.full(len(ent), -np.inf)
            np.maximum.at(last, inv, data.times[old])
            existing: dict[int, ImpressionRollup] = {}
            ent_list = [int(e) for e in ent]
            for i in range(0, len(ent_list), _CHUNK):
                for row in session.scalars(select(ImpressionRollup).where(
                        ImpressionRollup.model_kind == kind, ImpressionRollup.entity_id.in_(ent_list[i:i + _CHUNK]))):
                    existing[row.entity_id] = row
            for n, e in enumerate(ent_list):
                t0 = dt.datetime.fromtimestamp(float(first[n]), dt.UTC)
                t1 = dt.datetime.fromtimestamp(float(last[n]), dt.UTC)
                row = existing.get(e)
                if row is None:
                    row = ImpressionRollup(model_kind=kind, entity_id=e, shown=0, trained=0, good_weight=0.0,
                                           other_weight=0.0, good_sq=0.0, other_sq=0.0, first_at=t0, last_at=t1)
                    session.add(row)
                row.shown = int(row.shown) + int(sums["shown"][n])
                row.trained = int(row.trained) + int(round(float(sums["trained"][n])))
                for name in ("good_weight", "other_weight", "good_sq", "other_sq"):
                    setattr(row, name, float(getattr(row, name)) + float(sums[name][n]))
                row.first_at, row.last_at = min(row.first_at, t0), max(row.last_at, t1)
                row.updated_at = dt.datetime.now(dt.UTC)
            session.flush()
            # the outcomes counted here are never credited again (deleting the rows nulls their links, and the
            # loader would credit them by pair to a later impression)
            counted = [e for i in np.flatnonzero(old) for e in credits.get(int(i), [])]
            for i in range(0, len(counted), _CHUNK):
                session.execute(update(FeedbackEvent).where(FeedbackEvent.id.in_(counted[i:i + _CHUNK]))
                                .values(rolled_up=True))
            gone = [int(i) for i in ids[old]]
            deleted = 0
            for i in range(0, len(gone), _CHUNK):
                deleted += delete_rows(session, gone[i:i + _CHUNK])
            if deleted != len(gone):  # another run rolled some of them up meanwhile: count nothing twice
                raise RuntimeError(f"impressions of {kind} changed during the roll-up ({deleted} of {len(gone)} "
                                   "rows deleted); nothing was changed, run it again")
            out[kind] = {"rows": len(gone), "profiles": len(ent_list), "outcomes": len(counted)}
    return out


def delete_rows(session: Session, ids: list[int]) -> int:
    """Delete these impressions; returns how many rows went."""
    result = session.execute(delete(Impression).where(Impression.id.in_(ids)))
    return int(getattr(result, "rowcount", 0) or 0)


def forget(session: Session, kind: str, entity_id: int) -> None:
    """A deleted profile's rollups go with it (``kind``: a profile kind; a project's are its deal-flow ones)."""
    model_kind = "dealflow" if kind == "project" else kind
    session.execute(delete(ImpressionRollup).where(ImpressionRollup.model_kind == model_kind,
                                                   ImpressionRollup.entity_id == entity_id))
