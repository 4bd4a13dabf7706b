"""Shoppers: the people the desk answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, String, false
from sqlalchemy.orm import Mapped, mapped_column, validates

from database.base import db, utcnow
from database.models.choices import CUSTOMER_STATUSES, LANGUAGES, one_of


class Customer(db.Model):
    """A registered shopper; email is unique whatever its case, phone is E.164 and optional."""

    __tablename__ = "customers"
    __table_args__ = (
        CheckConstraint(one_of("status", CUSTOMER_STATUSES), name="status"),
        CheckConstraint(one_of("language", LANGUAGES), name="language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    # Stored lower-cased, so the unique index is case-insensitive on both databases.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    # A possible number that libphonenumber's metadata does not list as assigned (yet): kept,
    # and shown with a doubt to staff.
    phone_doubtful: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Meta's business-scoped WhatsApp user id: it stays when the phone number is hidden.
    whatsapp_user_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(5), default="en")
    status: Mapped[str] = mapped_column(String(10), default="active")
    preferences: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @validates("email")
    def _normalise_email(self, _key: str, value: str) -> str:
        return value.strip().lower()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def __repr__(self) -> str:
        return f"<Customer {self.id} {self.email}>"
