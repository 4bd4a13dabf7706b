"""What staff write in a conversation: replies to the shopper, private notes, retries.

A reply is stored first, its event recorded, committed, then handed to the one delivery job
(`channels.delivery.deliver`) that sends it on the conversation's channel and records how it
went. A private note is stored and never delivered. On WhatsApp, past Meta's 24-hour window
a reply can only leave inside a pre-approved template: the reply is stored with the template
to use, or refused when none is configured.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from automation.conversations.staff_side import StaffSide
from automation.runtime.errors import DeskError
from database import db, events
from database.base import utcnow
from database.conversations import (add_message, get_conversation, latest_inbound,
                                    staff_replied_since)
from database.models import Conversation, Message, StaffUser
from database.staff import get_staff

MAX_AGENT_MESSAGE = 10_000
WHATSAPP_WINDOW = timedelta(hours=24)
SUPERVISING = ("supervisor", "admin")


@dataclass(frozen=True)
class Window:
    """Whether WhatsApp lets a free-form message reach the shopper now."""

    open: bool
    last_inbound_at: datetime | None
    template: dict[str, str] | None   # what carries a reply when the window is closed

    @property
    def needs_template(self) -> bool:
        return not self.open


def whatsapp_window(conversation: Conversation, *, now: datetime,
                    setup: StaffSide) -> Window | None:
    """Return the state of Meta's customer-service window (None off WhatsApp)."""
    if conversation.channel != "whatsapp":
        return None
    inbound = latest_inbound(conversation.id)
    last = inbound.created_at if inbound else None
    is_open = last is not None and now - last < WHATSAPP_WINDOW
    return Window(is_open, last, setup.whatsapp_template)


def post_agent_message(conversation_id: int, staff_id: int, text: str, *,
                       private: bool = False, setup: StaffSide | None = None,
                       now: datetime | None = None) -> Message:
    """Store a staff member's reply (or private note), commit, and deliver the reply.

    A reply needs the conversation to be theirs; a note may go on any conversation.
    """
    now = now or utcnow()
    body = (text or "").strip()
    if not body or len(body) > MAX_AGENT_MESSAGE:
        raise DeskError("validation_error", f"body: 1 to {MAX_AGENT_MESSAGE} characters",
                        fields={"body": f"1 to {MAX_AGENT_MESSAGE} characters"})
    conversation = get_conversation(conversation_id)
    if conversation is None:
        raise DeskError("not_found", f"no conversation {conversation_id}")
    staff = get_staff(staff_id)
    if staff is None or not staff.active:
        raise DeskError("not_found", f"no active staff member {staff_id}")
    if private:
        return _note(conversation, staff, body, now=now)
    if conversation.status == "closed":
        raise DeskError("conflict", f"conversation {conversation_id} is closed")
    if conversation.status != "active" or conversation.assigned_staff_id != staff.id:
        raise DeskError("forbidden", "only the staff member holding it writes in a conversation")
    meta: dict = {"staff_name": staff.name}
    window = whatsapp_window(conversation, now=now, setup=setup or StaffSide())
    if window is not None and window.needs_template:
        if window.template is None:
            raise DeskError("conflict", "the shopper last wrote on WhatsApp more than 24 hours "
                                        "ago and no template is configured")
        meta["whatsapp_template"] = window.template
    first = not staff_replied_since(conversation.id, conversation.assigned_at)
    message = add_message(conversation_id=conversation.id, channel=conversation.channel,
                          direction="out", sender="agent", staff_id=staff.id, body=body,
                          created_at=now, meta=meta)
    conversation.last_message_at = now
    db.session.flush()
    payload = {"message_id": message.id, "staff_id": staff.id, "team": staff.team,
               "channel": conversation.channel, "chars": len(body),
               "template": bool(meta.get("whatsapp_template"))}
    if first:
        handoff = (conversation.context or {}).get("handoff") or {}
        asked = handoff.get("requested_at")
        payload["first_reply"] = True
        payload["since_assigned_s"] = _seconds(conversation.assigned_at, now)
        payload["first_reply_s"] = _seconds(datetime.fromisoformat(asked), now) \
            if asked else payload["since_assigned_s"]
    events.record(events.MESSAGE_SENT, conversation_id=conversation.id,
                  customer_id=conversation.customer_id, payload=payload)
    db.session.commit()
    _deliver(message.id)
    return message


def retry(message_id: int, *, actor: StaffUser | None, setup: StaffSide | None = None,
          now: datetime | None = None) -> Message:
    """Try again to deliver an outgoing message that failed, and commit."""
    now = now or utcnow()
    message = db.session.get(Message, message_id)
    if message is None or message.direction != "out" or message.private:
        raise DeskError("not_found", f"no outgoing message {message_id}")
    if message.delivery_status not in ("failed", "undelivered", "not_sent"):
        raise DeskError("conflict", "only a message that was not delivered is sent again")
    conversation = message.conversation
    if actor is not None and actor.role not in SUPERVISING and conversation.status == "active" \
            and conversation.assigned_staff_id not in (None, actor.id):
        raise DeskError("forbidden", "another staff member holds this conversation")
    window = whatsapp_window(conversation, now=now, setup=setup or StaffSide())
    meta = dict(message.meta or {})
    if window is not None and message.sender == "agent":
        # Time passed since it was written: the window may have closed (Meta's 131047).
        if window.needs_template and window.template is not None:
            meta["whatsapp_template"] = window.template
        elif window.open:
            meta.pop("whatsapp_template", None)
    message.meta = meta
    before = message.delivery_status
    # "failed" is the status `delivery.claim` takes again; the others are set back to it.
    message.delivery_status = "failed"
    events.record(events.MESSAGE_RETRIED, conversation_id=conversation.id,
                  customer_id=conversation.customer_id,
                  payload={"message_id": message.id, "from_status": before,
                           "by_staff_id": actor.id if actor else None,
                           "channel": conversation.channel})
    db.session.commit()
    _deliver(message.id)
    db.session.refresh(message)
    return message


def _note(conversation: Conversation, staff: StaffUser, body: str, *,
          now: datetime) -> Message:
    note = add_message(conversation_id=conversation.id, channel=conversation.channel,
                       direction="out", sender="agent", staff_id=staff.id, body=body,
                       private=True, created_at=now, meta={"staff_name": staff.name})
    db.session.flush()
    events.record(events.NOTE_ADDED, conversation_id=conversation.id,
                  customer_id=conversation.customer_id,
                  payload={"message_id": note.id, "staff_id": staff.id, "chars": len(body)})
    db.session.commit()
    return note


def _seconds(since: datetime | None, now: datetime) -> int | None:
    return max(0, int((now - since).total_seconds())) if since else None


def _deliver(message_id: int) -> None:
    from automation.channels.delivery import deliver

    deliver(message_id)
