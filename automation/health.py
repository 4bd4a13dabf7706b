"""Liveness of the background processes, read by the status and health views."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from database import db
from database.base import utcnow
from database.models import Heartbeat

STALE_AFTER = timedelta(minutes=3)


def beat(name: str, *, info: dict[str, Any] | None = None) -> None:
    """Record that the process `name` is alive, and commit."""
    row = db.session.get(Heartbeat, name)
    if row is None:
        db.session.add(Heartbeat(name=name, beat_at=utcnow(), info=info or {}))
    else:
        row.beat_at, row.info = utcnow(), info or {}
    db.session.commit()


def process_state(name: str) -> str:
    """Return "ok", "stale" or "unknown" for the process `name`."""
    row = db.session.get(Heartbeat, name)
    if row is None:
        return "unknown"
    return "ok" if utcnow() - row.beat_at <= STALE_AFTER else "stale"
