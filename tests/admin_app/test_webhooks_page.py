"""The admin's webhooks page: subscriptions, the secret shown once, dead letters redelivered."""

from __future__ import annotations

import pytest

from database import db
from database.base import utcnow
from database.models import WebhookDelivery, WebhookSubscription
from tests import factories, ticket_factories
from tests.fakes.webhook_receiver import WebhookReceiver
from workflows import dispatch
from workflows.subscriptions import add_subscription


def _log_in(client, role: str = "admin", language: str = "en") -> None:
    user = factories.staff(role=role, language=language)
    client.post("/login", data={"email": user.email, "password": factories.PASSWORD})


@pytest.mark.parametrize("role", ["agent", "supervisor"])
def test_only_admins_see_the_page(admin_client, app, role):
    _log_in(admin_client, role)
    assert admin_client.get("/settings/webhooks").status_code == 403
    assert admin_client.post("/settings/webhooks", data={}).status_code == 403


def test_staff_not_logged_in_are_sent_to_log_in(admin_client, app):
    assert admin_client.get("/settings/webhooks").status_code == 302


def test_adding_a_subscription_shows_its_secret_once(admin_client, app):
    _log_in(admin_client)
    page = admin_client.get("/settings/webhooks").get_data(as_text=True)
    assert "No subscription yet" in page
    response = admin_client.post("/settings/webhooks", data={
        "url": "https://n8n.example.com/webhook/desk-sla", "description": "SLA escalation",
        "events": ["sla.breached", "ticket.created"]}, follow_redirects=True)
    assert response.status_code == 200
    assert response.history[0].status_code == 303  # a reload never makes a second one
    subscription = db.session.query(WebhookSubscription).one()
    assert subscription.events == ["ticket.created", "sla.breached"]
    html = response.get_data(as_text=True)
    assert subscription.secret in html and 'id="new-secret"' in html
    again = admin_client.get("/settings/webhooks").get_data(as_text=True)
    assert subscription.secret not in again and "SLA escalation" in again


def test_a_bad_subscription_is_refused_with_its_errors_in_place(admin_client, app):
    _log_in(admin_client)
    response = admin_client.post("/settings/webhooks", data={"url": "n8n.local",
                                                              "events": []})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="url-error"' in html and 'id="events-error"' in html
    assert 'value="n8n.local"' in html
    assert db.session.query(WebhookSubscription).count() == 0


def test_pausing_resuming_and_removing(admin_client, app):
    _log_in(admin_client)
    subscription = add_subscription("https://x.example/h", ["ticket.created"])
    admin_client.post(f"/settings/webhooks/{subscription.id}/active")
    db.session.refresh(subscription)
    assert subscription.active is False
    page = admin_client.get("/settings/webhooks").get_data(as_text=True)
    assert "Subscription paused." in page and "Resume" in page
    admin_client.post(f"/settings/webhooks/{subscription.id}/active")
    db.session.refresh(subscription)
    assert subscription.active is True
    admin_client.post(f"/settings/webhooks/{subscription.id}/remove")
    assert db.session.query(WebhookSubscription).count() == 0


def _dead_letter(url: str) -> WebhookDelivery:
    add_subscription(url, ["ticket.created"])
    ticket_factories.ticket()
    dispatch.collect(policy=dispatch.Policy())
    delivery = db.session.query(WebhookDelivery).one()
    delivery.status, delivery.dead_at, delivery.attempts = "dead", utcnow(), 13
    delivery.last_error, delivery.last_status_code = "HTTP 500: boom", 500
    db.session.commit()
    return delivery


def test_a_dead_letter_is_shown_and_redelivered_in_place(admin_client, app):
    _log_in(admin_client)
    with WebhookReceiver() as receiver:
        delivery = _dead_letter(receiver.url)
        page = admin_client.get("/settings/webhooks").get_data(as_text=True)
        assert f'id="dead-{delivery.delivery_id}"' in page and "HTTP 500: boom" in page
        response = admin_client.post(
            f"/settings/webhooks/deliveries/{delivery.delivery_id}/redeliver",
            headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert "queued again" in response.get_data(as_text=True)
        db.session.refresh(delivery)
        assert delivery.status == "delivered"  # jobs run inline in tests
        assert receiver.received[0].headers["x-desk-delivery"] == delivery.delivery_id


def test_redeliver_all_and_the_delivery_page(admin_client, app):
    _log_in(admin_client)
    delivery = _dead_letter("http://127.0.0.1:9/hooks")
    detail = admin_client.get(f"/settings/webhooks/deliveries/{delivery.delivery_id}")
    assert detail.status_code == 200 and '"event":"ticket.created"' in \
        detail.get_data(as_text=True).replace("&#34;", '"')
    admin_client.post("/settings/webhooks/dead-letters/redeliver")
    db.session.refresh(delivery)
    assert delivery.status == "pending" and delivery.dead_at is None
    assert admin_client.get("/settings/webhooks/deliveries/dlv_none").status_code == 404


@pytest.mark.parametrize("language, words", [("fr", "Webhooks sortants"),
                                             ("pt", "Webhooks de saída")])
def test_the_page_speaks_the_staff_members_language(admin_client, app, language, words):
    _log_in(admin_client, language=language)
    assert words in admin_client.get("/settings/webhooks").get_data(as_text=True)


def test_what_cannot_be_done_is_said_in_the_staff_members_language(admin_client, app):
    _log_in(admin_client, language="fr")
    missing = admin_client.post("/settings/webhooks/99/active", headers={"HX-Request": "true"})
    assert missing.status_code == 404 and "existe pas" in missing.get_data(as_text=True)
    delivery = _dead_letter("http://127.0.0.1:9/hooks")
    delivery.status = "pending"
    db.session.commit()
    busy = admin_client.post(f"/settings/webhooks/deliveries/{delivery.delivery_id}/redeliver",
                             headers={"HX-Request": "true"})
    assert busy.status_code == 409 and "déjà" in busy.get_data(as_text=True)
    assert busy.headers["HX-Retarget"] == "#alerts"
