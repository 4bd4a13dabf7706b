"""The ticket API: bearer keys with scopes, filters, validation, and the staff's policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from database import db, events
from database.models import Event, Message, Ticket
from tests import factories, ticket_factories
from tests.factories import bearer


@pytest.fixture
def read_key(app):
    return factories.api_key("tickets:read")


@pytest.fixture
def write_key(app):
    return factories.api_key("tickets:read", "tickets:write", name="n8n")


def test_a_ticket_reads_with_its_shopper_conversation_and_due_time(client, read_key):
    shopper = factories.customer(first_name="Camille", email="camille@example.com")
    ticket = ticket_factories.ticket(shopper, priority="high")
    response = client.get(f"/api/tickets/{ticket.reference}", headers=bearer(read_key))
    assert response.status_code == 200
    body = response.json["ticket"]
    assert body["reference"] == ticket.reference
    assert body["status"] == "open" and body["priority"] == "high"
    assert body["customer"]["email"] == "camille@example.com"
    assert body["conversation_id"] == ticket.conversation_id and body["channel"] == "web"
    assert body["conversation_url"].endswith(f"/workspace?conversation={ticket.conversation_id}")
    assert body["assignee"] is None and body["notion_url"] is None
    due = datetime.fromisoformat(body["sla_due"].replace("Z", "+00:00"))
    created = datetime.fromisoformat(body["created_at"].replace("Z", "+00:00"))
    assert timedelta(hours=23) < due - created <= timedelta(hours=24, seconds=5)
    assert body["resolved_at"] is None and body["sla_breached"] is False


@pytest.mark.parametrize("header, status, code", [
    ({}, 401, "unauthorized"),
    ({"Authorization": "Bearer sk_desk_unknown"}, 401, "unauthorized"),
    ({"Authorization": "Basic abc"}, 401, "unauthorized"),
])
def test_a_ticket_is_not_shown_without_a_live_key(client, app, header, status, code):
    ticket = ticket_factories.ticket()
    response = client.get(f"/api/tickets/{ticket.reference}", headers=header)
    assert response.status_code == status
    assert response.json["error"]["code"] == code


def test_scopes_separate_reading_from_changing(client, app):
    ticket = ticket_factories.ticket()
    writer_only = factories.api_key("tickets:write")
    reader_only = factories.api_key("tickets:read")
    other = factories.api_key("catalog:write")
    assert client.get("/api/tickets", headers=bearer(other)).status_code == 403
    assert client.get("/api/tickets", headers=bearer(writer_only)).status_code == 403
    refused = client.patch(f"/api/tickets/{ticket.reference}", json={"status": "pending"},
                           headers=bearer(reader_only))
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    allowed = client.patch(f"/api/tickets/{ticket.reference}", json={"status": "pending"},
                           headers=bearer(writer_only))
    assert allowed.status_code == 200


def test_unknown_ticket_is_not_found(client, read_key, write_key):
    assert client.get("/api/tickets/TCK-2026-999999",
                      headers=bearer(read_key)).json["error"]["code"] == "not_found"
    response = client.patch("/api/tickets/TCK-2026-999999", json={"status": "resolved"},
                            headers=bearer(write_key))
    assert response.status_code == 404


def test_list_filters_by_status_priority_and_change_time(client, read_key):
    urgent = ticket_factories.ticket(title="Chargeback on my card", priority="urgent")
    normal = ticket_factories.ticket(priority="normal")
    done = ticket_factories.ticket(priority="urgent")
    done.status = "resolved"
    db.session.commit()
    listed = client.get("/api/tickets?status=open&priority=urgent", headers=bearer(read_key))
    assert [t["reference"] for t in listed.json["tickets"]] == [urgent.reference]
    both = client.get("/api/tickets?status=open,resolved&priority=urgent",
                      headers=bearer(read_key)).json["tickets"]
    assert {t["reference"] for t in both} == {urgent.reference, done.reference}
    old = datetime.now(UTC) - timedelta(days=3)
    normal.updated_at = old
    db.session.commit()
    since = (datetime.now(UTC) - timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    recent = client.get(f"/api/tickets?updated_since={since}", headers=bearer(read_key))
    assert normal.reference not in {t["reference"] for t in recent.json["tickets"]}
    assert len(recent.json["tickets"]) == 2


def test_list_pages_with_a_cursor(client, read_key):
    made = {ticket_factories.ticket().reference for _ in range(5)}
    seen, cursor = [], None
    for _ in range(5):
        query = "/api/tickets?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(query, headers=bearer(read_key)).json
        seen += [t["reference"] for t in page["tickets"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(made) and len(seen) == 5


@pytest.mark.parametrize("query, field", [
    ("status=opened", "status"),
    ("priority=urgent,very", "priority"),
    ("updated_since=yesterday", "updated_since"),
    ("limit=0", "limit"),
    ("limit=501", "limit"),
    ("cursor=%%%", "cursor"),
    ("assignee=nobody@demo.shop", "assignee"),
])
def test_list_rejects_bad_filters_naming_the_field(client, read_key, query, field):
    response = client.get(f"/api/tickets?{query}", headers=bearer(read_key))
    assert response.status_code == 400
    assert response.json["error"]["code"] == "validation_error"
    assert field in response.json["error"]["fields"]


@pytest.mark.parametrize("body, field", [
    ({"status": "done"}, "status"),
    ({"priority": "critical"}, "priority"),
    ({"priority": None}, "priority"),
    ({"status": 3}, "status"),
    ({"note": "x" * 5001}, "note"),
    ({"assignee_email": "ghost@demo.shop"}, "assignee_email"),
    ({"colour": "red"}, "colour"),
    ({}, "body"),
    ([], "body"),
])
def test_patch_rejects_bad_bodies_and_changes_nothing(client, write_key, body, field):
    ticket = ticket_factories.ticket()
    before = db.session.query(Event).count()
    response = client.patch(f"/api/tickets/{ticket.reference}", json=body,
                            headers=bearer(write_key))
    assert response.status_code == 400, response.json
    assert response.json["error"]["code"] == "validation_error"
    assert field in response.json["error"]["fields"]
    assert db.session.query(Event).count() == before
    db.session.refresh(ticket)
    assert ticket.status == "open" and ticket.priority == "normal"


def test_patch_needs_a_json_body(client, write_key):
    ticket = ticket_factories.ticket()
    response = client.patch(f"/api/tickets/{ticket.reference}", data="status=resolved",
                            headers=bearer(write_key))
    assert response.status_code == 415
    assert response.json["error"]["code"] == "unsupported_media_type"


def test_the_priority_floor_holds_against_the_api(client, write_key):
    ticket = ticket_factories.ticket(title="I will open a chargeback with my bank",
                                     category="payment", priority="urgent")
    response = client.patch(f"/api/tickets/{ticket.reference}", json={"priority": "low"},
                            headers=bearer(write_key))
    assert response.status_code == 400
    assert "urgent" in response.json["error"]["fields"]["priority"]
    db.session.refresh(ticket)
    assert ticket.priority == "urgent"


def test_raising_priority_assigning_and_noting_are_recorded_once(client, write_key):
    lead = factories.staff(email="lead@demo.shop", name="Léa Lead", role="supervisor")
    ticket = ticket_factories.ticket(priority="normal")
    due_before = ticket.sla_due_at
    response = client.patch(f"/api/tickets/{ticket.reference}",
                            json={"priority": "urgent", "assignee_email": "LEAD@demo.shop",
                                  "note": "Escalated by n8n: SLA breached"},
                            headers=bearer(write_key))
    assert response.status_code == 200
    body = response.json
    assert body["changed"] == ["assignee", "priority"] and body["noted"] is True
    assert body["ticket"]["priority"] == "urgent"
    assert body["ticket"]["assignee"] == {"email": "lead@demo.shop", "name": "Léa Lead"}
    db.session.refresh(ticket)
    assert ticket.assignee_id == lead.id and ticket.sla_due_at < due_before
    assert "Escalated by n8n: SLA breached" in ticket.description
    updated = db.session.query(Event).filter_by(kind=events.TICKET_UPDATED).one()
    assert updated.payload["source"] == "api"
    assert updated.payload["actor"]["api_key"] == "n8n"
    assert updated.payload["changes"] == {"priority": ["normal", "urgent"],
                                          "assignee": [None, "lead@demo.shop"]}
    again = client.patch(f"/api/tickets/{ticket.reference}", json={"priority": "urgent"},
                         headers=bearer(write_key))
    assert again.status_code == 200 and again.json["changed"] == []
    assert db.session.query(Event).filter_by(kind=events.TICKET_UPDATED).count() == 1


def test_resolving_tells_the_shopper_in_their_language(client, write_key):
    shopper = factories.customer(first_name="João", language="pt")
    ticket = ticket_factories.ticket(shopper)
    response = client.patch(f"/api/tickets/{ticket.reference}", json={"status": "resolved"},
                            headers=bearer(write_key))
    assert response.status_code == 200
    assert response.json["ticket"]["resolved_at"] is not None
    notice = db.session.query(Message).filter_by(conversation_id=ticket.conversation_id,
                                                  sender="system").one()
    assert "João" in notice.body and ticket.reference in notice.body
    assert "resolvid" in notice.body  # Portuguese
    assert notice.delivery_status == "delivered"  # the web chat shows it where it is
    kinds = [e.kind for e in db.session.query(Event).order_by(Event.id)]
    assert kinds.index(events.TICKET_UPDATED) < kinds.index(events.TICKET_RESOLVED)
    resolved = db.session.query(Event).filter_by(kind=events.TICKET_RESOLVED).one()
    assert resolved.payload["notice_message_id"] == notice.id
    reopened = client.patch(f"/api/tickets/{ticket.reference}", json={"status": "open"},
                            headers=bearer(write_key))
    assert reopened.json["ticket"]["resolved_at"] is None
    assert db.session.query(Ticket).one().status == "open"


def test_unassigning_with_null(client, write_key):
    lead = factories.staff(email="lead@demo.shop")
    ticket = ticket_factories.ticket()
    ticket.assignee_id = lead.id
    db.session.commit()
    response = client.patch(f"/api/tickets/{ticket.reference}", json={"assignee_email": None},
                            headers=bearer(write_key))
    assert response.json["ticket"]["assignee"] is None
    assert response.json["changed"] == ["assignee"]
