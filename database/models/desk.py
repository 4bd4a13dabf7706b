"""How the desk itself is set up by its admins: settings and staff's canned replies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from database.base import PortableJSON, db, utcnow
from database.models.choices import LANGUAGES, one_of


class Setting(db.Model):
    """One setting changed from the admin app; the environment gives the defaults."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(PortableJSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"))


class CannedReply(db.Model):
    """A saved reply staff insert with its shortcode ("/hello"), one per language."""

    __tablename__ = "canned_replies"
    __table_args__ = (
        UniqueConstraint("shortcode", "language"),
        CheckConstraint(one_of("language", LANGUAGES), name="language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shortcode: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(120), default="")
    body: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
