"""The JSON shapes of the staff API (API.md): conversations, messages, the handoff packet."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from database.models import Conversation, Message, StaffUser


def when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def person(staff: StaffUser | None) -> dict[str, Any] | None:
    return {"email": staff.email, "name": staff.name} if staff is not None else None


def listed(conversation: Conversation, *, position: int | None, minutes: int | None,
           assignee: StaffUser | None, last: Message | None) -> dict[str, Any]:
    """Return a conversation as the list shows it."""
    customer = conversation.customer
    return {
        "id": conversation.id, "status": conversation.status,
        "channel": conversation.channel, "language": conversation.language,
        "priority": conversation.priority, "team": conversation.team,
        "queue_position": position, "estimated_wait_minutes": minutes,
        "waiting_since": when(conversation.waiting_since),
        "customer": {"name": customer.full_name, "email": customer.email},
        "assignee": person(assignee),
        "last_message": None if last is None else {
            "body": last.body[:500], "sender": last.sender, "at": when(last.created_at)},
    }


def message(row: Message, staff: dict[int, StaffUser]) -> dict[str, Any]:
    """Return one message as staff see it (private notes included, flagged)."""
    shaped = {"id": row.id, "sender": row.sender, "direction": row.direction,
              "body": row.body, "private": row.private, "at": when(row.created_at),
              "delivery": delivery(row), "intent": row.intent,
              "sentiment": row.sentiment,
              "staff": person(staff.get(row.staff_id)) if row.staff_id else None}
    extra = row.meta or {}
    if extra.get("whatsapp_template"):
        shaped["template"] = extra["whatsapp_template"].get("name") or \
            extra["whatsapp_template"].get("content_sid")
    if extra.get("delivery_error"):
        shaped["delivery_error"] = extra["delivery_error"].get("error")
    if extra.get("transfer"):
        shaped["transfer"] = extra["transfer"]
    return shaped


def delivery(row: Message) -> str | None:
    """Return how far an outgoing message got ("queued" before its first attempt)."""
    if row.direction != "out":
        return None
    if row.private:
        return "private"
    return row.delivery_status or "queued"


def detailed(conversation: Conversation, *, base: dict[str, Any], messages: Sequence[Message],
             staff: dict[int, StaffUser]) -> dict[str, Any]:
    """Return a conversation with its messages, handoff packet and satisfaction rating."""
    context = conversation.context or {}
    csat = context.get("csat") or {}
    return {**base, "subject": conversation.subject,
            "started_at": when(conversation.started_at),
            "assigned_at": when(conversation.assigned_at),
            "ended_at": when(conversation.ended_at),
            "messages": [message(m, staff) for m in messages],
            "handoff": context.get("handoff"),
            "csat": {"rating": conversation.rating, "asked_at": csat.get("asked_at"),
                     "channel": csat.get("channel") or conversation.channel}
            if conversation.rating is not None or csat else None}
