"""Changing a ticket under one policy, whoever asks: staff, the API, or a lead in Notion."""

from __future__ import annotations

import pytest

from automation.runtime.errors import DeskError
from automation.tickets.updates import priority_floor, update_ticket
from database import db, events
from database.models import Event, Message
from tests import factories, ticket_factories


@pytest.mark.parametrize("title, floor", [
    ("My parcel is late", "low"),
    ("I will start a chargeback", "urgent"),
    ("The charger caught fire", "urgent"),
    ("Vou falar com o meu advogado", "urgent"),
])
def test_only_the_words_that_make_a_ticket_urgent_set_a_floor(app, title, floor):
    assert priority_floor(ticket_factories.ticket(title=title, description="")) == floor


def test_a_triager_may_lower_an_ordinary_ticket(app):
    ticket = ticket_factories.ticket(priority="normal")
    update = update_ticket(ticket.reference, priority="low", source="staff",
                           actor={"email": "lea@demo.shop"})
    assert update.changes == {"priority": ["normal", "low"]}


def test_every_bad_field_is_named_and_nothing_changes(app):
    ticket = ticket_factories.ticket(title="Fraud!", priority="urgent")
    with pytest.raises(DeskError) as raised:
        update_ticket(ticket.reference, status="gone", priority="low",
                      assignee_email="nobody@x.y", source="api", actor={})
    assert set(raised.value.fields) == {"status", "priority", "assignee_email"}
    db.session.refresh(ticket)
    assert (ticket.status, ticket.priority) == ("open", "urgent")
    assert db.session.query(Event).filter_by(kind=events.TICKET_UPDATED).count() == 0


def test_an_inactive_staff_member_cannot_be_assigned(app):
    factories.staff(email="gone@demo.shop", active=False)
    ticket = ticket_factories.ticket()
    with pytest.raises(DeskError):
        update_ticket(ticket.reference, assignee_email="gone@demo.shop", source="api",
                      actor={})


def test_closing_keeps_when_it_was_resolved_and_reopening_clears_it(app):
    ticket = ticket_factories.ticket()
    update_ticket(ticket.reference, status="resolved", source="api", actor={})
    db.session.refresh(ticket)
    resolved_at = ticket.resolved_at
    update_ticket(ticket.reference, status="closed", source="api", actor={})
    db.session.refresh(ticket)
    assert ticket.resolved_at == resolved_at
    update_ticket(ticket.reference, status="open", source="staff", actor={})
    db.session.refresh(ticket)
    assert ticket.resolved_at is None
    # Closing is not resolving: the shopper hears of the resolution only.
    assert db.session.query(Message).filter_by(sender="system").count() == 1


def test_a_note_is_kept_on_the_ticket_with_who_and_when(app):
    ticket = ticket_factories.ticket()
    update = update_ticket(ticket.reference, note="Called the carrier", source="api",
                           actor={"api_key": "n8n"})
    assert update.changes == {} and update.note == "Called the carrier"
    db.session.refresh(ticket)
    assert "api: n8n] Called the carrier" in ticket.description
    event = db.session.query(Event).filter_by(kind=events.TICKET_UPDATED).one()
    assert event.payload["note"] == "Called the carrier"


def test_a_ticket_without_a_conversation_tells_the_shopper_where_they_last_wrote(app):
    shopper = factories.customer()
    chat = ticket_factories.conversation(shopper, channel="email")
    ticket = ticket_factories.ticket(shopper, with_conversation=False)
    update_ticket(ticket.reference, status="resolved", source="api", actor={})
    notice = db.session.query(Message).filter_by(sender="system").one()
    assert notice.conversation_id == chat.id and notice.channel == "email"


def test_a_shopper_who_never_wrote_is_not_told_and_nothing_breaks(app):
    ticket = ticket_factories.ticket(with_conversation=False)
    update_ticket(ticket.reference, status="resolved", source="api", actor={})
    resolved = db.session.query(Event).filter_by(kind=events.TICKET_RESOLVED).one()
    assert resolved.payload["notice_message_id"] is None
