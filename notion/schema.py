"""The ticket database's properties, and the translation between a ticket and a page.

Values are handled as plain strings (an option's name, an email, an ISO date) so that what
the desk last wrote can be remembered and compared with what a page holds now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from automation.tickets.views import conversation_url
from database.models import Ticket


@dataclass(frozen=True)
class Property:
    """One property of the ticket database: its type, the types accepted in an existing
    database, and its options (select)."""

    name: str
    type: str
    accepts: tuple[str, ...] = ()
    options: tuple[str, ...] = ()

    def schema(self) -> dict[str, Any]:
        """Return the property's schema object, as Notion takes it to create the property."""
        if self.type in ("select", "status"):
            return {self.type: {"options": [{"name": o, "color": COLOURS.get(o, "default")}
                                            for o in self.options]}}
        return {self.type: {}}


STATUS_LABELS = {"open": "Open", "pending": "Pending", "resolved": "Resolved",
                 "closed": "Closed"}
PRIORITY_LABELS = {"urgent": "Urgent", "high": "High", "normal": "Normal", "low": "Low"}
CHANNEL_LABELS = {"web": "Web", "api": "API", "whatsapp": "WhatsApp", "email": "Email"}
CATEGORIES = ("order_status", "cancel_order", "modify_order", "delivery_info", "return_refund",
              "payment", "invoice", "account", "product_info", "complaint", "feedback", "other")
COLOURS = {"Open": "blue", "Pending": "yellow", "Resolved": "green", "Closed": "gray",
           "Urgent": "red", "High": "orange", "Normal": "blue", "Low": "gray"}


def category_label(category: str) -> str:
    """Return how a category reads in Notion: `return_refund` → `Return refund`."""
    return category.replace("_", " ").capitalize()


PROPERTIES = (
    Property("Title", "title"),
    Property("Reference", "rich_text"),
    Property("Status", "select", ("select", "status"), tuple(STATUS_LABELS.values())),
    Property("Priority", "select", ("select", "status"), tuple(PRIORITY_LABELS.values())),
    Property("Category", "select", ("select", "rich_text"),
             tuple(category_label(c) for c in CATEGORIES)),
    Property("Channel", "select", ("select", "rich_text"), tuple(CHANNEL_LABELS.values())),
    Property("Customer", "email", ("email", "rich_text")),
    # The staff member's email: leads pick among the desk's staff (options added as needed).
    Property("Assignee", "select", ("select", "email", "rich_text")),
    Property("Conversation", "url", ("url",)),
    Property("Created", "date", ("date",)),
    Property("SLA due", "date", ("date",)),
    Property("Last message", "date", ("date",)),
)
BY_NAME = {p.name: p for p in PROPERTIES}
# What leads change in Notion and the desk takes back.
TRIAGE = ("Status", "Priority", "Assignee")
FIELD_OF = {"Status": "status", "Priority": "priority", "Assignee": "assignee"}
MAX_TEXT = 2000


def desk_values(ticket: Ticket, *, admin_url: str | None) -> dict[str, str | None]:
    """Return what the ticket's page should hold, property by property, as plain values."""
    conversation = ticket.conversation
    return {
        "Title": ticket.title[:MAX_TEXT] or ticket.reference,
        "Reference": ticket.reference,
        "Status": STATUS_LABELS[ticket.status],
        "Priority": PRIORITY_LABELS[ticket.priority],
        "Category": category_label(ticket.category),
        "Channel": CHANNEL_LABELS.get(conversation.channel) if conversation else None,
        "Customer": ticket.customer.email,
        "Assignee": ticket.assignee.email if ticket.assignee is not None else None,
        "Conversation": conversation_url(ticket.conversation_id, admin_url),
        "Created": _date(ticket.created_at),
        "SLA due": _date(ticket.sla_due_at),
        "Last message": _date(conversation.last_message_at) if conversation else None,
    }


def _date(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds").replace("+00:00", "Z") if value else None


def to_notion(types: dict[str, str], values: dict[str, str | None]) -> dict[str, Any]:
    """Return page property values for Notion, each in the type the database gives it."""
    properties = {}
    for name, value in values.items():
        kind = types.get(name, BY_NAME[name].type)
        properties[name] = _value(kind, value)
    return properties


def _value(kind: str, value: str | None) -> dict[str, Any]:
    if kind in ("title", "rich_text"):
        text = [{"type": "text", "text": {"content": value[:MAX_TEXT]}}] if value else []
        return {kind: text}
    if kind in ("select", "status"):
        # Notion refuses commas in an option's name.
        return {kind: {"name": value.replace(",", " ")[:100]} if value else None}
    if kind == "date":
        return {"date": {"start": value} if value else None}
    if kind in ("email", "url", "phone_number"):
        return {kind: value or None}
    raise ValueError(f"the desk does not write {kind} properties")


def from_notion(prop: dict[str, Any] | None) -> str | None:
    """Return a page property's value as a plain string (None when empty)."""
    if not prop:
        return None
    kind = prop.get("type")
    value = prop.get(kind)
    if kind in ("title", "rich_text"):
        text = "".join(part.get("plain_text") or part.get("text", {}).get("content", "")
                       for part in value or [])
        return text.strip() or None
    if kind in ("select", "status"):
        return (value or {}).get("name") or None
    if kind == "date":
        return (value or {}).get("start") or None
    if kind in ("email", "url", "phone_number"):
        return value or None
    if kind == "people":
        emails = [p.get("person", {}).get("email") for p in value or []]
        return next((e for e in emails if e), None)
    return None


def page_values(page: dict[str, Any]) -> dict[str, str | None]:
    """Return the plain values of the desk's properties on a page."""
    properties = page.get("properties") or {}
    return {name: from_notion(properties.get(name)) for name in BY_NAME}


def to_desk(name: str, value: str | None) -> tuple[bool, str | None]:
    """Return whether a lead's value makes sense to the desk, and the desk's value for it."""
    if name == "Status":
        found = {label.lower(): key for key, label in STATUS_LABELS.items()}
        key = found.get((value or "").strip().lower())
        return key is not None, key
    if name == "Priority":
        found = {label.lower(): key for key, label in PRIORITY_LABELS.items()}
        key = found.get((value or "").strip().lower())
        return key is not None, key
    if name == "Assignee":
        email = (value or "").strip().lower()
        if "<" in email and email.endswith(">"):  # "Léa <lea@shop>"
            email = email.rsplit("<", 1)[1][:-1]
        return True, email or None
    raise ValueError(name)


def description_blocks(text: str) -> list[dict[str, Any]]:
    """Return the ticket's description as paragraph blocks (Notion's limits kept)."""
    blocks = []
    for paragraph in [p.strip() for p in (text or "").split("\n\n") if p.strip()][:90]:
        chunks = [paragraph[i:i + MAX_TEXT] for i in range(0, len(paragraph), MAX_TEXT)][:100]
        blocks.append({"object": "block", "type": "paragraph",
                       "paragraph": {"rich_text": [{"type": "text", "text": {"content": c}}
                                                   for c in chunks]}})
    return blocks
