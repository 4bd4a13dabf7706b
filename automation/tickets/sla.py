"""Service levels: when a ticket is due (hours per priority, set by admins), and the scheduled
check that records, once per ticket, that one went past its due time still open."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, has_app_context

from automation.tickets.policy import SLA_HOURS
from database import db, events
from database.base import utcnow
from database.tickets import mark_breached, overdue_tickets

log = logging.getLogger(__name__)


def sla_hours(settings: Any = None) -> dict[str, int]:
    """Return the hours a ticket of each priority has, as the admins set them."""
    store = settings
    if store is None and has_app_context():
        store = current_app.extensions.get("settings")
    if store is None:
        return dict(SLA_HOURS)
    return {priority: int(store.get(f"sla_hours_{priority}")) for priority in SLA_HOURS}


def due_at(priority: str, start: datetime, *, settings: Any = None) -> datetime:
    """Return when a ticket of `priority` opened at `start` must be answered."""
    return start + timedelta(hours=sla_hours(settings)[priority])


def check(now: datetime | None = None) -> list[str]:
    """Record `sla.breached` for every open ticket past its due time (once each); commit.

    Return the references newly breached.
    """
    now = now or utcnow()
    breached = []
    for ticket in overdue_tickets(now):
        # A conditional update: two workers checking at once record the breach once.
        if not mark_breached(ticket.id, now):
            continue
        overdue = int((now - ticket.sla_due_at).total_seconds())
        events.record(events.SLA_BREACHED, level="warning", ticket_id=ticket.id,
                      customer_id=ticket.customer_id, conversation_id=ticket.conversation_id,
                      payload={"reference": ticket.reference, "priority": ticket.priority,
                               "status": ticket.status,
                               "due_at": ticket.sla_due_at.isoformat(),
                               "overdue_s": overdue, "assignee_id": ticket.assignee_id})
        breached.append(ticket.reference)
    db.session.commit()
    if breached:
        log.warning("SLA breached: %s", ", ".join(breached))
    return breached


def due_after_change(ticket: Any, priority: str, now: datetime, *, settings: Any = None
                     ) -> datetime:
    """Return the ticket's due time once its priority becomes `priority`.

    Raising the priority never pushes the due time back; lowering it never brings it closer.
    """
    current = ticket.sla_due_at
    if current is None:
        return due_at(priority, ticket.created_at or now, settings=settings)
    from automation.tickets.policy import PRIORITY_RANK

    if PRIORITY_RANK[priority] >= PRIORITY_RANK[ticket.priority]:
        return min(current, due_at(priority, now, settings=settings))
    return max(current, due_at(priority, ticket.created_at or now, settings=settings))


def summary(now: datetime | None = None, *, limit: int = 10) -> dict[str, Any]:
    """Return what the workspace and the dashboard show of service levels: open tickets past
    their due time (the most overdue first) and those due within the hour."""
    from sqlalchemy import func, select

    from database.models import Ticket
    from database.tickets import breached_open_tickets

    now = now or utcnow()
    still_open = Ticket.status.in_(("open", "pending"))
    soon = db.session.scalar(select(func.count()).select_from(Ticket).where(
        still_open, Ticket.sla_breached_at.is_(None), Ticket.sla_due_at >= now,
        Ticket.sla_due_at < now + timedelta(hours=1))) or 0
    count = db.session.scalar(select(func.count()).select_from(Ticket).where(
        still_open, Ticket.sla_breached_at.is_not(None))) or 0
    return {"breached_open": count, "due_within_hour": soon,
            "breached": [{"reference": t.reference, "priority": t.priority,
                          "due_at": t.sla_due_at.isoformat() if t.sla_due_at else None,
                          "overdue_s": int((now - t.sla_due_at).total_seconds())
                          if t.sla_due_at else None,
                          "assignee_id": t.assignee_id, "conversation_id": t.conversation_id}
                         for t in breached_open_tickets(limit=limit)]}
