"""Data functions for tickets."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from sqlalchemy import select

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
