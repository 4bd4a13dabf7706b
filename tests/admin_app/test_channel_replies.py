"""Staff replies on every channel, end to end against the local fakes: a shopper asks for a
person through a provider's webhook (shopper app), an agent answers through the staff API
(staff app), and the reply leaves through the provider — WhatsApp by Meta's Graph API or
Twilio's REST API (past the 24-hour window inside the configured template), email by the mail
port with the thread's headers — then delivery reports, retries and the rating come back."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from twilio.request_validator import RequestValidator

from automation.runtime import settings
from database import db
from database.models import Conversation, Message
from tests import factories
from tests.automation.conversations.staffside import agent, fresh
from tests.factories import bearer
from tests.fakes.mail import RecordingMailSender
from tests.fakes.whatsapp_apis import FakeGraphAPI, FakeTwilioAPI
from tests.web_app.whatsapp_setup import fixture, make_app  # noqa: F401  (the fixture)

META_SECRET = "meta-secret-for-staff-replies"
TWILIO_TOKEN = "twilio-token-for-staff-replies"
TWILIO_SID = "AC" + "b" * 32
EMAIL_SECRET = "email-secret-for-staff-replies"
CONTENT_SID = "HX" + "c" * 32


@pytest.fixture
def graph() -> Iterator[FakeGraphAPI]:
    with FakeGraphAPI() as fake:
        yield fake


@pytest.fixture
def twilio_api() -> Iterator[FakeTwilioAPI]:
    with FakeTwilioAPI() as fake:
        yield fake


@pytest.fixture
def desk(make_app, graph, twilio_api, database_url):  # noqa: F811
    """Both apps with every channel pointed at the fakes, a key, an agent online."""
    config = {"WHATSAPP_APP_SECRET": META_SECRET, "WHATSAPP_VERIFY_TOKEN": "verify",
              "WHATSAPP_ACCESS_TOKEN": "graph-token", "WHATSAPP_PHONE_NUMBER_ID": "1065",
              "WHATSAPP_GRAPH_URL": graph.url + "/v24.0", "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
              "TWILIO_ACCOUNT_SID": TWILIO_SID, "TWILIO_API_URL": twilio_api.url,
              "TWILIO_REPLY_MODE": "twiml", "EMAIL_WEBHOOK_SECRET": EMAIL_SECRET,
              "SUPPORT_EMAIL": "support@shop.example",
              "PUBLIC_BASE_URL": "https://shop.example"}
    web = make_app(**config)
    from admin_app import create_app

    admin = create_app(settings.TestConfig(database_url, **config))
    mailer = RecordingMailSender()
    for app in (web, admin):
        email = app.extensions["channels"].email
        email.setup = replace(email.setup, sender=mailer)
    agent(name="Marie Agent", email="marie@demo.shop")
    return {"web": web, "shop": web.test_client(), "staff": admin.test_client(),
            "admin": admin, "key": factories.api_key("conversations:read",
                                                     "conversations:write"),
            "mailer": mailer}


def _staff(desk, method: str, path: str, **body):
    call = getattr(desk["staff"], method)
    response = call(path, json=body, headers=bearer(desk["key"])) if method == "post" \
        else call(path, headers=bearer(desk["key"]))
    db.session.rollback()  # see what the other app committed
    return response


def _handed_over(desk) -> Conversation:
    db.session.rollback()
    conversation = db.session.query(Conversation).filter_by(status="waiting").one()
    assert _staff(desk, "post", f"/api/conversations/{conversation.id}/assign",
                  staff_email="marie@demo.shop").status_code == 200
    return conversation


def _age_inbound(conversation: Conversation, hours: float) -> None:
    for message in db.session.query(Message).filter_by(conversation_id=conversation.id,
                                                       direction="in"):
        message.created_at = message.created_at - timedelta(hours=hours)
    db.session.commit()


# --- WhatsApp through Meta ---------------------------------------------------------------------

def _meta_post(desk, payload) -> None:
    body = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(META_SECRET.encode(), body, hashlib.sha256).hexdigest()
    response = desk["shop"].post("/webhooks/whatsapp/meta", data=body,
                                 content_type="application/json",
                                 headers={"X-Hub-Signature-256": signature})
    assert response.status_code == 200


def _meta_text(text: str, wamid: str) -> dict:
    payload = fixture("meta_text.json")
    value = payload["entry"][0]["changes"][0]["value"]
    value["messages"][0].update(id=wamid, text={"body": text}, timestamp=str(int(time.time())))
    return payload


def _meta_status(wamid: str, status: str, *, failed: bool = False) -> dict:
    payload = fixture("meta_status_failed.json" if failed else "meta_status.json")
    payload["entry"][0]["changes"][0]["value"]["statuses"][0].update(id=wamid, status=status)
    return payload


def test_whatsapp_meta_staff_reply_template_after_24h_statuses_retry_and_rating(desk, graph):
    emma = factories.customer(first_name="Emma", last_name="Brown", phone="+447700900123",
                              language="en", email="emma@example.com")
    _meta_post(desk, _meta_text("I want to talk to a person", "wamid.IN-A"))
    conversation = _handed_over(desk)
    joined = graph.sent[-1]
    assert joined["text"]["body"] == "Marie has joined the conversation."
    graph.reset()
    sent = _staff(desk, "post", f"/api/conversations/{conversation.id}/messages",
                  body="Hello Emma, I am on it.")
    assert sent.status_code == 201 and sent.json["message"]["delivery"] == "accepted"
    [payload] = graph.sent
    assert (payload["type"], payload["to"], payload["text"]["body"]) == (
        "text", "447700900123", "Hello Emma, I am on it.")
    reply = db.session.get(Message, sent.json["message"]["id"])
    _meta_post(desk, _meta_status(reply.channel_message_id, "delivered"))
    _meta_post(desk, _meta_status(reply.channel_message_id, "read"))
    shown = _staff(desk, "get", f"/api/conversations/{conversation.id}").json["conversation"]
    assert [m["delivery"] for m in shown["messages"] if m["id"] == reply.id] == ["read"]

    # A day later: only a template gets through, and none is configured yet.
    _age_inbound(conversation, 25)
    refused = _staff(desk, "post", f"/api/conversations/{conversation.id}/messages",
                     body="Any news?")
    assert refused.status_code == 409 and "template" in refused.json["error"]["message"]
    desk["admin"].extensions["settings"].set("whatsapp_template_name", "support_followup",
                                             staff_id=None)
    desk["admin"].extensions["settings"].set("whatsapp_template_language", "en_GB",
                                             staff_id=None)
    graph.reset()
    later = _staff(desk, "post", f"/api/conversations/{conversation.id}/messages",
                   body="Your refund\nwas sent today.")
    assert later.status_code == 201
    [template] = graph.sent
    assert template["type"] == "template"
    assert template["template"]["name"] == "support_followup"
    assert template["template"]["language"] == {"code": "en_GB"}
    assert [p["text"] for p in template["template"]["components"][0]["parameters"]] == [
        "Emma", "Your refund was sent today."]

    # Meta refuses a message (131047): the failure shows; a retry sends it again.
    failing = db.session.get(Message, later.json["message"]["id"])
    _meta_post(desk, _meta_status(failing.channel_message_id, "failed", failed=True))
    shown = _staff(desk, "get", f"/api/conversations/{conversation.id}").json["conversation"]
    assert [m["delivery"] for m in shown["messages"] if m["id"] == failing.id] == ["failed"]
    graph.reset()
    retried = _staff(desk, "post",
                     f"/api/conversations/{conversation.id}/messages/{failing.id}/retry")
    assert retried.status_code == 200 and retried.json["message"]["delivery"] == "accepted"
    assert graph.sent[0]["type"] == "template"

    # Closing asks for a rating with a list of five; the shopper's tap is stored once.
    _age_inbound(conversation, -25)  # the shopper wrote recently again
    graph.reset()
    assert _staff(desk, "post", f"/api/conversations/{conversation.id}/close").status_code == 200
    [survey] = graph.sent
    assert survey["type"] == "interactive" and survey["interactive"]["type"] == "list"
    rows = survey["interactive"]["action"]["sections"][0]["rows"]
    assert [r["id"] for r in rows] == ["qr:5", "qr:4", "qr:3", "qr:2", "qr:1"]
    tap = fixture("meta_list_reply.json")
    message = tap["entry"][0]["changes"][0]["value"]["messages"][0]
    message["interactive"]["list_reply"] = {"id": "qr:5", "title": "5 — Excellent"}
    message["id"], message["timestamp"] = "wamid.IN-RATE", str(int(time.time()))
    _meta_post(desk, tap)
    db.session.rollback()
    assert fresh(conversation).rating == 5
    assert "5/5" in graph.sent[-1]["text"]["body"]
    assert emma.id


# --- WhatsApp through Twilio -------------------------------------------------------------------

def _twilio_post(desk, body: str, sid: str) -> None:
    fields = fixture("twilio_text.json")
    fields.update(Body=body, MessageSid=sid, SmsSid=sid, SmsMessageSid=sid)
    url = "https://shop.example/webhooks/whatsapp/twilio"  # PUBLIC_BASE_URL: what Twilio signs
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(url, fields)
    response = desk["shop"].post("/webhooks/whatsapp/twilio", data=fields,
                                 headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200


def test_whatsapp_twilio_staff_reply_and_the_template_after_24h(desk, twilio_api):
    factories.customer(first_name="João", last_name="Silva", phone="+351912345678",
                       language="pt", email="joao@example.com")
    _twilio_post(desk, "Quero falar com uma pessoa", "SM" + "1" * 32)
    conversation = _handed_over(desk)
    assert twilio_api.sent[-1]["Body"] == "Marie juntou-se à conversa."
    sent = _staff(desk, "post", f"/api/conversations/{conversation.id}/messages",
                  body="Olá João, estou a ver a sua encomenda.")
    assert sent.status_code == 201 and sent.json["message"]["delivery"] == "queued"
    fields = twilio_api.sent[-1]
    assert (fields["To"], fields["From"], fields["Body"]) == (
        "whatsapp:+351912345678", "whatsapp:+14155238886",
        "Olá João, estou a ver a sua encomenda.")
    assert twilio_api.basic_auth() == (TWILIO_SID, TWILIO_TOKEN)
    _age_inbound(conversation, 30)
    desk["admin"].extensions["settings"].set("twilio_template_sid", CONTENT_SID, staff_id=None)
    later = _staff(desk, "post", f"/api/conversations/{conversation.id}/messages",
                   body="O reembolso foi feito.")
    assert later.status_code == 201
    fields = twilio_api.sent[-1]
    assert fields["ContentSid"] == CONTENT_SID and "Body" not in fields
    assert json.loads(fields["ContentVariables"]) == {"1": "João",
                                                      "2": "O reembolso foi feito."}


# --- email ---------------------------------------------------------------------------------------

def _email(desk, text: str, message_id: str, *, in_reply_to: str | None = None) -> None:
    headers = f"Message-ID: {message_id}\n" + (f"In-Reply-To: {in_reply_to}\n"
                                               if in_reply_to else "")
    payload = {"from": "Camille Dubois <camille@example.com>", "to": "support@shop.example",
               "subject": "Ma commande", "text": text, "headers": headers}
    response = desk["shop"].post("/webhooks/email", data=payload,
                                 headers={"X-Webhook-Secret": EMAIL_SECRET})
    assert response.status_code == 200 and response.json["status"] == "accepted"


def test_email_staff_reply_is_threaded_and_signed_and_the_rating_link_works(desk):
    factories.customer(first_name="Camille", last_name="Dubois", language="fr",
                       email="camille@example.com")
    _email(desk, "Je voudrais parler à une personne, s'il vous plaît.", "<ask-1@mail.example>")
    conversation = _handed_over(desk)
    mailer = desk["mailer"]
    joined = mailer.sent[-1]
    assert "Marie a rejoint la conversation." in joined.get_body(("plain",)).get_content()
    sent = _staff(desk, "post", f"/api/conversations/{conversation.id}/messages",
                  body="Bonjour Camille, je m'en occupe.")
    assert sent.status_code == 201 and sent.json["message"]["delivery"] == "sent"
    reply = mailer.sent[-1]
    assert reply["To"] == "Camille Dubois <camille@example.com>"
    assert reply["In-Reply-To"] == "<ask-1@mail.example>"
    assert "<ask-1@mail.example>" in reply["References"]
    assert reply["Auto-Submitted"] is None  # a person wrote it
    text = reply.get_body(("plain",)).get_content()
    assert "Bonjour Camille, je m'en occupe." in text and "Marie, Demo Shop" in text
    # The shopper answers that email: it joins the conversation the person holds.
    _email(desk, "Merci, j'attends.", "<ask-2@mail.example>", in_reply_to=reply["Message-ID"])
    db.session.rollback()
    assert db.session.query(Message).filter_by(conversation_id=conversation.id,
                                               body="Merci, j'attends.").count() == 1
    assert fresh(conversation).status == "active"
    # Closing sends the one-click rating link; the rating page keeps the first answer.
    assert _staff(desk, "post", f"/api/conversations/{conversation.id}/close").status_code == 200
    survey = mailer.sent[-1].get_body(("plain",)).get_content()
    link = next(word for word in survey.split() if word.startswith("https://shop.example/rate/"))
    path = link.removeprefix("https://shop.example")
    page = desk["shop"].get(path + "?rating=5")
    assert page.status_code == 200 and 'id="rate-5"' in page.get_data(as_text=True)
    assert fresh(conversation).rating is None  # looking is not rating
    rated = desk["shop"].post(path, data={"rating": "5"})
    assert rated.status_code == 200 and "5/5" in rated.get_data(as_text=True)
    again = desk["shop"].post(path, data={"rating": "1"})
    assert again.status_code == 200 and "5/5" in again.get_data(as_text=True)
    db.session.rollback()
    assert fresh(conversation).rating == 5
    assert desk["shop"].get("/rate/not-a-token").status_code == 404
