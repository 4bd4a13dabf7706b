"""A shopper erased on request (GDPR art. 17, LGPD art. 18): nothing of theirs stays but the
audit line of the erasure and, when they ordered, their orders stripped of personal data.

Orders stay because shops must keep sales records for accounting and tax (ten years in France,
Portugal and Brazil); their address, tracking number and free-text reasons go, and the
shopper's row that holds them becomes an anonymous placeholder that cannot log in. Events
about the shopper stay for the metrics, reduced to non-personal fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from automation.privacy.export import find_shopper
from automation.privacy.records import fingerprint
from database import db, events
from database.models import Customer, Order
from database.privacy import (archives_of, conversations_of, delete_archives_of,
                              delete_conversations, delete_customer, delete_deliveries,
                              delete_tickets, events_about, orders_of, tickets_of)

# Payload fields events keep after an erasure: what metrics count, never what someone wrote.
KEPT_FIELDS = frozenset({
    "message_id", "in_reply_to", "channel", "intent", "category", "language", "quality",
    "latency_ms", "agent", "handoff", "chars", "status", "priority", "rating", "tokens",
    "cost_usd", "fallback", "reason", "staff_id", "ticket_id", "resolution", "provider"})
ENUM_LIKE = re.compile(r"[a-z0-9_.:-]{1,40}")


@dataclass(frozen=True)
class Erasure:
    """What an erasure removed (counts only), and the orders kept."""

    customer_id: int
    counts: dict[str, int] = field(default_factory=dict)


def erase_shopper(email: str, *, by: str, secret_key: str) -> Erasure:
    """Erase a shopper's data; audit it (id and fingerprint only), and commit."""
    customer = find_shopper(email)
    subject = fingerprint(customer.email, secret_key)
    mentions = [text for text in (customer.email, customer.phone, customer.whatsapp_user_id)
                if text]
    conversation_ids = [c.id for c in conversations_of(customer.id)]
    ticket_ids = [t.id for t in tickets_of(customer.id)]
    about = events_about(customer.id, conversation_ids=conversation_ids,
                         ticket_ids=ticket_ids, mentions=mentions)
    counts = {"deliveries": delete_deliveries(event_ids=[e.id for e in about],
                                              mentions=mentions),
              "events": len(about), "tickets": delete_tickets(ticket_ids),
              "conversations": len(conversation_ids),
              "messages": delete_conversations(conversation_ids),
              "archives": len(archives_of(customer.id))}
    for event in about:
        event.payload, event.customer_id = _kept(event.payload), None
    delete_archives_of(customer.id)
    orders = orders_of(customer.id)
    counts["orders_kept"] = len(orders)
    customer_id = customer.id
    if orders:
        _anonymise(customer, orders)
    else:
        delete_customer(customer)
    events.record(events.PRIVACY_ERASED, payload={
        "customer_id": customer_id, "subject": subject, "by": by, "counts": counts})
    db.session.commit()
    return Erasure(customer_id=customer_id, counts=counts)


def _kept(payload: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {"erased": True}
    for key, value in (payload or {}).items():
        if key not in KEPT_FIELDS:
            continue
        if value is None or isinstance(value, (bool, int, float)) or (
                isinstance(value, str) and ENUM_LIKE.fullmatch(value)):
            kept[key] = value
    return kept


def _anonymise(customer: Customer, orders: list[Order] | Any) -> None:
    for order in orders:
        order.shipping_address, order.tracking_number = {}, None
        order.cancellation_reason = order.return_reason = None
    customer.first_name = customer.last_name = ""
    customer.email = f"erased-{customer.id}@erased.invalid"
    customer.phone = customer.whatsapp_user_id = customer.password_hash = None
    customer.phone_doubtful, customer.preferences = False, {}
    customer.status = "blocked"  # an erased shopper's placeholder can never log in
