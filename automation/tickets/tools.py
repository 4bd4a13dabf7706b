"""The agents' ticket tool: open a ticket, never below the priority the rules give."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from automation.agents.results import ToolResult
from automation.tickets.flows import open_ticket as create
from automation.tickets.policy import PRIORITY_RANK, ticket_priority
from automation.tickets.sla import due_after_change
from database import events
from database.tickets import open_tickets_of

if TYPE_CHECKING:
    from automation.agents.toolbox import Toolbox

CATEGORIES = ("order_status", "cancel_order", "modify_order", "delivery_info", "return_refund",
              "payment", "invoice", "account", "product_info", "complaint", "feedback", "other")


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
                existing.sla_due_at = due_after_change(existing, priority, self.now)
                existing.priority = priority
                events.record(events.TICKET_UPDATED, ticket_id=existing.id,
                              customer_id=self.customer.id,
                              conversation_id=self.conversation.id,
                              payload={"reference": existing.reference, "priority": priority})
            existing.description = f"{existing.description}\n\n{description}".strip()[:10000]
            self.ticket = existing
            self.note_call("open_ticket", "exists")
            return ToolResult(True, "exists", ticket_data(existing))
    ticket = create(customer=self.customer, conversation=self.conversation, title=title,
                    description=description, category=category, priority=priority,
                    now=self.now)
    self.ticket = ticket
    self.actions.append({"type": "ticket.created", "ticket": ticket.reference,
                         "priority": priority})
    self.note_call("open_ticket", "ok")
    return ToolResult(True, "ok", ticket_data(ticket))


def ticket_data(ticket: Any) -> dict[str, Any]:
    """Return what an agent may know of a ticket."""
    return {"ticket": {"reference": ticket.reference, "priority": ticket.priority,
                       "status": ticket.status, "category": ticket.category,
                       "sla_due_at": ticket.sla_due_at.isoformat() if ticket.sla_due_at
                       else None}}
