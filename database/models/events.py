"""The one append-only log of state changes (see `database.events` for the kinds)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from database.base import BigId, db, utcnow
from database.models.choices import EVENT_LEVELS, one_of


class Event(db.Model):
    """One state change; live logs tail it by id, metrics aggregate it, the outbox delivers it.

    The references are plain indexed ids rather than foreign keys: the log outlives what it
    talks about and is never updated.
    """

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint(one_of("level", EVENT_LEVELS), name="level"),
        Index("ix_events_kind_created", "kind", "created_at"),
        Index("ix_events_created_at", "created_at"),
        # The latest events of a kind (the queue's handle times, the Claude breaker).
        Index("ix_events_kind_id", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(8), default="info")
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    conversation_id: Mapped[int | None] = mapped_column(index=True)
    customer_id: Mapped[int | None] = mapped_column(index=True)
    ticket_id: Mapped[int | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
