"""Data functions of retention and privacy: a shopper's rows, archives, and their removal.

Nothing here commits: the flows in automation.privacy do, once per batch or request.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Text, cast, delete, inspect, or_, select, update

from database import events
from database.base import db
from database.models import (Archive, Conversation, Customer, Event, Message, Order, Ticket,
                             WebhookDelivery)

RETAINED_STATUSES = ("closed", "ai")  # a person holds "waiting" and "active" ones: never aged


def row_values(row: Any) -> dict[str, Any]:
    """Return a row's columns as JSON-ready values (times in ISO 8601, money as text)."""
    values = {}
    for column in inspect(row).mapper.column_attrs:
        value = getattr(row, column.key)
        if isinstance(value, (datetime, date)):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, bytes):
            continue
        values[column.key] = value
    return values


# --- one shopper's rows ---------------------------------------------------------------------

def orders_of(customer_id: int) -> Sequence[Order]:
    """Return a shopper's orders, oldest first."""
    return db.session.scalars(select(Order).where(Order.customer_id == customer_id)
                              .order_by(Order.placed_at, Order.id)).all()


def conversations_of(customer_id: int) -> Sequence[Conversation]:
    """Return every live conversation of a shopper, oldest first."""
    return db.session.scalars(select(Conversation).where(Conversation.customer_id == customer_id)
                              .order_by(Conversation.id)).all()


def messages_of(conversation_ids: Sequence[int]) -> Sequence[Message]:
    """Return the messages of these conversations, in order."""
    if not conversation_ids:
        return []
    return db.session.scalars(select(Message).where(Message.conversation_id.in_(
        conversation_ids)).order_by(Message.conversation_id, Message.id)).all()


def tickets_of(customer_id: int) -> Sequence[Ticket]:
    """Return a shopper's tickets, oldest first."""
    return db.session.scalars(select(Ticket).where(Ticket.customer_id == customer_id)
                              .order_by(Ticket.id)).all()


def archives_of(customer_id: int) -> Sequence[Archive]:
    """Return a shopper's archived conversations, oldest first."""
    return db.session.scalars(select(Archive).where(Archive.customer_id == customer_id)
                              .order_by(Archive.conversation_id)).all()


def events_about(customer_id: int, *, conversation_ids: Sequence[int],
                 ticket_ids: Sequence[int], mentions: Sequence[str] = ()) -> Sequence[Event]:
    """Return the events about a shopper: theirs, their conversations' and tickets', and those
    whose payload names one of `mentions` (their email or phone, before they registered)."""
    about = [Event.customer_id == customer_id]
    if conversation_ids:
        about.append(Event.conversation_id.in_(conversation_ids))
    if ticket_ids:
        about.append(Event.ticket_id.in_(ticket_ids))
    about += [cast(Event.payload, Text).contains(text, autoescape=True)
              for text in mentions if text]
    return db.session.scalars(select(Event).where(or_(*about)).order_by(Event.id)).all()


def privacy_history(*, limit: int) -> Sequence[Event]:
    """Return the latest exports, erasures and retention runs, newest first."""
    kinds = (events.PRIVACY_EXPORTED, events.PRIVACY_ERASED, events.RETENTION_ARCHIVED,
             events.RETENTION_PURGED)
    return db.session.scalars(select(Event).where(Event.kind.in_(kinds))
                              .order_by(Event.id.desc()).limit(limit)).all()


# --- retention ------------------------------------------------------------------------------

def stale_conversations(before: datetime, *, limit: int) -> Sequence[Conversation]:
    """Return closed or AI-held conversations with no message since `before`, oldest first,
    locked for this transaction (PostgreSQL; SQLite has one writer anyway)."""
    return db.session.scalars(
        select(Conversation)
        .where(Conversation.status.in_(RETAINED_STATUSES),
               Conversation.last_message_at < before)
        .order_by(Conversation.last_message_at, Conversation.id).limit(limit)
        # Two workers running the schedule at once take different conversations; a shopper
        # writing again meanwhile waits for this batch, then finds a new conversation.
        .with_for_update(of=Conversation, skip_locked=True)).all()


def ticket_references(conversation_ids: Sequence[int]) -> dict[int, list[str]]:
    """Return the references of the tickets opened from each of these conversations."""
    found: dict[int, list[str]] = {}
    for conversation_id, reference in db.session.execute(
            select(Ticket.conversation_id, Ticket.reference)
            .where(Ticket.conversation_id.in_(conversation_ids)).order_by(Ticket.id)):
        found.setdefault(conversation_id, []).append(reference)
    return found


def add_archive(**fields: Any) -> Archive:
    """Add an archive to the session."""
    archive = Archive(**fields)
    db.session.add(archive)
    return archive


def delete_conversations(conversation_ids: Sequence[int]) -> int:
    """Delete conversations and their messages (tickets keep, without the link); return how
    many messages went."""
    if not conversation_ids:
        return 0
    gone = db.session.execute(delete(Message).where(Message.conversation_id.in_(
        conversation_ids)).execution_options(synchronize_session=False)).rowcount
    db.session.execute(update(Ticket).where(Ticket.conversation_id.in_(conversation_ids))
                       .values(conversation_id=None).execution_options(
                           synchronize_session=False))
    db.session.execute(delete(Conversation).where(Conversation.id.in_(conversation_ids))
                       .execution_options(synchronize_session=False))
    return gone


def delete_archives_before(before: datetime) -> int:
    """Delete archives made before `before`; return how many."""
    return db.session.execute(delete(Archive).where(Archive.archived_at < before)
                              .execution_options(synchronize_session=False)).rowcount


# --- erasure --------------------------------------------------------------------------------

def delete_tickets(ticket_ids: Sequence[int]) -> int:
    """Delete tickets (their Notion links go with them); return how many."""
    if not ticket_ids:
        return 0
    return db.session.execute(delete(Ticket).where(Ticket.id.in_(ticket_ids))
                              .execution_options(synchronize_session=False)).rowcount


def delete_archives_of(customer_id: int) -> int:
    """Delete a shopper's archives; return how many."""
    return db.session.execute(delete(Archive).where(Archive.customer_id == customer_id)
                              .execution_options(synchronize_session=False)).rowcount


def delete_deliveries(*, event_ids: Sequence[int], mentions: Sequence[str]) -> int:
    """Delete outbound webhook deliveries of these events, or whose body names a mention."""
    about = [WebhookDelivery.body.contains(text, autoescape=True) for text in mentions if text]
    if event_ids:
        about.append(WebhookDelivery.event_id.in_(event_ids))
    if not about:
        return 0
    return db.session.execute(delete(WebhookDelivery).where(or_(*about))
                              .execution_options(synchronize_session=False)).rowcount


def delete_customer(customer: Customer) -> None:
    """Delete a shopper's row."""
    db.session.delete(customer)
