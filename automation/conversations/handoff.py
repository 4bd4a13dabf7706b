"""Handing a conversation to a person: the request, its summary and its place in the queue.

`ai` → `waiting` (the AI asked for a person, with a summary so nobody repeats themselves) →
`active` (a staff member holds it) → `ai` again (handed back) or `closed`. The staff side's
flows live beside this one (`assignment`, `replies`) and are re-exported here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from automation.conversations import queue
from automation.conversations.assignment import assign, close, hand_back, transfer  # noqa: F401
from automation.conversations.replies import MAX_AGENT_MESSAGE, post_agent_message  # noqa: F401
from database import events
from database.conversations import recent_messages
from database.models import Conversation, Customer, Message

__all__ = ["MAX_AGENT_MESSAGE", "assign", "build_summary", "close", "hand_back",
           "post_agent_message", "request_handoff", "transfer"]


def build_summary(*, conversation: Conversation, customer: Customer, message: Message,
                  reason: str) -> dict[str, Any]:
    """Return the structured summary of the conversation so far (the handoff packet)."""
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
        "identity": identity(conversation, message),
        "orders_discussed": list(context.get("orders_discussed", [])),
        "actions_tried": list(context.get("actions_tried", [])),
        "last_ask": message.body[:1000],
        "channel": conversation.channel,
        "messages": len(history),
    }


def identity(conversation: Conversation, message: Message) -> dict[str, Any]:
    """Return how the desk knows who the shopper is, as the channel verified it."""
    meta = message.meta or {}
    if conversation.channel == "web":
        return {"verified": True, "how": "web_login"}
    if conversation.channel == "whatsapp":
        whatsapp = meta.get("whatsapp") or {}
        return {"verified": True, "how": "whatsapp_" + ("user_id" if whatsapp.get("user_id")
                                                        and not whatsapp.get("reply_to", "")
                                                        .lstrip("+").isdigit() else "phone"),
                "profile_name": whatsapp.get("profile_name")}
    if conversation.channel == "email":
        return {"verified": False, "how": "email_sender",
                "address": (meta.get("email") or {}).get("from")}
    return {"verified": True, "how": "api_key"}


def request_handoff(*, conversation: Conversation, customer: Customer, message: Message,
                    reason: str, now: datetime, frustrated: bool = False,
                    vip_spend: int = 0) -> tuple[dict[str, Any], int]:
    """Queue the conversation for a person, with its summary and priority (no commit); return
    both and the place in the queue."""
    summary = build_summary(conversation=conversation, customer=customer, message=message,
                            reason=reason[:300])
    priority, reasons = queue.priority_for(conversation=conversation, customer=customer,
                                           message=message, reason=reason,
                                           frustrated=frustrated, vip_spend=vip_spend, now=now)
    conversation.status = "waiting"
    conversation.waiting_since = now
    conversation.priority = priority
    conversation.escalated_at = None
    conversation.assigned_staff_id = None
    position, minutes = queue.place(conversation, now)
    conversation.context = {**(conversation.context or {}),
                            "handoff": {**summary, "requested_at": now.isoformat(),
                                        "priority_reasons": reasons},
                            # What the shopper is told now: later notices only on news.
                            "queue_notice": {"position": position, "minutes": minutes,
                                             "at": now.isoformat()}}
    events.record(events.HANDOFF_REQUESTED, conversation_id=conversation.id,
                  customer_id=customer.id,
                  payload={"summary": summary, "position": position, "priority": priority,
                           "priority_reasons": reasons, "channel": conversation.channel})
    return summary, position
