"""The live log console: the last lines on open (no debug), filters, escaping, roles, and new
events pushed over its socket as they are committed."""

from __future__ import annotations

import time

import pytest
from simple_websocket import Client

from database import db, events
from tests import factories
from tests.automation.conversations.staffside import conversation
from tests.live_server import serve

HX = {"HX-Request": "true"}


def _log_in(client, role: str) -> None:
    staff = factories.staff(role=role, name=f"Sam {role.title()}")
    response = client.post("/login", data={"email": staff.email,
                                           "password": factories.PASSWORD})
    assert response.status_code == 302


def _record(kind: str, *, level: str = "info", conversation_id: int | None = None,
            **payload) -> int:
    event = events.record(kind, level=level, conversation_id=conversation_id, payload=payload)
    db.session.commit()
    return event.id


@pytest.fixture
def supervisor(admin_client, app):
    _log_in(admin_client, "supervisor")
    return admin_client


def _lines(page: str) -> str:
    return page[page.index('id="log-lines"'):]


def test_the_console_opens_on_the_latest_lines_newest_first_without_debug(supervisor, app):
    chat = conversation("ai", channel="whatsapp")
    received = _record(events.MESSAGE_RECEIVED, conversation_id=chat.id, message_id=7, chars=12)
    _record(events.CONVERSATION_TYPING, level="debug", conversation_id=chat.id, who="shopper")
    replied = _record(events.MESSAGE_REPLIED, conversation_id=chat.id, intent="order_status",
                      quality=82, latency_ms=340, agent="local", channel="whatsapp")
    warned = _record(events.LOG_WARNING, level="warning", logger="shop.payments",
                     message="card gateway slow", source="web_app")
    page = _lines(supervisor.get("/logs").get_data(as_text=True))
    assert page.index(f'id="log-{warned}"') < page.index(f'id="log-{replied}"') \
        < page.index(f'id="log-{received}"')
    assert events.CONVERSATION_TYPING not in page
    assert "order_status · Q82 · 340 ms · local" in page
    assert "card gateway slow · shop.payments @ web_app" in page
    assert 'class="log-line log-warning"' in page
    assert f'href="/workspace/c/{chat.id}"' in page and 'data-channel="whatsapp"' in page


@pytest.mark.parametrize(("query", "shown", "hidden"), [
    ("level=warning", ["slow", "broken"], ["#987651", "#987652"]),
    ("level=error", ["broken"], ["slow", "#987651"]),
    ("kind=message.", ["#987651", "#987652"], ["slow", "broken"]),
    ("channel=email", ["#987652"], ["#987651", "slow"]),
])
def test_the_filters_choose_the_first_lines(supervisor, app, query, shown, hidden):
    web, mail = conversation("ai", channel="web"), conversation("ai", channel="email")
    _record(events.MESSAGE_RECEIVED, conversation_id=web.id, message_id=987651, chars=3)
    _record(events.MESSAGE_RECEIVED, conversation_id=mail.id, message_id=987652, chars=3)
    _record(events.LOG_WARNING, level="warning", message="slow", logger="x", source="web_app")
    _record(events.LOG_ERROR, level="error", message="broken", logger="x", source="worker")
    page = supervisor.get(f"/logs/lines?{query}", headers=HX).get_data(as_text=True)
    assert all(text in page for text in shown)
    assert not any(text in page for text in hidden)


def test_a_conversation_filter_keeps_its_lines_only(supervisor, app):
    one, other = conversation("ai"), conversation("ai")
    _record(events.HANDOFF_REQUESTED, conversation_id=one.id, priority="high", position=2)
    _record(events.HANDOFF_REQUESTED, conversation_id=other.id, priority="low", position=3)
    page = supervisor.get(f"/logs?conversation={one.id}").get_data(as_text=True)
    assert "high · #2" in _lines(page) and "low · #3" not in _lines(page)


def test_untrusted_text_is_escaped_and_a_traceback_shown_on_demand(supervisor, app):
    _record(events.LOG_ERROR, level="error", logger="x", source="web_app",
            message='<img src=x onerror="alert(1)">', exception="ValueError",
            traceback="Traceback (most recent call last):\nValueError: <b>bad</b>")
    page = supervisor.get("/logs").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=" in page
    assert "ValueError: &lt;b&gt;bad&lt;/b&gt;</pre></details>" in page


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/logs"), ("get", "/logs/lines"), ("get", "/exchanges"),
    ("get", "/exchanges.csv"), ("post", "/exchanges/1/flag")])
def test_an_agent_may_not_see_the_monitoring_pages(admin_client, app, method, path):
    _log_in(admin_client, "agent")
    assert getattr(admin_client, method)(path).status_code == 403


def test_the_menu_shows_logs_and_exchanges_to_supervisors_only(admin_client, app):
    _log_in(admin_client, "agent")
    assert 'href="/logs"' not in admin_client.get("/workspace").get_data(as_text=True)
    admin_client.post("/logout")
    _log_in(admin_client, "admin")
    page = admin_client.get("/workspace").get_data(as_text=True)
    assert 'href="/logs"' in page and 'href="/exchanges"' in page


def test_new_events_are_pushed_to_the_console_as_they_are_committed(admin_app, app):
    client = admin_app.test_client()
    with admin_app.app_context():
        _log_in(client, "admin")
    cookie = client.get_cookie("desk_staff_session").value
    chat = conversation("ai", channel="web")
    with serve(admin_app) as url:
        ws = Client.connect(url.replace("http://", "ws://") + "/logs/ws",
                            headers={"Cookie": f"desk_staff_session={cookie}"})
        try:
            hub, deadline = admin_app.extensions["live"], time.monotonic() + 5
            while not hub.subscriber_count() and time.monotonic() < deadline:
                time.sleep(0.02)  # once subscribed, what follows is new
            _record(events.CONVERSATION_TYPING, level="debug", conversation_id=chat.id)
            pushed = _record(events.TICKET_CREATED, conversation_id=chat.id,
                             reference="T-1042", priority="high", title="<b>late</b>")
            frame = ws.receive(timeout=5)
        finally:
            ws.close()
    assert f'id="log-{pushed}"' in frame and "T-1042 · high" in frame
    assert "&lt;b&gt;late&lt;/b&gt;" in frame
    assert events.CONVERSATION_TYPING not in frame


def test_a_stranger_socket_is_closed(admin_app, app):
    with serve(admin_app) as url:
        ws = Client.connect(url.replace("http://", "ws://") + "/logs/ws")
        deadline = time.monotonic() + 3
        while ws.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not ws.connected


def test_the_socket_first_sends_what_came_after_the_newest_line_held(admin_app, app):
    client = admin_app.test_client()
    with admin_app.app_context():
        _log_in(client, "supervisor")
    cookie = client.get_cookie("desk_staff_session").value
    held = _record(events.CSAT_SUBMITTED, rating=5, via="chat")
    missed = _record(events.CSAT_SUBMITTED, rating=2, via="email")
    with serve(admin_app) as url:
        ws = Client.connect(url.replace("http://", "ws://") + f"/logs/ws?after={held}",
                            headers={"Cookie": f"desk_staff_session={cookie}"})
        try:
            frame = ws.receive(timeout=5)
        finally:
            ws.close()
    assert f'id="log-{missed}"' in frame and "2/5 · email" in frame
    assert f'id="log-{held}"' not in frame
