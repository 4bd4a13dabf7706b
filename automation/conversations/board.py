"""What staff look at: the queue, their conversations, the team, one conversation in full.

Read-only: plain rows built from a few queries, for the workspace's panes and the staff API.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from automation.conversations import queue, staffing
from automation.conversations.staffing import Agent
from database import db
from database.conversations import (active_conversations, customer_conversations,
                                    last_messages, latest_intents, queue_order, recent_messages,
                                    waiting_queue)
from database.models import Conversation, Event, Message, StaffUser, Ticket
from database.staff import list_team

STATUSES = ("waiting", "active", "ai", "closed")
TIMELINE_KINDS = ("handoff.requested", "agent.assigned", "conversation.transferred",
                  "conversation.handed_back", "conversation.requeued", "conversation.closed",
                  "queue.left", "queue.escalated", "csat.submitted")


@dataclass
class Row:
    """One conversation in a list."""

    conversation: Conversation
    position: int | None = None
    minutes: int | None = None
    assignee: StaffUser | None = None
    last: Message | None = None
    intent: str | None = None
    sentiment: float | None = None
    asked: Message | None = None      # the shopper's latest words

    @property
    def preview(self) -> Message | None:
        """Return the message a list shows: the shopper's words while they wait, else the
        latest message."""
        if self.conversation.status == "waiting" and self.asked is not None:
            return self.asked
        return self.last

    @property
    def waiting_s(self) -> int | None:
        since = self.conversation.waiting_since
        return None if since is None else int((_now() - since).total_seconds())

    @property
    def awaiting_reply(self) -> bool:
        """Tell whether the shopper wrote last (someone owes them an answer)."""
        return self.last is not None and self.last.sender == "customer"


@dataclass
class Board:
    """The workspace's left column."""

    queue: list[Row]
    mine: list[Row]
    others: list[Row]               # every conversation someone else holds (supervisors)
    agents: list[Agent]
    me: Agent | None
    outlook: queue.Outlook


@dataclass
class Detail:
    """One conversation as the middle and right panes show it."""

    conversation: Conversation
    messages: list[Message]
    timeline: list[Event]
    staff: dict[int, StaffUser]
    row: Row
    last_event_id: int = 0
    orders: list[Any] = field(default_factory=list)
    earlier: list[Conversation] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)


def board(staff: StaffUser, *, now: datetime) -> Board:
    """Return the queue, this person's conversations, the others' and the team."""
    agents = staffing.team(now)
    seen = queue.outlook(now)
    waiting = rows(waiting_queue(limit=200), seen=seen)
    held = rows(active_conversations(limit=300))
    me = next((a for a in agents if a.staff.id == staff.id), None)
    return Board(queue=waiting,
                 mine=[r for r in held if r.conversation.assigned_staff_id == staff.id],
                 others=[r for r in held if r.conversation.assigned_staff_id != staff.id],
                 agents=agents, me=me, outlook=seen)


def listing(*, status: Sequence[str], assignee_id: int | None = None,
            channel: str | None = None, limit: int = 100) -> list[Row]:
    """Return conversations for the staff API: the queue in its order, the rest newest first."""
    query = select(Conversation).where(Conversation.status.in_(list(status)))
    if assignee_id is not None:
        query = query.where(Conversation.assigned_staff_id == assignee_id)
    if channel is not None:
        query = query.where(Conversation.channel == channel)
    if list(status) == ["waiting"]:
        query = query.order_by(*queue_order())
    else:
        query = query.order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
    found = db.session.scalars(query.limit(limit)).all()
    return rows(found, seen=queue.outlook(_now()) if "waiting" in status else None)


def rows(conversations: Sequence[Conversation], *, seen: queue.Outlook | None = None
         ) -> list[Row]:
    """Return list rows with their place in line, last message, intent and assignee."""
    ids = [c.id for c in conversations]
    last, intents = last_messages(ids), latest_intents(ids)
    staff = {s.id: s for s in list_team(active_only=False)}
    places = queue.places(_now()) if seen is not None and any(
        c.status == "waiting" for c in conversations) else {}
    found = []
    for conversation in conversations:
        position, minutes = places.get(conversation.id, (None, None))
        analysed = intents.get(conversation.id)
        found.append(Row(conversation, position, minutes,
                         staff.get(conversation.assigned_staff_id)
                         if conversation.status != "ai" else None,
                         last.get(conversation.id), topic(conversation, analysed),
                         analysed.sentiment if analysed else None, analysed))
    return found


VAGUE_INTENTS = ("human_agent", "greeting", "thanks", "other")


def topic(conversation: Conversation, analysed: Message | None) -> str | None:
    """Return what the shopper came about: the last clear intent before asking for a person."""
    handoff = (conversation.context or {}).get("handoff") or {}
    seen = [i for i in handoff.get("intents_seen") or [] if i not in VAGUE_INTENTS]
    if seen:
        return seen[-1]
    if analysed is not None and analysed.intent not in VAGUE_INTENTS:
        return analysed.intent
    return handoff.get("intent") or (analysed.intent if analysed else None)


def detail(conversation: Conversation, *, limit: int = 300) -> Detail:
    """Return a conversation with its whole history (notes included), its timeline and its
    shopper's orders, earlier conversations and tickets."""
    from database.catalog import list_customer_orders

    messages = list(recent_messages(conversation.id, limit=limit, include_private=True))
    timeline = list(db.session.scalars(
        select(Event).where(Event.conversation_id == conversation.id,
                            Event.kind.in_(TIMELINE_KINDS)).order_by(Event.id).limit(200)))
    staff = {s.id: s for s in list_team(active_only=False)}
    [row] = rows([conversation], seen=queue.outlook(_now())
                 if conversation.status == "waiting" else None)
    tickets = db.session.scalars(select(Ticket).where(
        Ticket.customer_id == conversation.customer_id)
        .order_by(Ticket.created_at.desc()).limit(10)).all()
    last_event = db.session.scalar(select(func.max(Event.id)).where(
        Event.conversation_id == conversation.id)) or 0
    return Detail(conversation, messages, timeline, staff, row, last_event_id=last_event,
                  orders=list(list_customer_orders(conversation.customer_id, limit=10)),
                  earlier=list(customer_conversations(conversation.customer_id,
                                                      exclude_id=conversation.id, limit=10)),
                  tickets=list(tickets))


def events_after(conversation_id: int, after_id: int, *, limit: int = 500) -> list[Event]:
    """Return the conversation's events with an id above `after_id`, oldest first."""
    return list(db.session.scalars(
        select(Event).where(Event.conversation_id == conversation_id, Event.id > after_id)
        .order_by(Event.id).limit(limit)))


def messages_by_id(ids: set[int]) -> list[Message]:
    """Return the messages with these ids (for their new delivery status)."""
    if not ids:
        return []
    return list(db.session.scalars(select(Message).where(Message.id.in_(list(ids)))))


def _now() -> datetime:
    from database.base import utcnow

    return utcnow()
