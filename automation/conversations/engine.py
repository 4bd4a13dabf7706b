"""The engine: one shopper message in, one decided and stored reply out, whatever the channel.

`handle` is one transaction per turn: the inbound message, the NLU, the agent's tool calls,
the reply and every event commit together. Channels that must acknowledge fast use `accept`
(store the inbound message, commit) and then `answer` in the background.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from dataclasses import replace
from datetime import timedelta
from typing import Any, Callable

from sqlalchemy.exc import IntegrityError

from automation.orders import catalogue as catalogue_cache
from automation.conversations import quality
from automation.agents import Agent, AgentReply, EngineSettings, Turn
from automation.runtime import i18n
from automation.runtime.i18n import N_
from automation.runtime.errors import DeskError
from automation.knowledge.search import KnowledgeBase, knowledge_base
from automation.orders.policy import Policy
from automation.agents.toolbox import Toolbox
from automation.conversations.turns import Inbound, Outcome
from database import db, events
from database.base import utcnow
from database.conversations import (add_message, create_conversation, find_message,
                                    find_open_conversation, get_conversation, recent_messages)
from database.customers import get_customer
from database.models import Conversation, Customer, Message

log = logging.getLogger(__name__)

FALLBACK = N_("Sorry {name}, I'm having a technical problem right now. Your message is saved: "
              "please try again in a moment.")
NLU_MAX_CHARS = 2000  # the NLU reads the start of very long messages; all of it is stored
CATEGORY = {"order_status": "orders", "cancel_order": "orders", "modify_order": "orders",
            "place_order": "orders", "delivery_info": "shipping",
            "return_refund": "returns_refunds", "payment": "payment", "invoice": "invoices",
            "account": "account", "newsletter": "account", "product_info": "products",
            "complaint": "complaints", "feedback": "feedback", "human_agent": "handoff"}


def _default_analyse(text: str, **kwargs: Any) -> Any:
    from automation.nlu import analyse

    return analyse(text, **kwargs)


class Engine:
    """Turns inbound messages into stored, decided outcomes."""

    def __init__(self, *, agent: Agent, settings: EngineSettings | None = None,
                 knowledge: KnowledgeBase | None = None,
                 analyse: Callable[..., Any] = _default_analyse) -> None:
        self.agent = agent
        self.settings = settings or EngineSettings()
        self.knowledge = knowledge or knowledge_base
        self.analyse = analyse
        self.policy = Policy(return_window_days=self.settings.return_window_days)
        self._sqlite_lock = threading.RLock()

    # --- the two ways in ------------------------------------------------------------------

    def handle(self, inbound: Inbound) -> Outcome:
        """Store one shopper message, decide and store the reply, commit, and return it."""
        started = time.perf_counter()
        earlier = self._earlier_outcome(inbound)
        if earlier is not None:
            return earlier
        with self._writer():
            customer = self._customer(inbound.customer_id)
            conversation = self._conversation(customer, inbound)
            history = self._history(conversation)
            nlu = self._analyse(inbound.text, history, conversation, customer)
            try:
                message = self._store_inbound(inbound, conversation, customer, nlu)
            except IntegrityError:
                db.session.rollback()  # a concurrent delivery of the same message won the race
                return self._earlier_outcome(inbound) or self._raise_duplicate(inbound)
            outcome = self._decide(message, conversation, customer, nlu, history, started)
            db.session.commit()
        return outcome

    def _writer(self) -> Any:
        """Serialise this process's turns on SQLite; a no-op elsewhere.

        SQLite has one writer at a time and its busy handler sleeps in growing steps (up to
        100 ms) while it waits: threads queueing on a lock here wait far less than that. The
        lock covers the whole turn, from its first possible write (a new conversation) to the
        commit, or two threads could each hold what the other waits for.
        """
        if db.engine.dialect.name != "sqlite":
            return contextlib.nullcontext()
        return self._sqlite_lock

    def accept(self, inbound: Inbound) -> tuple[int, bool]:
        """Store the inbound message and commit; return its id and whether it is new."""
        if inbound.external_id:
            existing = find_message(inbound.channel, inbound.external_id)
            if existing is not None:
                return existing.id, False
        try:
            with self._writer():
                customer = self._customer(inbound.customer_id)
                conversation = self._conversation(customer, inbound)
                message = self._store_inbound(inbound, conversation, customer, None)
                db.session.commit()
        except IntegrityError:
            db.session.rollback()
            existing = find_message(inbound.channel, inbound.external_id or "")
            if existing is None:
                raise
            return existing.id, False
        return message.id, True

    def answer(self, message_id: int) -> Outcome:
        """Decide and store the reply to an accepted message (once), commit, and return it."""
        started = time.perf_counter()
        message = db.session.get(Message, message_id)
        if message is None:
            raise DeskError("not_found", f"no message {message_id}")
        if "outcome" in (message.meta or {}):
            return replace(Outcome.from_dict(message.meta["outcome"]), duplicate=True)
        with self._writer():
            conversation = message.conversation
            customer = conversation.customer
            history = self._history(conversation, before_id=message.id)
            nlu = self._analyse(message.body, history, conversation, customer)
            message.intent, message.sentiment, message.confidence = (
                nlu.intent, nlu.sentiment, nlu.confidence)
            outcome = self._decide(message, conversation, customer, nlu, history, started)
            db.session.commit()
        return outcome

    # --- steps ----------------------------------------------------------------------------

    def _earlier_outcome(self, inbound: Inbound) -> Outcome | None:
        if not inbound.external_id:
            return None
        earlier = find_message(inbound.channel, inbound.external_id)
        if earlier is None or "outcome" not in (earlier.meta or {}):
            return None
        return replace(Outcome.from_dict(earlier.meta["outcome"]), duplicate=True)

    def _raise_duplicate(self, inbound: Inbound) -> Outcome:
        raise DeskError("conflict", f"message {inbound.external_id} is being answered already")

    def _customer(self, customer_id: int) -> Customer:
        customer = get_customer(customer_id)
        if customer is None or customer.status != "active":
            raise DeskError("not_registered", "no active shopper for this message")
        return customer

    def _store_inbound(self, inbound: Inbound, conversation: Conversation, customer: Customer,
                       nlu: Any) -> Message:
        message = add_message(
            conversation_id=conversation.id, channel=inbound.channel, direction="in",
            sender="customer", body=inbound.text, channel_message_id=inbound.external_id,
            meta=dict(inbound.metadata), created_at=inbound.received_at,
            intent=nlu.intent if nlu else None, sentiment=nlu.sentiment if nlu else None,
            confidence=nlu.confidence if nlu else None)
        conversation.last_message_at = inbound.received_at
        db.session.flush()
        events.record(events.MESSAGE_RECEIVED, conversation_id=conversation.id,
                      customer_id=customer.id,
                      payload={"message_id": message.id, "channel": inbound.channel,
                               "chars": len(inbound.text)})
        return message

    def _history(self, conversation: Conversation, *,
                 before_id: int | None = None) -> list[Message]:
        if conversation.id is None:
            return []
        return list(recent_messages(conversation.id, limit=13, before_id=before_id))

    def _analyse(self, text: str, history: list[Message], conversation: Conversation,
                 customer: Customer) -> Any:
        return self.analyse(
            text[:NLU_MAX_CHARS], catalogue=catalogue_cache.nlu_catalogue(),
            history=[m.body for m in history if m.direction == "in"][-5:],
            language_hint=_reply_language(conversation.language, customer.language))

    def _conversation(self, customer: Customer, inbound: Inbound) -> Conversation:
        now = inbound.received_at
        conversation = None
        if inbound.conversation_id is not None:
            candidate = get_conversation(inbound.conversation_id)
            if candidate is not None and candidate.customer_id == customer.id \
                    and candidate.status != "closed":
                conversation = candidate
        if conversation is None:
            conversation = find_open_conversation(customer.id, inbound.channel)
        idle = timedelta(hours=self.settings.conversation_idle_hours)
        if conversation is not None and conversation.status == "ai" \
                and now - conversation.last_message_at > idle:
            conversation.status, conversation.ended_at = "closed", now
            events.record(events.CONVERSATION_CLOSED, conversation_id=conversation.id,
                          customer_id=customer.id, payload={"reason": "idle"})
            conversation = None
        if conversation is None:
            conversation = create_conversation(
                customer_id=customer.id, channel=inbound.channel, status="ai",
                language=customer.language, subject=inbound.subject, started_at=now,
                last_message_at=now, context={})
            db.session.flush()
            events.record(events.CONVERSATION_STARTED, conversation_id=conversation.id,
                          customer_id=customer.id, payload={"channel": inbound.channel})
        return conversation

    def _decide(self, message: Message, conversation: Conversation, customer: Customer,
                nlu: Any, history: list[Message], started: float) -> Outcome:
        understood = nlu.intent != "other" or nlu.confidence >= self.settings.low_confidence
        # A message the NLU could not read says little about its language either.
        language = _reply_language(nlu.language if understood else None,
                                   conversation.language, customer.language)
        if conversation.status == "active":
            return self._relay(message, conversation, customer, nlu, language, started)

        now = utcnow()
        toolbox = Toolbox(customer=customer, conversation=conversation, message=message,
                          policy=self.policy, now=now, nlu=nlu)
        turn = Turn(customer=customer, conversation=conversation, message=message, nlu=nlu,
                    language=language, history=history, toolbox=toolbox,
                    knowledge=self.knowledge, settings=self.settings, now=now)
        reply, failed = self._agent_reply(turn)
        if failed:
            turn.toolbox = Toolbox(customer=customer, conversation=conversation,
                                   message=message, policy=self.policy, now=now, nlu=nlu)
        toolbox = turn.toolbox  # an agent that fell back ran a fresh toolbox of its own
        latency_ms = int((time.perf_counter() - started) * 1000)
        earlier = [m.body for m in history if m.sender == "ai"][-5:]
        score, judged = quality.score(
            confidence=nlu.confidence, used_tool=reply.used_tool,
            knowledge_score=reply.knowledge.score if reply.knowledge else None,
            personalised=reply.personalised, language_match=nlu.language in (language, "und"),
            resolution=reply.resolution, repeated=quality.is_repeat(reply.text, earlier),
            fallback=failed)
        out = add_message(
            conversation_id=conversation.id, channel=message.channel, direction="out",
            sender="ai", body=reply.text, reply_to_id=message.id, intent=nlu.intent,
            confidence=nlu.confidence, quality=score, latency_ms=latency_ms,
            meta={"agent": reply.agent, "quick_replies": [q.__dict__ for q in
                                                          reply.quick_replies],
                  "knowledge": reply.knowledge.article_id if reply.knowledge else None,
                  "usage": reply.usage, "language": language, "fallback": failed,
                  "quality": judged, "resolution": reply.resolution})
        conversation.language = language
        db.session.flush()
        ticket = toolbox.ticket
        outcome = Outcome(
            conversation_id=conversation.id, message_id=message.id, reply=reply.text,
            reply_message_id=out.id, quick_replies=list(reply.quick_replies),
            intent=nlu.intent, category=CATEGORY.get(nlu.intent, "general"),
            confidence=round(nlu.confidence, 3), language=language,
            sentiment=round(nlu.sentiment, 3), frustrated=nlu.frustrated,
            entities=nlu.entities, actions=list(toolbox.actions),
            ticket={"reference": ticket.reference, "priority": ticket.priority,
                    "status": ticket.status} if ticket is not None else None,
            handoff=conversation.status == "waiting" and toolbox.handoff, quality=score,
            latency_ms=latency_ms, agent=reply.agent, status=conversation.status)
        events.record(events.MESSAGE_REPLIED, conversation_id=conversation.id,
                      customer_id=customer.id, ticket_id=ticket.id if ticket else None,
                      payload={"message_id": out.id, "in_reply_to": message.id,
                               "intent": nlu.intent, "language": language,
                               "quality": score, "latency_ms": latency_ms,
                               "agent": reply.agent, "channel": message.channel,
                               "actions": outcome.actions, "handoff": outcome.handoff})
        message.meta = {**(message.meta or {}), "outcome": outcome.to_dict(),
                        "language": nlu.language, "frustrated": nlu.frustrated}
        return outcome

    def _agent_reply(self, turn: Turn) -> tuple[AgentReply, bool]:
        """Ask the agent; on any failure undo its changes and give the polite fallback."""
        savepoint = db.session.begin_nested()
        try:
            reply = self.agent.reply(turn)
            savepoint.commit()
            return reply, False
        except Exception as exc:  # noqa: BLE001 - the shopper gets an answer whatever broke
            savepoint.rollback()
            log.exception("agent %s failed", getattr(self.agent, "name", "?"))
            events.record(events.AGENT_ERROR, level="error",
                          conversation_id=turn.conversation.id,
                          customer_id=turn.customer.id,
                          payload={"agent": getattr(self.agent, "name", "?"),
                                   "error": type(exc).__name__, "detail": str(exc)[:500],
                                   "message_id": turn.message.id})
            text = i18n.text(turn.language, FALLBACK, name=turn.customer.first_name)
            return AgentReply(text, agent=getattr(self.agent, "name", "local")), True

    def _relay(self, message: Message, conversation: Conversation, customer: Customer,
               nlu: Any, language: str, started: float) -> Outcome:
        """A person holds the conversation: store and pass the message on, no AI reply."""
        events.record(events.MESSAGE_RELAYED, conversation_id=conversation.id,
                      customer_id=customer.id,
                      payload={"message_id": message.id,
                               "staff_id": conversation.assigned_staff_id})
        outcome = Outcome(
            conversation_id=conversation.id, message_id=message.id, reply=None,
            intent=nlu.intent, category=CATEGORY.get(nlu.intent, "general"),
            confidence=round(nlu.confidence, 3), language=language,
            sentiment=round(nlu.sentiment, 3), frustrated=nlu.frustrated,
            entities=nlu.entities, latency_ms=int((time.perf_counter() - started) * 1000),
            agent="human", status="active", relayed=True)
        message.meta = {**(message.meta or {}), "outcome": outcome.to_dict()}
        return outcome


def _reply_language(*candidates: str | None) -> str:
    """Return the first candidate the desk can answer in (English when none)."""
    return i18n.language_of(*candidates)
