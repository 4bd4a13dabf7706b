"""Data functions the health checks read: recent events of a kind, and reply latencies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from database.base import db
from database.events import AGENT_BREAKER_CLOSED, AGENT_BREAKER_OPENED, MESSAGE_REPLIED
from database.models import Event


def ping() -> None:
    """Run the cheapest query there is (raises when the database is unreachable)."""
    db.session.execute(select(1))


def recent_events(kind: str, *, since: datetime, limit: int = 1,
                  **payload: str | Sequence[str]) -> list[Event]:
    """Return the latest events of `kind` since `since` whose payload matches, newest first.

    A payload value that is a list or tuple matches any of its items.
    """
    query = select(Event).where(Event.kind == kind, Event.created_at >= since,
                                *_payload_is(payload))
    return list(db.session.scalars(query.order_by(Event.id.desc()).limit(limit)))


def count_events(kind: str, *, since: datetime, **payload: str | Sequence[str]) -> int:
    """Return how many events of `kind` since `since` have a matching payload."""
    return db.session.scalar(
        select(func.count()).select_from(Event)
        .where(Event.kind == kind, Event.created_at >= since, *_payload_is(payload))) or 0


def _payload_is(payload: dict[str, str | Sequence[str]]) -> list[Any]:
    conditions = []
    for key, wanted in payload.items():
        field = Event.payload[key].as_string()
        conditions.append(field.in_(wanted) if isinstance(wanted, (list, tuple))
                          else field == wanted)
    return conditions


def reply_latencies(agent: str, *, since: datetime, limit: int = 5000) -> list[int]:
    """Return the latencies (ms) of the latest replies by `agent` since `since`."""
    payloads = db.session.scalars(
        select(Event.payload).where(Event.kind == MESSAGE_REPLIED, Event.created_at >= since,
                                    Event.payload["agent"].as_string() == agent)
        .order_by(Event.id.desc()).limit(limit))
    return [int(p["latency_ms"]) for p in payloads if p.get("latency_ms") is not None]


def breaker_changes(*, since: datetime) -> dict[int, Event]:
    """Return each process's latest circuit-breaker event since `since`, by pid."""
    rows = db.session.scalars(
        select(Event).where(Event.kind.in_((AGENT_BREAKER_OPENED, AGENT_BREAKER_CLOSED)),
                            Event.created_at >= since).order_by(Event.id))
    latest: dict[int, Event] = {}
    for event in rows:
        latest[int(event.payload.get("pid") or 0)] = event
    return latest
