"""Where a reply is on its way to the shopper: `delivery_status` of outbound messages.

Providers report statuses more than once and out of order (Meta: "order is not guaranteed");
a status only ever moves forward, so a late `delivered` never hides a `read`.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from database import db, events
from database.models import Message

log = logging.getLogger(__name__)

# How far along each status is. "failed" ranks below "read": a read message was delivered.
RANK = {"sending": 0, "not_sent": 1, "queued": 1, "accepted": 1, "sent": 3, "delivered": 4,
        "undelivered": 5, "failed": 5, "read": 6}


def claim_for_sending(reply_message_id: int | None) -> bool:
    """Mark a reply as being sent, and commit; False when it was claimed (or sent) before.

    One conditional UPDATE: of two jobs sending the same reply, exactly one wins.
    """
    if reply_message_id is None:
        return False
    claimed = db.session.execute(
        update(Message).where(Message.id == reply_message_id,
                              Message.delivery_status.is_(None),
                              Message.channel_message_id.is_(None))
        .values(delivery_status="sending"))
    db.session.commit()
    return claimed.rowcount == 1


def mark_sent(reply_message_id: int, *, provider: str, provider_id: str | None,
              status: str) -> None:
    """Remember the provider's id and first status of a reply handed over for sending; commit."""
    message = db.session.get(Message, reply_message_id)
    if message is None:
        return
    message.channel_message_id = provider_id
    if message.delivery_status == "sending":
        message.delivery_status = None  # the provider's first word replaces our own mark
    _move(message, status, provider=provider, detail={})
    db.session.commit()


def mark_not_sent(reply_message_id: int, *, provider: str, reason: str,
                  failed: bool = False) -> None:
    """Note that a reply could not be handed over (not configured, or refused); commit."""
    message = db.session.get(Message, reply_message_id)
    if message is None:
        return
    _move(message, "failed" if failed else "not_sent", provider=provider,
          detail={"reason": reason[:500]}, level="error" if failed else "warning")
    db.session.commit()


def apply_status(*, provider: str, provider_id: str, status: str,
                 at: datetime | None = None, errors: list[dict[str, Any]] | None = None) -> bool:
    """Apply one provider status report to the reply it is about; commit.

    Return False when it changes nothing: an unknown message or a status seen before.
    """
    query = select(Message).where(Message.direction == "out",
                                  Message.channel_message_id == provider_id)
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update()  # two reports about one message at once: one waits
    message = db.session.scalar(query)
    if message is None:
        db.session.rollback()
        log.debug("status %s for unknown message %s", status, provider_id)
        return False
    seen = dict((message.meta or {}).get("statuses") or {})
    if status in seen:
        db.session.rollback()
        return False
    seen[status] = at.isoformat() if at else None
    meta = {**(message.meta or {}), "statuses": seen}
    if errors:
        meta["delivery_errors"] = errors[:5]
    message.meta = meta
    detail: dict[str, Any] = {"reported": status}
    if errors:
        detail["errors"] = [{"code": e.get("code"), "title": e.get("title")} for e in errors[:5]]
    _move(message, status, provider=provider, detail=detail,
          level="error" if status in ("failed", "undelivered") else "info")
    db.session.commit()
    return True


def _move(message: Message, status: str, *, provider: str, detail: dict[str, Any],
          level: str = "info") -> None:
    """Move the message's status forward (never back) and record the report as an event."""
    current = message.delivery_status
    if current is None or RANK.get(status, 0) >= RANK.get(current, 0):
        message.delivery_status = status
    events.record(events.MESSAGE_DELIVERY, level=level,
                  conversation_id=message.conversation_id,
                  customer_id=message.conversation.customer_id,
                  payload={"message_id": message.id, "provider": provider,
                           "status": message.delivery_status, **detail})
