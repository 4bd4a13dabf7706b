"""Count the figures of a span of time, hour by hour, from the messages and events rows.

The rollup stores what this counts for finished hours; the dashboard counts the hours not
stored yet (the current one, and any the rollup has not reached) the same way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from database import events
from database.base import db
from database.metrics import resolution
from database.metrics.tally import (AI_QUALITY, AI_REPLIES, AI_TIMES, CONVERSATIONS, CSAT,
                                    ERRORS, FLAGS, HANDOFFS, INTENTS, LLM_COST, LLM_TOKENS,
                                    MESSAGES_IN, MESSAGES_OUT, STAFF_REPLIES, STAFF_TIMES,
                                    Tally)
from database.models import Event, Message

COUNTED_EVENTS = (events.CONVERSATION_STARTED, events.HANDOFF_REQUESTED, events.AGENT_ERROR,
                  events.MESSAGE_DELIVERY, events.MESSAGE_SENT, events.CSAT_SUBMITTED,
                  events.EXCHANGE_FLAGGED)
FAILED_DELIVERY = ("failed", "undelivered")
TOKEN_FIELDS = ("input_tokens", "output_tokens", "cache_creation_input_tokens",
                "cache_read_input_tokens")


def count_hours(start: datetime, end: datetime, *, now: datetime) -> Tally:
    """Count every figure of the messages and events created in [start, end), by hour."""
    tally = Tally()
    _count_messages(tally, start, end)
    replies = _count_ai_replies(tally, start, end)
    resolution.classify(tally, replies, now=now)
    _count_events(tally, start, end)
    return tally


def _count_messages(tally: Tally, start: datetime, end: datetime) -> None:
    rows = db.session.execute(
        select(Message.created_at, Message.direction, Message.channel, Message.intent)
        .where(Message.created_at >= start, Message.created_at < end,
               Message.private.is_(False)))
    for at, direction, channel, intent in rows:
        if direction == "in":
            tally.add(at, MESSAGES_IN, channel)
            if intent:
                tally.add(at, INTENTS, intent)
        else:
            tally.add(at, MESSAGES_OUT, channel)


def _count_ai_replies(tally: Tally, start: datetime, end: datetime) -> list[Any]:
    """Count the AI's reply times, fallbacks and LLM use; return the replies' rows."""
    replies = db.session.execute(
        select(Message.id, Message.created_at, Message.customer_id, Message.conversation_id,
               Message.intent, Message.latency_ms, Message.quality, Message.meta)
        .where(Message.created_at >= start, Message.created_at < end,
               Message.sender == "ai")).all()
    for reply in replies:
        at, meta = reply.created_at, reply.meta or {}
        usage = meta.get("usage") or {}
        tally.add(at, AI_REPLIES, total=reply.latency_ms or 0)
        if reply.latency_ms is not None:
            tally.time(at, AI_TIMES, reply.latency_ms)
        if reply.quality is not None:
            tally.add(at, AI_QUALITY, total=reply.quality)
        if meta.get("fallback") or usage.get("fallback_reason"):
            tally.add(at, ERRORS, "fallback")
        tokens = sum(int(usage.get(name) or 0) for name in TOKEN_FIELDS)
        if tokens:
            model = str(usage.get("model") or meta.get("agent") or "unknown")
            tally.add(at, LLM_TOKENS, model, total=tokens)
            tally.add(at, LLM_COST, model, total=float(usage.get("cost_usd") or 0.0))
    return replies


def _count_events(tally: Tally, start: datetime, end: datetime) -> None:
    # Deliveries count only when they failed: the others (one per message sent, a third of
    # the rows) stay in the database instead of having their payloads read and decoded here.
    failed_or_other = or_(Event.kind != events.MESSAGE_DELIVERY,
                          Event.payload["status"].as_string().in_(FAILED_DELIVERY))
    rows = db.session.execute(
        select(Event.created_at, Event.kind, Event.payload)
        .where(Event.kind.in_(COUNTED_EVENTS), Event.created_at >= start,
               Event.created_at < end, failed_or_other))
    for at, kind, payload in rows:
        payload = payload or {}
        if kind == events.CONVERSATION_STARTED:
            tally.add(at, CONVERSATIONS, str(payload.get("channel") or "unknown"))
        elif kind == events.HANDOFF_REQUESTED:
            tally.add(at, HANDOFFS, handoff_reason(payload))
        elif kind == events.AGENT_ERROR:
            tally.add(at, ERRORS, "agent_error")
        elif kind == events.MESSAGE_DELIVERY:
            if payload.get("status") in FAILED_DELIVERY:
                tally.add(at, ERRORS, "delivery_failed")
        elif kind == events.MESSAGE_SENT:
            if isinstance(payload.get("first_reply_s"), (int, float)):
                ms = payload["first_reply_s"] * 1000
                tally.add(at, STAFF_REPLIES, total=ms)
                tally.time(at, STAFF_TIMES, ms)
        elif kind == events.CSAT_SUBMITTED:
            if isinstance(payload.get("rating"), int):
                tally.add(at, CSAT, str(payload["rating"]), total=payload["rating"])
        elif kind == events.EXCHANGE_FLAGGED:
            tally.add(at, FLAGS)


def handoff_reason(payload: dict[str, Any]) -> str:
    """Return why a conversation went to a person, as one of a few stable words.

    The agent states its reason in free text (Claude in its own words): the dashboard groups
    them by what the shopper wanted instead.
    """
    summary = payload.get("summary") or {}
    said = str(summary.get("reason") or "").lower()
    intent = summary.get("intent")
    if said.startswith("complaint") or intent == "complaint":
        return "complaint"
    if "did not understand" in said:
        return "not_understood"
    if "asked for a person" in said or intent == "human_agent":
        return "asked_for_person"
    if "frustrated" in (payload.get("priority_reasons") or []):
        return "frustrated"
    return "other"
