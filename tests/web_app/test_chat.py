"""The shopper's web chat: pages, the form without JavaScript, the live socket, the rating,
limits and the interface language."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from simple_websocket import Client, ConnectionClosed

from automation.conversations import handoff as handoff_flow
from automation.runtime import settings
from database import db, events
from database.models import Conversation, Event, Message
from tests import factories
from tests.live_server import serve


def _log_in(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def emma(app):
    shopper = factories.customer(first_name="Emma", email="emma@example.com", language="en")
    factories.order(shopper, number="CMD-51234", status="shipped", carrier="Colissimo",
                    tracking_number="6A51234000")
    return shopper


@pytest.fixture
def chatting(client, emma):
    _log_in(client, "emma@example.com")
    return client


def _closed_conversation(shopper, status: str = "closed", **fields) -> Conversation:
    now = datetime.now(UTC)
    conversation = Conversation(customer_id=shopper.id, channel="web", status=status,
                                language="en", context={}, started_at=now,
                                last_message_at=now, ended_at=now, **fields)
    db.session.add(conversation)
    db.session.commit()
    return conversation


# --- pages and the form without JavaScript ----------------------------------------------------

def test_the_chat_needs_a_logged_in_shopper(client):
    response = client.get("/chat")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_empty_chat_offers_the_composer_and_a_person(chatting):
    page = chatting.get("/chat").get_data(as_text=True)
    for marker in ('id="chat-form"', 'ws-connect="/chat/ws"', 'id="talk-to-person"',
                   "htmx-ext-ws-2.0.4.min.js", 'id="chat-history"'):
        assert marker in page


def test_the_plain_form_posts_and_shows_the_personal_reply(chatting, emma):
    response = chatting.post("/chat", data={"message": "Where is my order CMD-51234?"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/chat")
    page = chatting.get("/chat").get_data(as_text=True)
    assert "Where is my order CMD-51234?" in page
    assert "Emma" in page and "6A51234000" in page and "Colissimo" in page
    assert page.index("Where is my order") < page.index("6A51234000")  # newest at the bottom


def test_posting_the_same_form_twice_stores_the_message_once(chatting):
    for _ in range(2):
        chatting.post("/chat", data={"message": "Hello", "client_id": "f00d"})
    assert db.session.query(Message).filter_by(direction="in").count() == 1


def test_an_over_long_message_is_refused_politely_and_not_stored(chatting):
    response = chatting.post("/chat", data={"message": "x" * 4001})
    assert response.status_code == 400
    assert "too long" in response.get_data(as_text=True)
    assert db.session.query(Message).count() == 0


def test_a_body_over_64_kib_gets_the_friendly_page(chatting):
    response = chatting.post("/chat", data={"message": "x" * 70_000})
    assert response.status_code == 413 and "Too long" in response.get_data(as_text=True)
    assert db.session.query(Message).count() == 0


def test_the_shopper_is_rate_limited_with_a_friendly_page(database_url, emma):
    from web_app import create_app

    limited = create_app(settings.TestConfig(database_url, RATELIMIT_ENABLED=True,
                                    CHAT_RATE_LIMIT="2 per minute"))
    client = limited.test_client()
    _log_in(client, "emma@example.com")
    statuses = [client.post("/chat", data={"message": f"hello {n}"}).status_code
                for n in range(3)]
    assert statuses == [302, 302, 429]
    page = client.post("/chat", data={"message": "again"}).get_data(as_text=True)
    assert "Slow down a little" in page and "<html" in page
    assert db.session.query(Message).filter_by(direction="in").count() == 2


def test_earlier_conversations_are_listed_and_viewable(chatting, emma, client):
    old = _closed_conversation(emma, rating=4)
    db.session.add(Message(conversation_id=old.id, channel="web", direction="in",
                           sender="customer", body="My parcel is late"))
    db.session.commit()
    chatting.post("/chat", data={"message": "Hello"})
    page = chatting.get("/chat").get_data(as_text=True)
    assert f'href="/chat/{old.id}"' in page and "My parcel is late" in page
    transcript = chatting.get(f"/chat/{old.id}").get_data(as_text=True)
    assert "My parcel is late" in transcript and "Thank you for your rating: 4/5." in transcript
    stranger = factories.customer(email="zoe@example.com")
    theirs = _closed_conversation(stranger)
    assert chatting.get(f"/chat/{theirs.id}").status_code == 404


def test_quick_replies_are_buttons_that_send_their_value(chatting):
    chatting.post("/chat", data={"message": "Hello"})
    page = chatting.get("/chat").get_data(as_text=True)
    buttons = page[page.index('id="chat-quick-replies"'):page.index('id="chat-status"')]
    assert 'name="message" value="My orders"' in buttons and "ws-send" in buttons


@pytest.mark.parametrize("team, expected", [
    ("nobody", "You are number 1 in line. No one from our team is online right now"),
    ("free", "You are next in line: someone will be with you in a moment."),
    ("full", "You are number 1 in line — about 6 minutes"),
])
def test_a_waiting_shopper_sees_their_place_in_line(chatting, emma, team, expected):
    if team != "nobody":
        marie = factories.staff(availability="available", max_concurrent=1,
                                last_seen_at=datetime.now(UTC))
        if team == "full":  # her one place is taken: the wait is one average handling
            busy = _closed_conversation(factories.customer(), status="active",
                                        assigned_staff_id=marie.id)
            assert busy.status == "active"
    chatting.post("/chat", data={"message": "Talk to a person"})
    page = chatting.get("/chat").get_data(as_text=True)
    assert expected in page
    assert 'id="talk-to-person"' not in page


# --- satisfaction -----------------------------------------------------------------------------

def test_a_closed_conversation_is_rated_once_by_its_shopper(chatting, emma):
    conversation = _closed_conversation(emma)
    assert 'id="rate-5"' in chatting.get("/chat").get_data(as_text=True)
    response = chatting.post(f"/chat/{conversation.id}/rating", data={"rating": "5"},
                             headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Thank you for your rating: 5/5." in response.get_data(as_text=True)
    assert db.session.get(Conversation, conversation.id).rating == 5
    again = chatting.post(f"/chat/{conversation.id}/rating", data={"rating": "1"})
    assert again.status_code == 409
    assert db.session.get(Conversation, conversation.id).rating == 5
    assert db.session.query(Event).filter_by(kind=events.CSAT_SUBMITTED).count() == 1


@pytest.mark.parametrize("case, expected", [("open", 409), ("stranger", 404), ("seven", 400)])
def test_ratings_that_do_not_count(chatting, emma, case, expected):
    owner = factories.customer(email="zoe@example.com") if case == "stranger" else emma
    conversation = _closed_conversation(owner, "ai" if case == "open" else "closed")
    response = chatting.post(f"/chat/{conversation.id}/rating",
                             data={"rating": "7" if case == "seven" else "5"})
    assert response.status_code == expected
    assert db.session.get(Conversation, conversation.id).rating is None


# --- the interface language -------------------------------------------------------------------

def test_a_french_profile_gets_the_interface_in_french(client):
    factories.customer(email="camille@example.com", language="fr")
    _log_in(client, "camille@example.com")
    page = client.get("/chat").get_data(as_text=True)
    assert '<html lang="fr">' in page
    for words in ("Discussion", "Mes commandes", "Parler à un conseiller", "Envoyer",
                  "Se déconnecter"):
        assert words in page
    assert "Page introuvable" in client.get("/nowhere").get_data(as_text=True)


@pytest.mark.parametrize("header, words", [
    ("pt-PT,pt;q=0.9,en;q=0.5", "Criar uma conta"),
    ("fr-CA,fr;q=0.8", "Créer un compte"),
    ("de-DE,de;q=0.9", "Create an account"),
    (None, "Create an account"),
])
def test_anonymous_pages_follow_the_browser_language(client, header, words):
    headers = {"Accept-Language": header} if header else {}
    assert words in client.get("/login", headers=headers).get_data(as_text=True)


def test_missing_catalogs_are_compiled(tmp_path):
    from automation.runtime.i18n import CATALOGUE, compile_catalogue

    shutil.copytree(CATALOGUE, tmp_path / "translations",
                    ignore=shutil.ignore_patterns("*.mo"))
    written = compile_catalogue(tmp_path / "translations")
    assert sorted(p.parent.parent.name for p in written) == ["fr", "pt"]
    assert compile_catalogue(tmp_path / "translations") == []  # up to date: nothing to do


def test_api_errors_stay_json_whatever_the_language(client):
    response = client.get("/api/nowhere", headers={"Accept-Language": "fr"})
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


# --- the live socket --------------------------------------------------------------------------

class Socket:
    """A chat socket as the browser holds it, with a helper to wait for a fragment."""

    def __init__(self, ws: Client) -> None:
        self.ws = ws

    def send(self, **frame) -> None:
        self.ws.send(json.dumps(frame))

    def until(self, text: str, timeout: float = 5.0) -> str:
        """Return every frame received up to (and with) the first one holding `text`."""
        frames = []
        while True:
            frame = self.ws.receive(timeout=timeout)
            assert frame is not None, f"no {text!r} in {frames}"
            frames.append(frame)
            if text in frame:
                return "".join(frames)


@pytest.fixture
def open_socket(app, emma) -> Iterator[Callable[..., Socket]]:
    sockets: list[Client] = []
    with serve(app) as url:
        def connect(email: str = "emma@example.com", *, origin: str | None = None) -> Socket:
            client = app.test_client()
            with app.app_context():  # a fresh `g`: the test's own context remembers a login
                _log_in(client, email)
            cookie = client.get_cookie("desk_shop_session").value
            headers = {"Cookie": f"desk_shop_session={cookie}"}
            if origin:
                headers["Origin"] = origin
            ws = Client.connect(url.replace("http://", "ws://") + "/chat/ws", headers=headers)
            sockets.append(ws)
            return Socket(ws)

        yield connect
        for ws in sockets:
            if ws.connected:
                ws.close()


def test_the_reply_is_pushed_and_a_reconnect_resumes_without_duplicates(open_socket):
    chat = open_socket()
    chat.send(type="resume", conversation_id=None, after=0)
    chat.send(message="Where is my order CMD-51234?", client_id="m1")
    frames = chat.until("6A51234000")
    assert "The assistant is typing" in frames and 'hx-swap-oob="beforeend"' in frames
    asked, replied = db.session.query(Message).order_by(Message.id).all()
    assert f'id="msg-{asked.id}"' in frames and f'id="msg-{replied.id}"' in frames
    chat.ws.close()

    again = open_socket()  # the page held only the question when the socket dropped
    again.send(type="resume", conversation_id=asked.conversation_id, after=asked.id)
    frames = again.until(f'id="msg-{replied.id}"')
    assert f'id="msg-{asked.id}"' not in frames
    again.send(message="Where is my order CMD-51234?", client_id="m1")  # resent after the drop
    assert again.ws.receive(timeout=1) is None  # already answered: nothing new to show
    assert db.session.query(Message).count() == 2


def test_an_over_long_socket_message_gets_a_polite_bubble_and_nothing_is_stored(open_socket):
    chat = open_socket()
    chat.send(message="x" * 4001, client_id="long")
    assert "too long" in chat.until("notice-")
    assert db.session.query(Message).count() == 0


def test_the_socket_shares_the_shoppers_message_budget(database_url, emma):
    from web_app import create_app

    limited = create_app(settings.TestConfig(database_url, RATELIMIT_ENABLED=True,
                                             CHAT_RATE_LIMIT="1 per minute"))
    client = limited.test_client()
    with limited.app_context():
        _log_in(client, "emma@example.com")
        assert client.post("/chat", data={"message": "Hello"}).status_code == 302
    cookie = client.get_cookie("desk_shop_session").value
    with serve(limited) as url:
        ws = Client.connect(url.replace("http://", "ws://") + "/chat/ws",
                            headers={"Cookie": f"desk_shop_session={cookie}"})
        chat = Socket(ws)
        chat.send(message="Hello again", client_id="over")
        assert "very fast" in chat.until("notice-")
        ws.close()
    assert db.session.query(Message).filter_by(direction="in").count() == 1


def test_a_socket_needs_a_shopper_of_this_site(app, open_socket):
    with pytest.raises(ConnectionClosed):
        chat = open_socket(origin="http://evil.example")
        chat.ws.receive(timeout=2)
        chat.ws.receive(timeout=2)


def test_the_queue_and_the_person_joining_show_live(open_socket, emma):
    zoe_shopper = factories.customer(first_name="Zoé", email="zoe@example.com", language="en")
    marie = factories.staff(name="Marie Agent", availability="available", max_concurrent=1,
                            last_seen_at=datetime.now(UTC))
    zoe = open_socket("zoe@example.com")
    zoe.send(message="Talk to a person", client_id="z1")
    zoe.until("You are next in line")
    chat = open_socket()
    chat.send(message="Talk to a person", client_id="e1")
    chat.until("number 2 in line — about 6 minutes")
    zoe_conversation = db.session.query(Conversation).filter_by(customer_id=zoe_shopper.id).one()
    handoff_flow.assign(zoe_conversation.id, marie.id)
    zoe.until("Marie has joined the conversation.")
    chat.until("number 1 in line")  # the queue moved
    mine = db.session.query(Conversation).filter_by(customer_id=emma.id).one()
    handoff_flow.assign(mine.id, marie.id)
    chat.until("Marie has joined")
    handoff_flow.post_agent_message(mine.id, marie.id, "Hello Emma, I am looking into it.")
    assert "Marie" in chat.until("I am looking into it.")
    handoff_flow.hand_back(mine.id)
    chat.until('id="talk-to-person"')  # the assistant again, a person one click away
    handoff_flow.close(mine.id, by="agent")
    assert 'id="rate-5"' in chat.until("chat-rating")
