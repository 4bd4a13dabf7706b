"""A shopper with a bit of everything the desk keeps: orders, conversations with messages,
a ticket, a rating, events, an archive; aged as a test needs."""

from __future__ import annotations

from datetime import timedelta

from automation.privacy.records import conversation_record, pack
from database import db, events
from database.base import utcnow
from database.models import Archive, Conversation, Customer, Message
from tests import factories, ticket_factories


def chat(owner: Customer, *, days_ago: float, status: str = "closed", channel: str = "web",
         words: str = "Where is my parcel?", rating: int | None = None) -> Conversation:
    """Add a conversation whose last message was `days_ago`, with a question and an answer."""
    at = utcnow() - timedelta(days=days_ago)
    conversation = ticket_factories.conversation(owner, channel=channel, status=status,
                                                 started_at=at, last_message_at=at,
                                                 ended_at=at if status == "closed" else None,
                                                 rating=rating)
    question = Message(conversation_id=conversation.id, customer_id=owner.id, channel=channel,
                       direction="in", sender="customer", body=words, created_at=at)
    db.session.add(question)
    db.session.flush()
    db.session.add(Message(conversation_id=conversation.id, customer_id=owner.id,
                           channel=channel, direction="out", sender="ai", reply_to_id=question.id,
                           body=f"Hello {owner.first_name}, it is on its way.", created_at=at))
    events.record(events.MESSAGE_RECEIVED, conversation_id=conversation.id,
                  customer_id=owner.id, payload={"message_id": question.id, "channel": channel,
                                                 "chars": len(words)})
    if rating:
        events.record(events.CSAT_SUBMITTED, conversation_id=conversation.id,
                      customer_id=owner.id, payload={"rating": rating,
                                                     "comment": f"{owner.first_name} liked it"})
    db.session.commit()
    return conversation


def archived(owner: Customer, *, days_ago: float) -> Archive:
    """Add an archive made `days_ago` of a conversation of this shopper."""
    at = utcnow() - timedelta(days=days_ago)
    conversation = chat(owner, days_ago=days_ago + 90, words=f"Archived words of {owner.phone}")
    record = conversation_record(conversation, list(db.session.query(Message).filter_by(
        conversation_id=conversation.id)))
    archive = Archive(conversation_id=conversation.id, customer_id=owner.id,
                      channel="web", started_at=conversation.started_at,
                      last_message_at=conversation.last_message_at, message_count=2,
                      data=pack(record), archived_at=at)
    db.session.query(Message).filter_by(conversation_id=conversation.id).delete()
    db.session.delete(conversation)
    db.session.add(archive)
    db.session.commit()
    return archive


def everything(*, first: str, last: str, email: str, phone: str) -> Customer:
    """Return a shopper with orders, recent and old chats, a ticket, a rating and an archive."""
    owner = factories.customer(first_name=first, last_name=last, email=email, phone=phone,
                               language="en")
    factories.order(owner, shipping_address={"line1": f"{last} House", "postcode": "1000",
                                             "city": "Lisboa", "country": "PT"},
                    tracking_number=f"TRK{phone[-6:]}")
    chat(owner, days_ago=1, status="ai", words=f"I am {first} {last}, call me on {phone}")
    chat(owner, days_ago=3, rating=5)
    ticket_factories.ticket(owner, title=f"Parcel of {first} {last}",
                            description=f"Write to {email}", channel="email")
    events.record(events.MESSAGE_UNREGISTERED, payload={"channel": "email", "sender": email})
    db.session.commit()
    archived(owner, days_ago=10)
    return owner
