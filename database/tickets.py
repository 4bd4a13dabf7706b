"""Data functions for tickets."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, or_, select, update

from database.base import db
from database.models import Ticket


def create_ticket(**fields: object) -> Ticket:
    """Add a ticket and give it its reference, `TCK-<year>-<id, six digits>`."""
    # The reference needs the id, which only the flush gives; a unique placeholder holds its
    # place (the column is unique and not null) for the instant in between.
    ticket = Ticket(reference=f"TMP-{secrets.token_hex(6)}", **fields)
    db.session.add(ticket)
    db.session.flush()
    ticket.reference = f"TCK-{ticket.created_at.year}-{ticket.id:06d}"
    return ticket


def get_ticket_by_reference(reference: str) -> Ticket | None:
    """Return the ticket with this reference, or None."""
    return db.session.scalar(select(Ticket).where(Ticket.reference == reference))


def open_tickets_of(customer_id: int, *, conversation_id: int | None = None) -> Sequence[Ticket]:
    """Return the shopper's open or pending tickets, newest first."""
    query = select(Ticket).where(Ticket.customer_id == customer_id,
                                 Ticket.status.in_(("open", "pending")))
    if conversation_id is not None:
        query = query.where(Ticket.conversation_id == conversation_id)
    return db.session.scalars(query.order_by(Ticket.id.desc())).all()


def list_tickets(*, statuses: Sequence[str] = (), priorities: Sequence[str] = (),
                 updated_since: datetime | None = None, assignee_id: int | None = None,
                 after: tuple[datetime, int] | None = None, limit: int = 100) -> list[Ticket]:
    """Return tickets by last change, oldest first, from after the `(updated_at, id)` mark."""
    query = select(Ticket)
    if statuses:
        query = query.where(Ticket.status.in_(statuses))
    if priorities:
        query = query.where(Ticket.priority.in_(priorities))
    if updated_since is not None:
        query = query.where(Ticket.updated_at >= updated_since)
    if assignee_id is not None:
        query = query.where(Ticket.assignee_id == assignee_id)
    if after is not None:
        query = query.where(or_(Ticket.updated_at > after[0],
                                and_(Ticket.updated_at == after[0], Ticket.id > after[1])))
    return list(db.session.scalars(query.order_by(Ticket.updated_at, Ticket.id).limit(limit)))


def overdue_tickets(now: datetime, *, limit: int = 200) -> list[Ticket]:
    """Return open or pending tickets past their due time and not yet marked breached."""
    return list(db.session.scalars(
        select(Ticket).where(Ticket.status.in_(("open", "pending")),
                             Ticket.sla_due_at.is_not(None), Ticket.sla_due_at < now,
                             Ticket.sla_breached_at.is_(None))
        .order_by(Ticket.sla_due_at).limit(limit)))


def mark_breached(ticket_id: int, now: datetime) -> bool:
    """Mark the ticket's SLA breached unless it was already (no commit); True if this did."""
    marked = db.session.execute(
        update(Ticket).where(Ticket.id == ticket_id, Ticket.sla_breached_at.is_(None))
        .values(sla_breached_at=now).execution_options(synchronize_session=False))
    return marked.rowcount == 1


def breached_open_tickets(*, limit: int = 50) -> list[Ticket]:
    """Return the open or pending tickets whose SLA was breached, most overdue first."""
    return list(db.session.scalars(
        select(Ticket).where(Ticket.status.in_(("open", "pending")),
                             Ticket.sla_breached_at.is_not(None))
        .order_by(Ticket.sla_due_at).limit(limit)))
