"""Model constraints hold on both databases, and values come back as they went in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError, StatementError

from database import db, events
from database.models import Conversation, Event, Message, Ticket
from tests import factories


def _fails_to_commit(row) -> None:
    db.session.add(row)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_email_is_unique_whatever_its_case(app):
    factories.customer(email="Camille.Dubois@Example.com")
    from database.models import Customer

    assert db.session.query(Customer).one().email == "camille.dubois@example.com"
    _fails_to_commit(Customer(first_name="C", last_name="D", email="CAMILLE.dubois@example.COM"))


def test_phone_is_unique_but_optional(app):
    from database.models import Customer

    factories.customer(phone="+33612345678")
    factories.customer(phone=None)
    factories.customer(phone=None)  # several shoppers without a phone are fine
    _fails_to_commit(Customer(first_name="A", last_name="B", email="x@example.com",
                              phone="+33612345678"))


@pytest.mark.parametrize("field, value", [("status", "lost"), ("language", "de")])
def test_customer_closed_values_are_enforced(app, field, value):
    from database.models import Customer

    _fails_to_commit(Customer(first_name="A", last_name="B", email="y@example.com",
                              **{field: value}))


def test_order_status_and_number_are_enforced(app):
    shopper = factories.customer()
    factories.order(shopper, number="CMD-10001")
    from database.models import Order

    _fails_to_commit(Order(number="CMD-10001", customer_id=shopper.id, total=Decimal("1"),
                           placed_at=datetime.now(UTC)))
    _fails_to_commit(Order(number="CMD-10002", customer_id=shopper.id, status="lost",
                           total=Decimal("1"), placed_at=datetime.now(UTC)))


def test_order_of_unknown_customer_is_refused(app):
    from database.models import Order

    _fails_to_commit(Order(number="CMD-10003", customer_id=999, total=Decimal("1"),
                           placed_at=datetime.now(UTC)))


def test_channel_message_id_deduplicates_per_channel(app):
    shopper = factories.customer()
    conversation = Conversation(customer_id=shopper.id, channel="whatsapp")
    db.session.add(conversation)
    db.session.commit()
    base = {"conversation_id": conversation.id, "direction": "in", "sender": "customer",
            "body": "oi"}
    db.session.add(Message(channel="whatsapp", channel_message_id="wamid.1", **base))
    db.session.add(Message(channel="email", channel_message_id="wamid.1", **base))
    db.session.commit()
    _fails_to_commit(Message(channel="whatsapp", channel_message_id="wamid.1", **base))


def test_rating_is_between_one_and_five(app):
    shopper = factories.customer()
    _fails_to_commit(Conversation(customer_id=shopper.id, channel="web", rating=6))


def test_ticket_priority_and_reference(app):
    shopper = factories.customer()
    db.session.add(Ticket(reference="TCK-2026-000001", customer_id=shopper.id, title="Late"))
    db.session.commit()
    _fails_to_commit(Ticket(reference="TCK-2026-000001", customer_id=shopper.id, title="Dup"))
    _fails_to_commit(Ticket(reference="TCK-2026-000002", customer_id=shopper.id, title="x",
                            priority="whenever"))


def test_timestamps_come_back_timezone_aware_in_utc(app):
    paris = timezone(timedelta(hours=1))
    placed = datetime(2026, 11, 12, 10, 30, tzinfo=paris)
    order = factories.order(factories.customer(), placed_at=placed)
    db.session.expire_all()
    stored = db.session.get(type(order), order.id).placed_at
    assert stored == placed
    assert stored.tzinfo is not None and stored.utcoffset() == timedelta(0)
    assert stored.hour == 9


def test_naive_timestamps_are_refused(app):
    shopper = factories.customer()
    db.session.add(Conversation(customer_id=shopper.id, channel="web",
                                started_at=datetime(2026, 1, 1)))
    with pytest.raises(StatementError):
        db.session.commit()
    db.session.rollback()


def test_json_columns_round_trip(app):
    order = factories.order(factories.customer(), shipping_address={
        "name": "João Silva", "line1": "Rua das Flores 12", "postcode": "1200-195",
        "city": "Lisboa", "country": "PT"})
    db.session.expire_all()
    assert db.session.get(type(order), order.id).shipping_address["name"] == "João Silva"


def test_events_are_recorded_with_their_references(app):
    shopper = factories.customer()
    events.record(events.CUSTOMER_REGISTERED, customer_id=shopper.id, payload={"x": 1})
    db.session.commit()
    event = db.session.query(Event).one()
    assert (event.kind, event.customer_id, event.payload) == ("customer.registered",
                                                               shopper.id, {"x": 1})
    with pytest.raises(ValueError):
        events.record("made.up")
