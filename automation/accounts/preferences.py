"""A shopper's preferences the agents may change for them: the newsletter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from automation.agents.results import ToolResult
from database import events

if TYPE_CHECKING:
    from automation.agents.toolbox import Toolbox


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
