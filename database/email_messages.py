"""Data functions for email: threads found by Message-ID, the staff outbox.

Both our and the shoppers' Message-IDs live in `messages.channel_message_id` (inbound: theirs,
outbound: ours), which the `(channel, channel_message_id)` unique index makes a cheap lookup.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from database import events
from database.base import db
from database.models import Conversation, Event, Message

CHANNEL = "email"


def get_message(message_id: int) -> Message | None:
    """Return the message with this id, or None."""
    return db.session.get(Message, message_id)


def find_thread(customer_id: int, message_ids: Sequence[str]) -> int | None:
    """Return the shopper's conversation holding one of these Message-IDs (latest first)."""
    if not message_ids:
        return None
    return db.session.scalar(
        select(Message.conversation_id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Message.channel == CHANNEL, Message.channel_message_id.in_(list(message_ids)),
               Conversation.customer_id == customer_id)
        .order_by(Message.id.desc()).limit(1))


def outbound_emails(*, status: str | None = None, before_id: int | None = None,
                    limit: int = 50) -> Sequence[Message]:
    """Return outgoing emails, newest first, optionally of one delivery status."""
    query = select(Message).where(Message.channel == CHANNEL, Message.direction == "out")
    if status is not None:
        query = query.where(Message.delivery_status == status)
    if before_id is not None:
        query = query.where(Message.id < before_id)
    return db.session.scalars(query.order_by(Message.id.desc()).limit(limit)).all()


def get_outbound_email(message_id: int) -> Message | None:
    """Return the outgoing email with this id, or None."""
    message = db.session.get(Message, message_id)
    if message is None or message.channel != CHANNEL or message.direction != "out":
        return None
    return message


def unregistered_seen(message_key: str, *, since: datetime) -> bool:
    """Tell whether an email from an unknown sender with this key was already noted."""
    return db.session.scalar(
        select(Event.id).where(Event.kind == events.MESSAGE_UNREGISTERED,
                               Event.created_at >= since,
                               Event.payload["message_key"].as_string() == message_key)
        .limit(1)) is not None
