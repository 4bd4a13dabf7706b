"""The email channel: the webhook, its errors, replies by SMTP, threading, loops and limits."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from string import Template

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from automation.runtime import jobs
from database import db, events
from database.models import Conversation, Customer, Event, Message
from tests import factories
from tests.conftest import _empty_tables, _make_web_app
from tests.fakes.mail import FailingMailSender, RecordingMailSender
from tests.fakes.smtp_server import SmtpServer
from automation.channels.email import message as email_channel
from automation.channels.delivery import deliver
from automation.channels.email.jobs import mail_setup

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "email"
SECRET = "inbound-parse-secret"
SHOP = {"EMAIL_WEBHOOK_SECRET": SECRET, "SUPPORT_EMAIL": "support@shop.example",
        "PUBLIC_BASE_URL": "https://shop.example", "SHOP_NAME": "Demo Shop"}


def fixture(name: str, **values: str) -> dict[str, str]:
    """Return a stored inbound-parse payload with `$placeholders` filled in."""
    raw = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return {key: Template(value).safe_substitute(values) for key, value in raw.items()}


def post(client, fields, *, secret: str | None = SECRET, as_json: bool = False, **kwargs):
    headers = {"X-Webhook-Secret": secret} if secret is not None else {}
    if as_json:
        return client.post("/webhooks/email", json=fields, headers=headers, **kwargs)
    return client.post("/webhooks/email", data=fields, headers=headers,
                       content_type="multipart/form-data", **kwargs)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def kinds() -> list[str]:
    return list(db.session.scalars(select(Event.kind).order_by(Event.id)))


@pytest.fixture
def make_app(database_url):
    """Build the shopper app with email settings, on empty tables, inside its context."""
    from automation.orders import catalogue
    from automation.knowledge.search import knowledge_base

    contexts = []

    def build(**overrides):
        app = _make_web_app(database_url, **{**SHOP, **overrides})
        contexts.append(app.app_context())
        contexts[-1].push()
        _empty_tables()
        knowledge_base.invalidate()  # caches outlive the tables they were read from
        catalogue.forget()
        return app

    yield build
    for context in contexts:
        db.session.remove()
        db.engine.dispose()
        context.pop()


@dataclass
class Desk:
    """The shopper app, its test client and the emails its recording sender sent."""

    app: Flask
    client: FlaskClient
    mailer: RecordingMailSender

    @property
    def sent(self) -> list[EmailMessage]:
        return self.mailer.sent

    def use(self, sender) -> None:
        self.app.extensions["channels"].email.setup = replace(mail_setup(self.app),
                                                             sender=sender)


@pytest.fixture
def desk(make_app) -> Desk:
    """The app with a recording mail sender: `desk.sent` holds every email sent."""
    app = make_app()
    desk = Desk(app, app.test_client(), RecordingMailSender())
    desk.use(desk.mailer)
    return desk


@pytest.fixture
def shoppers(desk):
    return add_shoppers()


def add_shoppers() -> dict[str, Customer]:
    camille = factories.customer(first_name="Camille", last_name="Dubois", language="fr",
                                 email="camille.dubois@example.com")
    joao = factories.customer(first_name="João", last_name="Silva", language="pt",
                              email="joao.silva@example.com")
    factories.order(camille, number="CMD-48213", status="shipped", carrier="Colissimo",
                    tracking_number="6A12345678901", shipped_at=datetime.now(UTC) - timedelta(1))
    factories.order(joao, number="CMD-51002", status="shipped", carrier="CTT",
                    tracking_number="RR123456789PT", shipped_at=datetime.now(UTC) - timedelta(2))
    return {"camille": camille, "joao": joao}


# --- the webhook's door --------------------------------------------------------------------

@pytest.mark.parametrize("secret", [None, "wrong-secret", SECRET + "x"])
def test_a_missing_or_wrong_secret_is_refused_and_nothing_is_stored(desk, shoppers, secret):
    payload = fixture("sendgrid_order_status_fr", email=shoppers["camille"].email,
                      order="CMD-48213")
    response = post(desk.client, payload, secret=secret)
    assert response.status_code == 403
    assert response.json["error"]["code"] == "invalid_signature"
    assert count(Message) == 0 and count(Event) == 0 and desk.sent == []


def test_the_secret_may_come_as_a_query_parameter(desk, shoppers):
    payload = fixture("sendgrid_order_status_fr", email=shoppers["camille"].email,
                      order="CMD-48213")
    response = desk.client.post(f"/webhooks/email?secret={SECRET}", data=payload)
    assert response.status_code == 200 and response.json["status"] == "accepted"


def test_without_a_secret_set_the_channel_is_not_configured(make_app):
    client = make_app(EMAIL_WEBHOOK_SECRET=None).test_client()
    response = post(client, {"from": "a@example.com", "text": "hi"})
    assert response.status_code == 503
    assert "not configured" in response.json["error"]["message"]
    assert count(Message) == 0


@pytest.mark.parametrize("fields, field, problem", [
    ({"to": "support@shop.example", "text": "where is my order?"}, "from", "required"),
    ({"from": "Camille, at home", "text": "where is my order?"}, "from", "valid address"),
    ({"from": "camille@example.com", "text": "  ", "html": ""}, "text", "required"),
    ({"from": "camille@example.com", "text": ["a", "list"]}, "text", "string"),
])
def test_a_malformed_email_gets_a_400_naming_the_field(desk, fields, field, problem):
    response = post(desk.client, fields, as_json=True)
    assert response.status_code == 400
    error = response.json["error"]
    assert error["code"] == "validation_error" and problem in error["fields"][field]
    assert count(Message) == 0


def test_a_body_that_is_not_a_form_or_json_is_refused(desk):
    response = desk.client.post("/webhooks/email", data="hello", content_type="text/plain",
                                  headers={"X-Webhook-Secret": SECRET})
    assert response.status_code == 415
    assert post(desk.client, ["not", "an", "object"], as_json=True).status_code == 400


def test_a_body_over_64_kib_gets_413(desk, shoppers):
    response = post(desk.client, {"from": shoppers["camille"].email, "text": "x" * 70_000})
    assert response.status_code == 413
    assert response.json["error"]["code"] == "payload_too_large"
    assert count(Message) == 0


# --- answering -----------------------------------------------------------------------------

def test_an_email_is_answered_in_french_as_a_threaded_reply(desk, shoppers):
    camille = shoppers["camille"]
    response = post(desk.client, fixture("sendgrid_order_status_fr", email=camille.email,
                                           order="CMD-48213"))
    assert response.status_code == 200 and response.json["status"] == "accepted"
    [reply] = desk.sent
    assert parseaddr(reply["To"])[1] == camille.email
    assert parseaddr(reply["From"]) == ("Demo Shop", "support@shop.example")
    assert reply["Subject"] == "Re: Où est ma commande ?"
    assert reply["In-Reply-To"] == "<CAF4x9Yq-camille-0001@mail.gmail.com>"
    assert reply["References"].split() == ["<older-thread-0001@mail.gmail.com>",
                                           "<CAF4x9Yq-camille-0001@mail.gmail.com>"]
    assert reply["Message-ID"].endswith("@shop.example>")
    assert reply["Auto-Submitted"] == "auto-replied"
    text = reply.get_body(("plain",)).get_content()
    assert "Camille" in text and "Colissimo" in text and "CMD-48213" in text
    assert "<p>" in reply.get_body(("html",)).get_content()

    inbound = db.session.scalar(select(Message).where(Message.direction == "in"))
    assert "a écrit" not in inbound.body and "06 12 34 56 78" not in inbound.body
    assert "a écrit" in inbound.meta["email"]["original"]  # the full email is kept
    out = db.session.scalar(select(Message).where(Message.direction == "out"))
    assert out.delivery_status == "sent" and out.channel_message_id == reply["Message-ID"]
    assert out.conversation.subject == "Où est ma commande ?"
    assert events.MESSAGE_DELIVERY in kinds()


def test_a_reply_goes_out_through_a_real_smtp_server(make_app):
    with SmtpServer() as server:
        client = make_app(SMTP_URL=server.url()).test_client()
        joao = add_shoppers()["joao"]
        response = post(client, fixture("outlook_html_only_pt", email=joao.email,
                                        order="CMD-51002"))
        assert response.status_code == 200
    [received] = server.received
    reply = received.message
    assert received.recipients == [joao.email]
    assert parseaddr(reply["To"])[1] == joao.email
    assert reply["Subject"] == "Re: Encomenda CMD-51002"
    assert reply["In-Reply-To"] == "<AM0PR01MB-joao-0001@eurprd01.prod.outlook.com>"
    assert reply["References"] == reply["In-Reply-To"]
    assert reply["Message-ID"].endswith("@shop.example>")
    assert reply["Auto-Submitted"] == "auto-replied"
    text = reply.get_body(("plain",)).get_content()
    assert "João" in text and "CTT" in text and "encomenda" in text.lower()
    inbound = db.session.scalar(select(Message).where(Message.direction == "in"))
    assert "alert" not in inbound.body and "Enviado do meu" not in inbound.body
    assert "obrigado pela sua encomenda" not in inbound.body  # Outlook's quoted thread


def test_a_reply_to_our_email_continues_its_conversation(desk, shoppers):
    camille = shoppers["camille"]
    post(desk.client, fixture("sendgrid_order_status_fr", email=camille.email,
                                order="CMD-48213"))
    first = db.session.scalar(select(Conversation))
    # A newer email conversation, closed: the References still lead to the right one.
    db.session.add(Conversation(customer_id=camille.id, channel="email", status="closed",
                                subject="Autre chose",
                                last_message_at=datetime.now(UTC) + timedelta(minutes=5)))
    db.session.commit()
    ours = desk.sent[0]["Message-ID"]
    response = post(desk.client, fixture("mailgun_follow_up_fr", email=camille.email,
                                           in_reply_to=ours, quoted="Votre commande..."))
    assert response.status_code == 200
    second = db.session.get(Message, response.json["message_id"])
    assert second.conversation_id == first.id
    assert second.body == "Et elle arrive quand exactement ?"
    follow_up = desk.sent[1]
    assert follow_up["Subject"] == "Re: Où est ma commande ?"
    assert follow_up["In-Reply-To"] == "<CAF4x9Yq-camille-0002@mail.gmail.com>"
    assert "CMD-48213" in follow_up.get_body(("plain",)).get_content()  # it remembered


def test_the_same_message_id_three_times_gets_one_reply(desk, shoppers):
    payload = fixture("sendgrid_order_status_fr", email=shoppers["camille"].email,
                      order="CMD-48213")
    answers = [post(desk.client, payload).json for _ in range(3)]
    assert [a["duplicate"] for a in answers] == [False, True, True]
    assert len({a["message_id"] for a in answers}) == 1
    assert len(desk.sent) == 1
    assert count(Message) == 2


def test_a_json_body_works_like_form_fields(desk, shoppers):
    payload = fixture("outlook_html_only_pt", email=shoppers["joao"].email, order="CMD-51002")
    assert post(desk.client, payload, as_json=True).json["status"] == "accepted"
    assert len(desk.sent) == 1 and "Auto-Submitted" in desk.sent[0]


# --- mail that must not be answered ----------------------------------------------------------

def test_an_unregistered_sender_gets_an_invitation_and_no_data(desk, shoppers):
    payload = fixture("unregistered_fr", email="someone@mail.example.org", order="CMD-48213")
    answers = [post(desk.client, payload).json for _ in range(3)]
    assert [a["status"] for a in answers] == ["not_registered"] * 3
    [invitation] = desk.sent  # three deliveries of one email, one invitation
    assert parseaddr(invitation["To"])[1] == "someone@mail.example.org"
    assert invitation["Subject"] == "Re: Ma commande"
    assert invitation["In-Reply-To"] == "<stranger-0001@mail.example.org>"
    text = invitation.get_body(("plain",)).get_content()
    assert "compte" in text and "https://shop.example/register" in text
    for secret in ("CMD-48213", "Colissimo", "6A12345678901", "Camille", "rue des Lilas"):
        assert secret not in text
    assert count(Conversation) == 0 and count(Message) == 0
    event = db.session.scalar(select(Event).where(Event.kind == events.MESSAGE_UNREGISTERED))
    assert event.payload["domain"] == "mail.example.org"
    assert "someone" not in json.dumps(event.payload)


@pytest.mark.parametrize("name, reason", [("out_of_office", "auto_submitted"),
                                          ("bounce", "bounce"), ("newsletter", "bulk")])
def test_auto_replies_bounces_and_bulk_mail_are_never_answered(desk, shoppers, name, reason):
    response = post(desk.client, fixture(name, email=shoppers["camille"].email))
    assert response.status_code == 200 and response.json == {"status": "ignored",
                                                              "reason": reason}
    assert desk.sent == [] and count(Message) == 0
    assert kinds() == [events.EMAIL_IGNORED]


def test_mail_from_our_own_address_is_never_answered(desk):
    response = post(desk.client, {"from": "Demo Shop <support@shop.example>",
                                    "subject": "Re: hello", "text": "Hello"})
    assert response.json == {"status": "ignored", "reason": "own_address"}
    assert desk.sent == []


def test_a_sender_over_the_rate_limit_is_stored_but_not_answered(make_app):
    app = make_app(RATELIMIT_ENABLED=True, EMAIL_RATE_LIMIT="2 per hour")
    sender = RecordingMailSender()
    app.extensions["channels"].email.setup = replace(mail_setup(app), sender=sender)
    client, camille = app.test_client(), add_shoppers()["camille"]
    statuses = [post(client, {"from": camille.email, "text": "où est ma commande ?",
                              "Message-ID": f"<limit-{n}@example.com>"}).json["status"]
                for n in range(3)]
    assert statuses == ["accepted", "accepted", "rate_limited"]
    assert len(sender.sent) == 2
    assert count(Message) == 5  # three received, two answered
    assert events.MESSAGE_RATE_LIMITED in kinds()


# --- sending failures ----------------------------------------------------------------------

def test_a_failed_send_is_marked_recorded_and_retried_with_the_same_email(desk, shoppers):
    desk.use(FailingMailSender())
    scheduled_before = len(jobs.queue.scheduled())
    post(desk.client, fixture("sendgrid_order_status_fr", email=shoppers["camille"].email,
                                order="CMD-48213"))
    out = db.session.scalar(select(Message).where(Message.direction == "out"))
    assert out.delivery_status == "failed" and "Connection" in out.meta["delivery_error"]["error"]
    failure = db.session.scalar(select(Event).where(Event.kind == events.MESSAGE_DELIVERY,
                                                    Event.level == "warning"))
    assert failure.payload["status"] == "failed" and failure.payload["channel"] == "email"
    assert len(jobs.queue.scheduled()) == scheduled_before + 1  # the queue will try again

    desk.use(desk.mailer)
    deliver.call_local(out.id)  # what the retry runs
    db.session.expire_all()
    assert db.session.get(Message, out.id).delivery_status == "sent"
    assert desk.sent[0]["Message-ID"] == out.channel_message_id  # the very same email
    deliver.call_local(out.id)
    assert len(desk.sent) == 1  # never sent twice


# --- parsing and formatting ------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Hi\nwhere is it?\n\nOn Tue, 3 Mar 2026 at 10:00, Shop <s@shop.example>\nwrote:\n> old",
     "Hi\nwhere is it?"),
    ("Bonjour\n\nLe mar. 3 mars 2026 à 10:00, Shop <s@shop.example> a écrit :\n> ancien",
     "Bonjour"),
    ("Olá\n\nEm ter., 3 de mar. de 2026 às 10:00, Loja <s@shop.example> escreveu:\n> antigo",
     "Olá"),
    ("Hello\n> quoted line\nmy answer\n-- \nEmma Brown\n+44 7700 900123", "Hello\nmy answer"),
    ("On Monday I wrote: a letter to you.", "On Monday I wrote: a letter to you."),
])
def test_quoted_replies_and_signatures_are_cut(text, expected):
    mail = email_channel.parse({"from": "a@example.com", "text": text})
    assert mail.text == expected and mail.original.startswith(text.split("\n")[0])


@pytest.mark.parametrize("subject, expected", [
    ("Où est ma commande ?", "Re: Où est ma commande ?"),
    ("Re: RE: Ré : Réf : AW: Ma commande", "Re: Ma commande"),
    ("Re[2]: Encomenda", "Re: Encomenda"), ("", "Re: Demo Shop customer support"),
    ("Fwd: Invoice", "Re: Fwd: Invoice"),
])
def test_reply_subjects_never_pile_up_prefixes(subject, expected):
    assert email_channel.subject_for(subject, shop_name="Demo Shop") == expected


def test_html_is_turned_into_text_without_scripts_and_the_reply_html_is_escaped():
    mail = email_channel.parse({"from": "Dubois, Camille <CAMILLE@Example.com>",
                                "html": "<p>Bonjour&nbsp;!</p><script>steal()</script>"
                                        "<p>Ma <b>commande</b></p>"})
    assert mail.sender == "camille@example.com" and mail.sender_name == "Dubois, Camille"
    assert mail.text == "Bonjour !\n\nMa commande"
    reply = email_channel.format(reply="<b>2 < 3</b>", to="c@example.com", to_name="C",
                                 subject="Re: x", from_address="support@shop.example",
                                 shop_name="Shop & Co", language="fr",
                                 in_reply_to=None, references=[])
    html = reply.get_body(("html",)).get_content()
    assert "&lt;b&gt;2 &lt; 3&lt;/b&gt;" in html and "Shop &amp; Co" in html
    assert "In-Reply-To" not in reply


def test_ids_come_from_fields_or_the_raw_headers_block():
    mail = email_channel.parse({"from": "a@example.com", "text": "hi",
                                "headers": "Message-ID: <x1@example.com>\n"
                                           "In-Reply-To: <ours@shop.example>\n"
                                           "References: <a@x> <ours@shop.example>\n"})
    assert mail.message_id == "<x1@example.com>"
    assert mail.thread_ids == ["<ours@shop.example>", "<a@x>"]
    again = email_channel.parse({"from": "a@example.com", "text": "hi"})
    assert again.message_id == email_channel.parse({"from": "a@example.com",
                                                    "text": "hi"}).message_id


def test_the_support_address_defaults_to_the_public_host():
    assert email_channel.support_address({"PUBLIC_BASE_URL": "https://Help.Shop.example/x"}) \
        == "support@help.shop.example"
    assert email_channel.support_address({}) == "support@localhost"
    assert email_channel.support_address({"SUPPORT_EMAIL": "Help@Shop.example"}) \
        == "help@shop.example"
