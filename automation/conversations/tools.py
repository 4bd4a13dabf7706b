"""The agents' conversation tools: hand the conversation to a person, drop a pending action."""

from __future__ import annotations

from typing import TYPE_CHECKING

from automation.agents.results import ToolResult
from automation.conversations import away, staffing
from automation.conversations.handoff import request_handoff as queue_for_a_person
from automation.conversations.queue import place
from automation.conversations.staff_side import current_or_default

if TYPE_CHECKING:
    from automation.agents.toolbox import Toolbox


def request_handoff(self: Toolbox, reason: str = "shopper asked for a person") -> ToolResult:
    """Put the conversation in the queue for a person, with a summary of it.

    The result says where the shopper stands (`position`, `minutes`: None when nobody is
    online) and whether the team is there (`team_open`, `team_online`, `reopens_at`), so the
    agent can tell them — and offer to leave a message when nobody is.
    """
    conversation = self.conversation
    setup = current_or_default()
    team = away.team_status(hours=setup.opening_hours, online=len(staffing.online(self.now)),
                            now=self.now)
    about_team = {"team_open": team.open, "team_online": team.online,
                  "reopens_at": team.reopens_at.isoformat() if team.reopens_at else None,
                  "team_away": team.away}
    if conversation.status in ("waiting", "active"):
        self.note_call("request_handoff", "already")
        position, minutes = place(conversation, self.now) if conversation.status == "waiting" \
            else (0, None)
        return ToolResult(True, "already", {"status": conversation.status,
                                            "position": position, "minutes": minutes,
                                            **about_team})
    frustrated = bool(getattr(self.nlu, "frustrated", False))
    summary, position = queue_for_a_person(conversation=conversation, customer=self.customer,
                                           message=self.message, reason=reason, now=self.now,
                                           frustrated=frustrated, vip_spend=setup.vip_spend)
    minutes = (conversation.context.get("queue_notice") or {}).get("minutes")
    self.handoff = True
    self.actions.append({"type": "handoff.requested"})
    self.note_call("request_handoff", "ok")
    return ToolResult(True, "ok", {"status": "waiting", "position": position,
                                   "minutes": minutes, "priority": conversation.priority,
                                   "summary": summary, **about_team})


def decline_pending(self: Toolbox) -> ToolResult:
    """Drop the action waiting for the shopper's confirmation (they said no)."""
    pending = self.context.get("pending")
    self.forget("pending")
    self.note_call("decline_pending", "ok" if pending else "nothing_pending")
    return ToolResult(bool(pending), "ok" if pending else "nothing_pending",
                      {"declined": pending})
