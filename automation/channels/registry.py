"""The channel adapters of an app, built once from its settings (null ones when unset)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from automation.channels.email.adapter import EmailChannel, MailSetup
from automation.channels.results import SendResult
from automation.channels.whatsapp.adapter import WhatsAppChannel
from automation.channels.whatsapp.meta_sender import build_meta_sender
from automation.channels.whatsapp.twilio_sender import build_twilio_sender
from database.models import Message


class InPlaceChannel:
    """A channel whose messages are shown where the shopper is: the web chat (its live
    updates read the stored message) and the API (the reply is in the HTTP answer)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def send(self, message: Message) -> SendResult:
        """Nothing to hand over: the stored message is what the shopper sees."""
        return SendResult(provider_id=None, status="delivered")


@dataclass
class Channels:
    """One adapter per channel."""

    web: InPlaceChannel
    api: InPlaceChannel
    whatsapp: WhatsAppChannel
    email: EmailChannel

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Channels:
        """Build every adapter from an app's config."""
        return cls(web=InPlaceChannel("web"), api=InPlaceChannel("api"),
                   whatsapp=WhatsAppChannel(twilio_sender=build_twilio_sender(config),
                                            meta_sender=build_meta_sender(config),
                                            public_base_url=config.get("PUBLIC_BASE_URL")),
                   email=EmailChannel(MailSetup.from_config(config)))

    def for_message(self, message: Message) -> Any:
        """Return the adapter of the message's conversation channel."""
        return getattr(self, message.channel)
