"""The staff API (API.md): every endpoint and its errors, by staff session (CSRF on writes)
and by Bearer key with the conversations scopes, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest

from automation.runtime import settings
from database import db, events
from database.models import Event, Message
from tests import factories
from tests.automation.conversations.staffside import agent, conversation, fresh, inbound, now
from tests.factories import bearer

READ, WRITE = "conversations:read", "conversations:write"


def _log_in(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def keys(app):
    return {"read": factories.api_key(READ), "write": factories.api_key(READ, WRITE),
            "admin": factories.api_key("admin:read")}


# --- reading -----------------------------------------------------------------------------------

def test_the_list_has_the_shape_of_the_api_and_the_queue_order(admin_client, keys):
    marie = agent(name="Marie Agent", email="marie@demo.shop")
    shopper = factories.customer(first_name="Camille", last_name="Dubois",
                                 email="camille@example.com")
    old = conversation(minutes_ago=20, shopper=shopper)
    inbound(old, "Je veux parler à quelqu'un")
    urgent = conversation(minutes_ago=1, priority="urgent", channel="whatsapp")
    held = conversation("active", assigned_staff_id=marie.id, assigned_at=now())
    conversation("ai")
    waiting = admin_client.get("/api/conversations?status=waiting",
                               headers=bearer(keys["read"])).json["conversations"]
    assert [c["id"] for c in waiting] == [urgent.id, old.id]
    assert [c["queue_position"] for c in waiting] == [1, 2]
    item = waiting[1]
    assert set(item) >= {"id", "status", "channel", "language", "priority", "queue_position",
                         "waiting_since", "customer", "assignee", "last_message"}
    assert item["customer"] == {"name": "Camille Dubois", "email": "camille@example.com"}
    assert item["assignee"] is None and item["last_message"]["sender"] == "customer"
    assert item["last_message"]["body"] == "Je veux parler à quelqu'un"
    default = admin_client.get("/api/conversations", headers=bearer(keys["read"])).json
    assert {c["id"] for c in default["conversations"]} == {urgent.id, old.id, held.id}
    mine = admin_client.get("/api/conversations?status=active&assignee=marie@demo.shop",
                            headers=bearer(keys["read"])).json["conversations"]
    assert [c["id"] for c in mine] == [held.id]
    assert mine[0]["assignee"] == {"email": "marie@demo.shop", "name": "Marie Agent"}
    by_channel = admin_client.get("/api/conversations?status=waiting,active&channel=whatsapp",
                                  headers=bearer(keys["read"])).json["conversations"]
    assert [c["id"] for c in by_channel] == [urgent.id]


def test_assignee_me_is_the_staff_session(admin_client, app):
    marie = agent(email="marie@demo.shop")
    held = conversation("active", assigned_staff_id=marie.id)
    conversation("active", assigned_staff_id=agent().id)
    _log_in(admin_client, "marie@demo.shop")
    found = admin_client.get("/api/conversations?status=active&assignee=me").json
    assert [c["id"] for c in found["conversations"]] == [held.id]


@pytest.mark.parametrize("query, field", [("status=open", "status"), ("channel=fax", "channel"),
                                          ("assignee=me", "assignee"),
                                          ("assignee=nobody@x.y", "assignee"),
                                          ("limit=0", "limit")])
def test_bad_list_queries_are_field_errors(admin_client, keys, query, field):
    response = admin_client.get(f"/api/conversations?{query}", headers=bearer(keys["read"]))
    assert response.status_code == 400
    assert response.json["error"]["code"] == "validation_error"
    assert field in response.json["error"]["fields"]


def test_one_conversation_with_messages_notes_packet_and_rating(admin_client, keys):
    marie = agent(name="Marie Agent", email="marie@demo.shop")
    held = conversation("closed", assigned_staff_id=marie.id, rating=4,
                        context={"handoff": {"reason": "shopper asked for a person",
                                             "intent": "order_status"},
                                 "csat": {"asked_at": now().isoformat(), "channel": "web"}})
    inbound(held, "Bonjour")
    db.session.add_all([
        Message(conversation_id=held.id, channel="web", direction="out", sender="agent",
                staff_id=marie.id, body="Note", private=True),
        Message(conversation_id=held.id, channel="web", direction="out", sender="agent",
                staff_id=marie.id, body="Voilà", delivery_status="delivered")])
    db.session.commit()
    data = admin_client.get(f"/api/conversations/{held.id}",
                            headers=bearer(keys["read"])).json["conversation"]
    assert data["id"] == held.id and data["status"] == "closed"
    said, note, reply = data["messages"]
    assert (said["sender"], said["delivery"]) == ("customer", None)
    assert (note["private"], note["delivery"], note["staff"]["email"]) == (
        True, "private", "marie@demo.shop")
    assert (reply["private"], reply["delivery"]) == (False, "delivered")
    assert data["handoff"]["intent"] == "order_status"
    assert data["csat"]["rating"] == 4
    missing = admin_client.get("/api/conversations/999999", headers=bearer(keys["read"]))
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"


# --- who may call -------------------------------------------------------------------------------

@pytest.mark.parametrize("method, path", [
    ("get", "/api/conversations"), ("get", "/api/conversations/1"),
    ("post", "/api/conversations/1/assign"), ("post", "/api/conversations/1/messages"),
    ("post", "/api/conversations/1/transfer"), ("post", "/api/conversations/1/handback"),
    ("post", "/api/conversations/1/close"), ("get", "/api/staff"),
    ("post", "/api/staff/status")])
def test_keys_need_the_right_scope(admin_client, keys, method, path):
    anonymous = getattr(admin_client, method)(path)
    assert anonymous.status_code == 401 and anonymous.json["error"]["code"] == "unauthorized"
    wrong = getattr(admin_client, method)(path, headers=bearer(keys["admin"]))
    assert wrong.status_code == 403 and wrong.json["error"]["code"] == "forbidden"
    if method == "post":
        read_only = admin_client.post(path, headers=bearer(keys["read"]), json={})
        assert read_only.status_code == 403


def test_a_session_writes_only_with_its_csrf_token(database_url, app):
    from admin_app import create_app

    protected = create_app(settings.TestConfig(database_url, WTF_CSRF_ENABLED=True))
    client = protected.test_client()
    marie = agent(email="marie@demo.shop")
    waiting = conversation()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"email": "marie@demo.shop", "password": factories.PASSWORD,
                                "csrf_token": token})
    refused = client.post(f"/api/conversations/{waiting.id}/assign", json={})
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    page = client.get("/workspace").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    accepted = client.post(f"/api/conversations/{waiting.id}/assign", json={},
                           headers={"X-CSRFToken": token})
    assert accepted.status_code == 200
    assert fresh(waiting).assigned_staff_id == marie.id


# --- acting ---------------------------------------------------------------------------------------

def test_assign_by_session_is_to_oneself_and_a_colleague_gets_409(admin_client, app):
    marie, paul = agent(email="marie@demo.shop"), agent(email="paul@demo.shop")
    waiting = conversation()
    _log_in(admin_client, "marie@demo.shop")
    first = admin_client.post(f"/api/conversations/{waiting.id}/assign", json={})
    assert first.status_code == 200
    assert first.json["conversation"]["assignee"]["email"] == "marie@demo.shop"
    assert first.json["conversation"]["status"] == "active"
    for_someone = admin_client.post(f"/api/conversations/{waiting.id}/assign",
                                    json={"staff_email": "paul@demo.shop"})
    assert for_someone.status_code == 403  # agents take for themselves
    admin_client.post("/logout")
    _log_in(admin_client, "paul@demo.shop")
    late = admin_client.post(f"/api/conversations/{waiting.id}/assign", json={})
    assert late.status_code == 409 and late.json["error"]["code"] == "conflict"
    assert fresh(waiting).assigned_staff_id == marie.id
    assert paul.id != marie.id


def test_assign_by_key_names_the_staff_member(admin_client, keys):
    marie = agent(email="marie@demo.shop")
    waiting = conversation()
    path = f"/api/conversations/{waiting.id}/assign"
    missing = admin_client.post(path, json={}, headers=bearer(keys["write"]))
    assert missing.status_code == 400 and "staff_email" in missing.json["error"]["fields"]
    unknown = admin_client.post(path, json={"staff_email": "x@y.z"}, headers=bearer(keys["write"]))
    assert unknown.status_code == 404
    ok = admin_client.post(path, json={"staff_email": "MARIE@demo.shop"},
                           headers=bearer(keys["write"]))
    assert ok.status_code == 200 and fresh(waiting).assigned_staff_id == marie.id
    other = agent(email="other@demo.shop")
    taken = admin_client.post(path, json={"staff_email": other.email},
                              headers=bearer(keys["write"]))
    assert taken.status_code == 409


def test_messages_and_notes_by_session_and_by_key(admin_client, keys):
    marie = agent(email="marie@demo.shop", name="Marie Agent")
    held = conversation("active", assigned_staff_id=marie.id, assigned_at=now())
    path = f"/api/conversations/{held.id}/messages"
    by_key = admin_client.post(path, json={"body": "Bonjour !"}, headers=bearer(keys["write"]))
    assert by_key.status_code == 201
    assert by_key.json["message"]["delivery"] == "delivered"  # the web chat has it at once
    stored = db.session.get(Message, by_key.json["message"]["id"])
    assert (stored.staff_id, stored.sender, stored.body) == (marie.id, "agent", "Bonjour !")
    note = admin_client.post(path, json={"body": "Private", "private": True,
                                         "staff_email": "marie@demo.shop"},
                             headers=bearer(keys["write"]))
    assert note.status_code == 201 and note.json["message"]["delivery"] == "private"
    empty = admin_client.post(path, json={"body": "  "}, headers=bearer(keys["write"]))
    assert empty.status_code == 400 and empty.json["error"]["code"] == "validation_error"
    not_json = admin_client.post(path, data="[1]", content_type="application/json",
                                 headers=bearer(keys["write"]))
    assert not_json.status_code == 400
    paul = agent(email="paul@demo.shop")
    _log_in(admin_client, "paul@demo.shop")
    refused = admin_client.post(path, json={"body": "Hi"})
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    as_other = admin_client.post(path, json={"body": "Hi", "staff_email": "marie@demo.shop"})
    assert as_other.status_code == 403
    colleague_note = admin_client.post(path, json={"body": "Seen it", "private": True})
    assert colleague_note.status_code == 201
    assert paul.id  # a colleague may leave a note
    waiting = conversation()
    nobody = admin_client.post(f"/api/conversations/{waiting.id}/messages", json={"body": "x"},
                               headers={"Authorization": f"Bearer {keys['write']}"})
    assert nobody.status_code in (400, 403)


def test_transfer_handback_and_close(admin_client, keys):
    marie = agent(email="marie@demo.shop", name="Marie Agent", team="orders")
    agent(email="paul@demo.shop", name="Paul Agent", team="billing")
    held = conversation("active", assigned_staff_id=marie.id, assigned_at=now())
    base = f"/api/conversations/{held.id}"
    none = admin_client.post(f"{base}/transfer", json={"note": "?"}, headers=bearer(keys["write"]))
    assert none.status_code == 400
    moved = admin_client.post(f"{base}/transfer", json={"to_staff_email": "paul@demo.shop",
                                                        "note": "Billing question"},
                              headers=bearer(keys["write"]))
    assert moved.status_code == 200
    assert moved.json["conversation"]["assignee"]["email"] == "paul@demo.shop"
    team = admin_client.post(f"{base}/transfer", json={"to_team": "orders", "note": "back"},
                             headers=bearer(keys["write"]))
    assert team.status_code == 200 and team.json["conversation"]["status"] == "waiting"
    back = admin_client.post(f"{base}/handback", json={}, headers=bearer(keys["write"]))
    assert back.status_code == 200 and back.json["conversation"]["status"] == "ai"
    closed = admin_client.post(f"{base}/close", json={}, headers=bearer(keys["write"]))
    assert closed.status_code == 200 and closed.json["conversation"]["status"] == "closed"
    again = admin_client.post(f"{base}/close", json={}, headers=bearer(keys["write"]))
    assert again.status_code == 409
    kinds = [e.kind for e in db.session.query(Event).order_by(Event.id)]
    assert kinds.count(events.CONVERSATION_TRANSFERRED) == 2
    assert events.CONVERSATION_HANDED_BACK in kinds and events.CONVERSATION_CLOSED in kinds
    assert fresh(held).status == "closed"


def test_an_agent_cannot_act_on_a_colleagues_conversation_a_supervisor_can(admin_client, app):
    marie = agent(email="marie@demo.shop")
    agent(email="paul@demo.shop")
    factories.staff(email="lead@demo.shop", role="supervisor", availability="available",
                    last_seen_at=now())
    held = conversation("active", assigned_staff_id=marie.id, assigned_at=now())
    _log_in(admin_client, "paul@demo.shop")
    for action in ("handback", "close"):
        refused = admin_client.post(f"/api/conversations/{held.id}/{action}", json={})
        assert refused.status_code == 403
    refused = admin_client.post(f"/api/conversations/{held.id}/assign", json={})
    assert refused.status_code == 409
    admin_client.post("/logout")
    _log_in(admin_client, "lead@demo.shop")
    taken = admin_client.post(f"/api/conversations/{held.id}/assign", json={})
    assert taken.status_code == 200
    assert taken.json["conversation"]["assignee"]["email"] == "lead@demo.shop"
    reassigned = admin_client.post(f"/api/conversations/{held.id}/assign",
                                   json={"staff_email": "marie@demo.shop"})
    assert reassigned.status_code == 200 and fresh(held).assigned_staff_id == marie.id


def test_staff_statuses_and_loads(admin_client, keys):
    marie = agent(email="marie@demo.shop", name="Marie Agent", max_concurrent=4)
    conversation("active", assigned_staff_id=marie.id)
    team = admin_client.get("/api/staff", headers=bearer(keys["read"])).json["staff"]
    [row] = [s for s in team if s["email"] == "marie@demo.shop"]
    assert (row["status"], row["online"], row["load"], row["max_concurrent"]) == (
        "available", True, 1, 4)
    changed = admin_client.post("/api/staff/status", json={"staff_email": "marie@demo.shop",
                                                           "availability": "busy"},
                                headers=bearer(keys["write"]))
    assert changed.status_code == 200 and changed.json["staff"]["availability"] == "busy"
    bad = admin_client.post("/api/staff/status", json={"staff_email": "marie@demo.shop",
                                                       "availability": "asleep"},
                            headers=bearer(keys["write"]))
    assert bad.status_code == 400


def test_retry_a_failed_delivery(admin_client, keys):
    marie = agent(email="marie@demo.shop")
    held = conversation("active", channel="whatsapp", assigned_staff_id=marie.id)
    inbound(held, "olá", whatsapp={"provider": "meta", "reply_to": "351912"})
    sent = admin_client.post(f"/api/conversations/{held.id}/messages", json={"body": "Olá"},
                             headers=bearer(keys["write"])).json["message"]
    assert sent["delivery"] == "not_sent"  # WhatsApp is not configured in this app
    again = admin_client.post(f"/api/conversations/{held.id}/messages/{sent['id']}/retry",
                              json={}, headers=bearer(keys["write"]))
    assert again.status_code == 200 and again.json["message"]["delivery"] == "not_sent"
    elsewhere = conversation("active", assigned_staff_id=marie.id)
    wrong = admin_client.post(f"/api/conversations/{elsewhere.id}/messages/{sent['id']}/retry",
                              json={}, headers=bearer(keys["write"]))
    assert wrong.status_code == 404
