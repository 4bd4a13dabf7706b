"""A staff member flags a bad AI reply with a note: an `exchange.flagged` event, which the
dashboard counts and the exchanges page shows on the reply."""

from __future__ import annotations

from automation.runtime.errors import DeskError, validation_error
from database import db, events
from database.exchanges import get_exchange
from database.models import Event, StaffUser

NOTE_CHARS = 1000


def flag_reply(message_id: int, *, staff: StaffUser, note: str) -> Event:
    """Record that `staff` finds AI reply `message_id` bad, and why; commit."""
    note = " ".join(note.split())
    if not note:
        raise validation_error({"note": "say what is wrong with this answer"})
    if len(note) > NOTE_CHARS:
        raise validation_error({"note": f"at most {NOTE_CHARS} characters"})
    exchange = get_exchange(message_id)
    if exchange is None:
        raise DeskError("not_found", "no AI reply with this id")
    reply = exchange.reply
    flag = events.record(events.EXCHANGE_FLAGGED, conversation_id=reply.conversation_id,
                         customer_id=reply.customer_id,
                         payload={"message_id": reply.id, "note": note, "staff_id": staff.id,
                                  "channel": reply.channel})
    db.session.commit()
    return flag
