"""The retention schedule: conversations past the period archived, old archives erased,
recent data untouched, periods taken from Settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from automation.privacy.jobs import apply_retention, retention_every_night
from automation.privacy.records import unpack
from database import db
from database.models import Archive, Conversation, Event, Message, Ticket
from tests import factories, ticket_factories
from tests.automation.privacy.shoppers import archived, chat


def _kinds(kind: str) -> list[dict]:
    return [e.payload for e in db.session.scalars(select(Event).where(Event.kind == kind))]


def test_old_conversations_are_archived_and_old_archives_erased(app):
    owner = factories.customer(first_name="Ines", language="pt")
    old_closed = chat(owner, days_ago=100, rating=4, words="Onde está a encomenda?").id
    old_idle = chat(owner, days_ago=95, status="ai", channel="api").id
    queued = chat(owner, days_ago=120, status="waiting", channel="whatsapp").id
    recent = chat(owner, days_ago=10, channel="email").id
    ticket = ticket_factories.ticket(owner)
    ticket_id, ticket_chat, reference = ticket.id, ticket.conversation_id, ticket.reference
    db.session.get(Conversation, ticket_chat).last_message_at = \
        db.session.get(Conversation, old_closed).last_message_at
    db.session.commit()
    stale_archive = archived(owner, days_ago=400).id
    young_archive = archived(owner, days_ago=100).id

    run = apply_retention.call_local()

    assert (run.archived, run.messages, run.purged) == (3, 4, 1)
    live = set(db.session.scalars(select(Conversation.id)))
    assert live == {queued, recent}
    assert db.session.scalar(select(Message.id).where(Message.conversation_id.in_(
        [old_closed, old_idle]))) is None
    archives = {a.conversation_id: a for a in db.session.scalars(select(Archive))}
    assert stale_archive not in {a.id for a in archives.values()}
    assert young_archive in {a.id for a in archives.values()}
    record = unpack(archives[old_closed])
    assert record["rating"] == 4 and record["customer_id"] == owner.id
    assert [m["body"] for m in record["messages"]][0] == "Onde está a encomenda?"
    assert archives[old_closed].message_count == 2
    assert unpack(archives[ticket_chat])["tickets"] == [reference]
    assert db.session.get(Ticket, ticket_id).conversation_id is None  # the ticket stays
    [archived_event] = _kinds("retention.archived")
    assert archived_event["conversations"] == 3 and archived_event["messages"] == 4
    assert _kinds("retention.purged")[0]["archives"] == 1
    # A second run finds nothing more to do, and says nothing.
    again = apply_retention.call_local()
    assert (again.archived, again.purged) == (0, 0)
    assert len(_kinds("retention.archived")) == 1


def test_the_periods_are_the_ones_set_in_settings(app):
    owner = factories.customer()
    recent = chat(owner, days_ago=10).id
    kept = chat(owner, days_ago=2).id
    young_archive = archived(owner, days_ago=40).id
    app.extensions["settings"].update({"retention_days": 5, "archive_days": 30}, staff_id=None)
    run = apply_retention.call_local()
    assert run.archived == 1 and run.purged == 1
    assert set(db.session.scalars(select(Conversation.id))) == {kept}
    assert db.session.get(Archive, young_archive) is None
    assert db.session.scalar(select(Archive.conversation_id)) == recent


def test_it_is_scheduled_every_night():
    task = retention_every_night.task_class()
    assert task.validate_datetime(datetime(2026, 12, 2, 3, 17))
    assert not task.validate_datetime(datetime(2026, 12, 2, 4, 17))
