"""Agents: what writes the reply. The local agent is the default; Claude when configured.

Every agent gets a `Turn` (the shopper, the conversation, the message, the NLU, a toolbox
bound to them, the knowledge base) and returns an `AgentReply`. Agents decide words and
which tools to call; the tools decide what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from automation.knowledge.search import KnowledgeBase, Match
from automation.nlu.result import NluResult
from automation.conversations.turns import QuickReply
from automation.agents.toolbox import Toolbox
from database.models import Conversation, Customer, Message


@dataclass(frozen=True)
class EngineSettings:
    """What the engine and its agents are told about the shop and its rules."""

    shop_name: str = "Demo Shop"
    return_window_days: int = 30
    low_confidence: float = 0.70      # below this, the agent is not sure it understood
    low_confidence_limit: int = 2     # that many unsure turns in a row → a person
    conversation_idle_hours: int = 12  # after this, a new message starts a new conversation
    minutes_per_waiting: int = 3      # the queue's ETA: minutes per conversation ahead
    tone: str = "warm, concise and specific"
    claude_enabled: bool = True       # off: the local agent answers even with a Claude key
    claude_model: str = ""            # "" = the model ANTHROPIC_MODEL names


@dataclass
class Turn:
    """Everything an agent may use to answer one message."""

    customer: Customer
    conversation: Conversation
    message: Message
    nlu: NluResult
    language: str                 # the language to answer in
    history: list[Message]        # earlier messages of the conversation, oldest first
    toolbox: Toolbox
    knowledge: KnowledgeBase
    settings: EngineSettings
    now: datetime
    deadline: float | None = None  # time.monotonic() by which to answer, if any


@dataclass
class AgentReply:
    """What an agent answers, and how it got there (for the quality score and accounting)."""

    text: str
    quick_replies: list[QuickReply] = field(default_factory=list)
    knowledge: Match | None = None
    used_tool: bool = False
    personalised: bool = False
    clarifying: bool = False
    agent: str = "local"
    usage: dict[str, Any] = field(default_factory=dict)
    # How far the reply got with the ask, for the quality score: "answered", "confirming"
    # (a read-back awaiting the shopper's yes), "asked" (a question to go on), "handed_off",
    # "not_found", "not_understood".
    resolution: str = "answered"


class Agent(Protocol):
    """Anything that can answer a turn."""

    name: str

    def reply(self, turn: Turn) -> AgentReply:
        """Answer the turn (may call the turn's tools)."""
        ...
