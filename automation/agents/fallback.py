"""An outside agent with the local agent behind it: the shopper is answered whatever fails.

The primary agent (Claude) runs inside a savepoint. When it fails, everything its tool calls
changed is rolled back, an `agent.error` event says why, and the fallback agent answers the
same turn with a fresh toolbox. A circuit breaker stops calling a primary that keeps failing.
"""

from __future__ import annotations

import os
from typing import Any

from automation.agents import Agent, AgentReply, EngineSettings, Turn
from automation.agents.breaker import CircuitBreaker
from automation.agents.failure import AgentFailure
from automation.agents.runner import attempt
from database import events


class FallbackAgent:
    """Answers with `primary`; on its failure, or while its breaker is open, with `fallback`."""

    def __init__(self, primary: Agent, fallback: Agent, breaker: CircuitBreaker) -> None:
        self.primary = primary
        self.fallback = fallback
        self.breaker = breaker
        self.name = primary.name

    def reply(self, turn: Turn) -> AgentReply:
        """Answer the turn with the primary agent, or with the fallback when it cannot."""
        if not self.breaker.allow():
            return self._fall_back(turn, "breaker_open", {})
        try:
            reply = attempt(self.primary, turn, fallback=self.fallback.name)
        except AgentFailure as failure:
            if self.breaker.record_failure():
                self._record(events.AGENT_BREAKER_OPENED, turn,
                             {"reason": failure.reason, **self.breaker.state()})
            return self._fall_back(turn, failure.reason, failure.usage)
        if self.breaker.record_success():
            self._record(events.AGENT_BREAKER_CLOSED, turn, self.breaker.state())
        return reply

    def _record(self, kind: str, turn: Turn, payload: dict[str, Any]) -> None:
        level = "warning" if kind == events.AGENT_BREAKER_OPENED else "info"
        # Each process has its own breaker: the pid tells whose state changed.
        events.record(kind, level=level, conversation_id=turn.conversation.id,
                      customer_id=turn.customer.id,
                      payload={"agent": self.primary.name, "pid": os.getpid(), **payload})

    def _fall_back(self, turn: Turn, reason: str, spent: dict[str, Any]) -> AgentReply:
        reply = self.fallback.reply(turn)
        reply.agent = self.fallback.name
        reply.usage = {**spent, **reply.usage, "agent": self.fallback.name,
                       "fallback_reason": reason}
        return reply


def breaker_state(agent: Agent) -> dict[str, Any] | None:
    """Return the state of the agent's circuit breaker, or None when it has none."""
    breaker = getattr(agent, "breaker", None)
    return breaker.state() if isinstance(breaker, CircuitBreaker) else None


def answering(agent: Agent, settings: EngineSettings) -> Agent:
    """Return the agent that answers under `settings`: the local one alone when Claude is off."""
    if isinstance(agent, FallbackAgent) and not settings.claude_enabled:
        return agent.fallback
    return agent
