"""Customer satisfaction: the shopper rates a closed conversation from 1 to 5, once."""

from __future__ import annotations

from automation.runtime.errors import DeskError
from database import db, events
from database.conversations import get_conversation, set_rating_once
from database.models import Conversation

RATINGS = range(1, 6)


def submit_rating(conversation_id: int, *, customer_id: int, rating: int) -> Conversation:
    """Store the shopper's rating of their closed conversation and commit (only once)."""
    if rating not in RATINGS:
        raise DeskError("validation_error", "rating: a whole number from 1 to 5",
                        fields={"rating": "a whole number from 1 to 5"})
    conversation = get_conversation(conversation_id)
    if conversation is None or conversation.customer_id != customer_id:
        # Someone else's conversation is not theirs to rate, nor to learn about.
        raise DeskError("not_found", f"no conversation {conversation_id}")
    if conversation.status != "closed":
        raise DeskError("conflict", "rating: the conversation is still open")
    if conversation.rating is not None:
        raise DeskError("conflict", "rating: already given")
    if not set_rating_once(conversation.id, rating):
        db.session.rollback()  # a second submission (another tab) won the race
        raise DeskError("conflict", "rating: already given")
    events.record(events.CSAT_SUBMITTED, conversation_id=conversation.id,
                  customer_id=customer_id,
                  payload={"rating": rating, "channel": conversation.channel,
                           "staff_id": conversation.assigned_staff_id})
    db.session.commit()
    return conversation
