"""Staff log into the admin app with roles; shoppers and staff never cross apps."""

from __future__ import annotations

from database import db, events
from database.models import Conversation, Event, Message, Ticket
from tests import factories
from tests.factories import bearer


def _log_in(client, email: str, password: str = factories.PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


def test_staff_login_shows_the_dashboard_and_is_audited(admin_client, app):
    factories.staff(email="agent@demo.shop", name="Marie Agent", role="agent")
    assert admin_client.get("/").status_code == 302
    assert _log_in(admin_client, "agent@demo.shop").status_code == 302
    page = admin_client.get("/").get_data(as_text=True)
    assert "Dashboard" in page and "Marie Agent (agent)" in page
    assert db.session.query(Event).filter_by(kind=events.STAFF_LOGIN).count() == 1


def test_a_shopper_cannot_log_into_the_admin_app(admin_client, app):
    factories.customer(email="camille@example.com")
    response = _log_in(admin_client, "camille@example.com")
    assert response.status_code == 401
    assert admin_client.get("/").status_code == 302


def test_staff_cannot_log_into_the_shop_with_their_staff_account(client, app):
    factories.staff(email="agent@demo.shop")
    response = client.post("/login", data={"email": "agent@demo.shop",
                                           "password": factories.PASSWORD})
    assert response.status_code == 401


def test_a_shop_session_cookie_opens_nothing_in_the_admin_app(client, admin_client, app):
    shopper = factories.customer(email="camille@example.com")
    factories.staff(email="agent@demo.shop", id=shopper.id)  # the same id as the shopper
    client.post("/login", data={"email": "camille@example.com", "password": factories.PASSWORD})
    shop_cookie = client.get_cookie("desk_shop_session")
    assert shop_cookie is not None
    admin_client.set_cookie("desk_staff_session", shop_cookie.value)
    assert admin_client.get("/").status_code == 302


def test_roles_restrict_the_team_page(admin_client, app):
    factories.staff(email="agent@demo.shop", role="agent")
    factories.staff(email="lead@demo.shop", role="supervisor")
    _log_in(admin_client, "agent@demo.shop")
    assert admin_client.get("/team").status_code == 403
    admin_client.post("/logout")
    _log_in(admin_client, "lead@demo.shop")
    assert "lead@demo.shop" in admin_client.get("/team").get_data(as_text=True)


def test_dashboard_data_counts_what_is_in_the_database(admin_client, app):
    camille = factories.customer()
    factories.customer()
    conversation = Conversation(customer_id=camille.id, channel="web", status="waiting")
    db.session.add(conversation)
    db.session.flush()
    db.session.add_all([
        Message(conversation_id=conversation.id, channel="web", direction="in",
                sender="customer", body="où est ma commande", intent="order_status"),
        Message(conversation_id=conversation.id, channel="web", direction="out", sender="ai",
                body="Elle arrive demain.", quality=80, latency_ms=12),
        Ticket(reference="TCK-2026-000001", customer_id=camille.id, title="x",
               priority="urgent"),
        Ticket(reference="TCK-2026-000002", customer_id=camille.id, title="y",
               priority="high", status="resolved"),
    ])
    db.session.commit()
    key = factories.api_key("admin:read")
    data = admin_client.get("/api/dashboard-data", headers=bearer(key)).json
    assert data["customers"] == 2
    assert data["conversations"]["waiting"] == 1 and data["conversations"]["ai"] == 0
    assert data["messages_today"] == {"total": 2, "inbound": 1, "outbound": 1}
    assert data["open_tickets"] == {"urgent": 1, "high": 0, "normal": 0, "low": 0}
    assert data["ai_quality_avg"] == 80.0 and data["ai_replies_today"] == 1
    assert data["categories_today"] == {"order_status": 1}
    factories.staff(email="agent@demo.shop")
    _log_in(admin_client, "agent@demo.shop")
    page = admin_client.get("/").get_data(as_text=True)
    # The card counts the replies; the average quality is said beside it, as such.
    assert '<div class="figure" id="fig-ai-replies">1</div>' in page
    assert "quality 80.0/100 on average" in page


def test_dashboard_data_needs_staff_or_the_admin_scope(admin_client, app):
    assert admin_client.get("/api/dashboard-data").status_code == 401
    wrong = factories.api_key("catalog:write")
    response = admin_client.get("/api/dashboard-data", headers=bearer(wrong))
    assert response.status_code == 403 and response.json["error"]["code"] == "forbidden"
    factories.staff(email="admin@demo.shop", role="admin")
    _log_in(admin_client, "admin@demo.shop")
    assert admin_client.get("/api/dashboard-data").json["customers"] == 0


def test_admin_healthz(admin_client):
    assert admin_client.get("/healthz").get_data(as_text=True) == "ok"


def test_dashboard_shows_when_the_claude_breaker_is_open(admin_client, app):
    factories.staff(email="admin@demo.shop", role="admin")
    events.record(events.AGENT_BREAKER_OPENED, level="warning",
                  payload={"agent": "claude", "reason": "overloaded"})
    db.session.commit()
    _log_in(admin_client, "admin@demo.shop")
    assert admin_client.get("/api/dashboard-data").json["claude_breaker"]["state"] == "open"
    page = admin_client.get("/").get_data(as_text=True)
    assert "Claude circuit breaker" in page and "overloaded" in page
    events.record(events.AGENT_BREAKER_CLOSED, payload={"agent": "claude"})
    db.session.commit()
    assert admin_client.get("/api/dashboard-data").json["claude_breaker"]["state"] == "closed"
