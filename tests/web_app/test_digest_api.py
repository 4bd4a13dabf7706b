"""The support lead's digest: counts of the last hours, worst-rated exchanges, urgent tickets."""

from __future__ import annotations

from datetime import timedelta

from automation.conversations.csat import submit_rating
from automation.tickets.updates import update_ticket
from database import db
from database.base import utcnow
from database.models import Message
from tests import factories, ticket_factories
from tests.factories import bearer


def test_the_digest_needs_admin_read(client, app):
    key = factories.api_key("tickets:read")
    assert client.get("/api/reports/digest", headers=bearer(key)).status_code == 403
    assert client.get("/api/reports/digest").status_code == 401


def test_the_digest_counts_and_picks_the_worst(client, app):
    key = factories.api_key("admin:read")
    shopper = factories.customer(first_name="Camille", last_name="Dubois")
    urgent = ticket_factories.ticket(shopper, title="Chargeback threat", priority="urgent")
    ticket_factories.ticket(priority="normal")
    resolved = ticket_factories.ticket()
    update_ticket(resolved.reference, status="resolved", source="api", actor={})
    chat = urgent.conversation
    ask = Message(conversation_id=chat.id, channel="web", direction="in", sender="customer",
                  body="Where is my refund?")
    db.session.add(ask)
    db.session.flush()
    db.session.add(Message(conversation_id=chat.id, channel="web", direction="out",
                           sender="ai", body="I don't know.", quality=12, reply_to_id=ask.id))
    chat.status = "closed"
    db.session.commit()
    submit_rating(chat.id, customer_id=shopper.id, rating=1)
    body = client.get("/api/reports/digest?hours=24", headers=bearer(key)).json
    assert body["tickets"]["opened"] == 3 and body["tickets"]["resolved"] == 1
    assert body["tickets"]["open_by_priority"]["urgent"] == 1
    assert body["csat"] == {"count": 1, "average": 1.0}
    assert body["worst_rated"][0]["rating"] == 1
    assert body["worst_rated"][0]["last_question"] == "Where is my refund?"
    assert body["worst_rated"][0]["url"].endswith(f"conversation={chat.id}")
    assert body["lowest_quality"][0] == {
        "message_id": body["lowest_quality"][0]["message_id"], "conversation_id": chat.id,
        "quality": 12, "intent": None, "question": "Where is my refund?",
        "reply": "I don't know.", "url": body["lowest_quality"][0]["url"]}
    assert [t["reference"] for t in body["open_urgent"]] == [urgent.reference]
    assert body["messages"]["inbound"] == 1


def test_the_digest_window_is_checked(client, app):
    key = factories.api_key("admin:read")
    response = client.get("/api/reports/digest?hours=0", headers=bearer(key))
    assert response.status_code == 400 and "hours" in response.json["error"]["fields"]
    old = utcnow() - timedelta(days=3)
    ticket = ticket_factories.ticket()
    from database.models import Event

    for event in db.session.query(Event):
        event.created_at = old
    db.session.commit()
    body = client.get("/api/reports/digest?hours=24", headers=bearer(key)).json
    assert body["tickets"]["opened"] == 0
    assert body["tickets"]["open_by_priority"][ticket.priority] == 1
