"""Support tools: open a ticket, hand the conversation to a person, drop a pending action."""

from __future__ import annotations

from typing import TYPE_CHECKING

from automation.conversations.handoff import build_summary
from automation.orders.policy import sla_due, ticket_priority
from automation.agents.results import ToolResult
from database import events
from database.conversations import queue_position
from database.tickets import create_ticket, open_tickets_of

if TYPE_CHECKING:
    from automation.agents.toolbox import Toolbox

CATEGORIES = ("order_status", "cancel_order", "modify_order", "delivery_info", "return_refund",
              "payment", "invoice", "account", "product_info", "complaint", "feedback", "other")
PRIORITY_RANK = {"low": 0, "normal": 1, "high": 2, "urgent": 3}


def open_ticket(self: Toolbox, title: str, description: str = "", category: str = "other",
                priority: str | None = None) -> ToolResult:
    """Open a ticket for a person to follow up (one per category and conversation)."""
    category = category if category in CATEGORIES else "other"
    nlu = self.nlu
    floor = ticket_priority(f"{title} {description} {self.message.body}",
                            intent=getattr(nlu, "intent", category),
                            frustrated=getattr(nlu, "frustrated", False),
                            sentiment=getattr(nlu, "sentiment", 0.0))
    # An agent may raise the priority, never lower it below what the rules say.
    if priority not in PRIORITY_RANK or PRIORITY_RANK[priority] < PRIORITY_RANK[floor]:
        priority = floor
    for existing in open_tickets_of(self.customer.id, conversation_id=self.conversation.id):
        if existing.category == category:
            if PRIORITY_RANK[priority] > PRIORITY_RANK[existing.priority]:
                existing.priority = priority
                existing.sla_due_at = sla_due(priority, self.now)
                events.record(events.TICKET_UPDATED, ticket_id=existing.id,
                              customer_id=self.customer.id,
                              conversation_id=self.conversation.id,
                              payload={"reference": existing.reference, "priority": priority})
            existing.description = f"{existing.description}\n\n{description}".strip()[:10000]
            self.ticket = existing
            self.note_call("open_ticket", "exists")
            return ToolResult(True, "exists", _ticket_data(existing))
    ticket = create_ticket(customer_id=self.customer.id, conversation_id=self.conversation.id,
                           title=title.strip()[:300] or category, category=category,
                           description=description.strip()[:10000], priority=priority,
                           sla_due_at=sla_due(priority, self.now))
    events.record(events.TICKET_CREATED, ticket_id=ticket.id, customer_id=self.customer.id,
                  conversation_id=self.conversation.id,
                  payload={"reference": ticket.reference, "priority": priority,
                           "category": category, "title": ticket.title})
    self.ticket = ticket
    self.actions.append({"type": "ticket.created", "ticket": ticket.reference,
                         "priority": priority})
    self.note_call("open_ticket", "ok")
    return ToolResult(True, "ok", _ticket_data(ticket))


def _ticket_data(ticket) -> dict:
    return {"ticket": {"reference": ticket.reference, "priority": ticket.priority,
                       "status": ticket.status, "category": ticket.category,
                       "sla_due_at": ticket.sla_due_at.isoformat() if ticket.sla_due_at
                       else None}}


def request_handoff(self: Toolbox, reason: str = "shopper asked for a person") -> ToolResult:
    """Put the conversation in the queue for a person, with a summary of it."""
    conversation = self.conversation
    if conversation.status in ("waiting", "active"):
        self.note_call("request_handoff", "already")
        return ToolResult(True, "already", {"status": conversation.status,
                                            "position": queue_position(conversation)})
    summary = build_summary(conversation=conversation, customer=self.customer,
                            message=self.message, reason=reason[:300])
    conversation.status = "waiting"
    conversation.waiting_since = self.now
    self.remember(handoff={**summary, "requested_at": self.now.isoformat()})
    position = queue_position(conversation)
    events.record(events.HANDOFF_REQUESTED, conversation_id=conversation.id,
                  customer_id=self.customer.id, payload={"summary": summary,
                                                         "position": position})
    self.handoff = True
    self.actions.append({"type": "handoff.requested"})
    self.note_call("request_handoff", "ok")
    return ToolResult(True, "ok", {"status": "waiting", "position": position,
                                   "summary": summary})


def decline_pending(self: Toolbox) -> ToolResult:
    """Drop the action waiting for the shopper's confirmation (they said no)."""
    pending = self.context.get("pending")
    self.forget("pending")
    self.note_call("decline_pending", "ok" if pending else "nothing_pending")
    return ToolResult(bool(pending), "ok" if pending else "nothing_pending",
                      {"declined": pending})


def set_newsletter(self: Toolbox, subscribed: bool) -> ToolResult:
    """Subscribe the shopper to the newsletter, or unsubscribe them."""
    preferences = dict(self.customer.preferences or {})
    if preferences.get("newsletter") is not subscribed:
        preferences["newsletter"] = bool(subscribed)
        self.customer.preferences = preferences
        events.record(events.CUSTOMER_PREFERENCES_CHANGED, customer_id=self.customer.id,
                      conversation_id=self.conversation.id,
                      payload={"newsletter": bool(subscribed)})
    kind = "newsletter.subscribed" if subscribed else "newsletter.unsubscribed"
    self.actions.append({"type": kind})
    self.note_call("set_newsletter", "ok")
    return ToolResult(True, "ok", {"newsletter": bool(subscribed)})
