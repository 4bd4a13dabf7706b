"""What the staff side does to a conversation: take it, write in it, hand it back, close it.

Each flow changes the conversation, records its event and commits: the shopper's chat shows
the change live (the events table feeds every process's live listener).
"""

from __future__ import annotations

from automation.runtime.errors import DeskError
from database import db, events
from database.base import utcnow
from database.conversations import add_message, get_conversation
from database.models import Conversation, Message, StaffUser
from database.staff import get_staff

MAX_AGENT_MESSAGE = 10_000


def assign(conversation_id: int, staff_id: int) -> Conversation:
    """Give the conversation to a staff member: a person now answers, the AI stands by."""
    conversation = _open_conversation(conversation_id)
    staff = _active_staff(staff_id)
    previous = conversation.assigned_staff_id
    now = utcnow()
    waited = int((now - conversation.waiting_since).total_seconds()) \
        if conversation.status == "waiting" and conversation.waiting_since else None
    conversation.status, conversation.assigned_staff_id = "active", staff.id
    events.record(events.AGENT_ASSIGNED, conversation_id=conversation.id,
                  customer_id=conversation.customer_id,
                  payload={"staff_id": staff.id, "staff_name": staff.name,
                           "previous_staff_id": previous, "waited_s": waited})
    db.session.commit()
    return conversation


def hand_back(conversation_id: int) -> Conversation:
    """Give the conversation back to the AI (the person is done, the shopper may go on)."""
    conversation = _open_conversation(conversation_id)
    staff_id = conversation.assigned_staff_id
    conversation.status, conversation.assigned_staff_id = "ai", None
    conversation.waiting_since = None
    events.record(events.CONVERSATION_HANDED_BACK, conversation_id=conversation.id,
                  customer_id=conversation.customer_id, payload={"staff_id": staff_id})
    db.session.commit()
    return conversation


def close(conversation_id: int, *, by: str = "agent", staff_id: int | None = None
          ) -> Conversation:
    """Close the conversation; the shopper is then asked to rate it."""
    conversation = _open_conversation(conversation_id)
    previous = conversation.status
    conversation.status, conversation.ended_at = "closed", utcnow()
    events.record(events.CONVERSATION_CLOSED, conversation_id=conversation.id,
                  customer_id=conversation.customer_id,
                  payload={"by": by, "staff_id": staff_id or conversation.assigned_staff_id,
                           "from_status": previous})
    db.session.commit()
    return conversation


def post_agent_message(conversation_id: int, staff_id: int, text: str) -> Message:
    """Store a staff member's message to the shopper in a conversation they hold."""
    body = (text or "").strip()
    if not body or len(body) > MAX_AGENT_MESSAGE:
        raise DeskError("validation_error", f"text: 1 to {MAX_AGENT_MESSAGE} characters",
                        fields={"text": f"1 to {MAX_AGENT_MESSAGE} characters"})
    conversation = _open_conversation(conversation_id)
    staff = _active_staff(staff_id)
    if conversation.status != "active" or conversation.assigned_staff_id != staff.id:
        raise DeskError("forbidden", "only the staff member holding it writes in a conversation")
    now = utcnow()
    message = add_message(conversation_id=conversation.id, channel=conversation.channel,
                          direction="out", sender="agent", staff_id=staff.id, body=body,
                          created_at=now, meta={"staff_name": staff.name})
    conversation.last_message_at = now
    db.session.flush()
    events.record(events.MESSAGE_SENT, conversation_id=conversation.id,
                  customer_id=conversation.customer_id,
                  payload={"message_id": message.id, "staff_id": staff.id,
                           "channel": conversation.channel, "chars": len(body)})
    db.session.commit()
    return message


def _open_conversation(conversation_id: int) -> Conversation:
    conversation = get_conversation(conversation_id)
    if conversation is None:
        raise DeskError("not_found", f"no conversation {conversation_id}")
    if conversation.status == "closed":
        raise DeskError("conflict", f"conversation {conversation_id} is closed")
    return conversation


def _active_staff(staff_id: int) -> StaffUser:
    staff = get_staff(staff_id)
    if staff is None or not staff.active:
        raise DeskError("not_found", f"no active staff member {staff_id}")
    return staff
