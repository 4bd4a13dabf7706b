"""The shopper's pages: status endpoints, home with their orders, the order list."""

from __future__ import annotations

from pathlib import Path

from tests import factories

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_and_status(client):
    assert client.get("/healthz").get_data(as_text=True) == "ok"
    status = client.get("/api/status").json
    assert status["status"] == "ok" and status["database"] == "ok"
    assert status["agent"] == "local"
    assert isinstance(status["uptime_s"], int)


def _log_in(client, email: str) -> None:
    client.post("/login", data={"email": email, "password": factories.PASSWORD})


def test_home_lists_only_the_shoppers_own_orders_with_tracking(client):
    camille = factories.customer(email="camille@example.com", first_name="Camille")
    other = factories.customer(email="other@example.com")
    factories.order(camille, number="CMD-11111", status="shipped", carrier="Colissimo",
                    tracking_number="6A11111111111")
    factories.order(other, number="CMD-22222")
    _log_in(client, "camille@example.com")
    page = client.get("/").get_data(as_text=True)
    assert "CMD-11111" in page and "6A11111111111" in page and "Colissimo" in page
    assert "CMD-22222" not in page


def test_order_list_filters_by_status_with_htmx(client):
    camille = factories.customer(email="camille@example.com")
    factories.order(camille, number="CMD-11111", status="delivered")
    factories.order(camille, number="CMD-11112", status="pending")
    _log_in(client, "camille@example.com")
    fragment = client.get("/orders?status=pending", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"]
    assert "CMD-11112" in text and "CMD-11111" not in text and "<html" not in text
    full = client.get("/orders?status=bogus").get_data(as_text=True)
    assert "CMD-11112" in full and "CMD-11111" in full


def test_pages_load_nothing_from_the_internet():
    for template in ROOT.glob("*_app/templates/**/*.html"):
        text = template.read_text()
        assert "//cdn" not in text and "https://" not in text, template
    vendored = {p.name for p in (ROOT / "static" / "vendor").iterdir()}
    assert {"htmx-2.0.11.min.js", "htmx-ext-ws-2.0.4.min.js", "pico-2.1.1.min.css"} <= vendored


def test_vendored_files_are_served(client):
    response = client.get("/static/vendor/htmx-2.0.11.min.js")
    assert response.status_code == 200 and b"htmx" in response.data
