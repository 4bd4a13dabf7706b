"""Whether the AI's answers solved the shopper's problem: confirmed, assumed or not.

An answer is *confirmed* when the shopper said it helped (a rating of 4 or 5, or their next
message thanks) or did not come back on the same topic (intent) within 72 hours; it is
*assumed* while those 72 hours run without news. It is *unresolved* when the shopper came back
on the same topic, rated it 1 or 2, or when the AI did not answer (handed off, did not
understand, found nothing).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from database.base import db
from database.metrics.tally import RESOLUTION, Tally
from database.models import Conversation, Message

CAME_BACK = timedelta(hours=72)
TOPICLESS = ("greeting", "thanks")          # nothing to solve
SETTLING = ("answered", "not_found", "not_understood", "handed_off")
CHUNK = 500                                  # ids per IN list
BY_TIME = timedelta(hours=6)


def classify(tally: Tally, replies: Sequence[Any], *, now: datetime) -> None:
    """Count each AI reply that settled a topic as confirmed, assumed or unresolved."""
    settled = [r for r in replies if r.intent not in TOPICLESS
               and (r.meta or {}).get("resolution") in SETTLING]
    answered = [r for r in settled if r.meta["resolution"] == "answered"]
    for reply in settled:
        if reply.meta["resolution"] != "answered":
            tally.add(reply.created_at, RESOLUTION, "unresolved")
    if not answered:
        return
    later = _later_inbound(answered, now=now)
    ratings = _ratings({r.conversation_id for r in answered})
    for reply in answered:
        tally.add(reply.created_at, RESOLUTION,
                  _outcome(reply, later.get(reply.customer_id, []), ratings, now=now))


def _outcome(reply: Any, inbound: list[Any], ratings: dict[int, int], *,
             now: datetime) -> str:
    rating = ratings.get(reply.conversation_id)
    if rating is not None and rating != 3:  # a 3 says neither: the shopper's next steps do
        return "confirmed" if rating >= 4 else "unresolved"
    after = [m for m in inbound if m.created_at > reply.created_at]
    following = next((m for m in after if m.conversation_id == reply.conversation_id), None)
    if following is not None and following.intent == "thanks":
        return "confirmed"
    deadline = reply.created_at + CAME_BACK
    if any(m.intent == reply.intent and m.created_at <= deadline for m in after):
        return "unresolved"
    return "confirmed" if now >= deadline else "assumed"


def _later_inbound(answered: list[Any], *, now: datetime) -> dict[int, list[Any]]:
    """Return the shoppers' messages from the first answer to 72 h after the last (or now),
    by shopper."""
    first = min(r.created_at for r in answered)
    last = min(max(r.created_at for r in answered) + CAME_BACK, now)
    customers = sorted({r.customer_id for r in answered})
    columns = (Message.customer_id, Message.conversation_id, Message.intent, Message.created_at)
    window = (Message.created_at > first, Message.created_at <= last, Message.direction == "in")
    order = (Message.created_at, Message.id)
    # A short span (the current hour's answers) is read by time; a long one by shopper, as
    # a few hundred shoppers' histories are fewer rows than three days of everyone's.
    if last - first <= BY_TIME:
        queries = [select(*columns).where(*window).order_by(*order)]
    else:
        queries = [select(*columns).where(Message.customer_id.in_(customers[i:i + CHUNK]),
                                          *window).order_by(*order)
                   for i in range(0, len(customers), CHUNK)]
    wanted, found = set(customers), defaultdict(list)
    for query in queries:
        for row in db.session.execute(query):
            if row.customer_id in wanted:
                found[row.customer_id].append(row)
    return found


def _ratings(conversation_ids: set[int]) -> dict[int, int]:
    ids, ratings = sorted(conversation_ids), {}
    for i in range(0, len(ids), CHUNK):
        ratings.update(db.session.execute(
            select(Conversation.id, Conversation.rating)
            .where(Conversation.id.in_(ids[i:i + CHUNK]), Conversation.rating.is_not(None))
        ).all())
    return ratings
