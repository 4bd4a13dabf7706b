"""The health checks: each part's state and why, on both databases."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest

import notion  # noqa: F401  (its part is checked too)
import workflows  # noqa: F401
from automation.runtime.health import beat, system_health
from automation.runtime.health.claude import claude_part, p95
from automation.runtime.health.disk import disk_state
from automation.runtime.health.processes import worker_part
from automation.runtime.health.senders import smtp_part, whatsapp_part
from automation.runtime.health.stores import database_part, redis_part
from database import db, events
from database.base import utcnow
from database.models import Heartbeat, WebhookDelivery
from tests import ticket_factories
from workflows import dispatch
from workflows.subscriptions import add_subscription

CLAUDE = {"ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_MODEL": "claude-haiku-4-5"}


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
        return True
    except OSError:
        return False


def test_the_database_answers_with_its_latency(app):
    part = database_part()
    assert part["state"] == "ok" and part["latency_ms"] >= 0


def test_redis_is_not_configured_without_its_url(app):
    assert redis_part(None)["state"] == "not_configured"


def test_redis_on_a_closed_port_is_down(app):
    part = redis_part("redis://127.0.0.1:1/0")
    assert part["state"] == "down" and "unreachable" in part["detail"]


@pytest.mark.skipif(not _redis_up(), reason="no Redis server on 127.0.0.1:6379")
def test_a_real_redis_is_ok(app):
    part = redis_part("redis://127.0.0.1:6379/0")
    assert part["state"] == "ok" and part["latency_ms"] < 500


def test_the_worker_is_degraded_before_its_first_heartbeat_and_ok_after(app):
    assert worker_part(queue_reachable=True)["state"] == "degraded"
    beat("worker", info={"host": "box"})
    part = worker_part(queue_reachable=True)
    assert part["state"] == "ok" and part["backlog"] == 0 and part["host"] == "box"


def test_a_stale_worker_is_down(app):
    beat("worker")
    db.session.get(Heartbeat, "worker").beat_at = utcnow() - timedelta(minutes=10)
    db.session.commit()
    part = worker_part(queue_reachable=True)
    assert part["state"] == "down" and "10 min" in part["detail"]


def test_claude_is_not_configured_without_a_key(app):
    assert claude_part({})["state"] == "not_configured"


def _claude_event(kind: str, **payload) -> None:
    events.record(kind, level="warning", payload={"agent": "claude", **payload})
    db.session.commit()


def test_an_open_breaker_degrades_claude_until_it_closes(app):
    _claude_event(events.AGENT_BREAKER_OPENED, pid=11, reason="timeout")
    _claude_event(events.AGENT_BREAKER_CLOSED, pid=12)
    part = claude_part(CLAUDE)
    assert part["state"] == "degraded" and part["breaker"] == "open"
    assert "1 process" in part["detail"] and "timeout" in part["detail"]
    _claude_event(events.AGENT_BREAKER_CLOSED, pid=11)
    assert claude_part(CLAUDE)["state"] == "ok"


def test_a_refused_model_puts_claude_down_with_the_last_error(app):
    _claude_event(events.AGENT_ERROR, reason="model_refused", detail="model not found")
    part = claude_part(CLAUDE)
    assert part["state"] == "down" and "claude-haiku-4-5" in part["detail"]
    assert part["last_error"]["reason"] == "model_refused"


def test_claude_p95_comes_from_the_last_hour_of_its_replies(app):
    for latency in range(100, 2100, 100):
        _claude_event(events.MESSAGE_REPLIED, latency_ms=latency)
    events.record(events.MESSAGE_REPLIED, payload={"agent": "local", "latency_ms": 99999})
    db.session.commit()
    part = claude_part(CLAUDE)
    assert part["state"] == "ok" and part["p95_ms"] == 1900
    assert part["replies_last_hour"] == 20


@pytest.mark.parametrize("values, expected", [([], None), ([7], 7), (list(range(1, 101)), 95)])
def test_p95_is_the_nearest_rank(values, expected):
    assert p95(values) == expected


@pytest.mark.parametrize("free, state", [(50, "ok"), (15, "ok"), (14, "degraded"),
                                         (5, "degraded"), (4, "down"), (0, "down")])
def test_disk_thresholds(free, state):
    assert disk_state(free=free, total=100) == state


def test_whatsapp_delivery_failures_degrade_its_senders(app):
    config = {"TWILIO_AUTH_TOKEN": "t", "TWILIO_ACCOUNT_SID": "AC1"}
    assert whatsapp_part({})["state"] == "not_configured"
    assert whatsapp_part(config)["state"] == "ok"
    events.record(events.MESSAGE_DELIVERY, level="error",
                  payload={"channel": "whatsapp", "status": "failed", "provider": "whatsapp"})
    db.session.commit()
    part = whatsapp_part(config)
    assert part["state"] == "degraded" and part["failed_last_hour"] == 1


def test_smtp_send_failures_degrade_it(app):
    config = {"SMTP_URL": "smtp://127.0.0.1:2525"}
    assert smtp_part({})["state"] == "not_configured"
    assert smtp_part(config)["state"] == "ok"
    events.record(events.EMAIL_SEND_FAILED, level="warning",
                  payload={"error": "connection refused", "kind": "reply"})
    db.session.commit()
    part = smtp_part(config)
    assert part["state"] == "degraded" and "connection refused" in part["detail"]


def test_webhook_dead_letters_degrade_the_webhooks(app):
    add_subscription("http://127.0.0.1:9/hooks", ["ticket.created"])
    ticket_factories.ticket()
    dispatch.collect(policy=dispatch.Policy())
    assert system_health(app.config)["parts"]["webhooks"]["state"] == "ok"
    delivery = db.session.query(WebhookDelivery).one()
    delivery.status, delivery.dead_at = "dead", utcnow()
    db.session.commit()
    part = workflows.health_part(app.config)
    assert part["state"] == "degraded" and "1 dead letters" in part["detail"]


def test_system_health_has_every_part_and_is_kept_two_seconds(app):
    health = system_health(app.config)
    assert set(health["parts"]) == {"database", "redis", "worker", "claude", "whatsapp",
                                    "smtp", "email", "notion", "webhooks", "disk"}
    for part in health["parts"].values():
        assert part["state"] in ("ok", "degraded", "down", "not_configured") and part["detail"]
    assert health["parts"]["notion"]["state"] == "not_configured"
    assert health["status"] == "degraded"  # no worker has reported in the test suite
    assert health["version"] and health["uptime_s"] >= 0
    assert system_health(app.config) is health


def test_an_unreachable_database_is_down_and_the_rest_unknown():
    from web_app import create_app
    from automation.runtime.settings import TestConfig

    app = create_app(TestConfig("postgresql+psycopg://desk@127.0.0.1:1/desk"))
    with app.app_context():
        health = system_health(app.config)
    assert health["status"] == "down" and health["parts"]["database"]["state"] == "down"
    assert "unknown" in health["parts"]["claude"]["detail"]
    assert health["parts"]["disk"]["state"] in ("ok", "degraded", "down")
