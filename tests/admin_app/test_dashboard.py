"""The dashboard page and `GET /api/dashboard-data`: figures after real turns, ranges, errors,
the live fragment and the page in the staff member's language."""

from __future__ import annotations

from datetime import timedelta

import pytest

from database import db, events
from database.base import utcnow
from database.models import Conversation, Event, Message
from tests import factories
from tests.factories import bearer

RANGE_KEYS = {"range", "messages", "channels", "categories", "resolution", "handoffs",
              "response_time_ms", "errors", "queue", "csat", "llm", "health", "flags"}
EARLIER_KEYS = {"customers", "conversations", "messages_today", "open_tickets",
                "ai_replies_today", "ai_latency_ms_avg", "ai_quality_avg", "categories_today",
                "claude_breaker"}


@pytest.fixture
def admin_key(app):
    return factories.api_key("admin:read", name="monitoring")


def _log_in(client, email: str) -> None:
    client.post("/login", data={"email": email, "password": factories.PASSWORD})


def test_the_figures_follow_real_turns(client, admin_client, admin_key):
    shopper = factories.customer(email="camille@example.com")
    factories.order(shopper, number="CMD-41001", status="shipped", carrier="Colissimo",
                    tracking_number="6A41001000FR")
    key = factories.api_key("messages:write")
    for text in ("où est ma commande CMD-41001 ?", "merci beaucoup !"):
        answer = client.post("/api/process-message", headers=bearer(key),
                             json={"email": "camille@example.com", "message": text})
        assert answer.status_code == 200
    data = admin_client.get("/api/dashboard-data?range=1h", headers=bearer(admin_key)).json
    assert RANGE_KEYS | EARLIER_KEYS <= set(data)
    assert data["range"] == "1h"
    assert (data["messages"]["inbound"], data["messages"]["outbound"]) == (2, 2)
    assert sum(h["inbound"] for h in data["messages"]["per_hour"]) == 2
    assert data["channels"]["api"] == {"inbound": 2, "outbound": 2}
    assert data["categories"] == {"order_status": {"count": 1, "percent": 50.0},
                                  "thanks": {"count": 1, "percent": 50.0}}
    # The shopper thanked the AI for its answer: confirmed, not merely assumed.
    assert data["resolution"]["confirmed"] == 1 and data["resolution"]["assumed"] == 0
    assert data["response_time_ms"]["ai"]["p50"] is not None
    assert data["handoffs"]["count"] == 0 and data["errors"]["count"] == 0
    assert data["queue"]["waiting"] == 0 and data["health"]["parts"]["database"]["state"] == "ok"
    assert data["llm"] == {"tokens": 0, "cost_usd": 0.0, "by_model": {}}


def test_known_latencies_give_their_percentiles(admin_client, app, admin_key):
    shopper = factories.customer()
    conversation = Conversation(customer_id=shopper.id, channel="web", status="ai")
    db.session.add(conversation)
    db.session.flush()
    now = utcnow()
    for i, latency in enumerate((120, 80, 450, 300, 1500, 95, 210, 330, 60, 700)):
        db.session.add(Message(conversation_id=conversation.id, channel="web", direction="out",
                               sender="ai", body="…", latency_ms=latency,
                               created_at=now - timedelta(minutes=i + 1)))
    db.session.add(Message(conversation_id=conversation.id, channel="web", direction="out",
                           sender="ai", body="…", latency_ms=5,
                           created_at=now - timedelta(hours=2)))  # outside the last hour
    db.session.commit()
    last_hour = admin_client.get("/api/dashboard-data?range=1h", headers=bearer(admin_key))
    assert last_hour.json["response_time_ms"]["ai"] == {"avg": 384.5, "p50": 210, "p95": 1500}
    day = admin_client.get("/api/dashboard-data?range=24h", headers=bearer(admin_key)).json
    assert day["response_time_ms"]["ai"] == {"avg": 350.0, "p50": 210, "p95": 1500}
    assert day["messages"]["outbound"] == 11


@pytest.mark.parametrize("query, field", [
    ("range=2d", "range"), ("range=", None), ("from=yesterday", "from"),
    ("from=2026-11-10&to=2026-11-01", "to"), ("to=2026-11-01", "from"),
    ("from=2024-01-01&to=2026-01-01", "from")])
def test_a_bad_range_is_a_validation_error(admin_client, admin_key, query, field):
    response = admin_client.get(f"/api/dashboard-data?{query}", headers=bearer(admin_key))
    if field is None:  # an empty range means the default
        assert response.status_code == 200 and response.json["range"] == "24h"
        return
    assert response.status_code == 400
    error = response.json["error"]
    assert error["code"] == "validation_error" and field in error["fields"]


def test_a_custom_range_counts_whole_days(admin_client, app, admin_key):
    shopper = factories.customer()
    conversation = Conversation(customer_id=shopper.id, channel="email", status="ai")
    db.session.add(conversation)
    db.session.flush()
    today = utcnow().replace(hour=12, minute=0, second=0, microsecond=0)
    for days_ago in (1, 3, 10):
        db.session.add(Message(conversation_id=conversation.id, channel="email", direction="in",
                               sender="customer", body="?",
                               created_at=today - timedelta(days=days_ago)))
    db.session.commit()
    start = (today - timedelta(days=3)).date().isoformat()
    end = (today - timedelta(days=1)).date().isoformat()
    data = admin_client.get(f"/api/dashboard-data?from={start}&to={end}",
                            headers=bearer(admin_key)).json
    assert data["range"] == "custom" and data["messages"]["inbound"] == 2
    assert len(data["messages"]["per_hour"]) == 72


def test_the_page_refreshes_its_figures_and_keeps_the_range(admin_client, app):
    factories.staff(email="lead@demo.shop", role="supervisor")
    _log_in(admin_client, "lead@demo.shop")
    page = admin_client.get("/?range=7d").get_data(as_text=True)
    assert 'id="chart-messages"' in page and "vendor/chart-4.4.9.umd.min.js" in page
    assert 'hx-get="/dashboard/figures?range=7d"' in page and 'aria-current="true"' in page
    html = admin_client.get("/dashboard/figures?range=7d",
                            headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="figures"' in html[:1500]
    assert 'id="dashboard-data"' in html and "<html" not in html
    assert admin_client.get("/?range=2d").status_code == 400


@pytest.mark.parametrize("language, words", [
    ("fr", ("Tableau de bord", "Résolution par l’IA", "Messages par heure")),
    ("pt", ("Painel", "Resolução pela IA", "Mensagens por hora")),
    ("en", ("Dashboard", "AI resolution", "Messages per hour"))])
def test_the_page_speaks_the_staff_members_language(admin_client, app, language, words):
    factories.staff(email="lead@demo.shop", role="supervisor", language=language)
    _log_in(admin_client, "lead@demo.shop")
    page = admin_client.get("/").get_data(as_text=True)
    for word in words:
        assert word in page


def test_handoffs_errors_csat_llm_and_flags_in_the_json(client, admin_client, app, admin_key):
    factories.customer(email="camille@example.com")
    key = factories.api_key("messages:write")
    answer = client.post("/api/process-message", headers=bearer(key), json={
        "email": "camille@example.com", "message": "je veux parler à un humain"})
    assert answer.json["handoff"] is True
    conversation = db.session.get(Conversation, answer.json["conversation_id"])
    usage = {"model": "claude-haiku-4-5", "input_tokens": 2000, "output_tokens": 100,
             "cost_usd": 0.0025}
    db.session.add(Message(conversation_id=conversation.id, channel="api", direction="out",
                           sender="ai", body="…", latency_ms=900,
                           meta={"agent": "claude", "usage": usage}))
    events.record(events.AGENT_ERROR, level="error", payload={"agent": "claude"})
    events.record(events.CSAT_SUBMITTED, payload={"rating": 4, "channel": "api"})
    db.session.add(Event(kind="exchange.flagged", payload={"note": "wrong"}))
    db.session.commit()
    data = admin_client.get("/api/dashboard-data?range=24h", headers=bearer(admin_key)).json
    assert data["handoffs"] == {"count": 1, "conversations": 1, "rate": 1.0,
                                "reasons": {"asked_for_person": 1}}
    assert data["queue"]["waiting"] == 1 and data["queue"]["avg_wait_s"] >= 0
    assert data["errors"]["by_kind"] == {"agent_error": 1, "fallback": 0, "delivery_failed": 0}
    assert data["errors"]["rate"] == 0.5  # one error for two AI replies
    assert data["csat"]["avg"] == 4.0 and data["csat"]["count"] == 1
    assert data["llm"]["tokens"] == 2100 and data["llm"]["cost_usd"] == 0.0025
    assert data["flags"] == {"count": 1}
