"""The audit log: who changed what, and when, for every write by staff and to every profile.

Entries are added to the caller's session, so they commit (or roll back) with the change they record.
Contact fields are named but their values are not copied into the log (operators read it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from api.auth import Principal
from models import AuditLog

PRIVATE_FIELDS = {"contact_name", "contact_email", "contact_phone", "password", "password_hash"}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def changes(row: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    """{field: [old, new]} for the fields ``data`` would change on ``row`` (private ones as "(hidden)")."""
    out: dict[str, Any] = {}
    for name, new in data.items():
        old = getattr(row, name, None)
        if _plain(old) == _plain(new):
            continue
        out[name] = "(hidden)" if name in PRIVATE_FIELDS else [_plain(old), _plain(new)]
    return out


def record(session: Session, p: Principal | None, action: str, object_type: str, object_id: Any,
           space_id: int | None, **detail: Any) -> None:
    """Add an entry: ``p`` is who acted, None for the ``huoban`` command and the system's own jobs (they act
    with the database's credentials, not as a user, so their entries name no actor user)."""
    session.add(AuditLog(space_id=space_id, actor_user_id=p.user_id if p is not None else None, action=action,
                         object_type=object_type, object_id=str(object_id),
                         detail={k: _plain(v) if not isinstance(v, dict) else v for k, v in detail.items()}))
