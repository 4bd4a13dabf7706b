"""Months of realistic support history in bulk, for load tests and the dashboard at scale.

Shoppers write on every channel at daytime peaks; the AI answers each message (local agent
mostly, Claude for some, with tokens and cost), some conversations go to a person (queue wait,
staff replies, a rating), and every step has its events, as the engine would record them.
Rows go in by Core `executemany` in batches (ids come back with RETURNING), committed per
batch: a million messages take minutes, not hours.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert

from database import events
from database.base import db
from database.models import Conversation, Customer, Event, Message

CHANNELS = (("web", 45), ("whatsapp", 30), ("email", 15), ("api", 10))
INTENTS = (("order_status", 30), ("delivery_info", 12), ("return_refund", 10),
           ("cancel_order", 7), ("modify_order", 5), ("product_info", 9), ("payment", 5),
           ("invoice", 4), ("account", 4), ("complaint", 4), ("human_agent", 3),
           ("greeting", 4), ("other", 3))
HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 4, 7, 10, 12, 12, 11, 10, 11, 12, 12, 11, 10, 9, 9, 8, 6, 4, 2)
CLAUDE_MODEL = "claude-sonnet-4-5"
CONVERSATIONS_PER_BATCH = 2000
LONGEST = timedelta(hours=2)  # a conversation's first message to its last, at most
# Every row of a batch names the same columns: one INSERT statement serves the whole batch.
MESSAGE_COLUMNS = dict.fromkeys(("intent", "sentiment", "confidence", "latency_ms", "quality",
                                 "delivery_status", "answered_at"))


@dataclass(frozen=True)
class BulkSummary:
    """What `generate()` added."""

    customers: int
    conversations: int
    messages: int
    events: int


def generate(*, messages: int, now: datetime, span: timedelta = timedelta(days=30),
             seed: int = 7,
             cost_usd: Callable[[str, dict[str, int]], float | None] = lambda _m, _u: None,
             progress: Callable[[int], None] = lambda _n: None) -> BulkSummary:
    """Add about `messages` messages (and their conversations, shoppers and events) spread
    over the `span` before `now` (by the hour of day when it covers days); commit batch by
    batch."""
    rng = random.Random(seed)
    tag = f"{seed}-{int(now.timestamp())}"
    shoppers = _shoppers(max(20, messages // 40), tag=tag, now=now - span - timedelta(days=1))
    made = BulkSummary(len(shoppers), 0, 0, 0)
    while made.messages < messages:
        plans = [_plan(rng, shoppers, now=now, span=span)
                 for _ in range(CONVERSATIONS_PER_BATCH)]
        plans = _fit(plans, messages - made.messages)
        added_messages, added_events = _insert(plans, rng, cost_usd=cost_usd)
        db.session.commit()
        made = BulkSummary(made.customers, made.conversations + len(plans),
                           made.messages + added_messages, made.events + added_events)
        progress(made.messages)
    return made


def _shoppers(count: int, *, tag: str, now: datetime) -> list[int]:
    rows = [{"first_name": f"Bulk{i}", "last_name": "Shopper",
             "email": f"bulk-{tag}-{i}@example.test", "language": ("fr", "en", "pt")[i % 3],
             "created_at": now, "updated_at": now} for i in range(count)]
    customers = Customer.__table__
    ids = list(db.session.scalars(
        insert(customers).returning(customers.c.id, sort_by_parameter_order=True), rows))
    db.session.commit()
    return ids


@dataclass
class _Plan:
    customer_id: int
    channel: str
    intent: str
    started: datetime
    exchanges: int
    handoff: bool
    thanks: bool
    rating: int | None


def _plan(rng: random.Random, shoppers: list[int], *, now: datetime,
          span: timedelta) -> _Plan:
    if span < timedelta(days=1):  # a busy stretch: its conversations still under way
        started = now - span * rng.random()
    else:
        day = rng.randrange(span.days)
        hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        started = (now - timedelta(days=day)).replace(hour=hour, minute=rng.randrange(60),
                                                      second=rng.randrange(60), microsecond=0)
        if started > now - LONGEST:  # every message of the history is in the past
            started -= timedelta(days=1)
    intent = rng.choices([i for i, _ in INTENTS], weights=[w for _, w in INTENTS])[0]
    handoff = intent in ("human_agent", "complaint") or rng.random() < 0.05
    return _Plan(customer_id=rng.choice(shoppers),
                 channel=rng.choices([c for c, _ in CHANNELS], weights=[w for _, w in CHANNELS])[0],
                 intent=intent, started=started, exchanges=rng.choice((1, 1, 2, 2, 3)),
                 handoff=handoff, thanks=rng.random() < 0.25,
                 rating=rng.choice((5, 5, 4, 4, 3, 2, 1)) if rng.random() < 0.3 else None)


def _fit(plans: list[_Plan], left: int) -> list[_Plan]:
    """Keep the plans whose messages fit in what is left to make (at least one plan)."""
    kept, total = [], 0
    for plan in plans:
        size = _size(plan)
        if kept and total + size > left:
            break
        kept.append(plan)
        total += size
    return kept


def _size(plan: _Plan) -> int:
    return 2 * plan.exchanges + (2 if plan.thanks else 0) + (2 if plan.handoff else 0)


def _insert(plans: list[_Plan], rng: random.Random, *,
            cost_usd: Callable[[str, dict[str, int]], float | None]) -> tuple[int, int]:
    conversations = Conversation.__table__
    conversation_ids = list(db.session.scalars(
        insert(conversations).returning(conversations.c.id, sort_by_parameter_order=True),
        [{"customer_id": p.customer_id, "channel": p.channel, "status": "closed",
          "language": "fr", "started_at": p.started, "last_message_at": p.started,
          "ended_at": p.started + timedelta(minutes=30), "rating": p.rating, "context": {}}
         for p in plans]))
    rows: list[dict[str, Any]] = []
    for plan, conversation_id in zip(plans, conversation_ids, strict=True):
        rows.extend(_messages(plan, conversation_id, rng, cost_usd=cost_usd))
    messages = Message.__table__
    message_ids = list(db.session.scalars(
        insert(messages).returning(messages.c.id, sort_by_parameter_order=True),
        [{**MESSAGE_COLUMNS, "metadata": row["meta"],
          **{k: v for k, v in row.items() if not k.startswith("_") and k != "meta"}}
         for row in rows]))
    trail: list[dict[str, Any]] = []
    for plan, conversation_id in zip(plans, conversation_ids, strict=True):
        trail.extend(_conversation_events(plan, conversation_id, rng))
    for row, message_id in zip(rows, message_ids, strict=True):
        trail.extend(_message_events(row, message_id, rng))
    db.session.execute(insert(Event.__table__), trail)
    return len(rows), len(trail)


def _messages(plan: _Plan, conversation_id: int, rng: random.Random, *,
              cost_usd: Callable[[str, dict[str, int]], float | None]) -> list[dict[str, Any]]:
    rows, at = [], plan.started
    common = {"conversation_id": conversation_id, "customer_id": plan.customer_id,
              "channel": plan.channel}
    asks = [plan.intent] * plan.exchanges + (["thanks"] if plan.thanks else [])
    for turn, intent in enumerate(asks):
        rows.append({**common, "direction": "in", "sender": "customer", "intent": intent,
                     "body": f"({intent})", "sentiment": round(rng.uniform(-0.6, 0.8), 2),
                     "confidence": round(rng.uniform(0.55, 0.99), 3), "created_at": at,
                     "answered_at": at, "meta": {}})
        claude = rng.random() < 0.2
        latency = int(rng.lognormvariate(math.log(2200 if claude else 60), 0.5))
        at += timedelta(milliseconds=latency)
        handed = plan.handoff and turn == plan.exchanges - 1
        resolution = ("handed_off" if handed
                      else "answered" if turn >= plan.exchanges - 1 else "asked")
        meta: dict[str, Any] = {"agent": "claude" if claude else "local",
                                "resolution": resolution, "fallback": rng.random() < 0.005}
        if claude:
            usage = {"input_tokens": rng.randrange(900, 4000),
                     "output_tokens": rng.randrange(60, 400)}
            meta["usage"] = {"model": CLAUDE_MODEL, **usage,
                             "cost_usd": cost_usd(CLAUDE_MODEL, usage)}
        rows.append({**common, "direction": "out", "sender": "ai", "intent": intent,
                     "body": "(reply)", "latency_ms": latency, "quality": rng.randrange(40, 100),
                     "delivery_status": "delivered", "created_at": at, "meta": meta,
                     "_handoff": resolution == "handed_off"})
        at += timedelta(seconds=rng.randrange(20, 600))
    if plan.handoff:
        wait = rng.randrange(30, 1800)
        at += timedelta(seconds=wait)
        rows.append({**common, "direction": "out", "sender": "agent", "body": "(staff reply)",
                     "delivery_status": "delivered", "created_at": at, "meta": {},
                     "_first_reply_s": wait + rng.randrange(5, 120)})
        at += timedelta(seconds=rng.randrange(30, 300))
        rows.append({**common, "direction": "in", "sender": "customer", "intent": "thanks",
                     "body": "(thanks)", "created_at": at, "meta": {}})
    return rows


def _message_events(row: dict[str, Any], message_id: int,
                    rng: random.Random) -> list[dict[str, Any]]:
    base = {"conversation_id": row["conversation_id"], "customer_id": row["customer_id"],
            "created_at": row["created_at"], "level": "info"}
    payload = {"message_id": message_id, "channel": row["channel"]}
    if row["direction"] == "in":
        return [{**base, "kind": events.MESSAGE_RECEIVED, "payload": {**payload, "chars": 40}}]
    trail = []
    if row["sender"] == "ai":
        trail.append({**base, "kind": events.MESSAGE_REPLIED,
                      "payload": {**payload, "intent": row["intent"],
                                  "latency_ms": row["latency_ms"], "quality": row["quality"],
                                  "agent": row["meta"]["agent"],
                                  "handoff": row["_handoff"]}})
        if row["_handoff"]:
            trail.append({**base, "kind": events.HANDOFF_REQUESTED, "payload": {
                "summary": {"reason": "shopper asked for a person", "intent": row["intent"]},
                "priority": "normal", "priority_reasons": [], "channel": row["channel"]}})
    else:
        trail.append({**base, "kind": events.MESSAGE_SENT,
                      "payload": {**payload, "first_reply": True,
                                  "first_reply_s": row["_first_reply_s"]}})
    failed = rng.random() < 0.003
    trail.append({**base, "kind": events.MESSAGE_DELIVERY, "level": "error" if failed else "info",
                  "payload": {**payload, "status": "failed" if failed else "delivered",
                              "provider": row["channel"]}})
    return trail


def _conversation_events(plan: _Plan, conversation_id: int,
                         rng: random.Random) -> list[dict[str, Any]]:
    base = {"conversation_id": conversation_id, "customer_id": plan.customer_id,
            "level": "info"}
    ended = plan.started + timedelta(minutes=30)
    trail = [{**base, "kind": events.CONVERSATION_STARTED, "created_at": plan.started,
              "payload": {"channel": plan.channel}},
             {**base, "kind": events.CONVERSATION_CLOSED, "created_at": ended,
              "payload": {"by": "staff" if plan.handoff else "idle", "channel": plan.channel,
                          "handle_s": rng.randrange(120, 900) if plan.handoff else None}}]
    if rng.random() < 0.002:
        trail.append({**base, "kind": events.AGENT_ERROR, "level": "error",
                      "created_at": plan.started, "payload": {"agent": "claude",
                                                              "reason": "overloaded"}})
    if plan.rating is not None:
        trail.append({**base, "kind": events.CSAT_SUBMITTED, "created_at": ended,
                      "payload": {"rating": plan.rating, "channel": plan.channel,
                                  "via": "web"}})
    return trail
