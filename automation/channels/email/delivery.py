"""Delivering an outgoing email: keep its rendered copy, send it, record how it went.

The rendered copy is stored on the outbound message before the first attempt, so retries send
the very same email (same Message-ID) and staff can read it in the outbox whatever happens.
"""

from __future__ import annotations

from email import message_from_string
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

from automation.runtime.errors import DeskError
from automation.channels.email.smtp import MailSender, MailSendError
from database import db, events
from database.email_messages import get_message
from database.models import Message

QUEUED, FAILED = "queued", "failed"
DONE = ("sent", "outbox")


def is_rendered(message_id: int) -> bool:
    """Tell whether the outbound message already has its email rendered."""
    message = get_message(message_id)
    return message is not None and "raw" in (message.meta or {}).get("email", {})


def keep_rendered(message_id: int, rendered: dict[str, Any]) -> None:
    """Store the rendered email on its outbound message (queued for sending), and commit."""
    message = _outbound(message_id)
    message.channel_message_id = rendered["message_id"]  # replies thread back through it
    message.meta = {**(message.meta or {}), "email": rendered,
                    "email_message_id": rendered["message_id"]}
    message.delivery_status = QUEUED
    db.session.commit()


def deliver(message_id: int, sender: MailSender) -> str:
    """Send a rendered outbound email once; mark it sent, outbox or failed, and commit."""
    message = _outbound(message_id)
    if message.delivery_status in DONE:
        return message.delivery_status  # a retried job after a success sends nothing twice
    email = message_from_string(message.meta["email"]["raw"], policy=default_policy)
    conversation = message.conversation
    attempts = int((message.meta or {}).get("email_attempts", 0)) + 1
    try:
        status = sender.send(email)  # type: ignore[arg-type]
    except MailSendError as exc:
        message.delivery_status = FAILED
        message.meta = {**message.meta, "email_attempts": attempts,
                        "email_error": {"error": str(exc), "permanent": exc.permanent}}
        events.record(events.EMAIL_SEND_FAILED, level="error" if exc.permanent else "warning",
                      conversation_id=conversation.id, customer_id=conversation.customer_id,
                      payload={"message_id": message.id, "error": str(exc),
                               "permanent": exc.permanent, "attempt": attempts,
                               "sender": sender.name})
        db.session.commit()
        raise
    message.delivery_status = status
    meta = {k: v for k, v in message.meta.items() if k != "email_error"}
    message.meta = {**meta, "email_attempts": attempts}
    events.record(events.MESSAGE_DELIVERY, conversation_id=conversation.id,
                  customer_id=conversation.customer_id,
                  payload={"message_id": message.id, "channel": "email", "status": status,
                           "sender": sender.name})
    db.session.commit()
    return status


def send_unstored(email: EmailMessage, sender: MailSender, *, domain: str) -> str:
    """Send an email that belongs to no conversation (an invitation); note a failure."""
    try:
        return sender.send(email)
    except MailSendError as exc:
        events.record(events.EMAIL_SEND_FAILED, level="warning",
                      payload={"domain": domain, "error": str(exc), "kind": "invitation",
                               "permanent": exc.permanent, "sender": sender.name})
        db.session.commit()
        raise


def _outbound(message_id: int) -> Message:
    message = get_message(message_id)
    if message is None or message.direction != "out" or message.channel != "email":
        raise DeskError("not_found", f"no outgoing email {message_id}")
    return message
