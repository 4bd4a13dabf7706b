"""Tickets become pages, leads' edits come back, the desk's own writes do not echo."""

from __future__ import annotations

from automation.tickets.updates import update_ticket
from database import db, events
from database.models import Event, Message, NotionPage, Ticket
from tests import factories, ticket_factories
from tests.fakes.notion_api import LEAD_ID


def _kinds(kind: str) -> list[Event]:
    return db.session.query(Event).filter_by(kind=kind).order_by(Event.id).all()


def test_a_new_ticket_becomes_a_page_with_every_property(sync, fake_notion, database_id):
    lead = factories.staff(email="lea@demo.shop", name="Léa")
    shopper = factories.customer(email="camille@example.com")
    ticket = ticket_factories.ticket(shopper, title="Colis abîmé", category="return_refund",
                                     priority="high", channel="whatsapp")
    ticket.assignee_id = lead.id
    db.session.commit()
    result = sync.cycle(pull=True)
    assert result.error is None and result.created == 1
    db.session.refresh(ticket)
    page_id = ticket.notion_page_id
    assert page_id in fake_notion.pages
    value = lambda name: fake_notion.value(page_id, name)  # noqa: E731
    assert value("Title") == "Colis abîmé"
    assert value("Reference") == ticket.reference
    assert (value("Status"), value("Priority")) == ("Open", "High")
    assert value("Category") == "Return refund" and value("Channel") == "WhatsApp"
    assert value("Customer") == "camille@example.com" and value("Assignee") == "lea@demo.shop"
    assert value("Conversation") == \
        f"http://admin.test/workspace?conversation={ticket.conversation_id}"
    assert value("Created").startswith(str(ticket.created_at.year))
    assert value("SLA due") and value("Last message")
    create = fake_notion.calls_to("POST", "/v1/pages")[0]
    assert create.body["parent"] == {"type": "data_source_id",
                                     "data_source_id": fake_notion.source_of(database_id)["id"]}
    assert create.body["children"][0]["paragraph"]["rich_text"][0]["text"]["content"]
    assert create.headers["notion-version"] == "2025-09-03"
    assert create.headers["authorization"].startswith("Bearer ntn_")


def test_the_page_id_is_stored_and_the_api_shows_its_url(sync, client):
    ticket = ticket_factories.ticket()
    sync.cycle(pull=False)
    key = factories.api_key("tickets:read")
    body = client.get(f"/api/tickets/{ticket.reference}",
                      headers=factories.bearer(key)).json["ticket"]
    db.session.refresh(ticket)
    assert body["notion_url"] == \
        f"https://www.notion.so/{ticket.notion_page_id.replace('-', '')}"


def test_a_change_in_the_desk_updates_only_what_changed(sync, fake_notion):
    ticket = ticket_factories.ticket(priority="normal")
    sync.cycle(pull=False)
    update_ticket(ticket.reference, priority="high", source="api", actor={"api_key": "t"})
    before = len(fake_notion.calls)
    result = sync.cycle(pull=False)
    assert result.updated == 1 and result.created == 0
    patches = [c for c in fake_notion.calls[before:] if c.method == "PATCH"]
    assert len(patches) == 1
    assert set(patches[0].body["properties"]) == {"Priority", "SLA due"}
    assert patches[0].body["properties"]["Priority"] == {"select": {"name": "High"}}
    assert fake_notion.value(ticket.notion_page_id, "Priority") == "High"


def test_a_cycle_with_nothing_new_sends_no_write(sync, fake_notion):
    ticket_factories.ticket()
    sync.cycle(pull=True)
    before = len(fake_notion.calls)
    result = sync.cycle(pull=True)
    writes = [c for c in fake_notion.calls[before:] if c.method in ("POST", "PATCH")
              and not c.path.endswith("/query")]
    assert writes == [] and result.created == result.updated == 0


def test_a_lead_resolving_in_notion_resolves_the_ticket_and_tells_the_shopper(sync,
                                                                              fake_notion):
    shopper = factories.customer(first_name="Camille", language="fr")
    ticket = ticket_factories.ticket(shopper)
    sync.cycle(pull=False)
    fake_notion.edit(ticket.notion_page_id, {"Status": "Resolved"})
    result = sync.cycle(pull=True)
    assert result.findings.applied == [f"{ticket.reference} status: open → resolved"]
    db.session.refresh(ticket)
    assert ticket.status == "resolved" and ticket.resolved_at is not None
    updated = _kinds(events.TICKET_UPDATED)[-1]
    assert updated.payload["source"] == "notion"
    assert updated.payload["actor"] == {"notion_user_id": LEAD_ID}
    assert updated.payload["changes"] == {"status": ["open", "resolved"]}
    assert len(_kinds(events.TICKET_RESOLVED)) == 1
    notice = db.session.query(Message).filter_by(sender="system").one()
    assert ticket.reference in notice.body and "Camille" in notice.body
    # The next cycles find nothing to do: the lead's change is the desk's now.
    calls = len(fake_notion.calls)
    sync.cycle(pull=True)
    assert not [c for c in fake_notion.calls[calls:] if c.method == "PATCH"]
    assert len(_kinds(events.TICKET_UPDATED)) == 1


def test_a_lead_reprioritising_and_assigning_is_taken_back(sync, fake_notion):
    lead = factories.staff(email="lea@demo.shop", role="supervisor")
    ticket = ticket_factories.ticket(priority="normal")
    sync.cycle(pull=False)
    fake_notion.edit(ticket.notion_page_id, {"Priority": "Urgent", "Assignee": "lea@demo.shop"})
    result = sync.cycle(pull=True)
    assert sorted(result.findings.applied) == sorted([
        f"{ticket.reference} priority: normal → urgent",
        f"{ticket.reference} assignee: None → lea@demo.shop"])
    db.session.refresh(ticket)
    assert ticket.priority == "urgent" and ticket.assignee_id == lead.id
    # The due time the desk computes for "urgent" goes to Notion, nothing else does.
    assert fake_notion.value(ticket.notion_page_id, "Priority") == "Urgent"


def test_the_desks_own_writes_are_not_taken_as_leads_changes(sync, fake_notion):
    ticket = ticket_factories.ticket()
    sync.cycle(pull=True)
    update_ticket(ticket.reference, status="pending", source="api", actor={})
    sync.cycle(pull=True)   # pushes "Pending"
    sync.cycle(pull=True)   # pulls the page it just wrote
    sources = [e.payload["source"] for e in _kinds(events.TICKET_UPDATED)]
    assert sources == ["api"]
    assert _kinds(events.NOTION_CONFLICT) == []
    assert db.session.get(NotionPage, ticket.id).synced["Status"] == "Pending"


def test_a_value_the_desk_does_not_know_is_refused_and_put_back(sync, fake_notion):
    ticket = ticket_factories.ticket()
    sync.cycle(pull=False)
    fake_notion.edit(ticket.notion_page_id, {"Status": "Done"})
    result = sync.cycle(pull=True)
    assert result.findings.refused and "Done" in result.findings.refused[0]
    db.session.refresh(ticket)
    assert ticket.status == "open"
    assert fake_notion.value(ticket.notion_page_id, "Status") == "Open"
    refused = _kinds(events.NOTION_CHANGE_REFUSED)
    assert refused[0].payload["value"] == "Done"


def test_the_priority_floor_holds_against_a_lead(sync, fake_notion):
    ticket = ticket_factories.ticket(title="I am calling my lawyer about this fraud",
                                     priority="urgent", category="complaint")
    sync.cycle(pull=False)
    fake_notion.edit(ticket.notion_page_id, {"Priority": "Low"})
    result = sync.cycle(pull=True)
    assert "urgent" in result.findings.refused[0]
    db.session.refresh(ticket)
    assert ticket.priority == "urgent"
    assert fake_notion.value(ticket.notion_page_id, "Priority") == "Urgent"


def test_an_unknown_assignee_is_refused(sync, fake_notion):
    ticket = ticket_factories.ticket()
    sync.cycle(pull=False)
    fake_notion.edit(ticket.notion_page_id, {"Assignee": "stranger@elsewhere.com"})
    result = sync.cycle(pull=True)
    assert result.findings.refused
    assert fake_notion.value(ticket.notion_page_id, "Assignee") is None


def test_a_new_message_moves_the_last_message_date(sync, fake_notion):
    from datetime import timedelta

    ticket = ticket_factories.ticket()
    sync.cycle(pull=False)
    conversation = ticket.conversation
    conversation.last_message_at = conversation.last_message_at + timedelta(hours=2)
    events.record(events.MESSAGE_RECEIVED, conversation_id=conversation.id,
                  customer_id=ticket.customer_id, payload={"message_id": 0})
    db.session.commit()
    result = sync.cycle(pull=False)
    assert result.updated == 1
    patch = fake_notion.calls_to("PATCH", "/v1/pages")[-1]
    assert set(patch.body["properties"]) == {"Last message"}


def test_a_page_deleted_in_notion_is_made_again(sync, fake_notion):
    ticket = ticket_factories.ticket()
    sync.cycle(pull=False)
    old = ticket.notion_page_id
    fake_notion.pages[old]["in_trash"] = True
    update_ticket(ticket.reference, priority="high", source="api", actor={})
    result = sync.cycle(pull=False)
    assert result.error is None
    db.session.refresh(ticket)
    assert ticket.notion_page_id not in (None, old)
    assert fake_notion.value(ticket.notion_page_id, "Priority") == "High"


def test_rows_leads_make_in_notion_are_left_alone(sync, fake_notion, database_id):
    ticket_factories.ticket()
    sync.cycle(pull=False)
    source = fake_notion.source_of(database_id)["id"]
    fake_notion._post_page({"parent": {"data_source_id": source},
                            "properties": {"Title": {"title": [{"text": {"content": "Idea"}}]},
                                           "Status": {"select": {"name": "Open"}}}})
    result = sync.cycle(pull=True)
    assert result.error is None and result.pulled >= 1
    assert db.session.query(Ticket).count() == 1
