"""The one way an agent is run for a turn: inside a savepoint, with one failure path.

Whatever an agent's tool calls changed is undone when it fails, an `agent.error` event says
why, and the turn's toolbox is made fresh again, so the next agent (the local one behind
Claude, or the engine's polite apology) starts from a clean turn.
"""

from __future__ import annotations

import logging

from automation.agents import Agent, AgentReply, Turn
from automation.agents.failure import AgentFailure
from automation.agents.toolbox import Toolbox
from database import db, events

log = logging.getLogger(__name__)


def attempt(agent: Agent, turn: Turn, *, fallback: str | None = None) -> AgentReply:
    """Return `agent`'s reply to the turn; raise AgentFailure (after undoing it) if it fails."""
    savepoint = db.session.begin_nested()
    try:
        reply = agent.reply(turn)
        savepoint.commit()
        return reply
    except Exception as exc:  # noqa: BLE001 - whatever broke, the shopper gets an answer
        savepoint.rollback()
        failure = exc if isinstance(exc, AgentFailure) else AgentFailure(
            "internal", str(exc)[:300], error_type=type(exc).__name__)
        # A bug of ours ("internal") needs its traceback; an outage does not.
        log.warning("agent %s failed (%s): %s", agent.name, failure.reason, failure.detail,
                    exc_info=failure.reason == "internal")
        events.record(events.AGENT_ERROR, level="error", conversation_id=turn.conversation.id,
                      customer_id=turn.customer.id,
                      payload={"agent": agent.name, **failure.payload(),
                               "message_id": turn.message.id, "fallback": fallback})
        fresh(turn.toolbox)
        raise failure from exc


def fresh(toolbox: Toolbox) -> None:
    """Make the turn's toolbox fresh again, as if no tool had been called."""
    # The engine keeps this very object to report the turn's actions, ticket and handoff, so
    # it is re-initialised in place: the failed attempt's calls were rolled back with it.
    Toolbox.__init__(toolbox, customer=toolbox.customer, conversation=toolbox.conversation,
                     message=toolbox.message, policy=toolbox.policy, now=toolbox.now,
                     nlu=toolbox.nlu)
