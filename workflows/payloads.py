"""What a webhook carries for each event kind: ids, and what a workflow needs to act.

Never a password, a key or a secret: shoppers and staff appear by id, name, email and
language; tickets as the ticket API shows them.
"""

from __future__ import annotations

import json
from typing import Any

from automation.tickets.views import conversation_url, iso, ticket_view
from database import db, events
from database.models import Conversation, Customer, Event, Message, Ticket


def body(event: Event, *, admin_url: str | None) -> str:
    """Return the JSON body delivered for `event`: `{"id", "event", "created_at", "data"}`."""
    document = {"id": event.id, "event": event.kind, "created_at": iso(event.created_at),
                "data": data(event, admin_url=admin_url)}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=str)


def data(event: Event, *, admin_url: str | None) -> dict[str, Any]:
    """Return the `data` of an event, as of now (a few seconds after it happened)."""
    payload = dict(event.payload or {})
    found: dict[str, Any] = {}
    if event.ticket_id is not None:
        ticket = db.session.get(Ticket, event.ticket_id)
        found["ticket"] = ticket_view(ticket, admin_url=admin_url) if ticket else \
            {"reference": payload.get("reference")}
    conversation = db.session.get(Conversation, event.conversation_id) \
        if event.conversation_id is not None else None
    if conversation is not None:
        found["conversation"] = conversation_view(conversation, admin_url=admin_url)
    customer = db.session.get(Customer, event.customer_id) \
        if event.customer_id is not None else None
    if customer is not None:
        found["customer"] = customer_view(customer)
    kind = event.kind
    if kind in (events.TICKET_UPDATED, events.TICKET_RESOLVED):
        found.update({k: payload[k] for k in ("changes", "source", "note") if k in payload})
    elif kind == events.SLA_BREACHED:
        found.update({k: payload.get(k) for k in ("due_at", "overdue_s")})
    elif kind == events.HANDOFF_REQUESTED:
        summary = dict(payload.get("summary") or {})
        summary.pop("shopper", None)  # the customer is given whole above
        found.update({"summary": summary, "queue_position": payload.get("position")})
    elif kind == events.CONVERSATION_CLOSED:
        found.update({"closed_by": payload.get("by") or payload.get("reason"),
                      "staff_id": payload.get("staff_id")})
    elif kind == events.CSAT_SUBMITTED:
        found.update({"rating": payload.get("rating"), "staff_id": payload.get("staff_id")})
    elif kind == events.MESSAGE_RECEIVED:
        message = db.session.get(Message, payload.get("message_id")) \
            if payload.get("message_id") else None
        if message is not None:
            found["message"] = {"id": message.id, "body": message.body,
                                "channel": message.channel, "intent": message.intent,
                                "created_at": iso(message.created_at)}
    return found


def customer_view(customer: Customer) -> dict[str, Any]:
    """Return a shopper as workflows see them."""
    return {"id": customer.id, "email": customer.email, "name": customer.full_name,
            "first_name": customer.first_name, "language": customer.language}


def conversation_view(conversation: Conversation, *, admin_url: str | None) -> dict[str, Any]:
    """Return a conversation as workflows see it."""
    return {"id": conversation.id, "channel": conversation.channel,
            "status": conversation.status, "language": conversation.language,
            "rating": conversation.rating, "priority": conversation.priority,
            "assigned_staff_id": conversation.assigned_staff_id,
            "started_at": iso(conversation.started_at),
            "last_message_at": iso(conversation.last_message_at),
            "waiting_since": iso(conversation.waiting_since),
            "ended_at": iso(conversation.ended_at),
            "url": conversation_url(conversation.id, admin_url)}
