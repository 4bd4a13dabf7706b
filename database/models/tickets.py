"""Tickets: what a person must follow up, triaged by support leads (in Notion too)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from database.base import db, utcnow
from database.models.choices import TICKET_PRIORITIES, TICKET_STATUSES, one_of
from database.models.conversations import Conversation
from database.models.customers import Customer
from database.models.staff import StaffUser


class Ticket(db.Model):
    """A follow-up with a human-readable reference such as `TCK-2026-000123`."""

    __tablename__ = "tickets"
    __table_args__ = (
        CheckConstraint(one_of("priority", TICKET_PRIORITIES), name="priority"),
        CheckConstraint(one_of("status", TICKET_STATUSES), name="status"),
        Index("ix_tickets_status_priority", "status", "priority"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"),
                                             index=True)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(30), default="other")
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    status: Mapped[str] = mapped_column(String(10), default="open")
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"))
    notion_page_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    sla_due_at: Mapped[datetime | None]
    # Set once, by the SLA check, when the ticket went past its due time still open.
    sla_breached_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    resolved_at: Mapped[datetime | None]

    customer: Mapped[Customer] = relationship()
    assignee: Mapped[StaffUser | None] = relationship()
    conversation: Mapped[Conversation | None] = relationship()
