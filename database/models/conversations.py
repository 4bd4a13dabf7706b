"""Conversations with shoppers and the messages in them, on every channel."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from database.base import BigId, db, utcnow
from database.models.choices import (CHANNELS, CONVERSATION_STATUSES, DIRECTIONS, SENDERS,
                                     one_of)
from database.models.customers import Customer


class Conversation(db.Model):
    """One thread with a shopper on one channel: `ai` → `waiting` → `active` → `closed`."""

    __tablename__ = "conversations"
    __table_args__ = (
        CheckConstraint(one_of("channel", CHANNELS), name="channel"),
        CheckConstraint(one_of("status", CONVERSATION_STATUSES), name="status"),
        CheckConstraint("rating IS NULL OR (rating BETWEEN 1 AND 5)", name="rating"),
        # The shopper's open conversation on a channel: looked up on every inbound message.
        Index("ix_conversations_customer_channel", "customer_id", "channel", "status"),
        Index("ix_conversations_status_updated", "status", "last_message_at"),
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
    # When the shopper asked for a person: the queue is served oldest ask first.
    waiting_since: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]

    customer: Mapped[Customer] = relationship(lazy="joined", innerjoin=True)


class Message(db.Model):
    """One message in or out; `(channel, channel_message_id)` is the de-duplication key."""

    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint(one_of("direction", DIRECTIONS), name="direction"),
        CheckConstraint(one_of("sender", SENDERS), name="sender"),
        CheckConstraint("quality IS NULL OR (quality BETWEEN 0 AND 100)", name="quality"),
        UniqueConstraint("channel", "channel_message_id"),
        Index("ix_messages_conversation_id", "conversation_id", "id"),
        Index("ix_messages_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"))
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
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    conversation: Mapped[Conversation] = relationship()
