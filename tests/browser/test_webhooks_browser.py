"""The admin's webhooks page in a real browser, on a laptop and on a phone, in fr/en/pt:
add a subscription, see its secret once, redeliver a dead letter in place."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_migrate import upgrade
from playwright.sync_api import expect

from automation.runtime.settings import TestConfig as DeskTestConfig
from database import db
from database.base import utcnow
from database.models import WebhookDelivery
from tests import factories, ticket_factories
from tests.live_server import serve
from workflows import dispatch
from workflows.subscriptions import add_subscription

pytestmark = pytest.mark.browser
SCREENS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def admin(tmp_path: Path) -> Iterator[tuple]:
    from admin_app import create_app
    from web_app import create_app as web_app

    url = f"sqlite:///{tmp_path / 'desk.db'}"
    shop = web_app(DeskTestConfig(url))
    with shop.app_context():
        upgrade()
        db.session.remove()
    app = create_app(DeskTestConfig(url, WTF_CSRF_ENABLED=True))
    with serve(app) as base:
        yield app, shop, base
    with app.app_context():
        db.engine.dispose()


def _seed(shop, language: str) -> str:
    with shop.app_context():
        admin = factories.staff(email=f"admin-{language}@demo.shop", role="admin",
                                language=language, name="Ana Admin")
        add_subscription("https://n8n.example.com/webhook/desk-sla-breached",
                         ["sla.breached", "ticket.created"], description="SLA escalation")
        add_subscription("http://127.0.0.1:9/webhook/desk-ticket-resolved-with-a-long-path",
                         ["ticket.resolved"])
        for _ in range(2):
            ticket_factories.ticket()
        dispatch.collect(policy=dispatch.Policy())
        first = db.session.query(WebhookDelivery).order_by(WebhookDelivery.id).first()
        first.status, first.dead_at, first.attempts = "dead", utcnow(), 13
        first.last_error, first.last_status_code = "HTTP 502: <html>Bad gateway</html>", 502
        db.session.commit()
        return admin.email


@pytest.mark.parametrize("language", ["fr", "en", "pt"])
def test_the_webhooks_page_works_on_laptops_and_phones(chromium, admin, screenshots, language):
    app, shop, base = admin
    email = _seed(shop, language)
    context = chromium.new_context(viewport=SCREENS["laptop"], locale=language)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("form button[type=submit]")
    page.goto(f"{base}/settings/webhooks")
    expect(page.locator("html")).to_have_attribute("lang", language)
    for screen, size in SCREENS.items():
        page.set_viewport_size(size)
        page.screenshot(path=screenshots / f"{screen}-1-page.png", full_page=True)
        page.locator("#subscriptions").screenshot(
            path=screenshots / f"{screen}-1-subscriptions.png")
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
        # Every button is on screen, none scrolled or cut off.
        for button in page.locator("#subscriptions button, #dead-letters button").all():
            box = button.bounding_box()
            assert box is not None and box["x"] >= 0 \
                and box["x"] + box["width"] <= size["width"], screen

    dead = page.locator("#dead-letters tbody tr").first
    dead.locator("button[hx-post]").click()
    expect(page.locator("#dead-letters tbody tr").first.locator("[role=status]")).to_be_visible()
    page.locator("#dead-letters").screenshot(path=screenshots / "phone-2-dead-letters.png")

    page.fill("input[name=url]", "https://n8n.example.com/webhook/desk-handoff-requested")
    page.check("input[value='handoff.requested']")
    page.click("#add-subscription button[type=submit]")
    expect(page.locator("#new-secret code")).to_contain_text("whsec_")
    for screen, size in SCREENS.items():
        page.set_viewport_size(size)
        page.screenshot(path=screenshots / f"{screen}-3-secret.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    page.reload()
    expect(page.locator("#new-secret")).to_have_count(0)
    context.close()
