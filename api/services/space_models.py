"""A space's choice of model version: pin one, roll back to the one before, or follow the network again.

The API (``api/resources/models.py``) and the console's models page call these, so both act and audit alike.
Each function changes the session and adds its audit entry; the caller commits and syncs the engine."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.services import audit
from api.training import load_version_models, serving_version
from models import ModelVersion, SpaceModel
from models.base import utcnow


class NothingToRollBack(Exception):
    """The space has no earlier model choice to go back to."""


def effective_version(session: Session, space_id: int) -> int | None:
    """The version serving the space: its pin, else the network's serving version."""
    pin = session.get(SpaceModel, space_id)
    if pin is not None:
        return int(pin.model_version_id)
    network = serving_version(session)
    return int(network.id) if network is not None else None


def pin(session: Session, principal: Any, space_id: int, row: ModelVersion) -> None:
    """Serve ``row`` in the space. Its artifacts are verified first (ModelArtifactError: nothing changes)."""
    load_version_models(row)  # a version is served whole or not at all
    effective = effective_version(session, space_id)
    current = session.get(SpaceModel, space_id)
    if current is None:
        current = SpaceModel(space_id=space_id, model_version_id=row.id)
        session.add(current)
    current.previous_version_id, current.model_version_id = effective, row.id
    current.updated_by_user_id, current.updated_at = principal.user_id, utcnow()
    audit.record(session, principal, "model.promote", "model", row.id, space_id, previous=effective)


def rollback(session: Session, principal: Any, space_id: int) -> None:
    """Serve again the version that served the space before (following the network again when that was the
    network's serving version). NothingToRollBack when there is no earlier choice."""
    current = session.get(SpaceModel, space_id)
    if current is None or current.previous_version_id is None:
        raise NothingToRollBack("this space has no earlier model choice to go back to")
    previous, now = current.previous_version_id, current.model_version_id
    network = serving_version(session)
    if network is not None and previous == network.id:
        session.delete(current)  # back to following the network
    else:
        current.model_version_id, current.previous_version_id = previous, now
        current.updated_by_user_id, current.updated_at = principal.user_id, utcnow()
    audit.record(session, principal, "model.rollback", "model", previous, space_id, **{"from": now})


def follow_network(session: Session, principal: Any, space_id: int) -> bool:
    """Drop the space's pin (it follows the network's serving version again). False if there was none."""
    current = session.get(SpaceModel, space_id)
    if current is None:
        return False
    session.delete(current)
    audit.record(session, principal, "model.follow_network", "model", current.model_version_id, space_id)
    return True
