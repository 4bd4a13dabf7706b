"""The settings pages: each setting saved, checked, audited and used by the next answer in the
other app; staff invited, changed and deactivated under the admin rules; API keys shown once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from automation.agents import AgentReply
from automation.agents.breaker import CircuitBreaker
from automation.agents.fallback import FallbackAgent
from automation.agents.local import LocalAgent
from automation.conversations import staff_side
from automation.runtime import shop_settings
from automation.runtime.settings import TestConfig as ConfigForTests
from database import db
from database.api_keys import hash_key
from database.models import ApiKey, Event, Setting, StaffUser
from tests import factories


@pytest.fixture(autouse=True)
def no_cache(monkeypatch):
    # Another process sees a change within RECHECK_S; these tests need not wait for it.
    monkeypatch.setattr(shop_settings, "RECHECK_S", 0.0)


def _log_in(client, role: str = "admin", **fields) -> StaffUser:
    user = factories.staff(role=role, **fields)
    client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    return user


def _changed(key: str) -> list[dict]:
    return [e.payload for e in db.session.query(Event).filter_by(kind="settings.changed")
            if e.payload["key"] == key]


@pytest.mark.parametrize("role", ["agent", "supervisor"])
def test_only_admins_open_or_change_the_settings(admin_client, app, role):
    _log_in(admin_client, role)
    for page in ("/settings", "/settings/staff", "/settings/api-keys", "/settings/privacy",
                 "/settings/webhooks"):
        assert admin_client.get(page).status_code == 403, page
    response = admin_client.post("/settings/group/shop", data={"shop_name": "Mine"})
    assert response.status_code == 403 and db.session.query(Setting).count() == 0
    assert admin_client.post("/settings/api-keys", data={"name": "x"}).status_code == 403
    assert admin_client.post("/settings/privacy/erase", data={"email": "a@b.c"}).status_code \
        == 403


def test_the_page_shows_every_group_and_links_to_the_webhooks(admin_client, app):
    _log_in(admin_client)
    html = admin_client.get("/settings").get_data(as_text=True)
    for group in ("shop", "hours", "handoff", "limits", "claude", "retention"):
        assert f'id="group-{group}"' in html
    assert 'href="/settings/webhooks"' in html and 'value="Demo Shop"' in html
    assert 'id="manage-staff"' in admin_client.get("/team").get_data(as_text=True)


SAVES = [
    ("shop", {"shop_name": "Loja da Ana", "support_email": "Ajuda@Loja.PT",
              "return_window_days": "14"},
     {"shop_name": "Loja da Ana", "support_email": "ajuda@loja.pt", "return_window_days": 14}),
    ("hours", {"hours_timezone": "Europe/Lisbon", "hours_mon_open": "09:00",
               "hours_mon_close": "18:00", "hours_sat_open": "10:00",
               "hours_sat_close": "13:00"},
     {"opening_hours": {"timezone": "Europe/Lisbon",
                        "days": {"mon": ["09:00", "18:00"], "sat": ["10:00", "13:00"]}}}),
    ("handoff", {"handoff_confidence": "0.55", "routing_strategy": "least_loaded"},
     {"handoff_confidence": 0.55, "routing_strategy": "least_loaded"}),
    ("limits", {"chat_rate_limit": "10 per minute", "whatsapp_rate_limit": "5/minute",
                "api_rate_limit": "500 per hour"},
     {"chat_rate_limit": "10 per minute", "whatsapp_rate_limit": "5/minute",
      "api_rate_limit": "500 per hour"}),
    ("claude", {"claude_model": "claude-haiku-5-0"},
     {"claude_enabled": False, "claude_model": "claude-haiku-5-0"}),
    ("retention", {"retention_days": "30", "archive_days": "180"},
     {"retention_days": 30, "archive_days": 180}),
]


@pytest.mark.parametrize("group, form, stored", SAVES, ids=[s[0] for s in SAVES])
def test_each_setting_is_saved_audited_and_seen_by_the_other_app(admin_client, admin_app, app,
                                                                 group, form, stored):
    admin = _log_in(admin_client)
    response = admin_client.post(f"/settings/group/{group}", data=form,
                                 headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Saved." in html and "by Marie Agent" in html
    assert "HX-Request" in response.headers["Vary"]
    # The shopper app (another instance, another cache) sees every value.
    values = app.extensions["settings"].all()
    for key, value in stored.items():
        assert values[key] == value
        assert db.session.get(Setting, key).updated_by_id == admin.id
        [change] = _changed(key)
        assert change["after"] == value and change["staff_id"] == admin.id


@pytest.mark.parametrize("group, form, field", [
    ("shop", {"shop_name": "A", "support_email": "not an address",
              "return_window_days": "14"}, "support_email"),
    ("hours", {"hours_timezone": "UTC", "hours_mon_open": "18:00",
               "hours_mon_close": "09:00"}, "opening_hours"),
    ("handoff", {"handoff_confidence": "1.5", "routing_strategy": "manual"},
     "handoff_confidence"),
    ("limits", {"chat_rate_limit": "lots", "whatsapp_rate_limit": "5/minute",
                "api_rate_limit": "5/minute"}, "chat_rate_limit"),
    ("claude", {"claude_enabled": "on", "claude_model": "gpt-9"}, "claude_model"),
    ("retention", {"retention_days": "0", "archive_days": "365"}, "retention_days"),
])
def test_a_refused_value_is_shown_next_to_its_field_and_nothing_is_stored(
        admin_client, app, group, form, field):
    _log_in(admin_client)
    response = admin_client.post(f"/settings/group/{group}", data=form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and 'class="field-error"' in html
    assert db.session.query(Setting).count() == 0
    assert db.session.query(Event).filter_by(kind="settings.changed").count() == 0
    swapped = admin_client.post(f"/settings/group/{group}", data=form,
                                headers={"HX-Request": "true"})
    assert swapped.status_code == 200 and f'id="{field}-error"' in swapped.get_data(
        as_text=True)


def test_a_plain_post_redirects_and_a_french_admin_reads_french(admin_client, app):
    _log_in(admin_client, language="fr")
    response = admin_client.post("/settings/group/shop", data={
        "shop_name": "", "support_email": "", "return_window_days": "14"})
    assert "De 1 à 120 caractères." in response.get_data(as_text=True)
    ok = admin_client.post("/settings/group/retention", data={
        "retention_days": "60", "archive_days": "365"})
    assert ok.status_code == 303 and ok.headers["Location"].endswith("#group-retention")


def _delivered_order(days_ago: int, *, email: str = "emma@example.com"):
    shopper = factories.customer(first_name="Emma", last_name="Brown", language="en",
                                 email=email)
    now = datetime.now(UTC)
    order = factories.order(shopper, status="delivered", placed_at=now - timedelta(days=25),
                            shipped_at=now - timedelta(days=24),
                            delivered_at=now - timedelta(days=days_ago))
    return shopper, order


def test_the_return_window_and_shop_name_are_used_by_the_next_answer(admin_client, app,
                                                                     client):
    _log_in(admin_client)
    key = factories.api_key("messages:write")

    def ask_for_a_return(email: str) -> dict:
        shopper, order = _delivered_order(20, email=email)
        return client.post("/api/process-message", headers=factories.bearer(key), json={
            "email": shopper.email,
            "message": f"I'd like to return my order {order.number}, the size is wrong"}).json

    first = ask_for_a_return("emma@example.com")
    assert first["actions"] == [] and "10-day" not in first["reply"]
    admin_client.post("/settings/group/shop", data={
        "shop_name": "Loja da Ana", "support_email": "", "return_window_days": "10"})
    refused = ask_for_a_return("liam@example.com")
    assert "10-day" in refused["reply"] and refused["actions"] == []
    assert "Loja da Ana" in client.get("/").get_data(as_text=True)


class Recording:
    """A stand-in for Claude that notes the settings each turn gets."""

    name = "claude"

    def __init__(self) -> None:
        self.models: list[str] = []

    def reply(self, turn):
        self.models.append(turn.settings.claude_model)
        return AgentReply(text="From Claude.", agent="claude")


def test_claude_off_and_its_model_apply_to_the_next_answer(admin_client, app, client):
    _log_in(admin_client)
    claude = Recording()
    app.extensions["engine"].agent = FallbackAgent(claude, LocalAgent(),
                                                   CircuitBreaker(threshold=3, cool_down_s=60))
    shopper, _order = _delivered_order(2)
    key = factories.api_key("messages:write")

    def ask(text: str) -> dict:
        return client.post("/api/process-message", json={"email": shopper.email,
                                                         "message": text},
                           headers=factories.bearer(key)).json

    admin_client.post("/settings/group/claude", data={"claude_enabled": "on",
                                                      "claude_model": "claude-opus-5-1"})
    assert ask("hello")["reply"] == "From Claude." and claude.models == ["claude-opus-5-1"]
    admin_client.post("/settings/group/claude", data={"claude_model": "claude-opus-5-1"})
    assert ask("thanks a lot")["reply"] != "From Claude." and len(claude.models) == 1


def test_the_api_rate_limit_is_the_one_admins_set(admin_client, app, database_url):
    from web_app import create_app

    limited = create_app(ConfigForTests(database_url, RATELIMIT_ENABLED=True))
    _log_in(admin_client)
    admin_client.post("/settings/group/limits", data={
        "chat_rate_limit": "30 per minute", "whatsapp_rate_limit": "30/minute",
        "api_rate_limit": "2 per minute"})
    shopper, _order = _delivered_order(2)
    key = factories.api_key("messages:write")
    shop = limited.test_client()
    codes = [shop.post("/api/process-message", json={"email": shopper.email,
                                                     "message": f"hello {n}"},
                       headers=factories.bearer(key)).status_code for n in range(3)]
    assert codes == [200, 200, 429]


def test_hours_routing_and_support_email_reach_the_staff_side_and_email(admin_client, app):
    from automation.channels.email.jobs import mail_setup

    _log_in(admin_client)
    admin_client.post("/settings/group/hours", data={
        "hours_timezone": "Europe/Paris", "hours_tue_open": "08:30",
        "hours_tue_close": "17:00"})
    admin_client.post("/settings/group/handoff", data={"handoff_confidence": "0.4",
                                                       "routing_strategy": "skills"})
    admin_client.post("/settings/group/shop", data={
        "shop_name": "Loja", "support_email": "ajuda@loja.pt", "return_window_days": "30"})
    side = staff_side.current()
    assert side.routing_strategy == "skills" and side.shop_name == "Loja"
    assert side.opening_hours == {"timezone": "Europe/Paris", "days": {"tue": ["08:30",
                                                                              "17:00"]}}
    assert mail_setup().support_address == "ajuda@loja.pt"
    assert app.extensions["engine"].current_settings().low_confidence == 0.4


# --- staff ------------------------------------------------------------------------------------

def test_an_invited_person_sets_a_password_once_then_logs_in(admin_client, app):
    admin = _log_in(admin_client)
    response = admin_client.post("/settings/staff/invite", data={
        "name": "Rui Costa", "email": "Rui@Demo.Shop", "role": "agent", "language": "pt",
        "max_concurrent": "4", "languages": ["pt", "en"], "categories": "orders, returns"},
        follow_redirects=True)
    html = response.get_data(as_text=True)
    person = db.session.query(StaffUser).filter_by(email="rui@demo.shop").one()
    assert person.skills == {"languages": ["en", "pt"], "categories": ["orders", "returns"]}
    assert person.max_concurrent == 4 and person.role == "agent"
    link = html.split('id="invitation-url">')[1].split("<")[0]
    assert "/settings/invitation/" in link
    assert link not in admin_client.get("/settings/staff").get_data(as_text=True)
    [event] = db.session.query(Event).filter_by(kind="staff.invited").all()
    assert event.payload == {"staff_id": person.id, "role": "agent", "by": admin.id}

    # A lost link: the admin asks for another one, shown once too.
    again = admin_client.post(f"/settings/staff/{person.id}/invitation", follow_redirects=True)
    assert 'id="invitation-url"' in again.get_data(as_text=True)
    path = link[link.index("/settings/invitation/"):]
    from admin_app import create_app  # the invitee is in another browser, logged out

    newcomer = create_app(ConfigForTests(app.config["SQLALCHEMY_DATABASE_URI"])).test_client()
    assert newcomer.post(path, data={"password": "short"}).status_code == 400
    welcome = newcomer.post(path, data={"password": "a long password 1"})
    assert 'id="password-set"' in welcome.get_data(as_text=True)
    assert newcomer.get(path).status_code == 404  # once only
    login = newcomer.post("/login", data={"email": "rui@demo.shop",
                                          "password": "a long password 1"})
    assert login.status_code == 302
    # Once they have logged in, no new link can take their account over.
    assert admin_client.post(f"/settings/staff/{person.id}/invitation").status_code == 409


def test_a_refused_invitation_keeps_the_form_with_errors(admin_client, app):
    _log_in(admin_client)
    factories.staff(email="taken@demo.shop")
    response = admin_client.post("/settings/staff/invite", data={
        "name": "", "email": "taken@demo.shop", "role": "boss", "language": "en",
        "max_concurrent": "0"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    for field in ("name", "email", "role", "max_concurrent"):
        assert f'id="invite-{field}-error"' in html
    assert "Already on the team." in html


def test_role_skills_and_capacity_are_changed_and_audited(admin_client, app):
    admin = _log_in(admin_client)
    agent = factories.staff(skills={"channels": ["whatsapp"]})
    admin_client.post(f"/settings/staff/{agent.id}", data={
        "role": "supervisor", "max_concurrent": "6", "languages": ["fr"],
        "categories": "complaints"})
    db.session.refresh(agent)
    assert agent.role == "supervisor" and agent.max_concurrent == 6
    assert agent.skills == {"channels": ["whatsapp"], "languages": ["fr"],
                            "categories": ["complaints"]}
    [event] = db.session.query(Event).filter_by(kind="staff.changed").all()
    assert event.payload["by"] == admin.id
    assert event.payload["changes"]["role"] == {"before": "agent", "after": "supervisor"}


def test_an_admin_cannot_deactivate_or_demote_themselves_nor_the_last_admin(admin_client, app):
    admin = _log_in(admin_client)
    assert admin_client.post(f"/settings/staff/{admin.id}/active").status_code == 409
    demote = admin_client.post(f"/settings/staff/{admin.id}", data={
        "role": "agent", "max_concurrent": "3"})
    assert demote.status_code == 400 and f'id="role-{admin.id}-error"' in demote.get_data(
        as_text=True)
    db.session.refresh(admin)
    assert admin.active and admin.role == "admin"
    # Another admin may deactivate this one while two are active, not the last one after.
    other = factories.staff(role="admin")
    from automation.accounts.team import set_staff_active
    from automation.runtime.errors import DeskError

    set_staff_active(admin.id, False, by=other.id)
    with pytest.raises(DeskError):
        set_staff_active(other.id, False, by=admin.id)


def test_a_deactivated_agent_can_no_longer_log_in(admin_client, app):
    _log_in(admin_client)
    agent = factories.staff()
    admin_client.post(f"/settings/staff/{agent.id}/active")
    db.session.refresh(agent)
    assert agent.active is False and agent.availability == "offline"
    other = admin_client.application.test_client()
    assert other.post("/login", data={"email": agent.email,
                                      "password": factories.PASSWORD}).status_code == 401


# --- API keys ---------------------------------------------------------------------------------

def test_a_key_is_shown_once_stored_hashed_and_revoked_for_good(admin_client, app, client):
    admin = _log_in(admin_client)
    response = admin_client.post("/settings/api-keys", data={
        "name": "n8n", "scopes": ["messages:write", "tickets:read"]}, follow_redirects=True)
    html = response.get_data(as_text=True)
    raw = html.split('id="key-value">')[1].split("<")[0]
    row = db.session.query(ApiKey).one()
    assert row.key_hash == hash_key(raw) and raw not in (row.key_hash, row.prefix)
    assert row.scopes == ["messages:write", "tickets:read"]
    assert raw not in admin_client.get("/settings/api-keys").get_data(as_text=True)
    assert client.get("/api/tickets", headers=factories.bearer(raw)).status_code == 200
    assert "never" not in admin_client.get("/settings/api-keys").get_data(as_text=True)
    admin_client.post(f"/settings/api-keys/{row.id}/revoke")
    db.session.rollback()  # the shopper app's requests share this test's session: end its read
    assert client.get("/api/tickets", headers=factories.bearer(raw)).status_code == 401
    kinds = [(e.kind, e.payload.get("by")) for e in db.session.query(Event).order_by(Event.id)
             if e.kind.startswith("api_key.")]
    assert kinds == [("api_key.created", admin.id), ("api_key.revoked", admin.id)]
    assert all(raw not in str(e.payload) for e in db.session.query(Event))


def test_a_key_needs_a_name_and_a_scope(admin_client, app):
    _log_in(admin_client)
    response = admin_client.post("/settings/api-keys", data={"name": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="name-error"' in html and 'id="scopes-error"' in html
    assert db.session.query(ApiKey).count() == 0
