"""Background jobs of the email channel: answer an accepted email, send a reply, invite.

Jobs get ids and plain strings, never ORM objects; they run in the bound app's context (the
worker's web_app), so the engine and the mail sender are taken from, or built for, that app.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from flask import Flask, current_app

from automation.runtime import jobs
from automation.runtime.desk import build_engine
from automation.conversations.engine import Engine
from automation.channels.email import delivery as mail_delivery
from automation.channels.email.smtp import MailSender, MailSendError, build_mail_sender
from database.email_messages import get_message
from automation.channels.email import message as email_channel
from automation.runtime import i18n
from automation.accounts.invitations import invitation

log = logging.getLogger(__name__)


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
                   support_address=email_channel.support_address(config),
                   shop_name=config.get("SHOP_NAME") or "Demo Shop",
                   public_base_url=config.get("PUBLIC_BASE_URL"))


def mail_setup(app: Flask | None = None) -> MailSetup:
    """Return the app's email setup (tests replace it in `app.extensions["email"]`)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    if "email" not in app.extensions:
        app.extensions["email"] = MailSetup.from_config(app.config)
    return app.extensions["email"]


def _engine() -> Engine:
    app = current_app
    if "engine" not in app.extensions:  # a job bound to an app that does not answer itself
        app.extensions["engine"] = build_engine(app.config)
    return app.extensions["engine"]


@jobs.job(retries=2, retry_delay=30)
def answer_email(message_id: int) -> None:
    """Decide the reply to an accepted email (once) and queue it for sending."""
    outcome = _engine().answer(message_id)
    if outcome.reply is None or outcome.reply_message_id is None:
        return  # a person holds the conversation: they answer, not the AI
    send_email(outcome.reply_message_id)


@jobs.job(retries=4, retry_delay=60, retry_backoff=2)
def send_email(message_id: int) -> None:
    """Render an outbound email message (once) and send it; retried when sending fails."""
    setup = mail_setup()
    if not mail_delivery.is_rendered(message_id):
        mail_delivery.keep_rendered(message_id, email_channel.rendered(compose(message_id,
                                                                               setup)))
    try:
        mail_delivery.deliver(message_id, setup.sender)
    except MailSendError as exc:
        if exc.permanent:
            log.error("email %s not sent, permanently: %s", message_id, exc)
            return  # retrying cannot help; the outbox shows it as failed
        raise  # the job queue tries again later


@jobs.job(retries=3, retry_delay=60, retry_backoff=2)
def invite_sender(*, to: str, subject: str, message_id: str, references: list[str],
                  text: str) -> None:
    """Send the invitation to register to an unknown sender, in their language."""
    setup = mail_setup()
    domain, language = to.rpartition("@")[2], _language_of(text)
    body = invitation(language, channel="email", shop_name=setup.shop_name,
                      public_base_url=setup.public_base_url)
    email = email_channel.format(
        reply=body, to=to, to_name="", from_address=setup.support_address,
        subject=email_channel.subject_for(subject, shop_name=setup.shop_name),
        shop_name=setup.shop_name, language=language, in_reply_to=message_id,
        references=references, signed=False)  # the invitation signs itself
    try:
        mail_delivery.send_unstored(email, setup.sender, domain=domain)
    except MailSendError as exc:
        if not exc.permanent:
            raise


def compose(message_id: int, setup: MailSetup) -> EmailMessage:
    """Return the email of an outbound message: to its shopper, threaded under their email."""
    reply = get_message(message_id)
    if reply is None:
        raise LookupError(f"no message {message_id}")
    conversation, shopper = reply.conversation, reply.conversation.customer
    inbound = get_message(reply.reply_to_id) if reply.reply_to_id else None
    theirs = ((inbound.meta or {}).get("email") or {}) if inbound is not None else {}
    return email_channel.format(
        reply=reply.body, to=shopper.email,
        to_name=f"{shopper.first_name} {shopper.last_name}".strip(),
        subject=email_channel.subject_for(theirs.get("subject") or conversation.subject,
                                          shop_name=setup.shop_name),
        from_address=setup.support_address, shop_name=setup.shop_name,
        language=(reply.meta or {}).get("language") or conversation.language,
        in_reply_to=theirs.get("message_id") or (inbound.channel_message_id if inbound
                                                 else None),
        references=list(theirs.get("references") or []))


def _language_of(text: str) -> str:
    """Return the language an unknown sender wrote in (the NLU's), English when unsure."""
    try:
        language = _engine().analyse(text[:2000]).language
    except Exception:  # noqa: BLE001 - an invitation in English beats no invitation
        log.warning("NLU unavailable for an invitation; it goes out in English")
        return "en"
    return i18n.language_of(language)
