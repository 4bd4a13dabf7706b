"""The agent workspace over HTTP and its live socket: pages in the staff member's language,
htmx actions answered with fragments, a lost Accept told politely, canned replies, private
notes kept from the shopper, and live pushes (new shopper, new message, typing, disconnect)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from simple_websocket import Client

from automation.conversations import assignment, jobs as conversation_jobs, replies
from automation.conversations.turns import Inbound
from database import db, events
from database.models import Event, Message
from tests import factories
from tests.automation.conversations.staffside import agent, conversation, fresh, inbound, now
from tests.live_server import serve

HX = {"HX-Request": "true"}


def _log_in(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def marie(app):
    return agent(name="Marie Agent", email="marie@demo.shop")


@pytest.fixture
def workspace(admin_client, marie):
    _log_in(admin_client, "marie@demo.shop")
    return admin_client


def test_the_workspace_shows_the_queue_mine_and_the_team(workspace, marie):
    camille = factories.customer(first_name="Camille", last_name="Dubois")
    waiting = conversation(shopper=camille, priority="urgent",
                           context={"handoff": {"intents_seen": ["order_status"]}})
    inbound(waiting, "Je veux parler à quelqu'un")
    held = conversation("active", assigned_staff_id=marie.id)
    page = workspace.get("/workspace").get_data(as_text=True)
    queue = page[page.index('id="ws-queue"'):page.index('id="ws-mine"')]
    assert "Camille Dubois" in queue and f'id="wsq-{waiting.id}"' in queue
    assert "urgent" in queue and "order status" in queue and "Accept" in queue
    mine = page[page.index('id="ws-mine"'):page.index('id="ws-team"')]
    assert f'id="wsmine-{held.id}"' in mine
    assert "Marie Agent" in page[page.index('id="ws-team"'):]
    assert 'ws-connect="/workspace/ws"' in page
    assert 'id="ws-others" class="ws-list" hidden' in page  # colleagues': supervisors only


def test_the_workspace_speaks_the_staff_members_language(admin_client, app):
    agent(email="lea@demo.shop", language="fr")
    conversation()
    _log_in(admin_client, "lea@demo.shop")
    page = admin_client.get("/workspace").get_data(as_text=True)
    assert "File d'attente" in page and "Accepter" in page and "Mon statut" in page


def test_roles_and_login(admin_client, app):
    assert admin_client.get("/workspace").status_code == 302
    factories.staff(email="lead@demo.shop", role="supervisor")
    _log_in(admin_client, "lead@demo.shop")
    page = admin_client.get("/workspace").get_data(as_text=True)
    assert 'id="ws-others" class="ws-list"' in page  # supervisors see everyone's


def test_a_conversation_opens_whole_with_its_packet_and_shopper(workspace, marie):
    shopper = factories.customer(first_name="Camille", last_name="Dubois", phone="+33612345678")
    factories.order(shopper, number="CMD-88001", status="shipped", carrier="Colissimo",
                    tracking_number="6A88001")
    waiting = conversation(shopper=shopper, context={"handoff": {
        "reason": "shopper asked for a person", "intent": "human_agent",
        "intents_seen": ["order_status", "human_agent"], "sentiment_trend": [0.1, -0.6],
        "identity": {"verified": True, "how": "web_login"}, "orders_discussed": ["CMD-88001"],
        "actions_tried": [{"tool": "lookup_order", "result": "ok", "order": "CMD-88001"}],
        "messages": 4, "last_ask": "Je veux parler à quelqu'un",
        "priority_reasons": ["frustrated"]}})
    inbound(waiting, "Où est ma commande ?")
    full = workspace.get(f"/workspace/c/{waiting.id}")
    assert full.status_code == 200 and "<!doctype html>" in full.get_data(as_text=True)
    fragment = workspace.get(f"/workspace/c/{waiting.id}", headers=HX)
    html = fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"] and "<!doctype" not in html
    packet = html[html.index('id="ws-packet"'):html.index('id="ws-messages"')]
    assert "the shopper asked for a person" in packet and "CMD-88001" in packet
    assert "lookup_order CMD-88001 → ok" in packet and "logged in to the shop" in packet
    assert "upset" in packet and "frustrated" in packet
    shopper_pane = html[html.index('id="ws-shopper"'):]
    assert "+33612345678" in shopper_pane and "6A88001" in shopper_pane
    assert 'id="ws-accept"' in html and "Accept the conversation to write" in html
    assert workspace.get("/workspace/c/999999").status_code == 404


def test_accept_send_note_close_from_the_workspace(workspace, marie):
    waiting = conversation()
    accepted = workspace.post(f"/api/conversations/{waiting.id}/assign", headers=HX)
    html = accepted.get_data(as_text=True)
    assert accepted.status_code == 200 and 'id="ws-conversation"' in html
    assert 'id="ws-mine" class="ws-list" data-count="1"' in html and 'hx-swap-oob="true"' in html
    sent = workspace.post(f"/api/conversations/{waiting.id}/messages", headers=HX,
                          data={"body": "Bonjour, je regarde."})
    html = sent.get_data(as_text=True)
    assert sent.status_code == 201 and 'hx-swap-oob="beforeend"' in html
    assert "Bonjour, je regarde." in html and "delivery-delivered" in html
    note = workspace.post(f"/api/conversations/{waiting.id}/messages", headers=HX,
                          data={"body": "VIP", "private": "1"})
    assert 'class="ws-msg from-agent private"' in note.get_data(as_text=True)
    empty = workspace.post(f"/api/conversations/{waiting.id}/messages", headers=HX,
                           data={"body": " "})
    assert empty.status_code == 400 and empty.headers["HX-Retarget"] == "#alerts"
    assert "Write a message first" in empty.get_data(as_text=True)
    closed = workspace.post(f"/api/conversations/{waiting.id}/close", headers=HX)
    assert closed.status_code == 200 and "This conversation is closed" in \
        closed.get_data(as_text=True)


def test_a_second_accept_is_told_politely_who_has_it(workspace, marie, app):
    paul = agent(name="Paul Agent")
    waiting = conversation()
    assignment.assign(waiting.id, paul.id)
    late = workspace.post(f"/api/conversations/{waiting.id}/assign", headers=HX)
    html = late.get_data(as_text=True)
    assert late.status_code == 409 and late.headers["HX-Retarget"] == "#alerts"
    assert "Paul Agent took this conversation a moment before you" in html
    assert 'id="ws-queue"' in html and 'id="ws-detail" class="ws-detail" hx-swap-oob' in html


def test_transfer_from_the_workspace_with_its_one_select(workspace, marie):
    paul = agent(name="Paul Agent", email="paul@demo.shop")
    held = conversation("active", assigned_staff_id=marie.id, assigned_at=now())
    page = workspace.get(f"/workspace/c/{held.id}", headers=HX).get_data(as_text=True)
    assert 'value="staff:paul@demo.shop"' in page
    moved = workspace.post(f"/api/conversations/{held.id}/transfer", headers=HX,
                           data={"to": "staff:paul@demo.shop", "note": "Refund asked"})
    assert moved.status_code == 200
    assert fresh(held).assigned_staff_id == paul.id
    assert "Transfer note for Paul Agent" in moved.get_data(as_text=True)


def test_my_status_changes_from_the_workspace(workspace, marie):
    changed = workspace.post("/api/staff/status", headers=HX, data={"availability": "busy"})
    assert changed.status_code == 200 and 'id="ws-me"' in changed.get_data(as_text=True)
    assert fresh(marie).availability == "busy"


def test_canned_replies_suggested_and_managed(workspace, marie, admin_client, app):
    from automation.conversations import canned

    lead = factories.staff(role="supervisor", email="lead@demo.shop")
    canned.save(actor=lead, shortcode="hello", language="fr", body="Bonjour {first_name} !")
    held = conversation("active", assigned_staff_id=marie.id,
                        shopper=factories.customer(first_name="Camille"))
    found = workspace.get(f"/workspace/c/{held.id}/canned?body=/he").get_data(as_text=True)
    assert 'data-text="Bonjour Camille !"' in found
    assert "No canned reply starts with /zz" in workspace.get(
        f"/workspace/c/{held.id}/canned?body=/zz").get_data(as_text=True)
    assert workspace.get(f"/workspace/c/{held.id}/canned?body=hello").get_data(
        as_text=True).strip() == ""
    assert workspace.get("/workspace/canned").status_code == 200
    assert workspace.post("/workspace/canned", data={"shortcode": "x", "language": "en",
                                                     "body": "x"}).status_code == 403
    admin_client.post("/logout")
    _log_in(admin_client, "lead@demo.shop")
    saved = admin_client.post("/workspace/canned", data={"shortcode": "bye", "language": "en",
                                                         "title": "Bye", "body": "Bye!"})
    assert saved.status_code == 200 and "/bye" in saved.get_data(as_text=True)
    bad = admin_client.post("/workspace/canned", data={"shortcode": "bye", "language": "en",
                                                       "body": "Again"})
    assert bad.status_code == 400 and "Not saved" in bad.get_data(as_text=True)


def test_private_notes_never_reach_the_shoppers_pages(client, app, marie):
    shopper = factories.customer(email="camille@example.com")
    held = conversation("active", shopper=shopper, assigned_staff_id=marie.id,
                        assigned_at=now())
    replies.post_agent_message(held.id, marie.id, "Public answer")
    replies.post_agent_message(held.id, marie.id, "SECRET staff note", private=True)
    client.post("/login", data={"email": "camille@example.com",
                                "password": factories.PASSWORD})
    for path in ("/chat", f"/chat/{held.id}"):
        page = client.get(path).get_data(as_text=True)
        assert "Public answer" in page and "SECRET staff note" not in page


# --- the live socket --------------------------------------------------------------------------

class Live:
    """A workspace socket as the browser holds it."""

    def __init__(self, ws: Client) -> None:
        self.ws = ws

    def send(self, **frame) -> None:
        self.ws.send(json.dumps(frame))

    def until(self, text: str, timeout: float = 6.0) -> str:
        frames, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline:
            frame = self.ws.receive(timeout=max(0.05, deadline - time.monotonic()))
            if frame is None:
                continue
            frames.append(frame)
            if text in frame:
                return "".join(frames)
        raise AssertionError(f"no {text!r} in {frames}")


@pytest.fixture
def live(admin_app, app, marie) -> Iterator:
    sockets: list[Client] = []
    with serve(admin_app) as url:
        def connect(email: str = "marie@demo.shop") -> Live:
            client = admin_app.test_client()
            with admin_app.app_context():
                _log_in(client, email)
            cookie = client.get_cookie("desk_staff_session").value
            ws = Client.connect(url.replace("http://", "ws://") + "/workspace/ws",
                                headers={"Cookie": f"desk_staff_session={cookie}"})
            sockets.append(ws)
            return Live(ws)

        yield connect
        for ws in sockets:
            if ws.connected:
                ws.close()


def test_the_workspace_sees_shoppers_arrive_write_and_type_live(live, app, marie):
    engine = app.extensions["engine"]
    shopper = factories.customer(first_name="Camille", last_name="Dubois", language="fr")
    watch = live()
    watch.until('id="ws-team"')  # the first push: the lists as they are
    outcome = engine.handle(Inbound(channel="web", customer_id=shopper.id,
                                    text="Je veux parler à une personne"))
    assert outcome.status == "waiting"
    frames = watch.until('id="ws-notify"')
    assert "Camille Dubois" in frames and f'data-conversation="{outcome.conversation_id}"' in \
        frames
    assignment.assign(outcome.conversation_id, marie.id)
    watch.send(type="open", conversation_id=outcome.conversation_id, after=0, after_event=0)
    watch.until("Marie Agent accepted the conversation.")
    engine.handle(Inbound(channel="web", customer_id=shopper.id, text="Vous êtes là ?"))
    assert "Vous êtes là ?" in watch.until("Vous êtes là ?")
    db.session.add(Event(kind=events.CONVERSATION_TYPING, level="debug",
                         conversation_id=outcome.conversation_id,
                         payload={"who": "shopper", "name": "Camille"}))
    db.session.commit()
    assert "Camille is typing" in watch.until('id="ws-typing"')
    watch.send(type="typing", conversation_id=outcome.conversation_id)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        db.session.expire_all()
        typed = db.session.query(Event).filter_by(kind=events.CONVERSATION_TYPING).all()
        if any(e.payload.get("who") == "staff" for e in typed):
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the agent's typing was not recorded")


def test_a_disconnected_agent_gets_a_grace_period_then_the_shopper_is_requeued(live, app,
                                                                              marie):
    app.extensions["settings"].set("reconnect_grace_s", 1, staff_id=None)
    held = conversation("active", assigned_staff_id=marie.id, assigned_at=now())
    watch = live()
    watch.until('id="ws-team"')
    watch.ws.close()
    deadline = time.monotonic() + 5
    while not db.session.query(Event).filter_by(kind=events.AGENT_DISCONNECTED).count():
        assert time.monotonic() < deadline, "the disconnect was not recorded"
        time.sleep(0.05)
        db.session.expire_all()
    assert fresh(held).status == "active"  # within the grace period: still hers
    time.sleep(1.2)
    conversation_jobs.check_presence(marie.id)  # what the worker runs after the grace period
    stored = fresh(held)
    assert (stored.status, stored.priority, stored.assigned_staff_id) == ("waiting", "urgent",
                                                                         None)
    told = db.session.query(Message).filter_by(conversation_id=held.id, sender="system").one()
    assert "Marie" in told.body


def test_the_left_column_alone_for_a_page_whose_socket_is_down(workspace, marie):
    conversation()
    side = workspace.get("/workspace/side", headers=HX)
    html = side.get_data(as_text=True)
    assert side.status_code == 200 and "HX-Request" in side.headers["Vary"]
    for part in ("ws-me", "ws-queue", "ws-mine", "ws-others", "ws-team"):
        assert f'id="{part}"' in html
    assert html.count('hx-swap-oob="true"') == 5


def test_supervisors_edit_and_delete_canned_replies(admin_client, app):
    from automation.conversations import canned
    from database.models import CannedReply

    lead = factories.staff(role="supervisor", email="lead@demo.shop")
    reply = canned.save(actor=lead, shortcode="bye", language="en", body="Bye!")
    _log_in(admin_client, "lead@demo.shop")
    form = admin_client.get(f"/workspace/canned/{reply.id}").get_data(as_text=True)
    assert 'name="id" value="%d"' % reply.id in form and "Bye!" in form
    saved = admin_client.post("/workspace/canned", data={"id": reply.id, "shortcode": "bye",
                                                         "language": "en",
                                                         "body": "Goodbye {first_name}!"})
    assert saved.status_code == 200 and fresh(reply).body == "Goodbye {first_name}!"
    assert admin_client.get("/workspace/canned/999999").status_code == 404
    deleted = admin_client.post(f"/workspace/canned/{reply.id}/delete")
    assert deleted.status_code == 200 and db.session.query(CannedReply).count() == 0
    assert admin_client.post("/workspace/canned/999999/delete").status_code == 404
