"""What goes into the engine and what comes out: `Inbound` and `Outcome`.

Channels build an `Inbound` from a provider payload and format the `Outcome`; neither holds
a request, an ORM object or HTML.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True)
class Inbound:
    """One shopper message, as a channel hands it to the engine."""

    channel: str            # "web" | "api" | "whatsapp" | "email"
    customer_id: int        # the shopper, already identified by the channel
    text: str
    external_id: str | None = None   # the provider's message id: the de-duplication key
    conversation_id: int | None = None  # a thread the channel already knows (email, web chat)
    subject: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass(frozen=True)
class QuickReply:
    """A button the shopper can press instead of typing; `value` is sent as their message."""

    label: str
    value: str


@dataclass
class Outcome:
    """The engine's answer to one inbound message, and what it did."""

    conversation_id: int
    message_id: int
    reply: str | None
    reply_message_id: int | None = None
    quick_replies: list[QuickReply] = field(default_factory=list)
    intent: str = "other"
    category: str = "general"
    confidence: float = 0.0
    language: str = "und"
    sentiment: float = 0.0
    frustrated: bool = False
    entities: dict[str, Any] = field(default_factory=dict)
    actions: list[dict[str, Any]] = field(default_factory=list)
    ticket: dict[str, Any] | None = None
    handoff: bool = False
    quality: int | None = None
    latency_ms: int = 0
    agent: str = "local"
    status: str = "ai"          # the conversation's state after this turn
    relayed: bool = False       # a person holds the conversation: stored, not answered by AI
    duplicate: bool = False     # this message id was seen before; the earlier outcome

    def to_dict(self) -> dict[str, Any]:
        """Return the outcome as plain JSON-ready data."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Outcome:
        """Rebuild an outcome stored by `to_dict`."""
        data = dict(data)
        data["quick_replies"] = [QuickReply(**q) for q in data.get("quick_replies", [])]
        known = cls.__dataclass_fields__
        return cls(**{name: value for name, value in data.items() if name in known})
