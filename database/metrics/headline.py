"""The headline counts: shoppers, conversations by status, today's messages, open tickets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from database.base import db
from database.events import AGENT_BREAKER_CLOSED, AGENT_BREAKER_OPENED
from database.models import Conversation, Customer, Event, Message, Ticket
from database.models.choices import CONVERSATION_STATUSES, TICKET_PRIORITIES


def _counts_by(column: Any, keys: tuple[str, ...], *where: Any) -> dict[str, int]:
    rows = db.session.execute(select(column, func.count()).where(*where).group_by(column)).all()
    counts = dict.fromkeys(keys, 0)
    counts.update({key: count for key, count in rows if key is not None})
    return counts


def headline_figures(*, since: datetime) -> dict[str, Any]:
    """Return the headline figures: shoppers, conversations, today's messages, open tickets."""
    today = Message.created_at >= since
    messages_in = db.session.scalar(
        select(func.count()).select_from(Message).where(today, Message.direction == "in")) or 0
    messages_out = db.session.scalar(
        select(func.count()).select_from(Message).where(today, Message.direction == "out")) or 0
    ai_replies = select(Message).where(today, Message.sender == "ai").subquery()
    replies, latency, quality = db.session.execute(
        select(func.count(), func.avg(ai_replies.c.latency_ms),
               func.avg(ai_replies.c.quality))).one()
    intents = db.session.execute(
        select(Message.intent, func.count()).where(today, Message.intent.is_not(None))
        .group_by(Message.intent).order_by(func.count().desc())).all()
    breaker = db.session.scalars(
        select(Event).where(Event.kind.in_((AGENT_BREAKER_OPENED, AGENT_BREAKER_CLOSED)))
        .order_by(Event.id.desc()).limit(1)).first()
    return {
        "customers": db.session.scalar(select(func.count(Customer.id))) or 0,
        "conversations": _counts_by(Conversation.status, CONVERSATION_STATUSES),
        "messages_today": {"total": messages_in + messages_out, "inbound": messages_in,
                           "outbound": messages_out},
        "open_tickets": _counts_by(Ticket.priority, TICKET_PRIORITIES,
                                   Ticket.status.in_(("open", "pending"))),
        "ai_replies_today": replies or 0,
        "ai_latency_ms_avg": round(float(latency), 1) if latency is not None else None,
        "ai_quality_avg": round(float(quality), 1) if quality is not None else None,
        "categories_today": {intent: count for intent, count in intents},
        # Each web process has its own breaker; the latest change any of them recorded.
        "claude_breaker": None if breaker is None else {
            "state": "open" if breaker.kind == AGENT_BREAKER_OPENED else "closed",
            "since": breaker.created_at.isoformat(), "reason": breaker.payload.get("reason")},
    }
