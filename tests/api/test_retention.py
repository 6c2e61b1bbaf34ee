"""Impression retention (api.retention): old impressions become per-profile counters that keep their weight in
the track records, in one transaction per model kind (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from sqlalchemy import delete, func, select, update

import api.retention as retention
import api.training as training
from api.extensions import db
from matcher.learning import CandidateEffects, fit_effects, training_weights
from models import FeedbackEvent, Impression, ImpressionRollup, Mentor
from tests.api.conftest import ApiEnv, flush_impressions
from tests.api.test_learning_loop import log_rounds


def _count(model: type) -> int:
    with db.factory() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _effects(data: training.TrainingSet, raw: np.ndarray | None = None) -> CandidateEffects:
    """Track records on a fixed raw score of 0 for every live row (what the rollups add is then visible)."""
    mask, y, w = training_weights(data.gains, data.positions, data.propensities)
    assert data.candidates is not None
    r = np.zeros(int(mask.sum())) if raw is None else raw
    return fit_effects(r, y[mask], w[mask], data.candidates[mask], rolled=data.rolled)


def test_retention_days_are_parsed_with_reasons() -> None:
    assert retention.retention_days({}) is None and retention.retention_days({retention.ENV: "0"}) is None
    assert retention.retention_days({retention.ENV: " 400 "}) == 400
    with pytest.raises(ValueError, match="whole number"):
        retention.retention_days({retention.ENV: "a year"})
    with pytest.raises(ValueError, match="at least 14"):
        retention.retention_days({retention.ENV: "7"})


def test_old_impressions_are_rolled_up_and_keep_their_weight(env: ApiEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    log_rounds(env, rounds=2, seed=3)
    flush_impressions(env)
    now = dt.datetime.now(dt.UTC)
    with env.app.app_context():
        with db.factory() as session, session.begin():
            ids = sorted(session.scalars(select(Impression.id).where(Impression.candidate_kind == "mentor")))
            assert len(ids) > 100
            old_ids = ids[: len(ids) // 2]  # the first round's lists, a year and a half ago
            session.execute(update(Impression).where(Impression.id.in_(old_ids))
                            .values(created_at=now - dt.timedelta(days=550)))
            # outcomes reported after both rounds: once their impression is gone, a kept impression of the same
            # pair shown before the report would be the loader's fallback
            session.execute(update(FeedbackEvent).values(occurred_at=now + dt.timedelta(days=1)))
        credits_before: dict[int, list[int]] = {}
        with db.factory() as session:
            all_ids, full = training.load_training_rows(session, "mentor", credits=credits_before)
        old = np.isin(all_ids, old_ids)
        mask, y, w = training_weights(full.gains, full.positions, full.propensities)
        assert full.candidates is not None
        want_good: dict[int, float] = {}
        want_shown: dict[int, int] = {}
        for c, m, yy, ww in zip(full.candidates[old], mask[old], y[old], w[old], strict=True):
            want_shown[int(c)] = want_shown.get(int(c), 0) + 1
            want_good[int(c)] = want_good.get(int(c), 0.0) + float(m * yy * ww)
        good_all = sum(want_good.values())
        other_all = float((mask[old] * (1 - y[old]) * w[old]).sum())
        r0 = float(np.log(good_all / other_all))  # the log-odds the rollup gives the old rows
        before_effects = _effects(full, np.where(old, r0, 0.0)[mask])
        kept_before = _count(Impression) - len(old_ids)

        # a failure after the counters were written leaves everything as it was
        def broken_delete(*a: object, **kw: object) -> None:
            raise RuntimeError("disk gone")

        with monkeypatch.context() as m:
            m.setattr(retention, "delete", broken_delete)
            with pytest.raises(RuntimeError):
                retention.roll_up(db.factory, now - dt.timedelta(days=365))
        assert _count(ImpressionRollup) == 0 and _count(Impression) == kept_before + len(old_ids)

        result = retention.roll_up(db.factory, now - dt.timedelta(days=365))
        counted_old = sum(len(v) for i, v in credits_before.items() if old[i])
        assert result["mentor"] == {"rows": len(old_ids), "profiles": len(want_shown), "outcomes": counted_old}
        assert _count(Impression) == kept_before
        # every outcome is counted once: in the rollups, or on a kept row - none moves to a kept row of its pair
        credits_after: dict[int, list[int]] = {}
        with db.factory() as session:
            training.load_training_rows(session, "mentor", credits=credits_after)
        every_before = sorted(e for v in credits_before.values() for e in v)
        kept_after = sorted(e for v in credits_after.values() for e in v)
        assert len(kept_after) + counted_old == len(every_before) and counted_old > 0
        with db.factory() as session:
            rows = {r.entity_id: r for r in session.scalars(select(ImpressionRollup)
                                                            .where(ImpressionRollup.model_kind == "mentor"))}
            assert {e: r.shown for e, r in rows.items()} == want_shown
            for e, r in rows.items():
                assert r.good_weight == pytest.approx(want_good[e])
            after = training.load_training_set(session, "mentor")
        assert after.rolled is not None and len(after) == len(full) - len(old_ids)
        # the track records with the counters in place of the rows: the same offsets (all rows share one raw
        # score here, which is what the rollup assumes of the old ones)
        after_effects = _effects(after)
        common = np.intersect1d(before_effects.ids, after_effects.ids)
        assert len(common) >= 10
        np.testing.assert_allclose(after_effects.lookup(common), before_effects.lookup(common), atol=0.05)
        # without the counters, what the deleted rows said would be gone
        lost = _effects(training.TrainingSet(after.X, after.gains, after.positions, after.propensities, after.times,
                                             after.groups, after.candidates))
        assert np.abs(lost.lookup(common) - before_effects.lookup(common)).max() > 0.05

        # a report naming a rolled-up impression is told what to do instead; so is one naming an id that never
        # existed - the same answer, which says nothing of what was shown to whom, or how much
        with db.factory() as session:
            kept = int(session.scalar(select(func.min(Impression.id))))
        gone = env.call("admin", "post", "/api/v1/feedback",
                        json={"event_id": "rolled-0001", "type": "viewed", "impression_id": old_ids[0]})
        never = env.call("admin", "post", "/api/v1/feedback",
                         json={"event_id": "rolled-0002", "type": "viewed", "impression_id": 2_000_000_000})
        assert gone.status_code == never.status_code == 404
        assert gone.json == never.json and "intro_id instead" in gone.json["detail"], gone.json
        seen = env.call("admin", "post", "/api/v1/feedback",
                        json={"event_id": "rolled-0003", "type": "viewed", "impression_id": kept})
        assert seen.status_code == 201, seen.json
        with db.factory() as session, session.begin():  # the check above adds nothing the next asserts count
            session.execute(delete(FeedbackEvent).where(FeedbackEvent.event_id == "rolled-0003"))

        # nothing older left: a second run changes nothing
        again = retention.roll_up(db.factory, now - dt.timedelta(days=365))
        assert again["mentor"] == {"rows": 0, "profiles": 0}
        with db.factory() as session:
            assert {r.entity_id: r.shown for r in session.scalars(
                select(ImpressionRollup).where(ImpressionRollup.model_kind == "mentor"))} == want_shown


def test_a_deleted_profile_takes_its_rollup_along(env: ApiEnv) -> None:
    from api.services import profiles

    with env.app.app_context():
        with db.factory() as session, session.begin():
            mid = env.ids["mentor"]
            now = dt.datetime.now(dt.UTC)
            session.merge(ImpressionRollup(model_kind="mentor", entity_id=mid, shown=3, trained=3, good_weight=1.0,
                                         other_weight=2.0, good_sq=1.0, other_sq=2.0, first_at=now, last_at=now))
        with db.factory() as session, session.begin():
            profiles.delete(session, "mentor", session.get(Mentor, mid))
        with db.factory() as session:
            assert session.get(ImpressionRollup, ("mentor", mid)) is None
