"""The email channel adapter: an outgoing message leaves as a threaded email.

The email is rendered once and kept on the message before the first attempt, so a retry sends
the very same email (same Message-ID) and staff read it in the outbox whatever happens.
Without SMTP it stays in the outbox (status "outbox").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from email import message_from_string
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

from automation.channels.email import message as email_message
from automation.channels.email.smtp import MailSender, MailSendError, build_mail_sender
from automation.channels.results import SendError, SendResult
from automation.runtime import shop_settings
from database import db
from database.conversations import latest_inbound
from database.models import Message


@dataclass(frozen=True)
class MailSetup:
    """What the email channel needs from the settings, built once per app."""

    sender: MailSender
    support_address: str
    shop_name: str
    public_base_url: str | None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MailSetup:
        """Return the setup described by an app's config."""
        return cls(sender=build_mail_sender(config.get("SMTP_URL"),
                                            timeout=float(config.get("SMTP_TIMEOUT_S") or 10)),
                   support_address=email_message.support_address(config),
                   shop_name=config.get("SHOP_NAME") or "Demo Shop",
                   public_base_url=config.get("PUBLIC_BASE_URL"))

    def live(self, values: Mapping[str, Any] | None) -> MailSetup:
        """Return this setup with the shop's name and support address as admins last set."""
        if values is None:
            return self
        return replace(self, shop_name=values["shop_name"],
                       support_address=values["support_email"] or self.support_address)


class EmailChannel:
    """Sends by SMTP, or keeps the email in the staff outbox."""

    name = "email"

    def __init__(self, setup: MailSetup) -> None:
        self.setup = setup

    def send(self, message: Message) -> SendResult:
        """Render the email once (kept on the message), then send it."""
        rendered = (message.meta or {}).get("email") or {}
        if "raw" not in rendered:
            setup = self.setup.live(shop_settings.current())
            rendered = email_message.rendered(compose(message, setup))
            # Our Message-ID: the shopper's reply threads back through it.
            message.meta = {**(message.meta or {}), "email": rendered,
                            "email_message_id": rendered["message_id"]}
            message.channel_message_id = rendered["message_id"]
            db.session.commit()
        email = message_from_string(rendered["raw"], policy=default_policy)
        try:
            status = self.setup.sender.send(email)  # type: ignore[arg-type]
        except MailSendError as exc:
            raise SendError(str(exc), permanent=exc.permanent) from exc
        return SendResult(provider_id=rendered["message_id"], status=status)


def compose(reply: Message, setup: MailSetup) -> EmailMessage:
    """Return the email of an outbound message: to its shopper, threaded under their email.

    A staff message answers no message of its own: it threads under the shopper's latest
    email, and is signed by the person and not marked as an automatic answer.
    """
    conversation, shopper = reply.conversation, reply.conversation.customer
    inbound = reply.reply_to or latest_inbound(conversation.id, before_id=reply.id)
    theirs = ((inbound.meta or {}).get("email") or {}) if inbound is not None else {}
    person = (reply.meta or {}).get("staff_name") if reply.sender == "agent" else None
    return email_message.format(
        reply=reply.body, to=shopper.email,
        to_name=f"{shopper.first_name} {shopper.last_name}".strip(),
        subject=email_message.subject_for(theirs.get("subject") or conversation.subject,
                                          shop_name=setup.shop_name),
        from_address=setup.support_address, shop_name=setup.shop_name,
        language=(reply.meta or {}).get("language") or conversation.language,
        in_reply_to=theirs.get("message_id") or (inbound.channel_message_id if inbound
                                                 else None),
        references=list(theirs.get("references") or []),
        automatic=reply.sender != "agent",
        signature=f"{person.split()[0]}, {setup.shop_name}" if person else None)
