"""When nobody can answer: opening hours, the team's presence, and leaving a message.

A shopper who asks for a person while the team is away (outside opening hours, or nobody
online) is told so, still queued (someone may come back), offered to leave a message — which
becomes a ticket the team answers later — and the AI keeps answering in the meantime.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from automation.runtime import i18n
from automation.runtime.i18n import N_

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LEAVE_A_MESSAGE = N_("Leave a message")
WRITE_IT = N_("Of course, {name}: write your message in one go, with your order number if "
              "it is about an order, and I'll pass it on to the team. They will answer you "
              "here as soon as they are back.")
LEFT = N_("Thank you, {name}. Your message is with the team as ticket {ticket}: they will "
          "answer you as soon as they are back. Meanwhile I'm still here if you need "
          "anything.")


@dataclass(frozen=True)
class TeamStatus:
    """Whether a person can answer now."""

    open: bool                 # inside opening hours (always, when none are set)
    online: int                # staff working now
    reopens_at: datetime | None = None

    @property
    def away(self) -> bool:
        return not self.open or self.online == 0


def is_open(hours: dict[str, Any], now: datetime) -> bool:
    """Tell whether `now` falls within the shop's opening hours ({} means always)."""
    if not hours:
        return True
    local = now.astimezone(ZoneInfo(hours.get("timezone") or "UTC"))
    span = (hours.get("days") or {}).get(DAYS[local.weekday()])
    if not span:
        return False
    opens, closes = (time.fromisoformat(value) for value in span)
    return opens <= local.time().replace(tzinfo=None) < closes


def next_opening(hours: dict[str, Any], now: datetime) -> datetime | None:
    """Return when the desk opens next (None when always open or never)."""
    if not hours or not hours.get("days"):
        return None
    zone = ZoneInfo(hours.get("timezone") or "UTC")
    local = now.astimezone(zone)
    for ahead in range(0, 8):
        day = local.date() + timedelta(days=ahead)
        span = hours["days"].get(DAYS[day.weekday()])
        if not span:
            continue
        opening = datetime.combine(day, time.fromisoformat(span[0]), tzinfo=zone)
        if opening > local:
            return opening
    return None


def team_status(*, hours: dict[str, Any], online: int, now: datetime) -> TeamStatus:
    """Return whether someone can answer now, and when the desk reopens."""
    open_now = is_open(hours, now)
    return TeamStatus(open=open_now, online=online,
                      reopens_at=None if open_now else next_opening(hours, now))


@dataclass(frozen=True)
class Left:
    """The desk's answer to a turn of leaving a message."""

    text: str
    intent: str
    ticket: Any = None
    actions: list[dict[str, Any]] = field(default_factory=list)


def leave_message_turn(message: Any, conversation: Any, customer: Any, *, nlu: Any,
                       language: str, category: dict[str, str], now: datetime) -> Left:
    """Ask for the message, or turn it into a ticket and leave the queue (no commit)."""
    from automation.tickets.flows import open_ticket
    from automation.tickets.policy import ticket_priority
    from database import events

    context = dict(conversation.context or {})
    if asks_to_leave_message(message.body):
        conversation.context = {**context, "leaving_message": True}
        return Left(i18n.text(language, WRITE_IT, name=customer.first_name), "human_agent")
    handoff = context.get("handoff") or {}
    intent = handoff.get("intent") or nlu.intent
    ticket = open_ticket(customer=customer, conversation=conversation,
                         title=message.body.splitlines()[0][:120] or "Message left",
                         description=f"{message.body}\n\n— {handoff.get('reason') or ''}",
                         category=category.get(intent, "other"),
                         priority=ticket_priority(message.body, intent=intent,
                                                  frustrated=nlu.frustrated,
                                                  sentiment=nlu.sentiment), now=now)
    waited = int((now - conversation.waiting_since).total_seconds()) \
        if conversation.waiting_since else None
    context.pop("leaving_message", None)
    conversation.context = context
    conversation.status, conversation.waiting_since = "ai", None
    events.record(events.QUEUE_LEFT, conversation_id=conversation.id, customer_id=customer.id,
                  ticket_id=ticket.id,
                  payload={"reason": "left_message", "ticket": ticket.reference,
                           "waited_s": waited, "channel": conversation.channel})
    return Left(i18n.text(language, LEFT, name=customer.first_name, ticket=ticket.reference),
                nlu.intent, ticket,
                [{"type": "ticket.created", "ticket": ticket.reference,
                  "priority": ticket.priority}, {"type": "queue.left"}])


def asks_to_leave_message(text: str) -> bool:
    """Tell whether the shopper chose "Leave a message" (in any of the desk's languages)."""
    said = _plain(text)
    return bool(said) and any(said == _plain(i18n.text(language, LEAVE_A_MESSAGE))
                              for language in i18n.LANGUAGES)


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", (text or "").lower().strip(" \t\n.!?¡¿"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))
