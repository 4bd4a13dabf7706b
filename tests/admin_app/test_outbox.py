"""The staff outbox: without SMTP, email replies wait there for staff to read; shoppers never."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from admin_app import create_app as create_admin_app
from automation.runtime import settings
from database import db
from database.models import Message
from tests import factories
from tests.conftest import _empty_tables, _make_web_app

SECRET = "inbound-parse-secret"


@pytest.fixture
def shop(database_url):
    """The shopper app (email on, no SMTP) and the staff app, over one empty database."""
    admin = create_admin_app(settings.TestConfig(database_url))
    # Built last, the shopper app runs the background jobs, as the worker does.
    app = _make_web_app(database_url, EMAIL_WEBHOOK_SECRET=SECRET,
                        SUPPORT_EMAIL="support@shop.example")
    with app.app_context():
        _empty_tables()
        from automation.orders import catalogue
        from automation.knowledge.search import knowledge_base

        knowledge_base.invalidate()
        catalogue.forget()
        app.admin = admin
        yield app
        db.session.remove()
        db.engine.dispose()
    with admin.app_context():
        db.engine.dispose()


@pytest.fixture
def staff_client(shop):
    return shop.admin.test_client()


def _log_in(client, email: str) -> None:
    assert client.post("/login", data={"email": email, "password": factories.PASSWORD}
                       ).status_code == 302


def _email_from_camille(shop) -> Message:
    camille = factories.customer(first_name="Camille", last_name="Dubois",
                                 email="camille.dubois@example.com")
    factories.order(camille, number="CMD-48213", status="shipped", carrier="Colissimo",
                    tracking_number="6A12345678901")
    response = shop.test_client().post(
        "/webhooks/email", headers={"X-Webhook-Secret": SECRET},
        data={"from": "Camille Dubois <camille.dubois@example.com>",
              "subject": "Où est ma commande ?", "Message-ID": "<camille-1@mail.example>",
              "text": "Bonjour, où en est ma commande CMD-48213 ?"})
    assert response.status_code == 200
    return db.session.scalar(select(Message).where(Message.direction == "out"))


def test_without_smtp_the_reply_waits_in_the_outbox_for_staff(shop, staff_client):
    reply = _email_from_camille(shop)
    assert reply.delivery_status == "outbox"
    factories.staff(email="agent@demo.shop", role="agent")
    _log_in(staff_client, "agent@demo.shop")

    listing = staff_client.get("/outbox").get_data(as_text=True)
    assert "SMTP is not configured" in listing
    assert "camille.dubois@example.com" in listing and "Re: Où est ma commande ?" in listing
    assert f'id="email-{reply.id}"' in listing and "outbox" in listing

    page = staff_client.get(f"/outbox/{reply.id}").get_data(as_text=True)
    assert "In-Reply-To" in page and "&lt;camille-1@mail.example&gt;" in page
    assert "Auto-Submitted" in page and "auto-replied" in page
    assert "Camille" in page and "Colissimo" in page  # the reply itself, readable
    assert "Log out" in staff_client.get("/outbox").get_data(as_text=True)


def test_the_outbox_filters_by_status_and_is_newest_first(shop, staff_client):
    first = _email_from_camille(shop)
    later = Message(conversation_id=first.conversation_id, channel="email", direction="out",
                    sender="agent", body="Bonne journée !", delivery_status="failed",
                    meta={"email": {"to": "camille.dubois@example.com",
                                    "subject": "Re: <script>alert(1)</script>"},
                          "delivery_error": {"error": "SMTP 451: try later", "permanent": False}})
    db.session.add(later)
    db.session.commit()
    factories.staff(email="admin@demo.shop", role="admin")
    _log_in(staff_client, "admin@demo.shop")

    everything = staff_client.get("/outbox").get_data(as_text=True)
    assert everything.index(f'id="email-{later.id}"') < everything.index(f'id="email-{first.id}"')
    assert "<script>alert(1)</script>" not in everything and "&lt;script&gt;" in everything
    failed = staff_client.get("/outbox?status=failed").get_data(as_text=True)
    assert f'id="email-{later.id}"' in failed and f'id="email-{first.id}"' not in failed
    assert "SMTP 451: try later" in staff_client.get(f"/outbox/{later.id}").get_data(
        as_text=True)


def test_only_outgoing_emails_have_a_page(shop, staff_client):
    reply = _email_from_camille(shop)
    factories.staff(email="agent@demo.shop")
    _log_in(staff_client, "agent@demo.shop")
    assert staff_client.get(f"/outbox/{reply.reply_to_id}").status_code == 404
    assert staff_client.get("/outbox/999999").status_code == 404


def test_a_shopper_cannot_reach_the_outbox(shop, staff_client):
    reply = _email_from_camille(shop)
    assert staff_client.get("/outbox").status_code == 302  # to the staff login
    assert staff_client.get(f"/outbox/{reply.id}").status_code == 302
    assert staff_client.post("/login", data={"email": "camille.dubois@example.com",
                                             "password": factories.PASSWORD}).status_code == 401
    shopper = shop.test_client()
    shopper.post("/login", data={"email": "camille.dubois@example.com",
                                 "password": factories.PASSWORD})
    staff_client.set_cookie("desk_staff_session", shopper.get_cookie("desk_shop_session").value)
    assert staff_client.get("/outbox").status_code == 302
