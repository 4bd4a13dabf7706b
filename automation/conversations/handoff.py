"""Handing a conversation to a person and back: the request, its summary, the staff's side.

`ai` → `waiting` (the AI asked for a person, with a summary so nobody repeats themselves) →
`active` (a staff member holds it) → `ai` again (handed back) or `closed`. Each step changes
the conversation, records its event and commits; the shopper's chat shows it live.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from automation.runtime.errors import DeskError
from database import db, events
from database.base import utcnow
from database.conversations import (add_message, get_conversation, queue_position,
                                    recent_messages)
from database.models import Conversation, Customer, Message, StaffUser
from database.staff import get_staff

def build_summary(*, conversation: Conversation, customer: Customer, message: Message,
                  reason: str) -> dict[str, Any]:
    """Return the structured summary of the conversation so far."""
    history = recent_messages(conversation.id, limit=30)
    if message not in history:
        history = [*history, message]
    inbound = [m for m in history if m.direction == "in"]
    context = conversation.context or {}
    intents = [m.intent for m in inbound if m.intent]
    return {
        "reason": reason,
        "intent": message.intent or (intents[-1] if intents else "other"),
        "intents_seen": list(dict.fromkeys(intents)),
        "language": conversation.language,
        "sentiment_trend": [round(m.sentiment, 2) for m in inbound if m.sentiment is not None],
        "shopper": {"id": customer.id, "name": customer.full_name, "email": customer.email,
                    "phone": customer.phone, "language": customer.language},
        "orders_discussed": list(context.get("orders_discussed", [])),
        "actions_tried": list(context.get("actions_tried", [])),
        "last_ask": message.body[:1000],
        "channel": conversation.channel,
        "messages": len(history),
    }


def request_handoff(*, conversation: Conversation, customer: Customer, message: Message,
                    reason: str, now: datetime) -> tuple[dict[str, Any], int]:
    """Queue the conversation for a person, with its summary (no commit); return both and
    the place in the queue."""
    summary = build_summary(conversation=conversation, customer=customer, message=message,
                            reason=reason[:300])
    conversation.status = "waiting"
    conversation.waiting_since = now
    conversation.context = {**(conversation.context or {}),
                            "handoff": {**summary, "requested_at": now.isoformat()}}
    position = queue_position(conversation)
    events.record(events.HANDOFF_REQUESTED, conversation_id=conversation.id,
                  customer_id=customer.id, payload={"summary": summary, "position": position})
    return summary, position


MAX_AGENT_MESSAGE = 10_000


def assign(conversation_id: int, staff_id: int) -> Conversation:
    """Give the conversation to a staff member: a person now answers, the AI stands by."""
    conversation = _open_conversation(conversation_id)
    staff = _active_staff(staff_id)
    previous = conversation.assigned_staff_id
    now = utcnow()
    waited = int((now - conversation.waiting_since).total_seconds()) \
        if conversation.status == "waiting" and conversation.waiting_since else None
    conversation.status, conversation.assigned_staff_id = "active", staff.id
    events.record(events.AGENT_ASSIGNED, conversation_id=conversation.id,
                  customer_id=conversation.customer_id,
                  payload={"staff_id": staff.id, "staff_name": staff.name,
                           "previous_staff_id": previous, "waited_s": waited})
    db.session.commit()
    return conversation


def hand_back(conversation_id: int) -> Conversation:
    """Give the conversation back to the AI (the person is done, the shopper may go on)."""
    conversation = _open_conversation(conversation_id)
    staff_id = conversation.assigned_staff_id
    conversation.status, conversation.assigned_staff_id = "ai", None
    conversation.waiting_since = None
    events.record(events.CONVERSATION_HANDED_BACK, conversation_id=conversation.id,
                  customer_id=conversation.customer_id, payload={"staff_id": staff_id})
    db.session.commit()
    return conversation


def close(conversation_id: int, *, by: str = "agent", staff_id: int | None = None
          ) -> Conversation:
    """Close the conversation; the shopper is then asked to rate it."""
    conversation = _open_conversation(conversation_id)
    previous = conversation.status
    conversation.status, conversation.ended_at = "closed", utcnow()
    events.record(events.CONVERSATION_CLOSED, conversation_id=conversation.id,
                  customer_id=conversation.customer_id,
                  payload={"by": by, "staff_id": staff_id or conversation.assigned_staff_id,
                           "from_status": previous})
    db.session.commit()
    return conversation


def post_agent_message(conversation_id: int, staff_id: int, text: str) -> Message:
    """Store a staff member's message to the shopper in a conversation they hold."""
    body = (text or "").strip()
    if not body or len(body) > MAX_AGENT_MESSAGE:
        raise DeskError("validation_error", f"text: 1 to {MAX_AGENT_MESSAGE} characters",
                        fields={"text": f"1 to {MAX_AGENT_MESSAGE} characters"})
    conversation = _open_conversation(conversation_id)
    staff = _active_staff(staff_id)
    if conversation.status != "active" or conversation.assigned_staff_id != staff.id:
        raise DeskError("forbidden", "only the staff member holding it writes in a conversation")
    now = utcnow()
    message = add_message(conversation_id=conversation.id, channel=conversation.channel,
                          direction="out", sender="agent", staff_id=staff.id, body=body,
                          created_at=now, meta={"staff_name": staff.name})
    conversation.last_message_at = now
    db.session.flush()
    events.record(events.MESSAGE_SENT, conversation_id=conversation.id,
                  customer_id=conversation.customer_id,
                  payload={"message_id": message.id, "staff_id": staff.id,
                           "channel": conversation.channel, "chars": len(body)})
    db.session.commit()
    return message


def _open_conversation(conversation_id: int) -> Conversation:
    conversation = get_conversation(conversation_id)
    if conversation is None:
        raise DeskError("not_found", f"no conversation {conversation_id}")
    if conversation.status == "closed":
        raise DeskError("conflict", f"conversation {conversation_id} is closed")
    return conversation


def _active_staff(staff_id: int) -> StaffUser:
    staff = get_staff(staff_id)
    if staff is None or not staff.active:
        raise DeskError("not_found", f"no active staff member {staff_id}")
    return staff
