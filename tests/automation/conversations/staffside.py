"""Builders the staff side's tests share: waiting shoppers, agents online, events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from database import db
from database.models import Conversation, Event, Message, StaffUser
from tests import factories


def now() -> datetime:
    return datetime.now(UTC)


def agent(**fields: Any) -> StaffUser:
    """An agent online and available now (their workspace is connected)."""
    values = {"availability": "available", "last_seen_at": now(), "max_concurrent": 3}
    values.update(fields)
    return factories.staff(**values)


def conversation(status: str = "waiting", *, channel: str = "web", minutes_ago: float = 5,
                 shopper: Any = None, language: str = "fr", **fields: Any) -> Conversation:
    """A conversation of a new shopper (or `shopper`), waiting since `minutes_ago`."""
    shopper = shopper or factories.customer(language=language)
    at = now()
    values = {"customer_id": shopper.id, "channel": channel, "status": status,
              "language": language, "context": {}, "started_at": at - timedelta(hours=1),
              "last_message_at": at,
              "waiting_since": at - timedelta(minutes=minutes_ago)
              if status in ("waiting", "active") else None}
    values.update(fields)
    row = Conversation(**values)
    db.session.add(row)
    db.session.commit()
    return row


def inbound(conversation_row: Conversation, body: str, *, hours_ago: float = 0,
            **meta: Any) -> Message:
    """A shopper message in the conversation, `hours_ago` hours old."""
    message = Message(conversation_id=conversation_row.id, channel=conversation_row.channel,
                      direction="in", sender="customer", body=body, meta=meta,
                      created_at=now() - timedelta(hours=hours_ago))
    db.session.add(message)
    db.session.commit()
    return message


def events(kind: str) -> list[Event]:
    db.session.expire_all()
    return db.session.query(Event).filter_by(kind=kind).order_by(Event.id).all()


def fresh(row: Any) -> Any:
    db.session.expire_all()
    return db.session.get(type(row), row.id)
