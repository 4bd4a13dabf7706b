"""The live log console's reads: the latest events (filtered), and given events by id, each
with its conversation's channel. Debug events (someone typing…) never show."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, or_, select

from database.base import db
from database.models import Conversation, Event

LEVELS = {"warning": ("warning", "error"), "error": ("error",)}


@dataclass(frozen=True)
class LogFilters:
    """What the console shows: a minimum level, a kind (or its prefix: "message."), a
    channel, a conversation."""

    level: str | None = None
    kind: str | None = None
    channel: str | None = None
    conversation_id: int | None = None


def _lines() -> Select:
    return (select(Event, Conversation.channel)
            .outerjoin(Conversation, Conversation.id == Event.conversation_id)
            .where(Event.level != "debug"))


def recent_events(filters: LogFilters, *, limit: int = 500) -> list[tuple[Event, str | None]]:
    """Return the latest `limit` events matching `filters`, newest first, with the channel of
    their conversation."""
    query = _lines()
    if filters.level in LEVELS:
        query = query.where(Event.level.in_(LEVELS[filters.level]))
    if filters.kind:
        query = query.where(Event.kind.startswith(filters.kind, autoescape=True))
    if filters.channel:
        query = query.where(or_(Conversation.channel == filters.channel,
                                Event.payload["channel"].as_string() == filters.channel))
    if filters.conversation_id is not None:
        query = query.where(Event.conversation_id == filters.conversation_id)
    rows = db.session.execute(query.order_by(Event.id.desc()).limit(limit)).all()
    return [(row[0], row[1]) for row in rows]


def events_after(after_id: int, *, limit: int = 500) -> list[tuple[Event, str | None]]:
    """Return the (non-debug) events after id `after_id`, oldest first, at most the newest
    `limit` of them, with their conversation's channel."""
    rows = db.session.execute(_lines().where(Event.id > after_id)
                              .order_by(Event.id.desc()).limit(limit)).all()
    return [(row[0], row[1]) for row in reversed(rows)]


def events_by_id(ids: Iterable[int]) -> list[tuple[Event, str | None]]:
    """Return the (non-debug) events of `ids`, oldest first, with their conversation's
    channel."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    rows = db.session.execute(_lines().where(Event.id.in_(wanted)).order_by(Event.id)).all()
    return [(row[0], row[1]) for row in rows]
