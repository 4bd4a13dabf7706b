"""Opening a ticket: what a person must follow up, with its priority and due time."""

from __future__ import annotations

from datetime import datetime

from automation.tickets.sla import due_at
from database import events
from database.models import Conversation, Customer, Ticket
from database.tickets import create_ticket


def open_ticket(*, customer: Customer, conversation: Conversation | None, title: str,
                description: str, category: str, priority: str, now: datetime) -> Ticket:
    """Add a ticket and its `ticket.created` event to the session (the caller commits)."""
    ticket = create_ticket(customer_id=customer.id,
                           conversation_id=conversation.id if conversation else None,
                           title=title.strip()[:300] or category,
                           description=description.strip()[:10000], category=category,
                           priority=priority, sla_due_at=due_at(priority, now))
    events.record(events.TICKET_CREATED, ticket_id=ticket.id, customer_id=customer.id,
                  conversation_id=conversation.id if conversation else None,
                  payload={"reference": ticket.reference, "priority": priority,
                           "category": category, "title": ticket.title})
    return ticket
