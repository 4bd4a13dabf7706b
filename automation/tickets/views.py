"""A ticket as the outside sees it: the ticket API, outbound webhooks and the Notion page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from database.models import Ticket


def iso(value: datetime | None) -> str | None:
    """Return an ISO 8601 timestamp in UTC, or None."""
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def notion_url(page_id: str | None) -> str | None:
    """Return the web address of a Notion page (its id without dashes), or None."""
    return f"https://www.notion.so/{page_id.replace('-', '')}" if page_id else None


def conversation_url(conversation_id: int | None, admin_url: str | None) -> str | None:
    """Return where staff open the conversation in the admin app, or None."""
    if conversation_id is None or not admin_url:
        return None
    return f"{admin_url.rstrip('/')}/workspace?conversation={conversation_id}"


def ticket_view(ticket: Ticket, *, admin_url: str | None = None) -> dict[str, Any]:
    """Return the ticket with its shopper, conversation, assignee and due time."""
    customer = ticket.customer
    conversation = ticket.conversation
    assignee = ticket.assignee
    return {
        "reference": ticket.reference,
        "title": ticket.title,
        "description": ticket.description,
        "status": ticket.status,
        "priority": ticket.priority,
        "category": ticket.category,
        "customer": {"id": customer.id, "email": customer.email, "name": customer.full_name,
                     "first_name": customer.first_name, "language": customer.language},
        "conversation_id": ticket.conversation_id,
        "channel": conversation.channel if conversation is not None else None,
        "conversation_url": conversation_url(ticket.conversation_id, admin_url),
        "assignee": ({"email": assignee.email, "name": assignee.name}
                     if assignee is not None else None),
        "notion_url": notion_url(ticket.notion_page_id),
        "sla_due": iso(ticket.sla_due_at),
        "sla_breached": ticket.sla_breached_at is not None,
        "sla_breached_at": iso(ticket.sla_breached_at),
        "created_at": iso(ticket.created_at),
        "updated_at": iso(ticket.updated_at),
        "resolved_at": iso(ticket.resolved_at),
    }
