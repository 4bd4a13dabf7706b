"""Race-safe by the database: deliveries of one message arriving together get one reply, first
messages arriving together open one conversation, and a provider id reused by another shopper
is a conflict, never their reply. Threads against the app served over HTTP, on SQLite and
PostgreSQL."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from twilio.request_validator import RequestValidator

from database import db
from database.models import Conversation, Message
from tests import factories
from tests.factories import bearer
from tests.fakes.mail import RecordingMailSender
from tests.fakes.whatsapp_apis import FakeGraphAPI
from tests.live_server import serve
from tests.web_app.whatsapp_setup import make_app  # noqa: F401  (the fixture)

TWILIO_TOKEN = "twilio-token-for-races"
META_SECRET = "meta-secret-for-races"
EMAIL_SECRET = "email-secret-for-races"


@pytest.fixture
def graph() -> Iterator[FakeGraphAPI]:
    with FakeGraphAPI() as server:
        yield server


@pytest.fixture
def desk(make_app, graph):  # noqa: F811
    """The shopper app with every channel on, served over HTTP, and a shopper per test."""
    app = make_app(TWILIO_AUTH_TOKEN=TWILIO_TOKEN, TWILIO_REPLY_MODE="twiml",
                   WHATSAPP_APP_SECRET=META_SECRET, WHATSAPP_VERIFY_TOKEN="verify",
                   WHATSAPP_ACCESS_TOKEN="graph-token", WHATSAPP_PHONE_NUMBER_ID="1234",
                   WHATSAPP_GRAPH_URL=graph.url + "/v24.0", EMAIL_WEBHOOK_SECRET=EMAIL_SECRET,
                   SUPPORT_EMAIL="support@shop.example")
    mailer = RecordingMailSender()
    app.extensions["channels"].email.setup = _with_sender(app, mailer)
    shopper = factories.customer(first_name="Ana", email="ana@example.com",
                                 phone="+351912345678", language="pt")
    factories.order(shopper, number="CMD-61001", status="shipped", carrier="CTT",
                    tracking_number="RR61001PT")
    key = factories.api_key("messages:write")
    db.session.remove()
    with serve(app) as url:
        yield {"app": app, "url": url, "key": key, "mailer": mailer, "graph": graph}


def _with_sender(app: Any, sender: Any) -> Any:
    from dataclasses import replace

    return replace(app.extensions["channels"].email.setup, sender=sender)


def _together(count: int, call: Callable[[int], httpx.Response]) -> list[httpx.Response]:
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(call, range(count)))


def _stored(direction: str) -> list[Message]:
    db.session.rollback()
    return list(db.session.query(Message).filter_by(direction=direction).order_by(Message.id))


def test_parallel_deliveries_on_the_api_get_one_reply(desk):
    body = {"email": "ana@example.com", "message": "onde está a encomenda CMD-61001?",
            "message_id": "shop-msg-1"}

    def call(_: int) -> httpx.Response:
        return httpx.post(f"{desk['url']}/api/process-message", json=body,
                          headers=bearer(desk["key"]), timeout=30)

    answers = _together(5, call)
    assert [a.status_code for a in answers] == [200] * 5
    assert len({a.json()["reply"] for a in answers}) == 1
    assert sorted(a.json()["duplicate"] for a in answers) == [False, True, True, True, True]
    assert len(_stored("in")) == 1 and len(_stored("out")) == 1


def test_parallel_first_messages_open_one_conversation(desk):
    def call(n: int) -> httpx.Response:
        return httpx.post(f"{desk['url']}/api/process-message", headers=bearer(desk["key"]),
                          json={"email": "ana@example.com", "message": f"olá {n}",
                                "message_id": f"first-{n}"}, timeout=60)

    answers = _together(20, call)
    assert [a.status_code for a in answers] == [200] * 20
    db.session.rollback()
    open_ones = db.session.query(Conversation).filter(Conversation.status != "closed").all()
    assert len(open_ones) == 1
    assert len(_stored("in")) == 20 and len(_stored("out")) == 20
    assert {a.json()["conversation_id"] for a in answers} == {open_ones[0].id}


def test_parallel_twilio_redeliveries_get_one_reply(desk):
    url = f"{desk['url']}/webhooks/whatsapp/twilio"
    form = {"MessageSid": "SM" + "7" * 32, "AccountSid": "AC" + "1" * 32,
            "From": "whatsapp:+351912345678", "To": "whatsapp:+14155238886",
            "Body": "onde está a minha encomenda?", "NumMedia": "0"}
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(url, form)

    def call(_: int) -> httpx.Response:
        return httpx.post(url, data=form, headers={"X-Twilio-Signature": signature},
                          timeout=30)

    answers = _together(3, call)
    assert [a.status_code for a in answers] == [200] * 3
    assert sum("<Message>" in a.text for a in answers) == 1
    assert len(_stored("in")) == 1 and len(_stored("out")) == 1


def test_parallel_meta_redeliveries_get_one_reply(desk):
    payload = {"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550002222", "phone_number_id": "1234"},
            "contacts": [{"profile": {"name": "Ana"}, "wa_id": "351912345678"}],
            "messages": [{"from": "351912345678", "id": "wamid.RACE1",
                          "timestamp": "1767225600", "type": "text",
                          "text": {"body": "onde está a minha encomenda?"}}]}}]}]}
    raw = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(META_SECRET.encode(), raw, hashlib.sha256).hexdigest()

    def call(_: int) -> httpx.Response:
        return httpx.post(f"{desk['url']}/webhooks/whatsapp/meta", content=raw, timeout=30,
                          headers={"X-Hub-Signature-256": signature,
                                   "Content-Type": "application/json"})

    answers = _together(3, call)
    assert [a.status_code for a in answers] == [200] * 3
    assert len(_stored("in")) == 1 and len(_stored("out")) == 1
    assert len(desk["graph"].sent) == 1


def test_parallel_email_redeliveries_get_one_reply(desk):
    fields = {"from": "Ana <ana@example.com>", "subject": "Encomenda",
              "text": "Olá, onde está a minha encomenda CMD-61001?",
              "Message-ID": "<race-1@mail.example.com>"}

    def call(_: int) -> httpx.Response:
        return httpx.post(f"{desk['url']}/webhooks/email", data=fields, timeout=30,
                          headers={"X-Webhook-Secret": EMAIL_SECRET})

    answers = _together(3, call)
    assert [a.status_code for a in answers] == [200] * 3
    assert len(_stored("in")) == 1 and len(_stored("out")) == 1
    assert len(desk["mailer"].sent) == 1


def test_another_shoppers_message_id_is_a_conflict_never_their_reply(desk):
    factories.customer(first_name="Bea", email="bea@example.com", language="pt")
    db.session.remove()
    first = httpx.post(f"{desk['url']}/api/process-message", headers=bearer(desk["key"]),
                       json={"email": "ana@example.com", "message": "onde está a CMD-61001?",
                             "message_id": "shop-msg-9"})
    assert first.status_code == 200 and "RR61001PT" in first.json()["reply"]
    clash = httpx.post(f"{desk['url']}/api/process-message", headers=bearer(desk["key"]),
                       json={"email": "bea@example.com", "message": "Olá",
                             "message_id": "shop-msg-9"})
    assert clash.status_code == 409 and clash.json()["error"]["code"] == "conflict"
    assert "Ana" not in clash.text and "RR61001PT" not in clash.text
    assert len(_stored("in")) == 1


def test_an_email_reusing_another_shoppers_message_id_is_answered_as_its_own(desk):
    factories.customer(first_name="Bea", email="bea@example.com", language="pt")
    db.session.remove()
    message_id = "<shared-id@mail.example.com>"
    for sender, text in (("ana@example.com", "Onde está a minha encomenda CMD-61001?"),
                         ("bea@example.com", "Olá, preciso de ajuda")):
        answer = httpx.post(f"{desk['url']}/webhooks/email", timeout=30,
                            headers={"X-Webhook-Secret": EMAIL_SECRET},
                            data={"from": sender, "subject": "Ajuda", "text": text,
                                  "Message-ID": message_id})
        assert answer.status_code == 200 and answer.json()["status"] == "accepted"
        assert answer.json()["duplicate"] is False
    sent = desk["mailer"].sent
    assert [m["To"] for m in sent] == ["Ana Dubois <ana@example.com>",
                                       "Bea Dubois <bea@example.com>"]
    assert "RR61001PT" not in sent[1].get_body(("plain",)).get_content()
