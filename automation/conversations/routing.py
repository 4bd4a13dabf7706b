"""Routing: which person gets the next waiting shopper, by the strategy the shop chose.

- `manual`: nobody is assigned; agents pick from the queue.
- `round_robin`: the available agent who was given a conversation longest ago.
- `least_loaded`: the available agent holding the fewest conversations (then the most free
  places, then the longest idle).
- `skills`: an agent speaking the shopper's language when anyone online does (the shopper
  waits for them rather than getting someone who cannot read them), then the best match of
  the intent's category and the channel to their skills, then the least loaded.

Only agents online, available and under their `max_concurrent` are given conversations; a
conversation transferred to a team goes to that team only. Every assignment records its
strategy and reason in its `agent.assigned` event. Assignments are race-safe: the
conversation must still be waiting and unassigned, and the agent still under capacity.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from automation.conversations import assignment, staffing
from automation.conversations.staffing import Agent
from automation.runtime.errors import DeskError
from database.base import utcnow
from database.conversations import waiting_queue
from database.models import Conversation

log = logging.getLogger(__name__)
STRATEGIES = ("manual", "round_robin", "least_loaded", "skills")
CATEGORY = {"order_status": "orders", "cancel_order": "orders", "modify_order": "orders",
            "place_order": "orders", "delivery_info": "shipping",
            "return_refund": "returns_refunds", "payment": "payment", "invoice": "invoices",
            "account": "account", "newsletter": "account", "product_info": "products",
            "complaint": "complaints", "feedback": "feedback"}


@dataclass(frozen=True)
class Routed:
    """One assignment routing made."""

    conversation_id: int
    staff_id: int
    reason: str


def route(*, strategy: str, now: datetime, limit: int = 200) -> list[Routed]:
    """Give waiting shoppers to available agents, in queue order, as `strategy` says."""
    if strategy not in STRATEGIES or strategy == "manual":
        return []
    routed: list[Routed] = []
    for conversation in list(waiting_queue(limit=limit)):
        agents = [a for a in staffing.team(now) if a.online]
        if not any(a.takes_new for a in agents):
            break  # nobody has a free place: the rest of the queue waits too
        choice = choose(conversation, agents, strategy=strategy)
        if choice is None:
            continue  # this one waits for the right person; the next may fit someone else
        agent, reason = choice
        try:
            # Each its own instant: round robin orders people by their last assignment.
            assignment.assign(conversation.id, agent.staff.id, now=max(now, utcnow()),
                              strategy=strategy, reason=reason,
                              capacity=agent.staff.max_concurrent)
        except DeskError as exc:
            # Taken meanwhile (an agent accepted it, another process routed it) or the agent
            # filled up: the next round sees the new state.
            log.info("routing %s to %s: %s", conversation.id, agent.staff.id, exc.message)
            continue
        routed.append(Routed(conversation.id, agent.staff.id, reason))
    return routed


def choose(conversation: Conversation, agents: list[Agent], *,
           strategy: str) -> tuple[Agent, str] | None:
    """Return the agent who should take `conversation` and why, or None to keep it waiting."""
    if conversation.team:
        agents = [a for a in agents if a.staff.team == conversation.team]
    if strategy == "skills":
        return _by_skills(conversation, agents)
    free = [a for a in agents if a.takes_new]
    if not free:
        return None
    if strategy == "round_robin":
        agent = min(free, key=lambda a: (a.staff.last_assigned_at or _epoch(a), a.staff.id))
        return agent, "longest since their last conversation"
    agent = min(free, key=_load_key)
    return agent, f"least loaded ({agent.load} of {agent.staff.max_concurrent})"


def _by_skills(conversation: Conversation, agents: list[Agent]) -> tuple[Agent, str] | None:
    language = conversation.language
    speakers = [a for a in agents if language in _skills(a, "languages")]
    if speakers:
        agents = speakers
    free = [a for a in agents if a.takes_new]
    if not free:
        return None
    category = CATEGORY.get(_intent(conversation) or "", "")
    scored = []
    for agent in free:
        matched = [name for name, skill, value in (("category", "categories", category),
                                                   ("channel", "channels",
                                                    conversation.channel))
                   if value and value in _skills(agent, skill)]
        scored.append((-len(matched), _load_key(agent), agent, matched))
    scored.sort(key=lambda row: row[:2])
    _score, _load, agent, matched = scored[0]
    why = (["language"] if speakers else []) + matched
    reason = "skills: " + ", ".join(why) if why else "no skill matched: least loaded"
    return agent, reason


def _skills(agent: Agent, name: str) -> list[str]:
    return list((agent.staff.skills or {}).get(name) or [])


def _intent(conversation: Conversation) -> str | None:
    handoff = (conversation.context or {}).get("handoff") or {}
    return handoff.get("intent")


def _load_key(agent: Agent) -> tuple:
    return (agent.load, -agent.free, agent.staff.last_assigned_at or _epoch(agent),
            agent.staff.id)


def _epoch(_agent: Agent) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC)
