"""Staff: the support agents, supervisors and admins who log into admin_app."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column, validates

from database.base import db, utcnow
from database.models.choices import LANGUAGES, STAFF_AVAILABILITY, STAFF_ROLES, one_of


class StaffUser(db.Model):
    """A member of the support team; `skills` lists the languages and categories they take."""

    __tablename__ = "staff_users"
    __table_args__ = (
        CheckConstraint(one_of("role", STAFF_ROLES), name="role"),
        CheckConstraint(one_of("availability", STAFF_AVAILABILITY), name="availability"),
        CheckConstraint("max_concurrent >= 1", name="max_concurrent"),
        CheckConstraint(one_of("language", LANGUAGES), name="language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(12), default="agent")
    availability: Mapped[str] = mapped_column(String(10), default="offline")
    max_concurrent: Mapped[int] = mapped_column(default=3)
    # {"languages": ["fr", "pt"], "categories": ["orders"], "channels": ["whatsapp"]}
    skills: Mapped[dict[str, Any]] = mapped_column(default=dict)
    language: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    team: Mapped[str | None] = mapped_column(String(60))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the workspace (or any staff page) last heard from them: presence, not intent.
    last_seen_at: Mapped[datetime | None]
    # The last conversation routing gave them: round robin serves the longest-idle first.
    last_assigned_at: Mapped[datetime | None]

    @validates("email")
    def _normalise_email(self, _key: str, value: str) -> str:
        return value.strip().lower()
