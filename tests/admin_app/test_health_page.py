"""The health page and GET /api/health: shape, who may see them, the page's own refresh."""

from __future__ import annotations

import pytest

from tests import factories

PARTS = {"database", "redis", "worker", "claude", "whatsapp", "smtp", "email", "notion",
         "webhooks", "disk"}


def _log_in(client, role: str = "admin", language: str = "en") -> None:
    user = factories.staff(role=role, language=language)
    client.post("/login", data={"email": user.email, "password": factories.PASSWORD})


def test_api_health_with_a_monitoring_key(admin_client, app):
    key = factories.api_key("admin:read")
    response = admin_client.get("/api/health", headers=factories.bearer(key))
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) >= {"status", "checked_at", "version", "uptime_s", "parts"}
    assert set(body["parts"]) == PARTS
    assert body["parts"]["database"]["state"] == "ok"
    assert body["parts"]["claude"] == {"state": "not_configured",
                                       "detail": body["parts"]["claude"]["detail"]}


def test_api_health_without_a_key_is_401_and_with_another_scope_403(admin_client, app):
    response = admin_client.get("/api/health")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    key = factories.api_key("tickets:read")
    response = admin_client.get("/api/health", headers=factories.bearer(key))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_api_health_for_a_logged_in_staff_member(admin_client, app):
    _log_in(admin_client, "agent")
    assert admin_client.get("/api/health").status_code == 200


@pytest.mark.parametrize("language, title, state", [("en", "System health", "not configured"),
                                                    ("fr", "État du système", "non configuré"),
                                                    ("pt", "Estado do sistema",
                                                     "não configurado")])
def test_the_page_lists_every_part_in_the_staff_language(admin_client, app, language, title,
                                                          state):
    _log_in(admin_client, "supervisor", language)
    html = admin_client.get("/health").get_data(as_text=True)
    assert title in html and state in html
    for part in PARTS:
        assert f'id="part-{part}"' in html
    assert 'hx-trigger="every 10s"' in html


def test_the_refresh_fragment_is_the_parts_alone(admin_client, app):
    _log_in(admin_client)
    html = admin_client.get("/health/parts").get_data(as_text=True)
    assert html.lstrip().startswith('<section id="health-parts"') and "<html" not in html


def test_agents_do_not_see_the_page(admin_client, app):
    _log_in(admin_client, "agent")
    assert admin_client.get("/health").status_code == 403
    assert admin_client.get("/health/parts").status_code == 403
