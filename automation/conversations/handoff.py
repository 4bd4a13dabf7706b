"""The summary a person gets when a conversation is handed over: no need to ask again."""

from __future__ import annotations

from typing import Any

from database.conversations import recent_messages
from database.models import Conversation, Customer, Message


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
