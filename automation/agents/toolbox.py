"""The toolbox an agent gets for one turn: the shopper's orders, products, tickets, handoff.

It is bound to one shopper, one conversation and the message being answered, so no tool can
reach anything else. Consequential actions (cancelling, changing an address) happen only when
the shopper's *own* current message is a yes to the read-back the tool gave on an earlier turn.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from automation.nlu.result import NluResult
from automation.orders.policy import Policy
from automation.agents.results import ToolResult  # noqa: F401  (re-exported)
from database.models import Conversation, Customer, Message, Ticket


class Toolbox:
    """Tools bound to one shopper and one turn; records what they did."""

    def __init__(self, *, customer: Customer, conversation: Conversation, message: Message,
                 policy: Policy, now: datetime, nlu: NluResult | None = None) -> None:
        self.customer = customer
        self.conversation = conversation
        self.message = message
        self.policy = policy
        self.now = now
        self.nlu = nlu
        self.actions: list[dict[str, Any]] = []
        self.calls: list[tuple[str, str]] = []
        self.ticket: Ticket | None = None
        self.handoff = False

    # The tool functions live in small modules; they are attached below to keep one object.
    from automation.orders.tools import (cancel_order, change_address, list_orders,  # noqa: E402
                                         lookup_order, orders_with_item, request_return)
    from automation.orders.products import search_products  # noqa: E402
    from automation.accounts.preferences import set_newsletter  # noqa: E402
    from automation.conversations.tools import decline_pending, request_handoff  # noqa: E402
    from automation.tickets.tools import open_ticket  # noqa: E402

    # --- conversation memory -------------------------------------------------------------

    @property
    def context(self) -> dict[str, Any]:
        return self.conversation.context or {}

    def remember(self, **values: Any) -> None:
        """Store values in the conversation's memory (a new dict, so the change is saved)."""
        self.conversation.context = {**self.context, **values}

    def forget(self, *names: str) -> None:
        """Drop values from the conversation's memory."""
        self.conversation.context = {k: v for k, v in self.context.items() if k not in names}

    def note_call(self, tool: str, code: str, order: str | None = None) -> None:
        """Remember a tool call and its result, for the handoff summary."""
        self.calls.append((tool, code))
        tried = list(self.context.get("actions_tried", []))[-19:]
        tried.append({"tool": tool, "result": code, "order": order,
                      "at": self.now.isoformat()})
        self.remember(actions_tried=tried)

    def note_order(self, number: str) -> None:
        """Remember the order under discussion."""
        discussed = [n for n in self.context.get("orders_discussed", []) if n != number]
        self.remember(current_order=number, orders_discussed=[*discussed, number][-10:])
