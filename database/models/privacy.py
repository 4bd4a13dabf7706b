"""Archives: conversations past their retention period, compressed, out of the live tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from database.base import BigId, db, utcnow


class Archive(db.Model):
    """One archived conversation: its messages, rating and ticket references as compressed JSON.

    No foreign keys: the conversation is gone from the live tables, and erasing a shopper
    deletes their archives by `customer_id` (automation.privacy.erase).
    """

    __tablename__ = "archives"
    __table_args__ = (
        Index("ix_archives_customer_id", "customer_id"),
        Index("ix_archives_archived_at", "archived_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # Not unique: SQLite may give a later conversation the id of a deleted one.
    conversation_id: Mapped[int]
    customer_id: Mapped[int]
    channel: Mapped[str] = mapped_column(String(10))
    started_at: Mapped[datetime]
    last_message_at: Mapped[datetime]
    message_count: Mapped[int] = mapped_column(default=0)
    data: Mapped[bytes] = mapped_column(LargeBinary)   # zlib-compressed UTF-8 JSON
    archived_at: Mapped[datetime] = mapped_column(default=utcnow)
