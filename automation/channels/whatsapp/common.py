"""What both WhatsApp providers deliver, once parsed: a message from a sender not yet known.

Buttons we send carry the quick reply's value in their id (`qr:<value>`), so that a tap comes
back as the shopper's choice, whatever the button's (possibly shortened) title says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from automation.channels.whatsapp.identity import Sender
from automation.conversations.turns import Inbound, QuickReply

CHOICE_PREFIX = "qr:"
MAX_CHOICE_ID = 256


@dataclass(frozen=True)
class WhatsAppMessage:
    """One shopper message as a provider delivered it."""

    provider: str          # "twilio" | "meta"
    external_id: str       # Twilio's MessageSid or Meta's wamid: the de-duplication key
    sender: Sender
    text: str              # what the shopper wrote, the caption, or the button they chose
    kind: str = "text"     # text, image, button, interactive, location…
    metadata: dict[str, Any] = field(default_factory=dict)
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def sender_key(self) -> str:
        """Return what identifies the sender for rate limits: the phone, else the user id."""
        return self.sender.phone or self.sender.user_id or "unknown"

    def inbound(self, customer_id: int) -> Inbound:
        """Return the engine's view of this message, from the identified shopper."""
        return Inbound(channel="whatsapp", customer_id=customer_id, text=self.text,
                       external_id=self.external_id, metadata=dict(self.metadata),
                       received_at=self.received_at)


def encode_choice(choice: QuickReply) -> str | None:
    """Return the button id carrying a quick reply's value, or None when it is too long."""
    button_id = CHOICE_PREFIX + choice.value
    return button_id if len(button_id) <= MAX_CHOICE_ID else None


def decode_choice(button_id: str | None) -> str | None:
    """Return the quick reply value a button id carries, or None for other buttons."""
    if button_id and button_id.startswith(CHOICE_PREFIX):
        return button_id[len(CHOICE_PREFIX):]
    return None


def choices_as_text(reply: str, choices: list[QuickReply]) -> str:
    """Return the reply with its quick replies written out, for channels without buttons."""
    if not choices:
        return reply
    return reply.rstrip() + "\n\n" + "\n".join(f"• {choice.label}" for choice in choices)
