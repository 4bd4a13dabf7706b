"""The engine: a shopper message in, stored first; one decided reply out, stored once.

`accept` stores the inbound message, its conversation and its event, and commits, before
anything that could fail runs. `answer` claims the stored message — exactly one turn answers
it, however many deliveries of it arrive together — then runs the NLU and the agent and stores
the reply, its events and the message's outcome in one transaction. `handle` is
`answer(accept(…))`. Delivering the reply is the channel's job (`channels.delivery`).
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, Callable

from sqlalchemy.exc import IntegrityError

from automation.agents import Agent, AgentReply, EngineSettings, Turn
from automation.agents.failure import AgentFailure
from automation.agents.fallback import answering
from automation.agents.runner import attempt
from automation.agents.toolbox import Toolbox
from automation.conversations import away, csat, media, quality
from automation.conversations.turns import Inbound, Outcome
from automation.knowledge.search import KnowledgeBase, knowledge_base
from automation.nlu import NluResult
from automation.orders import catalogue as catalogue_cache
from automation.orders.policy import Policy
from automation.runtime import i18n
from automation.runtime.errors import DeskError
from automation.runtime.i18n import N_
from database import db, events
from database.base import utcnow
from database.conversations import (add_message, claim_answer, create_conversation,
                                    find_message, find_open_conversation, get_conversation,
                                    latest_closed_conversation, recent_messages,
                                    release_answer)
from database.models import Conversation, Customer, Message

FALLBACK = N_("Sorry {name}, I'm having a technical problem right now. Your message is saved: "
              "please try again in a moment.")
CATEGORY = {"order_status": "orders", "cancel_order": "orders", "modify_order": "orders",
            "place_order": "orders", "delivery_info": "shipping",
            "return_refund": "returns_refunds", "payment": "payment", "invoice": "invoices",
            "account": "account", "newsletter": "account", "product_info": "products",
            "complaint": "complaints", "feedback": "feedback", "human_agent": "handoff"}
CLAIM_TTL = timedelta(minutes=2)   # a turn holding a message longer than this has died
WAIT_POLL_S = 0.05


@dataclass(frozen=True)
class Accepted:
    """A stored inbound message; `new` is False when this delivery was stored before."""

    message_id: int
    new: bool


def _default_analyse(text: str, **kwargs: Any) -> NluResult:
    from automation.nlu import analyse

    return analyse(text, **kwargs)


class Engine:
    """Turns inbound messages into stored, decided outcomes."""

    def __init__(self, *, agent: Agent, settings: EngineSettings | None = None,
                 live: Callable[[], EngineSettings] | None = None,
                 knowledge: KnowledgeBase | None = None,
                 analyse: Callable[..., NluResult] = _default_analyse) -> None:
        self.agent = agent
        self.settings = settings or EngineSettings()
        # What admins change on /settings, read for each turn (cached by the settings store).
        self.live = live
        self.knowledge = knowledge or knowledge_base
        self.analyse = analyse
        self._sqlite_lock = threading.RLock()

    def current_settings(self) -> EngineSettings:
        """Return the settings the next turn runs with."""
        return self.live() if self.live is not None else self.settings

    # --- the ways in -----------------------------------------------------------------------

    def handle(self, inbound: Inbound, *, wait_s: float = 15.0) -> Outcome:
        """Store one shopper message, then decide and store the reply; return the outcome.

        A repeated delivery gets the earlier outcome (`duplicate`), waiting up to `wait_s`
        while another delivery of the same message is being answered.
        """
        accepted = self.accept(inbound, claim=True)
        return self.answer(accepted.message_id, wait_s=wait_s, claimed=accepted.new)

    def accept(self, inbound: Inbound, *, claim: bool = False) -> Accepted:
        """Store the inbound message with its event, and commit; say whether it is new.

        With `claim`, a new message is stored already claimed by the caller's turn, which
        answers it next (`answer(…, claimed=True)`): one commit less on the hot path.
        """
        for _ in range(3):
            if inbound.external_id:
                earlier = find_message(inbound.channel, inbound.customer_id,
                                       inbound.external_id)
                if earlier is not None:
                    return Accepted(earlier.id, False)
            try:
                with self._writer():
                    customer = self._customer(inbound.customer_id)
                    conversation = self._conversation(customer, inbound)
                    message = self._store_inbound(inbound, conversation, customer)
                    if claim:
                        message.answer_claimed_at = utcnow()
                    _commit(keep_loaded=claim)
                return Accepted(message.id, True)
            except IntegrityError:
                # Another delivery of this message, or another first message of this shopper
                # opening the conversation, committed first: look again.
                db.session.rollback()
        raise DeskError("conflict", "this message could not be stored; send it again")

    def answer(self, message_id: int, *, wait_s: float = 0.0,
               claimed: bool = False) -> Outcome:
        """Decide and store the reply to a stored message (once), commit, and return it.

        `claimed` says the caller's `accept(claim=True)` stored it already claimed.
        """
        message = db.session.get(Message, message_id)
        if message is None:
            raise DeskError("not_found", f"no message {message_id}")
        if message.answered_at is not None:
            return _stored(message)
        if not claimed and not self._claim(message_id):
            return self._wait_for(message_id, wait_s)
        started = time.perf_counter()
        try:
            with self._writer():
                message = db.session.get(Message, message_id)
                outcome = self._decide(message, started)
                db.session.commit()
        except Exception:
            db.session.rollback()
            release_answer(message_id)  # stored first: a later attempt answers it
            db.session.commit()
            raise
        if outcome.handoff or any(a.get("type") == "queue.left" for a in outcome.actions):
            from automation.conversations import jobs

            jobs.route_queue()  # someone joined or left the queue: route it, tell the others
        return outcome

    # --- storing -----------------------------------------------------------------------------

    def _writer(self) -> Any:
        """Serialise this process's turns on SQLite; a no-op elsewhere.

        SQLite has one writer at a time and its busy handler sleeps in growing steps (up to
        100 ms) while it waits: threads queueing on a lock here wait far less than that.
        """
        if db.engine.dialect.name != "sqlite":
            return contextlib.nullcontext()
        return self._sqlite_lock

    def _customer(self, customer_id: int) -> Customer:
        customer = db.session.get(Customer, customer_id)
        if customer is None or customer.status != "active":
            raise DeskError("not_registered", "no active shopper for this message")
        return customer

    def _conversation(self, customer: Customer, inbound: Inbound) -> Conversation:
        now = inbound.received_at
        conversation = None
        if inbound.conversation_id is not None:
            candidate = get_conversation(inbound.conversation_id)
            if candidate is not None and candidate.customer_id == customer.id \
                    and candidate.channel == inbound.channel and candidate.status != "closed":
                conversation = candidate
        if conversation is None:
            conversation = find_open_conversation(customer.id, inbound.channel)
        if conversation is None:
            # "5" after "how did we do?": the rating of the closed conversation, not a new one.
            rated = inbound.conversation_id and get_conversation(inbound.conversation_id)
            if not rated or rated.customer_id != customer.id or rated.channel != inbound.channel:
                rated = latest_closed_conversation(customer.id, inbound.channel)
            if rated is not None and csat.awaiting(rated, now) \
                    and csat.rating_from(inbound.text) is not None:
                return rated
        idle = timedelta(hours=self.settings.conversation_idle_hours)
        if conversation is not None and conversation.status == "ai" \
                and now - conversation.last_message_at > idle:
            conversation.status, conversation.ended_at = "closed", now
            events.record(events.CONVERSATION_CLOSED, conversation_id=conversation.id,
                          customer_id=customer.id, payload={"reason": "idle"})
            db.session.flush()  # closed before the new one opens: one open at a time
            conversation = None
        if conversation is None:
            conversation = create_conversation(
                customer_id=customer.id, channel=inbound.channel, status="ai",
                language=customer.language, subject=inbound.subject, started_at=now,
                last_message_at=now, context={})
            db.session.flush()  # the unique open-conversation index speaks here
            events.record(events.CONVERSATION_STARTED, conversation_id=conversation.id,
                          customer_id=customer.id, payload={"channel": inbound.channel})
        return conversation

    def _store_inbound(self, inbound: Inbound, conversation: Conversation,
                       customer: Customer) -> Message:
        message = add_message(
            conversation_id=conversation.id, customer_id=customer.id, channel=inbound.channel,
            direction="in", sender="customer", body=inbound.text,
            channel_message_id=inbound.external_id, meta=dict(inbound.metadata),
            created_at=inbound.received_at)
        conversation.last_message_at = inbound.received_at
        db.session.flush()
        payload = {"message_id": message.id, "channel": inbound.channel,
                   "chars": len(inbound.text)}
        if inbound.metadata.get("simulation"):
            payload["simulation"] = inbound.metadata["simulation"]
        events.record(events.MESSAGE_RECEIVED, conversation_id=conversation.id,
                      customer_id=customer.id, payload=payload)
        return message

    # --- answering once ----------------------------------------------------------------------

    def _claim(self, message_id: int) -> bool:
        now = utcnow()
        with self._writer():
            won = claim_answer(message_id, now=now, stale_before=now - CLAIM_TTL)
            db.session.commit()
        return won

    def _wait_for(self, message_id: int, wait_s: float) -> Outcome:
        """Another turn answers this message: wait for its outcome, up to `wait_s`."""
        deadline = time.monotonic() + wait_s
        while True:
            db.session.expire_all()
            message = db.session.get(Message, message_id)
            if message.answered_at is not None:
                return _stored(message)
            if time.monotonic() >= deadline:
                db.session.rollback()
                raise DeskError("conflict", "this message is being answered already")
            db.session.rollback()  # no transaction held open while waiting
            time.sleep(WAIT_POLL_S)

    def _decide(self, message: Message, started: float) -> Outcome:
        conversation, customer = message.conversation, message.conversation.customer
        history = list(recent_messages(conversation.id, limit=13, before_id=message.id))
        nlu = self.analyse(
            message.body, catalogue=catalogue_cache.nlu_catalogue(),
            history=[m.body for m in history if m.direction == "in"][-5:],
            language_hint=i18n.language_of(conversation.language, customer.language))
        message.intent, message.sentiment, message.confidence = (
            nlu.intent, nlu.sentiment, nlu.confidence)
        settings = self.current_settings()
        understood = nlu.intent != "other" or nlu.confidence >= settings.low_confidence
        # A message the NLU could not read says little about its language either.
        language = i18n.language_of(nlu.language if understood else None,
                                    conversation.language, customer.language)
        kind = media.kind_of(message.meta or {})
        if conversation.status == "closed":
            outcome = self._rated(message, conversation, language, started)
        elif conversation.status == "active":
            outcome = self._relay(message, conversation, customer, nlu, language, started)
        elif conversation.status == "waiting" and (
                away.asks_to_leave_message(message.body)
                or (conversation.context or {}).get("leaving_message")):
            outcome = self._leave_message(message, conversation, customer, nlu, language,
                                          started)
        elif kind and not message.body.strip():
            outcome = self._acknowledge(message, conversation, customer, language, kind,
                                        started)
        else:
            outcome = self._reply(message, conversation, customer, nlu, language, history,
                                  started, media_kind=kind, settings=settings)
        message.answered_at = utcnow()
        message.meta = {**(message.meta or {}), "outcome": outcome.to_dict(),
                        "language": nlu.language, "frustrated": nlu.frustrated}
        return outcome

    def _reply(self, message: Message, conversation: Conversation, customer: Customer,
               nlu: NluResult, language: str, history: list[Message], started: float, *,
               media_kind: str | None, settings: EngineSettings) -> Outcome:
        now = utcnow()
        toolbox = Toolbox(customer=customer, conversation=conversation, message=message,
                          policy=Policy(return_window_days=settings.return_window_days),
                          now=now, nlu=nlu)
        turn = Turn(customer=customer, conversation=conversation, message=message, nlu=nlu,
                    language=language, history=history, toolbox=toolbox,
                    knowledge=self.knowledge, settings=settings, now=now)
        agent = answering(self.agent, settings)
        try:
            reply, failed = attempt(agent, turn), False
        except AgentFailure:
            reply = AgentReply(i18n.text(language, FALLBACK, name=customer.first_name),
                               agent=agent.name, resolution="not_understood")
            failed = True
        text = reply.text
        if media_kind:
            text = f"{media.received(media_kind, language, customer.first_name)}\n\n{text}"
        earlier = [m.body for m in history if m.sender == "ai"][-5:]
        score, judged = quality.score(
            confidence=nlu.confidence, used_tool=reply.used_tool,
            knowledge_score=reply.knowledge.score if reply.knowledge else None,
            personalised=reply.personalised, language_match=nlu.language in (language, "und"),
            resolution=reply.resolution, repeated=quality.is_repeat(reply.text, earlier),
            fallback=failed)
        latency_ms = int((time.perf_counter() - started) * 1000)
        out = add_message(
            conversation_id=conversation.id, customer_id=customer.id, channel=message.channel,
            direction="out", sender="ai", body=text, reply_to_id=message.id,
            intent=nlu.intent, confidence=nlu.confidence, quality=score, latency_ms=latency_ms,
            meta={"agent": reply.agent, "quick_replies": [q.__dict__ for q in
                                                          reply.quick_replies],
                  "knowledge": reply.knowledge.article_id if reply.knowledge else None,
                  "usage": reply.usage, "language": language, "fallback": failed,
                  "quality": judged, "resolution": reply.resolution,
                  "tools": [{"tool": tool, "result": result}
                            for tool, result in toolbox.calls]})
        conversation.language = language
        conversation.last_message_at = now
        db.session.flush()
        ticket = turn.toolbox.ticket
        outcome = Outcome(
            conversation_id=conversation.id, message_id=message.id, reply=text,
            reply_message_id=out.id, quick_replies=list(reply.quick_replies),
            intent=nlu.intent, category=CATEGORY.get(nlu.intent, "general"),
            confidence=round(nlu.confidence, 3), language=language,
            sentiment=round(nlu.sentiment, 3), frustrated=nlu.frustrated,
            entities=nlu.entities, actions=list(turn.toolbox.actions),
            ticket={"reference": ticket.reference, "priority": ticket.priority,
                    "status": ticket.status} if ticket is not None else None,
            handoff=conversation.status == "waiting" and turn.toolbox.handoff, quality=score,
            latency_ms=latency_ms, agent=reply.agent, status=conversation.status)
        self._replied(out, message, outcome, ticket_id=ticket.id if ticket else None)
        return outcome

    def _acknowledge(self, message: Message, conversation: Conversation, customer: Customer,
                     language: str, kind: str, started: float) -> Outcome:
        """Answer a picture or file without words: thank, and have a person look at it."""
        from automation.tickets.flows import open_ticket

        ticket = open_ticket(customer=customer, conversation=conversation,
                             title=f"{kind.capitalize()} sent without words",
                             description="See the conversation's attachment.",
                             category="other", priority="normal", now=utcnow())
        text = (f"{media.received(kind, language, customer.first_name)} "
                f"{media.will_look(language)}")
        out = add_message(conversation_id=conversation.id, customer_id=customer.id,
                          channel=message.channel, direction="out", sender="ai", body=text,
                          reply_to_id=message.id, intent="other", latency_ms=0,
                          meta={"agent": "acknowledgement", "language": language})
        conversation.last_message_at = utcnow()
        db.session.flush()
        outcome = Outcome(conversation_id=conversation.id, message_id=message.id, reply=text,
                          reply_message_id=out.id, language=language, agent="acknowledgement",
                          status=conversation.status,
                          ticket={"reference": ticket.reference, "priority": ticket.priority,
                                  "status": ticket.status},
                          actions=[{"type": "ticket.created", "ticket": ticket.reference,
                                    "priority": ticket.priority}],
                          latency_ms=int((time.perf_counter() - started) * 1000))
        self._replied(out, message, outcome, ticket_id=ticket.id)
        return outcome

    def _replied(self, out: Message, message: Message, outcome: Outcome, *,
                 ticket_id: int | None) -> None:
        payload = {"message_id": out.id, "in_reply_to": message.id, "intent": outcome.intent,
                   "language": outcome.language, "quality": outcome.quality,
                   "latency_ms": outcome.latency_ms, "agent": outcome.agent,
                   "channel": message.channel, "actions": outcome.actions,
                   "handoff": outcome.handoff}
        if (message.meta or {}).get("simulation"):
            payload["simulation"] = message.meta["simulation"]
        events.record(events.MESSAGE_REPLIED, conversation_id=outcome.conversation_id,
                      customer_id=message.customer_id, ticket_id=ticket_id, payload=payload)

    def _rated(self, message: Message, conversation: Conversation, language: str,
               started: float) -> Outcome:
        """A rating given in a message after the conversation closed: store it once, thank."""
        text = csat.rating_turn(message, conversation, language=language)
        return self._say(message, conversation, text, language=language, started=started,
                         agent="csat", intent="feedback")

    def _leave_message(self, message: Message, conversation: Conversation,
                       customer: Customer, nlu: NluResult, language: str,
                       started: float) -> Outcome:
        """The team is away and the shopper leaves a message: it becomes a ticket."""
        left = away.leave_message_turn(message, conversation, customer, nlu=nlu,
                                       language=language, category=CATEGORY, now=utcnow())
        return self._say(message, conversation, left.text, language=language, started=started,
                         agent="desk", intent=left.intent, ticket=left.ticket,
                         actions=left.actions)

    def _say(self, message: Message, conversation: Conversation, text: str, *,
             language: str, started: float, agent: str, intent: str,
             ticket: Any = None, actions: list[dict[str, Any]] | None = None) -> Outcome:
        """Store a reply the desk writes itself (no agent), and its event."""
        out = add_message(conversation_id=conversation.id, customer_id=message.customer_id,
                          channel=message.channel, direction="out", sender="ai", body=text,
                          reply_to_id=message.id, intent=intent, latency_ms=0,
                          meta={"agent": agent, "language": language})
        conversation.last_message_at = utcnow()
        db.session.flush()
        outcome = Outcome(
            conversation_id=conversation.id, message_id=message.id, reply=text,
            reply_message_id=out.id, language=language, agent=agent, intent=intent,
            status=conversation.status, actions=list(actions or []),
            ticket={"reference": ticket.reference, "priority": ticket.priority,
                    "status": ticket.status} if ticket is not None else None,
            latency_ms=int((time.perf_counter() - started) * 1000))
        self._replied(out, message, outcome, ticket_id=ticket.id if ticket else None)
        return outcome

    def _relay(self, message: Message, conversation: Conversation, customer: Customer,
               nlu: NluResult, language: str, started: float) -> Outcome:
        """A person holds the conversation: store and pass the message on, no AI reply."""
        events.record(events.MESSAGE_RELAYED, conversation_id=conversation.id,
                      customer_id=customer.id,
                      payload={"message_id": message.id,
                               "staff_id": conversation.assigned_staff_id})
        return Outcome(
            conversation_id=conversation.id, message_id=message.id, reply=None,
            intent=nlu.intent, category=CATEGORY.get(nlu.intent, "general"),
            confidence=round(nlu.confidence, 3), language=language,
            sentiment=round(nlu.sentiment, 3), frustrated=nlu.frustrated,
            entities=nlu.entities, latency_ms=int((time.perf_counter() - started) * 1000),
            agent="human", status="active", relayed=True)


def _commit(*, keep_loaded: bool) -> None:
    """Commit; with `keep_loaded`, the turn goes on with the rows it holds (this session
    wrote them) instead of reading them all again."""
    session = db.session()
    expire, session.expire_on_commit = session.expire_on_commit, not keep_loaded and \
        session.expire_on_commit
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def _stored(message: Message) -> Outcome:
    """Return the outcome an earlier turn stored for this message, marked as a duplicate."""
    return replace(Outcome.from_dict((message.meta or {})["outcome"]), duplicate=True)
