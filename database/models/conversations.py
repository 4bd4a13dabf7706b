"""Conversations with shoppers and the messages in them, on every channel."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint,
                        event, false, select, text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from database.base import BigId, db, utcnow
from database.models.choices import (CHANNELS, CONVERSATION_STATUSES, DIRECTIONS, SENDERS,
                                     TICKET_PRIORITIES, one_of)
from database.models.customers import Customer


class Conversation(db.Model):
    """One thread with a shopper on one channel: `ai` → `waiting` → `active` → `closed`."""

    __tablename__ = "conversations"
    __table_args__ = (
        CheckConstraint(one_of("channel", CHANNELS), name="channel"),
        CheckConstraint(one_of("status", CONVERSATION_STATUSES), name="status"),
        CheckConstraint("rating IS NULL OR (rating BETWEEN 1 AND 5)", name="rating"),
        CheckConstraint(one_of("priority", TICKET_PRIORITIES), name="priority"),
        # The shopper's open conversation on a channel: looked up on every inbound message.
        Index("ix_conversations_customer_channel", "customer_id", "channel", "status"),
        # At most one open conversation per shopper and channel, whatever the timing: two
        # first messages at once cannot open two (the loser finds the winner's).
        Index("uq_conversations_open", "customer_id", "channel", unique=True,
              sqlite_where=text("status != 'closed'"),
              postgresql_where=text("status != 'closed'")),
        Index("ix_conversations_status_updated", "status", "last_message_at"),
        # The queue: waiting conversations, oldest ask first (priority sorts the few rows).
        Index("ix_conversations_status_waiting", "status", "waiting_since"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="ai")
    assigned_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"), index=True)
    language: Mapped[str] = mapped_column(String(5), default="und")
    subject: Mapped[str | None] = mapped_column(String(300))
    # What the agent remembers between turns: the order under discussion, a pending confirmation…
    context: Mapped[dict[str, Any]] = mapped_column(default=dict)
    rating: Mapped[int | None]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the shopper asked for a person: the queue is served by priority, then oldest ask.
    waiting_since: Mapped[datetime | None]
    priority: Mapped[str] = mapped_column(String(10), default="normal", server_default="normal")
    team: Mapped[str | None] = mapped_column(String(60))   # a team it was transferred to
    assigned_at: Mapped[datetime | None]
    # When the on-duty staff were emailed about this wait (claimed once, by one worker).
    escalated_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]

    customer: Mapped[Customer] = relationship(lazy="joined", innerjoin=True)


class Message(db.Model):
    """One message in or out; `(channel, customer_id, channel_message_id)` is the
    de-duplication key: the same provider id from another shopper is another message."""

    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint(one_of("direction", DIRECTIONS), name="direction"),
        CheckConstraint(one_of("sender", SENDERS), name="sender"),
        CheckConstraint("quality IS NULL OR (quality BETWEEN 0 AND 100)", name="quality"),
        UniqueConstraint("channel", "customer_id", "channel_message_id"),
        Index("ix_messages_conversation_id", "conversation_id", "id"),
        Index("ix_messages_channel_message_id", "channel_message_id"),
        Index("ix_messages_customer_id", "customer_id", "id"),
        Index("ix_messages_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"))
    # The conversation's shopper, kept on each message: the de-duplication key names them.
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(10))
    direction: Mapped[str] = mapped_column(String(3))
    sender: Mapped[str] = mapped_column(String(10))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    channel_message_id: Mapped[str | None] = mapped_column(String(255))
    reply_to_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("messages.id"))
    intent: Mapped[str | None] = mapped_column(String(30))
    sentiment: Mapped[float | None]
    confidence: Mapped[float | None]
    quality: Mapped[int | None]
    latency_ms: Mapped[int | None]
    delivery_status: Mapped[str | None] = mapped_column(String(12))
    # A staff member's note: shown to staff, never sent to the shopper.
    private: Mapped[bool] = mapped_column(default=False, server_default=false())
    # An inbound message is answered once: claimed by one turn, then answered (its outcome
    # stored). An outbound one is handed to its channel by one delivery attempt at a time.
    answer_claimed_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    delivery_attempt_at: Mapped[datetime | None]
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    conversation: Mapped[Conversation] = relationship()
    reply_to: Mapped[Message | None] = relationship(remote_side=[id])


@event.listens_for(Message, "before_insert")
def _messages_know_their_shopper(_mapper: Any, connection: Any, message: Message) -> None:
    """Give a new message its conversation's shopper, unless the caller already did."""
    if message.customer_id is None:
        message.customer_id = connection.scalar(
            select(Conversation.customer_id).where(Conversation.id == message.conversation_id))
