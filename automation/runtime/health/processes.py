"""Liveness of the background processes: heartbeats, and the worker's job backlog."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from automation.runtime import jobs
from database import db
from database.base import utcnow
from database.models import Heartbeat

STALE_AFTER = timedelta(minutes=3)
BACKLOG_DEGRADED = 500  # jobs waiting: the worker is not keeping up


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


def worker_part(*, queue_reachable: bool) -> dict[str, Any]:
    """Return the worker's state from its heartbeat, and the jobs waiting for it."""
    row = db.session.get(Heartbeat, "worker")
    backlog = _backlog() if queue_reachable else None
    part: dict[str, Any] = {"backlog": backlog}
    if row is None:
        part.update(state="degraded", detail="no worker has reported yet: background jobs "
                    "(deliveries, Notion, webhooks) wait")
        return part
    age = int((utcnow() - row.beat_at).total_seconds())
    part.update(last_beat_at=row.beat_at.isoformat(), host=(row.info or {}).get("host"))
    if age > STALE_AFTER.total_seconds():
        part.update(state="down", detail=f"no heartbeat for {age // 60} min: is the worker "
                    "running?")
    elif backlog is not None and backlog >= BACKLOG_DEGRADED:
        part.update(state="degraded", detail=f"{backlog} jobs waiting: the worker is behind")
    else:
        waiting = "queue not readable" if backlog is None else f"{backlog} jobs waiting"
        part.update(state="ok", detail=f"heartbeat {age} s ago; {waiting}")
    return part


def _backlog() -> int | None:
    try:
        return int(jobs.queue.pending_count())
    except Exception:  # noqa: BLE001 - an unreadable queue is shown, not raised
        return None
