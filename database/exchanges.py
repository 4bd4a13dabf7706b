"""Recent exchanges: each AI reply with the shopper's message it answers, newest first, for
the admins' review of quality. Pages by keyset (`before_id`), so a deep page costs what the
first does."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased, contains_eager

from database import events
from database.base import db
from database.models import Conversation, Event, Message

LOW_QUALITY = 50  # a score under this is worth a look


@dataclass(frozen=True)
class ExchangeFilters:
    """Which exchanges to list."""

    low_quality: bool = False
    handoffs: bool = False
    errors: bool = False
    channel: str | None = None
    language: str | None = None


@dataclass
class Exchange:
    """An AI reply, the shopper's message it answers, and the staff's flags on it."""

    reply: Message
    question: Message | None
    flags: list[Event] = field(default_factory=list)

    @property
    def meta(self) -> dict[str, Any]:
        return self.reply.meta or {}

    @property
    def usage(self) -> dict[str, Any]:
        return self.meta.get("usage") or {}


def _query(filters: ExchangeFilters) -> Select:
    question = aliased(Message, name="question")
    query = (select(Message, question)
             .join(Message.conversation).join(Conversation.customer)
             .outerjoin(question, question.id == Message.reply_to_id)
             .options(contains_eager(Message.conversation).contains_eager(Conversation.customer))
             .where(Message.sender == "ai", Message.reply_to_id.is_not(None)))
    if filters.low_quality:
        query = query.where(Message.quality < LOW_QUALITY)
    if filters.handoffs:
        query = query.where(or_(Message.meta["resolution"].as_string() == "handed_off",
                                question.meta[("outcome", "handoff")].as_boolean()))
    if filters.errors:
        query = query.where(or_(Message.meta["fallback"].as_boolean(),
                                Message.meta[("usage", "fallback_reason")].as_string()
                                .is_not(None),
                                Message.delivery_status == "failed"))
    if filters.channel:
        # The conversation's channel is the reply's: on the reply itself, SQLite would pick
        # the (channel, …) unique index and sort every message of the channel.
        query = query.where(Conversation.channel == filters.channel)
    if filters.language:
        query = query.where(Message.meta["language"].as_string() == filters.language)
    return query


def list_exchanges(filters: ExchangeFilters, *, before_id: int | None = None,
                   limit: int = 50) -> list[Exchange]:
    """Return up to `limit` exchanges matching `filters`, newest first, older than the reply
    `before_id` when given, with their flags."""
    query = _query(filters)
    if before_id is not None:
        query = query.where(Message.id < before_id)
    rows = db.session.execute(query.order_by(Message.id.desc()).limit(limit)).all()
    found = [Exchange(reply=reply, question=question) for reply, question in rows]
    _attach_flags(found)
    return found


def iter_exchanges(filters: ExchangeFilters, *, batch: int = 500) -> Iterator[Exchange]:
    """Yield every exchange matching `filters`, newest first, a batch at a time."""
    before_id = None
    while True:
        found = list_exchanges(filters, before_id=before_id, limit=batch)
        yield from found
        if len(found) < batch:
            return
        before_id = found[-1].reply.id
        db.session.expunge_all()  # a long export keeps one batch in memory, not all of them


def get_exchange(message_id: int) -> Exchange | None:
    """Return the exchange of AI reply `message_id`, or None if it is no AI reply."""
    row = db.session.execute(_query(ExchangeFilters()).where(Message.id == message_id)).first()
    if row is None:
        return None
    found = [Exchange(reply=row[0], question=row[1])]
    _attach_flags(found)
    return found[0]


def _attach_flags(found: Sequence[Exchange]) -> None:
    by_reply = {exchange.reply.id: exchange for exchange in found}
    conversation_ids = {exchange.reply.conversation_id for exchange in found}
    if not conversation_ids:
        return
    flags = db.session.scalars(
        select(Event).where(Event.kind == events.EXCHANGE_FLAGGED,
                            Event.conversation_id.in_(conversation_ids)).order_by(Event.id))
    for flag in flags:
        exchange = by_reply.get((flag.payload or {}).get("message_id"))
        if exchange is not None:
            exchange.flags.append(flag)

