"""The WhatsApp channel adapter: an outgoing message leaves the way its shopper wrote in.

Where to answer (provider, the shopper's address, our business number) is what the shopper's
own message said; a staff message with no message to answer goes where the conversation's
latest message came from.
"""

from __future__ import annotations

from typing import Any

from automation.channels.results import SendError, SendResult
from automation.channels.whatsapp import meta, twilio
from automation.channels.whatsapp.meta_sender import MetaSender
from automation.channels.whatsapp.twilio_sender import TwilioSender
from automation.conversations.turns import QuickReply
from database.conversations import latest_inbound
from database.models import Message


class WhatsAppChannel:
    """Sends through Twilio's REST API or Meta's Graph API, as the shopper wrote."""

    name = "whatsapp"

    def __init__(self, *, twilio_sender: TwilioSender, meta_sender: MetaSender,
                 public_base_url: str | None = None) -> None:
        self.twilio, self.meta = twilio_sender, meta_sender
        # Twilio reports delivery to the same webhook when it knows where that is.
        self.callback = (f"{public_base_url.rstrip('/')}/webhooks/whatsapp/twilio"
                         if public_base_url else None)

    def send(self, message: Message) -> SendResult:
        """Send the message's text (and its quick replies or list of choices) to the shopper;
        past Meta's 24-hour window, inside the template the message was stored with."""
        address = reply_address(message)
        to = address.get("reply_to") or ""
        if not to:
            raise SendError("no WhatsApp address to answer", permanent=True)
        extra = message.meta or {}
        choices = [QuickReply(**q) for q in extra.get("quick_replies") or []]
        template = extra.get("whatsapp_template")
        shopper = message.conversation.customer.first_name if template else ""
        if address.get("provider") == "twilio":
            if template:
                if not template.get("content_sid"):
                    raise SendError("outside the 24-hour window: no Twilio template "
                                    "(TWILIO_TEMPLATE_SID)", permanent=True)
                return self.twilio.send(to=to, from_=address.get("business"), body="",
                                        status_callback=self.callback,
                                        content_sid=template["content_sid"],
                                        content_variables=meta.template_variables(
                                            shopper, message.body))
            body = message.body
            if extra.get("choice_list"):
                choices = [QuickReply(row["title"], row["id"])
                           for row in extra["choice_list"]["rows"]]
            return self.twilio.send(to=to, from_=address.get("business"),
                                    body=twilio.text_body(body, choices),
                                    status_callback=self.callback)
        if template:
            if not template.get("name"):
                raise SendError("outside the 24-hour window: no WhatsApp template "
                                "(WHATSAPP_TEMPLATE_NAME)", permanent=True)
            return self.meta.send(meta.template_payload(
                to=to, name=template["name"], language=template.get("language") or "en",
                values=[shopper, message.body]))
        if extra.get("choice_list"):
            return self.meta.send(meta.list_payload(message.body, to=to,
                                                    choices=extra["choice_list"]))
        return self.meta.send(meta.format(message.body, to=to, choices=choices))


def reply_address(message: Message) -> dict[str, Any]:
    """Return where to send an outgoing WhatsApp message (provider, reply_to, business)."""
    inbound = message.reply_to if message.reply_to_id else latest_inbound(
        message.conversation_id, before_id=message.id)
    return dict(((inbound.meta if inbound else None) or {}).get("whatsapp") or {})
