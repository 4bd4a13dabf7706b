"""The agents' conversation tools: hand the conversation to a person, drop a pending action."""

from __future__ import annotations

from typing import TYPE_CHECKING

from automation.agents.results import ToolResult
from automation.conversations.handoff import request_handoff as queue_for_a_person
from database.conversations import queue_position

if TYPE_CHECKING:
    from automation.agents.toolbox import Toolbox


def request_handoff(self: Toolbox, reason: str = "shopper asked for a person") -> ToolResult:
    """Put the conversation in the queue for a person, with a summary of it."""
    conversation = self.conversation
    if conversation.status in ("waiting", "active"):
        self.note_call("request_handoff", "already")
        return ToolResult(True, "already", {"status": conversation.status,
                                            "position": queue_position(conversation)})
    summary, position = queue_for_a_person(conversation=conversation, customer=self.customer,
                                           message=self.message, reason=reason, now=self.now)
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
