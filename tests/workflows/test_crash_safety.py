"""Nothing is lost when a worker dies mid-delivery, nor when PostgreSQL commits events out of
id order."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from database import db, events
from database.base import utcnow
from database.models import WebhookDelivery
from tests import ticket_factories
from tests.fakes.webhook_receiver import Reply, WebhookReceiver
from workflows import dispatch
from workflows.subscriptions import add_subscription

ROOT = Path(__file__).resolve().parents[2]


def test_a_worker_killed_mid_post_loses_nothing(app, database_url, tmp_path):
    with WebhookReceiver() as receiver:
        add_subscription(receiver.url, ["ticket.created"])
        ticket_factories.ticket()
        receiver.reply(Reply(hang=True))  # the first POST never gets its answer
        env = {**os.environ, "DATABASE_URL": database_url, "WARM_UP": "false",
               "JOBS_DB_PATH": str(tmp_path / "jobs.db"),
               "LIMITS_DB_PATH": str(tmp_path / "limits.db"), "WEBHOOK_TIMEOUT_S": "60"}
        worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "web_app",
                                   "webhooks", "deliver"], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            assert receiver.got_request.wait(90), worker.communicate(timeout=5)[0]
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
        db.session.remove()
        delivery = db.session.query(WebhookDelivery).one()
        assert delivery.status == "sending" and delivery.attempts == 1  # claimed, no answer
        policy = dispatch.Policy(timeout_s=5)
        # Another worker takes it over once the claim is stale.
        assert dispatch.send_due(policy=policy).delivered == 0
        later = utcnow() + policy.stuck_after + timedelta(seconds=1)
        assert dispatch.send_due(policy=policy, now=later).delivered == 1
        db.session.refresh(delivery)
        assert delivery.status == "delivered" and delivery.attempts == 2
        first, second = receiver.received
        assert first.headers["x-desk-delivery"] == second.headers["x-desk-delivery"] \
            == delivery.delivery_id
        assert first.raw == second.raw
        receiver.release()


def test_an_event_committed_after_a_later_one_is_still_delivered(app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite commits writers one at a time: ids arrive in order")
    with WebhookReceiver() as receiver:
        add_subscription(receiver.url, ["ticket.created", "sla.breached"])
        ticket = ticket_factories.ticket()
        dispatch.run(policy=dispatch.Policy())
        assert len(receiver.received) == 1
        # Another process inserts an event (its id is taken) but has not committed yet…
        other = create_engine(database_url)
        slow = other.connect()
        transaction = slow.begin()
        slow.execute(text("INSERT INTO events (kind, level, payload, ticket_id, created_at) "
                          "VALUES ('sla.breached', 'warning', '{}', :t, now())"),
                     {"t": ticket.id})
        # …while a later event commits and is delivered.
        events.record(events.SLA_BREACHED, ticket_id=ticket.id, payload={"later": True})
        db.session.commit()
        dispatch.run(policy=dispatch.Policy())
        assert len(receiver.received) == 2
        transaction.commit()
        slow.close()
        other.dispose()
        dispatch.run(policy=dispatch.Policy())
        assert len(receiver.received) == 3
        assert db.session.query(WebhookDelivery).count() == 3
