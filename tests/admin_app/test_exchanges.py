"""Recent exchanges: each AI reply beside the shopper's message with how it was made and its
quality; filters and pages; a flag with a note (an `exchange.flagged` event); the CSV export."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from admin_app import create_app as create_admin_app
from admin_app import exchanges as exchanges_view
from automation.conversations.turns import Inbound
from automation.runtime import settings
from database import db, events
from database.models import Message
from tests import factories
from tests.automation.conversations.staffside import conversation
from tests.automation.conversations.staffside import events as events_of

HX = {"HX-Request": "true"}


def _log_in(client, role: str = "supervisor"):
    staff = factories.staff(role=role, name="Sam Supervisor")
    response = client.post("/login", data={"email": staff.email,
                                           "password": factories.PASSWORD})
    assert response.status_code == 302
    return staff


@pytest.fixture
def supervisor(admin_client, app):
    _log_in(admin_client)
    return admin_client


def exchange(question: str, reply: str, *, channel: str = "web", score: int | None = 80,
             language: str = "fr", question_meta: dict[str, Any] | None = None,
             **meta: Any) -> Message:
    """An AI reply to a shopper's message, stored as the engine stores them."""
    chat = conversation("ai", channel=channel, language=language)
    asked = Message(conversation_id=chat.id, channel=channel, direction="in",
                    sender="customer", body=question, sentiment=-0.6,
                    meta=question_meta or {})
    db.session.add(asked)
    db.session.flush()
    answer = Message(conversation_id=chat.id, channel=channel, direction="out", sender="ai",
                     body=reply, reply_to_id=asked.id, intent="order_status", confidence=0.91,
                     quality=score, latency_ms=245,
                     meta={"agent": "local", "language": language, "usage": {}, **meta})
    db.session.add(answer)
    db.session.commit()
    return answer


def test_a_reply_shows_beside_the_shoppers_message_with_how_it_was_made(supervisor, app):
    shopper = factories.customer(first_name="Camille", language="fr")
    order = factories.order(shopper, status="shipped", carrier="Colissimo",
                            tracking_number="6A123")
    outcome = app.extensions["engine"].handle(Inbound(
        channel="web", customer_id=shopper.id, text=f"Où en est ma commande {order.number} ?"))
    page = supervisor.get("/exchanges").get_data(as_text=True)
    card = page[page.index(f'id="exchange-{outcome.reply_message_id}"'):]
    assert f"Où en est ma commande {order.number} ?" in card
    assert "order status" in card and "lookup_order → ok" in card
    assert f"Quality {outcome.quality}" in card
    assert f'href="/workspace/c/{outcome.conversation_id}"' in card
    assert "Tokens</dt><dd>—" in card and "Cost</dt><dd>—" in card  # the local agent is free


def test_claude_usage_and_the_reasons_of_a_low_score_are_shown(supervisor, app):
    reply = exchange("Ma commande ?", "Pouvez-vous préciser ?", score=38,
                     agent="claude",
                     usage={"model": "claude-sonnet-5-5", "requests": 2, "input_tokens": 1200,
                            "output_tokens": 300, "cost_usd": 0.0081},
                     quality={"parts": {"understanding": 18.2, "grounding": 0.0},
                              "reasons": ["not_grounded", "asked"]})
    page = supervisor.get("/exchanges").get_data(as_text=True)
    card = page[page.index(f'id="exchange-{reply.id}"'):]
    assert "claude · claude-sonnet-5-5" in card and "1500" in card and "$0.0081" in card
    assert "not based on the shop's data or the knowledge base" in card
    assert "asked a question to go on" in card
    assert f'class="exchange exchange-low" id="exchange-{reply.id}"' in page


FILTERED = [  # query → the replies listed
    ("low=1", {"low", "fallback"}),
    ("handoffs=1", {"handoff", "handed"}),
    ("errors=1", {"fallback", "claude failed", "undelivered"}),
    ("channel=whatsapp", {"whatsapp"}),
    ("language=pt", {"pt"}),
    ("low=1&channel=whatsapp", set()),
    ("", {"low", "handoff", "handed", "fallback", "claude failed", "undelivered", "whatsapp",
          "pt", "fine"}),
]


def test_the_filters_choose_the_exchanges_on_the_page_and_in_the_csv(supervisor, app):
    exchange("q", "low", score=20)
    exchange("q", "handoff", question_meta={"outcome": {"handoff": True}})
    exchange("q", "handed", resolution="handed_off")
    exchange("q", "fallback", fallback=True, score=5)
    exchange("q", "claude failed", usage={"fallback_reason": "timeout"}, score=60)
    undelivered = exchange("q", "undelivered")
    undelivered.delivery_status = "failed"
    exchange("q", "whatsapp", channel="whatsapp")
    exchange("q", "pt", language="pt")
    exchange("q", "fine")
    db.session.commit()
    for query, expected in FILTERED:
        rows = list(csv.DictReader(io.StringIO(
            supervisor.get(f"/exchanges.csv?{query}").get_data(as_text=True))))
        assert {row["reply"] for row in rows} == expected, query
        page = supervisor.get(f"/exchanges?{query}").get_data(as_text=True)
        assert page.count('<article class="exchange') == len(expected), query


def test_pages_go_back_in_time_by_keyset(supervisor, app, monkeypatch):
    monkeypatch.setattr(exchanges_view, "PAGE", 2)
    replies = [exchange("q", f"reply {n}") for n in range(3)]
    first = supervisor.get("/exchanges?channel=web").get_data(as_text=True)
    assert "reply 2" in first and "reply 1" in first and "reply 0" not in first
    older = f"/exchanges?before={replies[1].id}&amp;channel=web"
    assert older in first
    second = supervisor.get(older.replace("&amp;", "&")).get_data(as_text=True)
    assert "reply 0" in second and "reply 1" not in second and "exchanges-older" not in second
    assert 'id="exchanges-newest" href="/exchanges?channel=web"' in second


def test_a_supervisor_flags_a_bad_answer_with_a_note(admin_client, app):
    staff = _log_in(admin_client)
    reply = exchange("Je veux un remboursement", "Bonjour !", channel="email")
    answer = admin_client.post(f"/exchanges/{reply.id}/flag", headers=HX,
                               data={"note": "  ignored the refund   request "})
    assert answer.status_code == 200
    assert "ignored the refund request" in answer.get_data(as_text=True)
    [flag] = events_of(events.EXCHANGE_FLAGGED)
    assert flag.payload == {"message_id": reply.id, "note": "ignored the refund request",
                            "staff_id": staff.id, "channel": "email"}
    assert flag.conversation_id == reply.conversation_id
    page = admin_client.get("/exchanges").get_data(as_text=True)
    assert "Flagged" in page and "Sam Supervisor" in page


def test_a_flag_without_a_note_is_refused_in_place(supervisor, app):
    reply = exchange("q", "r")
    answer = supervisor.post(f"/exchanges/{reply.id}/flag", headers=HX, data={"note": "  "})
    assert answer.status_code == 400
    html = answer.get_data(as_text=True)
    assert f'id="flags-{reply.id}"' in html and 'aria-invalid="true"' in html
    assert events_of(events.EXCHANGE_FLAGGED) == []
    assert supervisor.post("/exchanges/999999/flag", headers=HX,
                           data={"note": "x"}).status_code == 404


def test_a_flag_needs_the_csrf_token(app, database_url):
    admin = create_admin_app(settings.TestConfig(database_url, WTF_CSRF_ENABLED=True))
    client = admin.test_client()
    reply = exchange("q", "r")
    staff = factories.staff(role="admin")
    with client.session_transaction() as session:
        session["_user_id"] = f"staff:{staff.id}"
        session["_fresh"] = True
    assert client.post(f"/exchanges/{reply.id}/flag", data={"note": "bad"}).status_code == 403
    assert events_of(events.EXCHANGE_FLAGGED) == []


def test_the_csv_export_is_streamed_and_neutralises_formulas(supervisor, app):
    reply = exchange("=HYPERLINK(\"http://evil\")", "+33 1 23 45 67 89", language="en",
                     tools=[{"tool": "lookup_order", "result": "ok"}])
    supervisor.post(f"/exchanges/{reply.id}/flag", data={"note": "@wrong number"})
    response = supervisor.get("/exchanges.csv")
    assert response.is_streamed and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    [row] = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert row["shopper_message"] == "'=HYPERLINK(\"http://evil\")"
    assert row["reply"] == "'+33 1 23 45 67 89"
    assert row["flags"] == "'@wrong number"
    assert row["sentiment"] == "-0.6" and row["quality"] == "80"
    assert row["tools"] == "lookup_order:ok" and row["language"] == "en"
    assert row["model"] == "" and row["error"] == "0"
