"""`flask --app web_app webhooks …`, and the dispatcher woken within seconds of a commit."""

from __future__ import annotations

import json

import pytest

from database import db, events
from database.models import Event, WebhookDelivery, WebhookSubscription
from tests import ticket_factories
from tests.fakes.webhook_receiver import Reply, WebhookReceiver
from tests.memory_queue import queued_jobs, waiting
from workflows import dispatch
from workflows import jobs as webhook_jobs


def test_add_prints_the_id_and_the_secret_once(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["webhooks", "add", "https://n8n.example/webhook/desk",
                                 "--event", "ticket.created", "--event", "sla.breached",
                                 "--description", "escalations"])
    assert result.exit_code == 0, result.output
    subscription = db.session.query(WebhookSubscription).one()
    assert f"id: {subscription.id}" in result.output
    assert f"secret: {subscription.secret}" in result.output
    assert subscription.events == ["ticket.created", "sla.breached"]
    listed = runner.invoke(args=["webhooks", "list"])
    assert "https://n8n.example/webhook/desk" in listed.output
    assert subscription.secret not in listed.output
    rows = json.loads(runner.invoke(args=["webhooks", "list", "--json"]).output)
    assert rows[0]["events"] == ["ticket.created", "sla.breached"]
    assert "secret" not in rows[0]
    added = db.session.query(Event).filter_by(kind=events.WEBHOOK_SUBSCRIPTION_ADDED).one()
    assert subscription.secret not in json.dumps(added.payload)


@pytest.mark.parametrize("args, message", [
    (["ftp://x/y", "--event", "ticket.created"], "http"),
    (["https://x.example/h", "--event", "ticket.deleted"], "ticket.deleted"),
    (["https://x.example/h"], "--event"),
])
def test_add_refuses_bad_urls_and_kinds(app, args, message):
    result = app.test_cli_runner().invoke(args=["webhooks", "add", *args])
    assert result.exit_code != 0 and message in result.output
    assert db.session.query(WebhookSubscription).count() == 0


def test_remove_deletes_the_subscription_and_its_deliveries(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["webhooks", "add", "https://x.example/h", "--event", "*"])
    subscription = db.session.query(WebhookSubscription).one()
    ticket_factories.ticket()
    dispatch.collect(policy=dispatch.Policy())
    assert db.session.query(WebhookDelivery).count() == 1
    result = runner.invoke(args=["webhooks", "remove", str(subscription.id)])
    assert result.exit_code == 0
    assert db.session.query(WebhookSubscription).count() == 0
    assert db.session.query(WebhookDelivery).count() == 0
    assert runner.invoke(args=["webhooks", "remove", "999"]).exit_code != 0


def test_deliver_and_redeliver_from_the_command_line(app):
    with WebhookReceiver() as receiver:
        runner = app.test_cli_runner()
        runner.invoke(args=["webhooks", "add", receiver.url, "--event", "ticket.created"])
        ticket_factories.ticket()
        result = runner.invoke(args=["webhooks", "deliver"])
        assert "1 collected, 1 delivered" in result.output
        delivery = db.session.query(WebhookDelivery).one()
        delivery.status = "dead"
        db.session.commit()
        assert runner.invoke(args=["webhooks", "redeliver", delivery.delivery_id]).exit_code == 0
        assert "1 delivered" in runner.invoke(args=["webhooks", "deliver"]).output
        assert len(receiver.received) == 2


@pytest.fixture
def queued():
    """The job queue as in production (not inline), in memory, for the length of a test."""
    webhook_jobs.forget_kinds()
    webhook_jobs._next_wake = webhook_jobs._next_scheduled = 0.0
    with queued_jobs() as queue:
        yield queue


_scheduled = waiting


def test_a_commit_with_a_subscribed_event_wakes_the_dispatcher(app, queued):
    from workflows.subscriptions import add_subscription

    add_subscription("https://x.example/h", ["ticket.created"])
    webhook_jobs.forget_kinds()
    ticket_factories.ticket()
    assert len(_scheduled(queued, "dispatch_webhooks")) == 1
    ticket_factories.ticket()  # within the same second: the same run serves it
    assert len(_scheduled(queued, "dispatch_webhooks")) == 1


def test_commits_nobody_subscribed_to_wake_nothing(app, queued):
    ticket_factories.ticket()
    assert _scheduled(queued, "dispatch_webhooks") == []


def test_a_failed_delivery_brings_the_dispatcher_back_for_its_retry(app, queued):
    from workflows.subscriptions import add_subscription

    with WebhookReceiver() as receiver:
        add_subscription(receiver.url, ["ticket.created"])
        ticket_factories.ticket()
        queued.storage.flush_all()
        receiver.reply(Reply(500))
        app.config["WEBHOOK_RETRY_BASE_S"] = 20
        webhook_jobs.dispatch_webhooks.call_local()
        (task,) = _scheduled(queued, "dispatch_webhooks")
        assert task.eta is not None
