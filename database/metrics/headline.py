"""The headline counts: shoppers, conversations by status, today's messages, open tickets."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, literal, select, union_all

from database.base import db
from database.events import AGENT_BREAKER_CLOSED, AGENT_BREAKER_OPENED
from database.models import Conversation, Customer, Event, Ticket
from database.models.choices import CONVERSATION_STATUSES, TICKET_PRIORITIES


def _counts() -> dict[str, Any]:
    """Return how many shoppers there are, conversations by status and open tickets by
    priority, in one round trip."""
    rows = db.session.execute(union_all(
        select(literal("customers"), literal(""), func.count()).select_from(Customer),
        select(literal("conversations"), Conversation.status, func.count())
        .group_by(Conversation.status),
        select(literal("tickets"), Ticket.priority, func.count())
        .where(Ticket.status.in_(("open", "pending"))).group_by(Ticket.priority))).all()
    counts: dict[str, Any] = {"customers": 0,
                              "conversations": dict.fromkeys(CONVERSATION_STATUSES, 0),
                              "tickets": dict.fromkeys(TICKET_PRIORITIES, 0)}
    for figure, key, count in rows:
        if figure == "customers":
            counts["customers"] = count or 0
        elif key is not None:
            counts[figure][key] = count
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
    messages, counts = today["messages"], _counts()
    return {
        "customers": counts["customers"],
        "conversations": counts["conversations"],
        "messages_today": {"total": messages["inbound"] + messages["outbound"],
                           "inbound": messages["inbound"], "outbound": messages["outbound"]},
        "open_tickets": counts["tickets"],
        "ai_replies_today": today["ai"]["replies"],
        "ai_latency_ms_avg": today["response_time_ms"]["ai"]["avg"],
        "ai_quality_avg": today["ai"]["quality_avg"],
        "categories_today": {intent: c["count"] for intent, c in today["categories"].items()},
        # Each web process has its own breaker; the latest change any of them recorded.
        "claude_breaker": None if breaker is None else {
            "state": "open" if breaker.kind == AGENT_BREAKER_OPENED else "closed",
            "since": breaker.created_at.isoformat(), "reason": breaker.payload.get("reason")},
    }
