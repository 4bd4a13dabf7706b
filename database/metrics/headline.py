"""The headline counts: shoppers, conversations by status, today's messages, open tickets."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from database.base import db
from database.events import AGENT_BREAKER_CLOSED, AGENT_BREAKER_OPENED
from database.models import Conversation, Customer, Event, Ticket
from database.models.choices import CONVERSATION_STATUSES, TICKET_PRIORITIES


def _counts_by(column: Any, keys: tuple[str, ...], *where: Any) -> dict[str, int]:
    rows = db.session.execute(select(column, func.count()).where(*where).group_by(column)).all()
    counts = dict.fromkeys(keys, 0)
    counts.update({key: count for key, count in rows if key is not None})
    return counts


def _latest_breaker_change() -> Event | None:
    """Return the latest breaker event (opened or closed), None when there was none."""
    # The latest id of each kind, each found on the (kind, id) index: with both kinds in
    # one IN list ordered by id, PostgreSQL may walk every event backwards looking for a kind
    # that is rare or absent (330 ms at 2 M events, before ANALYZE had run).
    latest = [select(func.max(Event.id)).where(Event.kind == kind).scalar_subquery()
              for kind in (AGENT_BREAKER_OPENED, AGENT_BREAKER_CLOSED)]
    return db.session.scalars(
        select(Event).where(Event.id.in_(latest)).order_by(Event.id.desc()).limit(1)).first()


def headline_figures(*, today: dict[str, Any]) -> dict[str, Any]:
    """Return the headline figures: shoppers, conversations by status, open tickets, the
    Claude breaker, and today's messages, AI replies and topics from `today` (the figures
    of `range_figures` since midnight)."""
    breaker = _latest_breaker_change()
    messages = today["messages"]
    return {
        "customers": db.session.scalar(select(func.count(Customer.id))) or 0,
        "conversations": _counts_by(Conversation.status, CONVERSATION_STATUSES),
        "messages_today": {"total": messages["inbound"] + messages["outbound"],
                           "inbound": messages["inbound"], "outbound": messages["outbound"]},
        "open_tickets": _counts_by(Ticket.priority, TICKET_PRIORITIES,
                                   Ticket.status.in_(("open", "pending"))),
        "ai_replies_today": today["ai"]["replies"],
        "ai_latency_ms_avg": today["response_time_ms"]["ai"]["avg"],
        "ai_quality_avg": today["ai"]["quality_avg"],
        "categories_today": {intent: c["count"] for intent, c in today["categories"].items()},
        # Each web process has its own breaker; the latest change any of them recorded.
        "claude_breaker": None if breaker is None else {
            "state": "open" if breaker.kind == AGENT_BREAKER_OPENED else "closed",
            "since": breaker.created_at.isoformat(), "reason": breaker.payload.get("reason")},
    }
