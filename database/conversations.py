"""Data functions for conversations and their messages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select, update

from database.base import db
from database.models import Conversation, Message, StaffUser

# The queue is served most urgent first, then oldest ask first.
PRIORITY_ORDER = ("urgent", "high", "normal", "low")


def get_conversation(conversation_id: int) -> Conversation | None:
    """Return the conversation with this id, or None."""
    return db.session.get(Conversation, conversation_id)


def find_open_conversation(customer_id: int, channel: str) -> Conversation | None:
    """Return the shopper's latest conversation on `channel` that is not closed, or None."""
    return db.session.scalar(
        select(Conversation)
        .where(Conversation.customer_id == customer_id, Conversation.channel == channel,
               Conversation.status != "closed")
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc()).limit(1))


def create_conversation(**fields: object) -> Conversation:
    """Add a new conversation to the session and return it."""
    conversation = Conversation(**fields)
    db.session.add(conversation)
    return conversation


def find_message(channel: str, customer_id: int, channel_message_id: str) -> Message | None:
    """Return the message this shopper already sent on `channel` with this provider id."""
    return db.session.scalar(select(Message).where(
        Message.channel == channel, Message.customer_id == customer_id,
        Message.channel_message_id == channel_message_id))


def provider_id_taken(channel: str, customer_id: int, channel_message_id: str) -> bool:
    """Tell whether another shopper's message on `channel` carries this provider id."""
    return db.session.scalar(select(Message.id).where(
        Message.channel == channel, Message.customer_id != customer_id,
        Message.channel_message_id == channel_message_id).limit(1)) is not None


def claim_answer(message_id: int, *, now: datetime, stale_before: datetime) -> bool:
    """Claim an unanswered message for this turn (no commit); False when another turn has it.

    One conditional UPDATE: of several deliveries answered at once, exactly one wins. A claim
    older than `stale_before` belongs to a turn that died, and may be taken over.
    """
    claimed = db.session.execute(
        update(Message)
        .where(Message.id == message_id, Message.answered_at.is_(None),
               or_(Message.answer_claimed_at.is_(None),
                   Message.answer_claimed_at < stale_before))
        .values(answer_claimed_at=now).execution_options(synchronize_session=False))
    return claimed.rowcount == 1


def release_answer(message_id: int) -> None:
    """Give up the claim on a message this turn could not answer (no commit)."""
    db.session.execute(update(Message).where(Message.id == message_id,
                                             Message.answered_at.is_(None))
                       .values(answer_claimed_at=None)
                       .execution_options(synchronize_session=False))


def latest_inbound(conversation_id: int, *, before_id: int | None = None) -> Message | None:
    """Return the shopper's latest message in the conversation (before `before_id`), or None."""
    query = select(Message).where(Message.conversation_id == conversation_id,
                                  Message.direction == "in")
    if before_id is not None:
        query = query.where(Message.id < before_id)
    return db.session.scalar(query.order_by(Message.id.desc()).limit(1))


def add_message(**fields: object) -> Message:
    """Add a message to the session and return it."""
    message = Message(**fields)
    db.session.add(message)
    return message


def recent_messages(conversation_id: int, *, limit: int = 20, before_id: int | None = None,
                    include_private: bool = False) -> Sequence[Message]:
    """Return the conversation's last `limit` messages, oldest first.

    Staff's private notes are left out unless asked for: shoppers and agents never read them.
    """
    query = select(Message).where(Message.conversation_id == conversation_id)
    if not include_private:
        query = query.where(Message.private.is_(False))
    if before_id is not None:
        query = query.where(Message.id < before_id)
    rows = db.session.scalars(query.order_by(Message.id.desc()).limit(limit)).all()
    return list(reversed(rows))


def priority_rank() -> object:
    """Return the SQL rank of a conversation's priority (0 = urgent)."""
    return case({name: rank for rank, name in enumerate(PRIORITY_ORDER)},
                value=Conversation.priority, else_=len(PRIORITY_ORDER))


def queue_order() -> tuple[object, ...]:
    """Return the ORDER BY of the queue: priority, then the oldest ask, then the id."""
    return (priority_rank(), Conversation.waiting_since.asc(), Conversation.id.asc())


def waiting_queue(*, team: str | None = None, channel: str | None = None,
                  limit: int = 500) -> Sequence[Conversation]:
    """Return the waiting conversations in the order they are served."""
    query = select(Conversation).where(Conversation.status == "waiting")
    if team is not None:
        query = query.where(Conversation.team == team)
    if channel is not None:
        query = query.where(Conversation.channel == channel)
    return db.session.scalars(query.order_by(*queue_order()).limit(limit)).all()


def queue_position(conversation: Conversation) -> int:
    """Return the 1-based place of a waiting conversation in the queue.

    Those ahead: more urgent ones, then as urgent ones that asked earlier (or at the same
    instant with a smaller id).
    """
    rank = PRIORITY_ORDER.index(conversation.priority) \
        if conversation.priority in PRIORITY_ORDER else len(PRIORITY_ORDER)
    since = conversation.waiting_since or conversation.last_message_at
    same = priority_rank() == rank
    earlier = (Conversation.waiting_since < since) | (
        (Conversation.waiting_since == since) & (Conversation.id < conversation.id))
    ahead = select(func.count()).select_from(Conversation).where(
        Conversation.status == "waiting", Conversation.id != conversation.id,
        or_(priority_rank() < rank, and_(same, earlier)))
    return (db.session.scalar(ahead) or 0) + 1


def queue_positions() -> dict[int, int]:
    """Return the place in the queue of every waiting conversation, by id."""
    ids = db.session.scalars(select(Conversation.id).where(Conversation.status == "waiting")
                             .order_by(*queue_order())).all()
    return {conversation_id: place for place, conversation_id in enumerate(ids, start=1)}


def earliest_wait() -> datetime | None:
    """Return when the longest-waiting shopper in the queue asked for a person."""
    return db.session.scalar(select(func.min(Conversation.waiting_since))
                             .where(Conversation.status == "waiting"))


def take_conversation(conversation_id: int, staff_id: int, *, now: datetime,
                      from_status: str = "waiting", from_staff_id: int | None = None,
                      capacity: int | None = None) -> bool:
    """Give the conversation to a staff member if it is still as the caller saw it (no commit).

    One conditional UPDATE, so that of two staff accepting at once exactly one wins: it
    holds only while the conversation is in `from_status` and held by `from_staff_id` (None:
    nobody). With `capacity`, it also holds only while the staff member has fewer active
    conversations than that; on PostgreSQL their row is locked first, so that two
    assignments to one person at once are counted one after the other.
    """
    if capacity is not None and db.engine.dialect.name == "postgresql":
        db.session.execute(select(StaffUser.id).where(StaffUser.id == staff_id)
                           .with_for_update())
    holder = Conversation.assigned_staff_id.is_(None) if from_staff_id is None \
        else Conversation.assigned_staff_id == from_staff_id
    conditions = [Conversation.id == conversation_id, Conversation.status == from_status,
                  holder]
    if capacity is not None:
        held = (select(func.count()).select_from(Conversation)
                .where(Conversation.assigned_staff_id == staff_id,
                       Conversation.status == "active").scalar_subquery())
        conditions.append(held < capacity)
    taken = db.session.execute(
        update(Conversation).where(*conditions)
        .values(status="active", assigned_staff_id=staff_id, assigned_at=now,
                escalated_at=None)
        .execution_options(synchronize_session=False))
    return taken.rowcount == 1


def staff_loads() -> dict[int, int]:
    """Return how many active conversations each staff member holds, by staff id."""
    rows = db.session.execute(
        select(Conversation.assigned_staff_id, func.count())
        .where(Conversation.status == "active", Conversation.assigned_staff_id.is_not(None))
        .group_by(Conversation.assigned_staff_id))
    return {staff_id: count for staff_id, count in rows}


def held_by(staff_id: int) -> Sequence[Conversation]:
    """Return the active conversations a staff member holds, longest-held first."""
    return db.session.scalars(
        select(Conversation).where(Conversation.assigned_staff_id == staff_id,
                                   Conversation.status == "active")
        .order_by(Conversation.assigned_at.asc().nulls_first(), Conversation.id)).all()


def active_conversations(limit: int = 500) -> Sequence[Conversation]:
    """Return every conversation a person holds, longest-held first."""
    return db.session.scalars(
        select(Conversation).where(Conversation.status == "active")
        .order_by(Conversation.assigned_at.asc().nulls_first(), Conversation.id)
        .limit(limit)).all()


def overdue_waiting(before: datetime) -> Sequence[Conversation]:
    """Return waiting conversations asked before `before` whose wait nobody was told of."""
    return db.session.scalars(
        select(Conversation).where(Conversation.status == "waiting",
                                   Conversation.waiting_since < before,
                                   Conversation.escalated_at.is_(None))
        .order_by(*queue_order())).all()


def claim_escalation(conversation_id: int, *, now: datetime) -> bool:
    """Mark a waiting conversation as escalated (no commit); False if it was already."""
    claimed = db.session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.status == "waiting",
               Conversation.escalated_at.is_(None))
        .values(escalated_at=now).execution_options(synchronize_session=False))
    return claimed.rowcount == 1


def customer_conversations(customer_id: int, *, exclude_id: int | None = None,
                           limit: int = 20) -> Sequence[Conversation]:
    """Return the shopper's conversations on every channel, newest first."""
    query = select(Conversation).where(Conversation.customer_id == customer_id)
    if exclude_id is not None:
        query = query.where(Conversation.id != exclude_id)
    return db.session.scalars(
        query.order_by(Conversation.started_at.desc(), Conversation.id.desc()).limit(limit)).all()


def last_messages(conversation_ids: Sequence[int]) -> dict[int, Message]:
    """Return the latest message staff and shopper both see, of each conversation, by id."""
    if not conversation_ids:
        return {}
    latest = (select(func.max(Message.id)).where(Message.conversation_id.in_(conversation_ids),
                                                 Message.private.is_(False))
              .group_by(Message.conversation_id))
    return {m.conversation_id: m for m in db.session.scalars(
        select(Message).where(Message.id.in_(latest)))}


def latest_intents(conversation_ids: Sequence[int]) -> dict[int, Message]:
    """Return the shopper's latest analysed message of each conversation, by id."""
    if not conversation_ids:
        return {}
    latest = (select(func.max(Message.id))
              .where(Message.conversation_id.in_(conversation_ids), Message.direction == "in",
                     Message.intent.is_not(None))
              .group_by(Message.conversation_id))
    return {m.conversation_id: m for m in db.session.scalars(
        select(Message).where(Message.id.in_(latest)))}


def staff_replied_since(conversation_id: int, since: datetime | None) -> bool:
    """Tell whether a person already wrote to the shopper since `since`."""
    query = select(Message.id).where(Message.conversation_id == conversation_id,
                                     Message.sender == "agent", Message.private.is_(False))
    if since is not None:
        query = query.where(Message.created_at >= since)
    return db.session.scalar(query.limit(1)) is not None


def latest_closed_conversation(customer_id: int, channel: str) -> Conversation | None:
    """Return the shopper's most recently closed conversation on `channel`, or None."""
    return db.session.scalar(
        select(Conversation).where(Conversation.customer_id == customer_id,
                                   Conversation.channel == channel,
                                   Conversation.status == "closed")
        .order_by(Conversation.ended_at.desc().nulls_last(), Conversation.id.desc()).limit(1))


def latest_conversation(customer_id: int, channel: str) -> Conversation | None:
    """Return the shopper's open conversation on `channel`, else their latest one, or None."""
    return find_open_conversation(customer_id, channel) or db.session.scalar(
        select(Conversation)
        .where(Conversation.customer_id == customer_id, Conversation.channel == channel)
        .order_by(Conversation.started_at.desc(), Conversation.id.desc()).limit(1))


def list_conversations(customer_id: int, channel: str, *, limit: int = 20,
                       exclude_id: int | None = None) -> Sequence[Conversation]:
    """Return the shopper's conversations on `channel`, newest first."""
    query = select(Conversation).where(Conversation.customer_id == customer_id,
                                       Conversation.channel == channel)
    if exclude_id is not None:
        query = query.where(Conversation.id != exclude_id)
    return db.session.scalars(
        query.order_by(Conversation.started_at.desc(), Conversation.id.desc()).limit(limit)).all()


def first_inbound_bodies(conversation_ids: Sequence[int]) -> dict[int, str]:
    """Return the first shopper message of each conversation, by conversation id."""
    if not conversation_ids:
        return {}
    firsts = (select(func.min(Message.id)).where(Message.conversation_id.in_(conversation_ids),
                                                 Message.direction == "in")
              .group_by(Message.conversation_id))
    rows = db.session.execute(select(Message.conversation_id, Message.body)
                              .where(Message.id.in_(firsts)))
    return {conversation_id: body for conversation_id, body in rows}


def messages_after(conversation_id: int, after_id: int, *, limit: int = 200,
                   include_private: bool = False) -> Sequence[Message]:
    """Return the conversation's messages with an id above `after_id`, oldest first (private
    notes only when asked for)."""
    query = select(Message).where(Message.conversation_id == conversation_id,
                                  Message.id > after_id)
    if not include_private:
        query = query.where(Message.private.is_(False))
    return db.session.scalars(query.order_by(Message.id).limit(limit)).all()


def set_rating_once(conversation_id: int, rating: int) -> bool:
    """Rate a closed, unrated conversation; return False when it was rated meanwhile."""
    result = db.session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.status == "closed",
               Conversation.rating.is_(None))
        .values(rating=rating).execution_options(synchronize_session="fetch"))
    return result.rowcount == 1
