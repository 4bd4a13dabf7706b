"""A shopper's data, all of it, as one JSON document (GDPR art. 15 and 20, LGPD art. 18)."""

from __future__ import annotations

from typing import Any

from automation.privacy.records import conversation_record, fingerprint, unpack
from automation.runtime.errors import DeskError
from database import db, events
from database.base import utcnow
from database.customers import get_customer_by_email
from database.models import Customer
from database.privacy import (archives_of, conversations_of, events_about, messages_of,
                              orders_of, row_values, tickets_of)

SECRET_COLUMNS = ("password_hash",)  # never leaves the desk, even to its owner


def find_shopper(email: str) -> Customer:
    """Return the shopper with this email, or raise not_found."""
    customer = get_customer_by_email((email or "").strip())
    if customer is None:
        raise DeskError("not_found", "no shopper with this email")
    return customer


def holdings(customer: Customer) -> dict[str, int]:
    """Return how many of each kind of record the desk holds about a shopper."""
    return {"orders": len(orders_of(customer.id)),
            "conversations": len(conversations_of(customer.id)),
            "tickets": len(tickets_of(customer.id)), "archives": len(archives_of(customer.id))}


def export_shopper(email: str, *, by: str, secret_key: str) -> dict[str, Any]:
    """Return everything the desk holds about a shopper; audit the export, and commit."""
    customer = find_shopper(email)
    conversations = conversations_of(customer.id)
    messages = messages_of([c.id for c in conversations])
    tickets = tickets_of(customer.id)
    archives = [unpack(archive) for archive in archives_of(customer.id)]
    about = events_about(customer.id, conversation_ids=[c.id for c in conversations],
                         ticket_ids=[t.id for t in tickets],
                         mentions=[customer.email, customer.phone or ""])
    references: dict[int, list[str]] = {}
    for ticket in tickets:
        if ticket.conversation_id is not None:
            references.setdefault(ticket.conversation_id, []).append(ticket.reference)
    document = {
        "exported_at": utcnow().isoformat(),
        "customer": {key: value for key, value in row_values(customer).items()
                     if key not in SECRET_COLUMNS},
        "orders": [row_values(order) for order in orders_of(customer.id)],
        "conversations": [
            conversation_record(c, [m for m in messages if m.conversation_id == c.id],
                                tickets=references.get(c.id, [])) for c in conversations],
        "tickets": [row_values(ticket) for ticket in tickets],
        "csat": [{"conversation_id": record["id"], "rating": record["rating"],
                  "ended_at": record["ended_at"]}
                 for record in [*(row_values(c) for c in conversations), *archives]
                 if record.get("rating") is not None],
        "events": [row_values(event) for event in about],
        "archives": archives,
    }
    counts = {key: len(document[key]) for key in ("orders", "conversations", "tickets",
                                                  "events", "archives")}
    events.record(events.PRIVACY_EXPORTED, payload={
        "customer_id": customer.id, "subject": fingerprint(customer.email, secret_key),
        "by": by, "counts": counts})
    db.session.commit()
    return document
