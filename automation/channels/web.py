"""The web chat: one submission flow for the live socket and the plain form behind it.

A message is stored first (`submit`), then answered and delivered (`reply`); the socket shows
the shopper their own message in between. The browser gives each message an id, so a
message resent after a reconnect is stored once.
"""

from __future__ import annotations

from typing import Any

from automation.channels.delivery import deliver
from automation.conversations.engine import Accepted, Engine
from automation.conversations.turns import Inbound, Outcome

CHANNEL = "web"
MAX_CHARS = 4000     # longer messages get a polite error, nothing is stored


def client_key(customer_id: int, client_id: str | None) -> str | None:
    """Return the de-duplication key of a browser's message id (letters, digits, dashes)."""
    cleaned = "".join(c for c in (client_id or "") if c.isalnum() or c == "-")[:64]
    return f"{customer_id}:{cleaned}" if cleaned else None


def submit(engine: Engine, *, customer_id: int, text: str, client_id: str | None,
           conversation_id: int | None = None,
           metadata: dict[str, Any] | None = None) -> Accepted:
    """Store a shopper's chat message (once per browser id) and commit."""
    return engine.accept(Inbound(channel=CHANNEL, customer_id=customer_id, text=text,
                                 external_id=client_key(customer_id, client_id),
                                 conversation_id=conversation_id, metadata=metadata or {}))


def reply(engine: Engine, message_id: int, *, wait_s: float = 15.0) -> Outcome:
    """Answer a stored chat message (once) and deliver the reply to the chat."""
    outcome = engine.answer(message_id, wait_s=wait_s)
    if outcome.reply_message_id is not None:
        deliver(outcome.reply_message_id)
    return outcome
