"""The queue for a person: its order, each shopper's place and how long they will wait.

Served most urgent first, then oldest ask first (`database.conversations.queue_order`). The
estimate comes from the people online, their free places (`max_concurrent` less what they
hold) and the rolling average handle time of the last conversations staff handled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from automation.conversations import staffing
from database import db, events
from database.conversations import queue_position, queue_positions
from database.models import Conversation, Customer, Event, Message, Order

DEFAULT_HANDLE_S = 360       # before any conversation was handled: six minutes
HANDLE_SAMPLES = 50          # the rolling average's window: the last fifty handled
REPEAT_WINDOW = timedelta(days=7)
REPEAT_BURST = timedelta(days=2)
HANDLED_KINDS = (events.CONVERSATION_CLOSED, events.CONVERSATION_HANDED_BACK,
                 events.CONVERSATION_TRANSFERRED)


@dataclass(frozen=True)
class Outlook:
    """What the queue looks like now: who can take conversations, how fast they end."""

    online: int          # staff working now (available or busy)
    slots: int           # places of those available: the sum of their max_concurrent
    free: int            # places free right now
    handle_s: float      # rolling average handle time

    def minutes(self, position: int) -> int | None:
        """Return the estimated wait of the shopper at `position`, None with nobody online."""
        if self.slots <= 0:
            return None
        if position <= self.free:
            return 1  # a free place now: as long as it takes someone to accept
        # Places free up at slots / handle_s per second; these must free up first.
        seconds = (position - self.free) * self.handle_s / self.slots
        return max(1, math.ceil(seconds / 60))


def outlook(now: datetime) -> Outlook:
    """Return the queue's outlook from the staff online now."""
    agents = staffing.online(now)
    available = [a for a in agents if a.staff.availability == "available"]
    return Outlook(online=len(agents), slots=sum(a.staff.max_concurrent for a in available),
                   free=sum(a.free for a in available), handle_s=average_handle_s())


def average_handle_s() -> float:
    """Return the average time staff held their last handled conversations, in seconds."""
    payloads = db.session.scalars(
        select(Event.payload).where(Event.kind.in_(HANDLED_KINDS))
        .order_by(Event.id.desc()).limit(HANDLE_SAMPLES * 2)).all()
    samples = [float(p["handle_s"]) for p in payloads
               if isinstance(p, dict) and isinstance(p.get("handle_s"), (int, float))
               and p["handle_s"] > 0][:HANDLE_SAMPLES]
    return sum(samples) / len(samples) if samples else float(DEFAULT_HANDLE_S)


def place(conversation: Conversation, now: datetime,
          seen: Outlook | None = None) -> tuple[int, int | None]:
    """Return a waiting conversation's place in the queue and its estimated wait."""
    position = queue_position(conversation)
    return position, (seen or outlook(now)).minutes(position)


def places(now: datetime) -> dict[int, tuple[int, int | None]]:
    """Return the place and estimate of every waiting conversation, by id."""
    seen = outlook(now)
    return {cid: (position, seen.minutes(position))
            for cid, position in queue_positions().items()}


def priority_for(*, conversation: Conversation, customer: Customer, message: Message,
                 reason: str, frustrated: bool, vip_spend: int,
                 now: datetime) -> tuple[str, list[str]]:
    """Return the priority a handoff deserves, and why.

    Urgent: a frustrated shopper, a complaint, a VIP, or a repeated contact (another
    conversation handed to a person this week, or two more in two days). High: a
    shopper whose words turned negative. Otherwise normal.
    """
    reasons = []
    if frustrated:
        reasons.append("frustrated")
    if message.intent == "complaint" or reason.lower().startswith("complaint"):
        reasons.append("complaint")
    if is_vip(customer, vip_spend=vip_spend):
        reasons.append("vip")
    if repeated_contact(customer.id, conversation_id=conversation.id, now=now):
        reasons.append("repeated_contact")
    if reasons:
        return "urgent", reasons
    if message.sentiment is not None and message.sentiment <= -0.3:
        return "high", ["negative"]
    return "normal", []


def is_vip(customer: Customer, *, vip_spend: int) -> bool:
    """Tell whether the shopper is a VIP: flagged so, or their orders reach `vip_spend`."""
    if (customer.preferences or {}).get("vip") is True:
        return True
    if vip_spend <= 0:
        return False
    totals = db.session.scalars(select(Order.total).where(
        Order.customer_id == customer.id, Order.status.not_in(("cancelled", "returned")))).all()
    return sum(totals) >= vip_spend


def repeated_contact(customer_id: int, *, conversation_id: int, now: datetime) -> bool:
    """Tell whether the shopper came back about it: another conversation handed to a person
    this week, or two more conversations in the last two days."""
    earlier = db.session.scalars(select(Conversation).where(
        Conversation.customer_id == customer_id, Conversation.id != conversation_id,
        Conversation.started_at >= now - REPEAT_WINDOW)).all()
    handed = any((c.context or {}).get("handoff") for c in earlier)
    recent = [c for c in earlier if c.started_at >= now - REPEAT_BURST]
    return handed or len(recent) >= 2


def front_of_queue(now: datetime) -> datetime:
    """Return a waiting time that puts a conversation before everyone waiting now."""
    from database.conversations import earliest_wait

    earliest = earliest_wait()
    return min(now, earliest - timedelta(seconds=1)) if earliest else now


def notice_due(last: dict[str, Any] | None, position: int, minutes: int | None,
               now: datetime) -> bool:
    """Tell whether a shopper on WhatsApp or email should hear about their place again.

    Only meaningful changes: they became next in line, or the estimate moved by half or by
    ten minutes or more (at most every five minutes); never twice the same news.
    """
    if not last:
        return True
    if position == 1 and (last.get("position") or 0) > 1:
        return True
    at = last.get("at")
    if at and now - datetime.fromisoformat(at) < timedelta(minutes=5):
        return False
    before = last.get("minutes")
    if minutes is None or before is None:
        return (minutes is None) != (before is None)
    change = abs(minutes - before)
    return change >= 10 or (change >= 2 and change >= before / 2)
