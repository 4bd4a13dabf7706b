"""The one way out: every stored outgoing message is handed to its channel by `deliver`.

An AI reply, a staff reply, a satisfaction prompt or a notification is stored first; then the
`deliver(message_id)` job hands it to the conversation's channel adapter (web, API, WhatsApp,
email), which sends it and says how it went. One attempt runs at a time (a conditional
UPDATE claims the message), a failed attempt is visible and tried again, and providers'
later reports (`delivered`, `read`, `failed`) only ever move a status forward.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, Protocol

from flask import current_app
from sqlalchemy import or_, select, update

from automation.channels.results import SendError, SendResult
from automation.runtime import jobs
from database import db, events
from database.base import utcnow
from database.models import Message

log = logging.getLogger(__name__)

# How far along each status is. "failed" ranks below "read": a read message was delivered.
RANK = {"sending": 0, "not_sent": 1, "queued": 1, "accepted": 1, "outbox": 2, "sent": 3,
        "delivered": 4, "undelivered": 5, "failed": 5, "read": 6}
RETRYABLE = (None, "queued", "failed")
STUCK_AFTER = timedelta(minutes=5)  # an attempt "sending" this long died with its worker


class Channel(Protocol):
    """A channel adapter: sends one stored outgoing message the channel's way."""

    name: str

    def send(self, message: Message) -> SendResult:
        """Send the message; raise SendError when the provider refuses or is unreachable."""
        ...


@jobs.job(retries=4, retry_delay=30, retry_backoff=2)
def deliver(message_id: int) -> None:
    """Hand one stored outgoing message to its channel (once), and record how it went."""
    if not claim(message_id):
        return  # delivered already, or another attempt is under way
    message = db.session.get(Message, message_id)
    channel: Channel = current_app.extensions["channels"].for_message(message)
    try:
        result = channel.send(message)
    except SendError as exc:
        failed(message_id, provider=channel.name, reason=str(exc), permanent=exc.permanent)
        if not exc.permanent:
            raise  # the job queue tries again later; the status says "failed" meanwhile
        return
    sent(message_id, provider=channel.name, result=result)


def claim(message_id: int, *, now: datetime | None = None, commit: bool = True) -> bool:
    """Claim an outgoing message for one delivery attempt, and commit; False if taken.

    `commit=False` leaves the claim in the open transaction, for a caller that records the
    outcome at once (nothing leaves the process in between).
    """
    now = now or utcnow()
    claimed = db.session.execute(
        update(Message)
        .where(Message.id == message_id, Message.direction == "out",
               or_(Message.delivery_status.is_(None),
                   Message.delivery_status.in_([s for s in RETRYABLE if s]),
                   (Message.delivery_status == "sending")
                   & (Message.delivery_attempt_at < now - STUCK_AFTER)))
        .values(delivery_status="sending", delivery_attempt_at=now)
        .execution_options(synchronize_session=False))
    if commit:
        db.session.commit()
    return claimed.rowcount == 1


def sent(message_id: int, *, provider: str, result: SendResult) -> None:
    """Record what the channel said of a message it took (or could not send), and commit."""
    message = db.session.get(Message, message_id)
    db.session.refresh(message)
    if result.provider_id is not None:
        message.channel_message_id = result.provider_id
    message.delivery_status = None  # our "sending" mark gives way to the channel's word
    meta = {k: v for k, v in (message.meta or {}).items() if k != "delivery_error"}
    attempts = int(meta.get("delivery_attempts", 0)) + 1
    message.meta = {**meta, "delivery_attempts": attempts, "delivered_by": provider}
    level = "warning" if result.status == "not_sent" else "info"
    detail = {"reason": result.detail} if result.detail else {}
    _move(message, result.status, provider=provider, detail=detail, level=level)
    db.session.commit()


def failed(message_id: int, *, provider: str, reason: str, permanent: bool) -> None:
    """Record a failed attempt, visible to staff and tried again unless permanent; commit."""
    message = db.session.get(Message, message_id)
    db.session.refresh(message)
    attempts = int((message.meta or {}).get("delivery_attempts", 0)) + 1
    message.meta = {**(message.meta or {}), "delivery_attempts": attempts,
                    "delivery_error": {"error": reason[:500], "permanent": permanent,
                                       "attempt": attempts}}
    message.delivery_status = "failed"
    log.warning("message %s not delivered by %s (attempt %s): %s", message_id, provider,
                attempts, reason)
    _record(message, provider=provider, level="error" if permanent else "warning",
            detail={"error": reason[:500], "permanent": permanent, "attempt": attempts})
    db.session.commit()


def in_response(message_id: int, *, provider: str) -> bool:
    """Claim a reply that travels in the webhook's own answer (TwiML, the API's JSON) and
    record it sent, in one commit; False if taken."""
    # Nothing is sent in between, so the claim needs no commit of its own: one write, not two.
    if not claim(message_id, commit=False):
        db.session.rollback()
        return False
    sent(message_id, provider=provider, result=SendResult(provider_id=None, status="sent"))
    return True


def apply_status(*, provider: str, provider_id: str, status: str,
                 at: datetime | None = None, errors: list[dict[str, Any]] | None = None) -> bool:
    """Apply one provider status report to the message it is about; commit.

    Return False when it changes nothing: an unknown message or a status seen before.
    """
    query = select(Message).where(Message.direction == "out",
                                  Message.channel_message_id == provider_id)
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update()  # two reports about one message at once: one waits
    message = db.session.scalar(query)
    if message is None:
        db.session.rollback()
        log.debug("status %s for unknown message %s", status, provider_id)
        return False
    seen = dict((message.meta or {}).get("statuses") or {})
    if status in seen:
        db.session.rollback()
        return False
    seen[status] = at.isoformat() if at else None
    meta = {**(message.meta or {}), "statuses": seen}
    if errors:
        meta["delivery_errors"] = errors[:5]
    message.meta = meta
    detail: dict[str, Any] = {"reported": status}
    if errors:
        detail["errors"] = [{"code": e.get("code"), "title": e.get("title")} for e in errors[:5]]
    _move(message, status, provider=provider, detail=detail,
          level="error" if status in ("failed", "undelivered") else "info")
    db.session.commit()
    return True


def _move(message: Message, status: str, *, provider: str, detail: dict[str, Any],
          level: str = "info") -> None:
    """Move the message's status forward (never back) and record the report as an event."""
    current = message.delivery_status
    if current is None or RANK.get(status, 0) >= RANK.get(current, 0):
        message.delivery_status = status
    _record(message, provider=provider, level=level, detail=detail)


def _record(message: Message, *, provider: str, level: str, detail: dict[str, Any]) -> None:
    events.record(events.MESSAGE_DELIVERY, level=level,
                  conversation_id=message.conversation_id, customer_id=message.customer_id,
                  payload={"message_id": message.id, "channel": message.channel,
                           "provider": provider, "status": message.delivery_status,
                           "sender": message.sender, **detail})
