"""The desk and a lead change the same ticket between two cycles: the later edit wins, and
both are recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from automation.tickets.updates import update_ticket
from database import db, events
from database.models import Event
from tests import factories, ticket_factories


def _conflicts() -> list[Event]:
    return db.session.query(Event).filter_by(kind=events.NOTION_CONFLICT).all()


def test_a_lead_editing_after_the_desk_wins(sync, fake_notion):
    ticket = ticket_factories.ticket(priority="normal")
    sync.cycle(pull=True)
    update_ticket(ticket.reference, priority="high", source="api", actor={"api_key": "shop"})
    fake_notion.clock = lambda: datetime.now(UTC) + timedelta(minutes=3)
    fake_notion.edit(ticket.notion_page_id, {"Priority": "Urgent"})
    result = sync.cycle(pull=True)
    db.session.refresh(ticket)
    assert ticket.priority == "urgent"
    assert fake_notion.value(ticket.notion_page_id, "Priority") == "Urgent"
    (conflict,) = _conflicts()
    assert conflict.payload["field"] == "priority" and conflict.payload["winner"] == "notion"
    assert conflict.payload["desk"]["value"] == "High"
    assert conflict.payload["notion"]["value"] == "Urgent"
    assert result.findings.conflicts
    updates = db.session.query(Event).filter_by(kind=events.TICKET_UPDATED) \
        .order_by(Event.id).all()
    assert [u.payload["source"] for u in updates] == ["api", "notion"]


def test_a_desk_edit_after_the_lead_wins_and_goes_to_the_page(sync, fake_notion):
    ticket = ticket_factories.ticket(priority="normal")
    sync.cycle(pull=True)
    fake_notion.clock = lambda: datetime.now(UTC) - timedelta(minutes=5)
    fake_notion.edit(ticket.notion_page_id, {"Priority": "Urgent"})
    update_ticket(ticket.reference, priority="high", source="api", actor={"api_key": "shop"})
    sync.cycle(pull=False)   # the push reads the page first and finds the lead's edit
    db.session.refresh(ticket)
    assert ticket.priority == "high"
    assert fake_notion.value(ticket.notion_page_id, "Priority") == "High"
    (conflict,) = _conflicts()
    assert conflict.payload["winner"] == "desk"
    assert conflict.payload["notion"]["value"] == "Urgent"
    assert conflict.payload["desk"]["value"] == "High"
    sync.cycle(pull=True)  # nothing more: the lead's older edit is not applied later
    db.session.refresh(ticket)
    assert ticket.priority == "high" and len(_conflicts()) == 1


def test_edits_to_different_fields_both_stand(sync, fake_notion):
    lead = factories.staff(email="lea@demo.shop")
    ticket = ticket_factories.ticket(priority="normal")
    sync.cycle(pull=True)
    update_ticket(ticket.reference, priority="high", source="api", actor={})
    fake_notion.edit(ticket.notion_page_id, {"Assignee": "lea@demo.shop"})
    sync.cycle(pull=True)
    db.session.refresh(ticket)
    assert ticket.priority == "high" and ticket.assignee_id == lead.id
    assert fake_notion.value(ticket.notion_page_id, "Priority") == "High"
    assert fake_notion.value(ticket.notion_page_id, "Assignee") == "lea@demo.shop"
    assert _conflicts() == []


def test_both_sides_making_the_same_change_is_no_conflict(sync, fake_notion):
    ticket = ticket_factories.ticket()
    sync.cycle(pull=True)
    update_ticket(ticket.reference, status="pending", source="api", actor={})
    fake_notion.edit(ticket.notion_page_id, {"Status": "Pending"})
    sync.cycle(pull=True)
    assert _conflicts() == []
    assert db.session.query(Event).filter_by(kind=events.TICKET_UPDATED).count() == 1
