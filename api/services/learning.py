"""Retraining triggers (filled by the learning-loop issue)."""

from __future__ import annotations

from flask import current_app


def maybe_retrain() -> None:
    """Start a background retrain after RETRAIN_AFTER_EVENTS new outcome events (0 = never)."""
    if int(current_app.config.get("RETRAIN_AFTER_EVENTS", 0) or 0) <= 0:
        return
