"""The learning loop inside the service: retraining triggers and loading the serving model."""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from sqlalchemy import select

from api.config import database_url
from api.extensions import db, matching
from api.training import outcome_events_since, start_job
from models import ModelVersion

log = logging.getLogger("huoban.api")


def load_serving_model(app: Any) -> None:
    """At start-up: serve the model version marked serving (if any)."""
    with app.app_context(), db.read_factory() as session:
        matching.engine.sync_model(session)


def maybe_retrain() -> None:
    """Start a background retrain after RETRAIN_AFTER_EVENTS new outcome events (0 = never)."""
    every = int(current_app.config.get("RETRAIN_AFTER_EVENTS", 0) or 0)
    if every <= 0:
        return
    session = db.session
    last = session.scalar(select(ModelVersion.created_at).order_by(ModelVersion.id.desc()).limit(1))
    if outcome_events_since(session, last) >= every:
        job = start_job(session, db_url=database_url(current_app.config),
                        var_dir=str(current_app.config["VAR_DIR"]), user_id=None,
                        retention_days=int(current_app.config.get("IMPRESSION_RETENTION_DAYS") or 0))
        log.info("retrain job %s started after %d outcome events", job.id, every)
