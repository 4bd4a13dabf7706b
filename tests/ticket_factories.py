"""Builders of shoppers' conversations and tickets for the ticket, Notion and webhook tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from automation.tickets.flows import open_ticket
from database import db
from database.base import utcnow
from database.models import Conversation, Customer, Ticket
from tests import factories


def conversation(owner: Customer | None = None, **fields: Any) -> Conversation:
    owner = owner or factories.customer()
    values = {"customer_id": owner.id, "channel": "web", "status": "ai", "language": "fr"}
    values.update(fields)
    row = Conversation(**values)
    db.session.add(row)
    db.session.commit()
    return row


def ticket(owner: Customer | None = None, *, title: str = "Colis pas arrivé",
           description: str = "Ma commande CMD-40001 n'est pas arrivée.",
           category: str = "delivery_info", priority: str = "normal",
           now: datetime | None = None, with_conversation: bool = True,
           channel: str = "web") -> Ticket:
    """Open a ticket the way the agents do (its `ticket.created` event included), committed."""
    owner = owner or factories.customer()
    chat = conversation(owner, channel=channel) if with_conversation else None
    row = open_ticket(customer=owner, conversation=chat, title=title, description=description,
                      category=category, priority=priority, now=now or utcnow())
    db.session.commit()
    return row
