"""Outbound webhooks against a local receiver: signatures, retries, dead letters and
redelivery, one delivery id per event and subscription."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest

import workflows
from automation.tickets.updates import update_ticket
from database import db, events
from database.base import utcnow
from database.models import Event, OutboxCursor, WebhookDelivery
from tests import factories, ticket_factories
from tests.fakes.webhook_receiver import Reply, WebhookReceiver
from workflows import dispatch, signing
from workflows.subscriptions import add_subscription, cursor_name, set_active

POLICY = dispatch.Policy(retry_base_s=30, timeout_s=2, admin_url="http://admin.test")


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as running:
        yield running


def _run(now=None, policy=POLICY) -> dispatch.Outcome:
    return dispatch.run(policy=policy, now=now)


def test_a_delivery_is_signed_and_carries_the_event(app, receiver):
    subscription = add_subscription(receiver.url, ["ticket.created"])
    shopper = factories.customer(email="camille@example.com", first_name="Camille")
    ticket = ticket_factories.ticket(shopper, priority="high")
    outcome = _run()
    assert (outcome.collected, outcome.delivered) == (1, 1)
    (got,) = receiver.received
    assert signing.verify(subscription.secret, got.headers["x-desk-signature"], got.raw)
    assert not signing.verify("whsec_other", got.headers["x-desk-signature"], got.raw)
    assert not signing.verify(subscription.secret, got.headers["x-desk-signature"],
                              got.raw + b" ")
    assert got.headers["x-desk-event"] == "ticket.created"
    assert got.headers["x-desk-delivery"].startswith("dlv_")
    assert got.headers["content-type"] == "application/json"
    body = got.json
    assert set(body) == {"id", "event", "created_at", "data"}
    event = db.session.query(Event).filter_by(kind="ticket.created").one()
    assert body["id"] == event.id and body["event"] == "ticket.created"
    assert body["data"]["ticket"]["reference"] == ticket.reference
    assert body["data"]["ticket"]["priority"] == "high"
    assert body["data"]["customer"]["email"] == "camille@example.com"
    assert body["data"]["conversation"]["id"] == ticket.conversation_id
    text = got.raw.decode()
    for secret_word in ("password", "secret", "sk_desk", "whsec", "hash"):
        assert secret_word not in text.lower()


def test_the_signature_is_over_the_raw_bytes_with_the_timestamp(app, receiver):
    subscription = add_subscription(receiver.url, ["ticket.created"])
    ticket_factories.ticket(factories.customer(first_name="Zoë"))  # not ASCII
    _run()
    got = receiver.received[0]
    stamp, v1 = got.headers["x-desk-signature"].split(",")
    timestamp = int(stamp.removeprefix("t="))
    import hashlib
    import hmac

    expected = hmac.new(subscription.secret.encode(), f"{timestamp}.".encode() + got.raw,
                        hashlib.sha256).hexdigest()
    assert v1 == f"v1={expected}"
    assert "Zoë" in got.raw.decode("utf-8")
    old = signing.sign(subscription.secret, got.raw, timestamp=timestamp - 3600)
    assert not signing.verify(subscription.secret, old, got.raw)  # a replay an hour later


def test_only_the_kinds_subscribed_are_sent_and_messages_only_when_named(app, receiver):
    add_subscription(receiver.url, ["*"])
    ticket = ticket_factories.ticket()
    events.record(events.MESSAGE_RECEIVED, conversation_id=ticket.conversation_id,
                  customer_id=ticket.customer_id, payload={"message_id": 1})
    events.record(events.AGENT_ERROR, payload={})
    db.session.commit()
    update_ticket(ticket.reference, status="resolved", source="api", actor={})
    _run()
    assert [r.headers["x-desk-event"] for r in receiver.received] == \
        ["ticket.created", "ticket.updated", "ticket.resolved"]


def test_a_new_subscription_starts_after_what_happened_before(app, receiver):
    ticket_factories.ticket()
    add_subscription(receiver.url, ["ticket.created"])
    ticket_factories.ticket()
    assert _run().delivered == 1


def test_failures_are_retried_with_backoff_and_the_same_delivery_id(app, receiver):
    add_subscription(receiver.url, ["ticket.created"])
    ticket_factories.ticket()
    receiver.reply(Reply(500), Reply(503), Reply(200))
    start = utcnow()
    first = _run(now=start)
    assert (first.delivered, first.failed) == (0, 1)
    delivery = db.session.query(WebhookDelivery).one()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.next_attempt_at == start + timedelta(seconds=30)
    assert delivery.last_status_code == 500
    assert _run(now=start + timedelta(seconds=29)).failed == 0  # not due yet
    assert len(receiver.received) == 1
    second = _run(now=start + timedelta(seconds=30))
    assert second.failed == 1
    db.session.refresh(delivery)
    assert delivery.next_attempt_at == start + timedelta(seconds=30 + 60)
    third = _run(now=start + timedelta(seconds=90))
    assert third.delivered == 1
    db.session.refresh(delivery)
    assert delivery.status == "delivered" and delivery.attempts == 3
    ids = {r.headers["x-desk-delivery"] for r in receiver.received}
    assert ids == {delivery.delivery_id} and len(receiver.received) == 3
    bodies = {r.raw for r in receiver.received}
    assert len(bodies) == 1  # the same body every time; only the signature's time moves


def test_a_receivers_retry_after_is_honoured(app, receiver):
    add_subscription(receiver.url, ["ticket.created"])
    ticket_factories.ticket()
    receiver.reply(Reply(429, headers={"Retry-After": "600"}))
    start = utcnow()
    _run(now=start)
    delivery = db.session.query(WebhookDelivery).one()
    assert delivery.next_attempt_at == start + timedelta(seconds=600)


def test_a_receiver_too_slow_is_a_failure_retried(app, receiver):
    add_subscription(receiver.url, ["ticket.created"])
    ticket_factories.ticket()
    receiver.reply(Reply(200, delay_s=1.5))
    policy = dispatch.Policy(retry_base_s=30, timeout_s=0.5)
    outcome = _run(policy=policy)
    assert outcome.failed == 1
    delivery = db.session.query(WebhookDelivery).one()
    assert "Timeout" in delivery.last_error


def test_an_unreachable_receiver_is_retried(app):
    add_subscription("http://127.0.0.1:9/hooks", ["ticket.created"])
    ticket_factories.ticket()
    assert _run().failed == 1
    assert "ConnectError" in db.session.query(WebhookDelivery).one().last_error


def test_after_24_hours_of_failures_a_dead_letter_then_redelivery(app, receiver):
    add_subscription(receiver.url, ["ticket.created"])
    ticket_factories.ticket()
    receiver.default = Reply(500)
    now = utcnow()
    start = now
    for _ in range(30):
        outcome = _run(now=now)
        delivery = db.session.query(WebhookDelivery).one()
        if delivery.status == "dead":
            break
        now = delivery.next_attempt_at
    assert outcome.dead == 1 and delivery.status == "dead"
    assert now - start == timedelta(hours=24)  # the last try is at the end of the window
    # At 0 s, then 30, 90, 210 … 61,410 s (base 30, doubling), and a last try at 24 h.
    assert delivery.attempts == 13
    dead = db.session.query(Event).filter_by(kind=events.WEBHOOK_DEAD_LETTERED).one()
    assert dead.payload["delivery_id"] == delivery.delivery_id
    assert workflows.status()["dead_letters"] == 1
    assert workflows.status()["state"] == "degraded"
    assert _run(now=now + timedelta(days=1)).delivered == 0   # dead stays dead
    receiver.default = Reply(200)
    dispatch.redeliver(delivery.delivery_id)
    later = now + timedelta(days=2)
    assert _run(now=later).delivered == 1
    db.session.refresh(delivery)
    assert delivery.status == "delivered" and delivery.dead_at is None
    assert receiver.received[-1].headers["x-desk-delivery"] == delivery.delivery_id
    assert db.session.query(Event).filter_by(kind=events.WEBHOOK_REDELIVERED).count() == 1
    with pytest.raises(Exception):
        dispatch.redeliver("dlv_nothing")


def test_one_delivery_per_event_and_subscription(app, receiver):
    first = add_subscription(receiver.url, ["ticket.created"])
    second = add_subscription(receiver.url + "?b", ["ticket.created", "ticket.updated"])
    ticket_factories.ticket()
    dispatch.collect(policy=POLICY)
    # The cursors' moves are lost (a crash after the insert): collecting again adds nothing.
    for subscription in (first, second):
        db.session.get(OutboxCursor, cursor_name(subscription.id)).last_event_id = 0
    db.session.commit()
    assert dispatch.collect(policy=POLICY) == 0
    deliveries = db.session.query(WebhookDelivery).all()
    assert len(deliveries) == 2
    assert len({d.delivery_id for d in deliveries}) == 2
    assert {d.subscription_id for d in deliveries} == {first.id, second.id}
    _run()
    assert len(receiver.received) == 2


def test_a_paused_subscription_keeps_its_deliveries_until_resumed(app, receiver):
    subscription = add_subscription(receiver.url, ["ticket.created"])
    set_active(subscription.id, False)
    ticket_factories.ticket()
    assert _run().delivered == 0 and receiver.received == []
    set_active(subscription.id, True)
    assert _run().delivered == 1


def test_status_reports_backlog_and_last_error(app, receiver):
    assert workflows.status()["state"] == "not_configured"
    add_subscription(receiver.url, ["ticket.created"])
    ticket_factories.ticket()
    receiver.reply(Reply(502))
    _run()
    status = workflows.status()
    assert status["state"] == "ok" and status["backlog"] == 1
    assert status["last_error"]["message"].startswith("HTTP 502")
    assert set(status) >= {"subscriptions", "active_subscriptions", "backlog",
                           "oldest_pending_s", "dead_letters", "delivered",
                           "last_delivered_at", "last_error"}
    json.dumps(status)
