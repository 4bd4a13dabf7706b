"""Data functions for conversations and their messages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select, update

from database.base import db
from database.models import Conversation, Message


def get_conversation(conversation_id: int) -> Conversation | None:
    """Return the conversation with this id, or None."""
    return db.session.get(Conversation, conversation_id)


def find_open_conversation(customer_id: int, channel: str) -> Conversation | None:
    """Return the shopper's latest conversation on `channel` that is not closed, or None."""
    return db.session.scalar(
        select(Conversation)
        .where(Conversation.customer_id == customer_id, Conversation.channel == channel,
               Conversation.status != "closed")
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc()).limit(1))


def create_conversation(**fields: object) -> Conversation:
    """Add a new conversation to the session and return it."""
    conversation = Conversation(**fields)
    db.session.add(conversation)
    return conversation


def find_message(channel: str, customer_id: int, channel_message_id: str) -> Message | None:
    """Return the message this shopper already sent on `channel` with this provider id."""
    return db.session.scalar(select(Message).where(
        Message.channel == channel, Message.customer_id == customer_id,
        Message.channel_message_id == channel_message_id))


def provider_id_taken(channel: str, customer_id: int, channel_message_id: str) -> bool:
    """Tell whether another shopper's message on `channel` carries this provider id."""
    return db.session.scalar(select(Message.id).where(
        Message.channel == channel, Message.customer_id != customer_id,
        Message.channel_message_id == channel_message_id).limit(1)) is not None


def claim_answer(message_id: int, *, now: datetime, stale_before: datetime) -> bool:
    """Claim an unanswered message for this turn (no commit); False when another turn has it.

    One conditional UPDATE: of several deliveries answered at once, exactly one wins. A claim
    older than `stale_before` belongs to a turn that died, and may be taken over.
    """
    claimed = db.session.execute(
        update(Message)
        .where(Message.id == message_id, Message.answered_at.is_(None),
               or_(Message.answer_claimed_at.is_(None),
                   Message.answer_claimed_at < stale_before))
        .values(answer_claimed_at=now).execution_options(synchronize_session=False))
    return claimed.rowcount == 1


def release_answer(message_id: int) -> None:
    """Give up the claim on a message this turn could not answer (no commit)."""
    db.session.execute(update(Message).where(Message.id == message_id,
                                             Message.answered_at.is_(None))
                       .values(answer_claimed_at=None)
                       .execution_options(synchronize_session=False))


def latest_inbound(conversation_id: int, *, before_id: int | None = None) -> Message | None:
    """Return the shopper's latest message in the conversation (before `before_id`), or None."""
    query = select(Message).where(Message.conversation_id == conversation_id,
                                  Message.direction == "in")
    if before_id is not None:
        query = query.where(Message.id < before_id)
    return db.session.scalar(query.order_by(Message.id.desc()).limit(1))


def add_message(**fields: object) -> Message:
    """Add a message to the session and return it."""
    message = Message(**fields)
    db.session.add(message)
    return message


def recent_messages(conversation_id: int, *, limit: int = 20,
                    before_id: int | None = None) -> Sequence[Message]:
    """Return the conversation's last `limit` messages, oldest first."""
    query = select(Message).where(Message.conversation_id == conversation_id)
    if before_id is not None:
        query = query.where(Message.id < before_id)
    rows = db.session.scalars(query.order_by(Message.id.desc()).limit(limit)).all()
    return list(reversed(rows))


def queue_position(conversation: Conversation) -> int:
    """Return the 1-based place of a waiting conversation in the queue (oldest ask first)."""
    since = conversation.waiting_since
    ahead = select(func.count()).select_from(Conversation).where(
        Conversation.status == "waiting", Conversation.id != conversation.id)
    if since is not None:
        ahead = ahead.where(Conversation.waiting_since < since)
    return (db.session.scalar(ahead) or 0) + 1


def latest_conversation(customer_id: int, channel: str) -> Conversation | None:
    """Return the shopper's open conversation on `channel`, else their latest one, or None."""
    return find_open_conversation(customer_id, channel) or db.session.scalar(
        select(Conversation)
        .where(Conversation.customer_id == customer_id, Conversation.channel == channel)
        .order_by(Conversation.started_at.desc(), Conversation.id.desc()).limit(1))


def list_conversations(customer_id: int, channel: str, *, limit: int = 20,
                       exclude_id: int | None = None) -> Sequence[Conversation]:
    """Return the shopper's conversations on `channel`, newest first."""
    query = select(Conversation).where(Conversation.customer_id == customer_id,
                                       Conversation.channel == channel)
    if exclude_id is not None:
        query = query.where(Conversation.id != exclude_id)
    return db.session.scalars(
        query.order_by(Conversation.started_at.desc(), Conversation.id.desc()).limit(limit)).all()


def first_inbound_bodies(conversation_ids: Sequence[int]) -> dict[int, str]:
    """Return the first shopper message of each conversation, by conversation id."""
    if not conversation_ids:
        return {}
    firsts = (select(func.min(Message.id)).where(Message.conversation_id.in_(conversation_ids),
                                                 Message.direction == "in")
              .group_by(Message.conversation_id))
    rows = db.session.execute(select(Message.conversation_id, Message.body)
                              .where(Message.id.in_(firsts)))
    return {conversation_id: body for conversation_id, body in rows}


def messages_after(conversation_id: int, after_id: int, *, limit: int = 200) -> Sequence[Message]:
    """Return the conversation's messages with an id above `after_id`, oldest first."""
    return db.session.scalars(
        select(Message).where(Message.conversation_id == conversation_id, Message.id > after_id)
        .order_by(Message.id).limit(limit)).all()


def set_rating_once(conversation_id: int, rating: int) -> bool:
    """Rate a closed, unrated conversation; return False when it was rated meanwhile."""
    result = db.session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.status == "closed",
               Conversation.rating.is_(None))
        .values(rating=rating).execution_options(synchronize_session="fetch"))
    return result.rowcount == 1
