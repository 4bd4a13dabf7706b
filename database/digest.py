"""The support lead's daily figures: what happened in a window, and what went worst."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from database import events
from database.base import db
from database.models import Conversation, Event, Message, Ticket
from database.models.choices import TICKET_PRIORITIES


def _events(kind: str, since: datetime, until: datetime) -> int:
    return db.session.scalar(select(func.count()).select_from(Event).where(
        Event.kind == kind, Event.created_at >= since, Event.created_at < until)) or 0


def window_counts(*, since: datetime, until: datetime) -> dict[str, Any]:
    """Return the counts of the window: messages, conversations, handoffs, tickets, CSAT."""
    in_window = (Message.created_at >= since, Message.created_at < until)
    by_direction = dict(db.session.execute(
        select(Message.direction, func.count()).where(*in_window)
        .group_by(Message.direction)).all())
    ratings = [row.payload.get("rating") for row in db.session.scalars(
        select(Event).where(Event.kind == events.CSAT_SUBMITTED, Event.created_at >= since,
                            Event.created_at < until))]
    ratings = [r for r in ratings if isinstance(r, int)]
    open_by_priority = dict.fromkeys(TICKET_PRIORITIES, 0)
    open_by_priority.update(dict(db.session.execute(
        select(Ticket.priority, func.count()).where(Ticket.status.in_(("open", "pending")))
        .group_by(Ticket.priority)).all()))
    breached_open = db.session.scalar(select(func.count()).select_from(Ticket).where(
        Ticket.status.in_(("open", "pending")), Ticket.sla_breached_at.is_not(None))) or 0
    return {
        "messages": {"inbound": by_direction.get("in", 0),
                     "outbound": by_direction.get("out", 0)},
        "conversations": {"started": _events(events.CONVERSATION_STARTED, since, until),
                          "closed": _events(events.CONVERSATION_CLOSED, since, until)},
        "handoffs": _events(events.HANDOFF_REQUESTED, since, until),
        "tickets": {"opened": _events(events.TICKET_CREATED, since, until),
                    "resolved": _events(events.TICKET_RESOLVED, since, until),
                    "sla_breached": _events(events.SLA_BREACHED, since, until),
                    "open_by_priority": open_by_priority, "breached_open": breached_open},
        "csat": {"count": len(ratings),
                 "average": round(sum(ratings) / len(ratings), 2) if ratings else None},
    }


def worst_rated(*, since: datetime, until: datetime, limit: int = 5) -> list[dict[str, Any]]:
    """Return the conversations rated lowest in the window (3 or less), worst first."""
    rated = db.session.scalars(
        select(Event).where(Event.kind == events.CSAT_SUBMITTED, Event.created_at >= since,
                            Event.created_at < until)).all()
    low = sorted((e for e in rated if isinstance(e.payload.get("rating"), int)
                  and e.payload["rating"] <= 3), key=lambda e: (e.payload["rating"], e.id))
    found = []
    for event in low[:limit]:
        conversation = db.session.get(Conversation, event.conversation_id)
        if conversation is None:
            continue
        last_ask = db.session.scalar(
            select(Message.body).where(Message.conversation_id == conversation.id,
                                       Message.direction == "in")
            .order_by(Message.id.desc()).limit(1))
        found.append({"conversation_id": conversation.id, "rating": event.payload["rating"],
                      "channel": conversation.channel,
                      "customer": {"name": conversation.customer.full_name,
                                   "email": conversation.customer.email},
                      "last_question": (last_ask or "")[:300]})
    return found


def lowest_quality(*, since: datetime, until: datetime, limit: int = 5) -> list[dict[str, Any]]:
    """Return the AI replies of the window with the lowest quality scores."""
    replies = db.session.scalars(
        select(Message).where(Message.sender == "ai", Message.quality.is_not(None),
                              Message.created_at >= since, Message.created_at < until)
        .order_by(Message.quality, Message.id).limit(limit)).all()
    found = []
    for reply in replies:
        question = reply.reply_to.body if reply.reply_to is not None else None
        found.append({"message_id": reply.id, "conversation_id": reply.conversation_id,
                      "quality": reply.quality, "intent": reply.intent,
                      "question": (question or "")[:300], "reply": reply.body[:300]})
    return found


def open_tickets(*, priority: str, limit: int = 20) -> list[Ticket]:
    """Return the open or pending tickets of a priority, the oldest first."""
    return list(db.session.scalars(
        select(Ticket).where(Ticket.status.in_(("open", "pending")), Ticket.priority == priority)
        .order_by(Ticket.created_at).limit(limit)))
