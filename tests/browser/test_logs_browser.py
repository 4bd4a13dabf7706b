"""The live log console in a real browser: an admin opens /logs, a message sent through the
integration API shows up within 2 seconds, pause holds new lines, filters and search narrow
what is shown. Both apps are served over HTTP on one SQLite file, with CSRF on."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from database import db, events
from tests import factories
from tests.browser.conftest import Desks

pytestmark = pytest.mark.browser
SHOPPER = "lucas.martin@example.com"


@pytest.fixture
def desks(desks: Desks) -> Desks:
    """Both apps, a French shopper, an English-speaking admin and a key to send messages."""
    with desks.web.app_context():
        factories.customer(first_name="Lucas", last_name="Martin", email=SHOPPER,
                           language="fr")
        factories.staff(name="Alice Admin", email="alice@demo.shop", role="admin",
                        language="en")
        desks.key = factories.api_key("messages:write")
        db.session.remove()
    return desks


def _send(desks: Desks, text: str) -> dict:
    request = urllib.request.Request(
        f"{desks.shop}/api/process-message", method="POST",
        data=json.dumps({"email": SHOPPER, "message": text}).encode(),
        headers={"Authorization": f"Bearer {desks.key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


def test_an_admin_watches_a_message_arrive_pauses_and_filters(chromium, desks, screenshots):
    _send(desks, "Bonjour")  # the first turn loads the NLU models: not what is measured
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{desks.staff}/login")
    page.fill("#email", "alice@demo.shop")
    page.fill("#password", factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{desks.staff}/")
    page.goto(f"{desks.staff}/logs")
    expect(page.locator("#logs-status.logs-live")).to_be_visible()
    replied = page.locator('#log-lines li[data-kind="message.replied"]')
    expect(replied).to_have_count(1)  # the first turn's, among the last lines on open

    answer = _send(desks, "Quels sont vos délais de livraison ?")
    started = time.monotonic()
    expect(replied).to_have_count(2, timeout=2_000)
    assert time.monotonic() - started < 2
    newest = page.locator("#log-lines li").first
    expect(newest).to_have_attribute("data-conversation", str(answer["conversation_id"]))
    expect(newest.locator(".log-conversation a")).to_have_attribute(
        "href", f"/workspace/c/{answer['conversation_id']}")
    page.screenshot(path=str(screenshots / "logs.png"), full_page=True)

    page.click("#logs-pause")
    expect(page.locator("#logs-status.logs-paused")).to_be_visible()
    _send(desks, "Merci beaucoup")
    expect(page.locator("#logs-status")).to_contain_text("new lines held")
    expect(replied).to_have_count(2)
    page.click("#logs-pause")
    expect(replied).to_have_count(3)

    page.select_option("#logs-level", "warning")
    expect(replied).to_have_count(0)
    expect(page).to_have_url(f"{desks.staff}/logs?level=warning")
    with desks.web.app_context():
        events.record(events.LOG_WARNING, level="warning",
                      payload={"logger": "shop.carriers", "message": "carrier API slow",
                               "source": "worker"})
        events.record(events.MESSAGE_RECEIVED, payload={"message_id": 1, "chars": 2})
        db.session.commit()
        db.session.remove()
    warning = page.locator('#log-lines li[data-kind="log.warning"]')
    expect(warning).to_have_count(1)
    expect(warning).to_contain_text("carrier API slow")
    expect(page.locator('#log-lines li[data-kind="message.received"]')).to_have_count(0)

    page.select_option("#logs-level", "")
    expect(replied).to_have_count(3)
    page.fill("#logs-search", "carrier api")
    expect(page.locator("#log-lines li:visible")).to_have_count(1)
    page.screenshot(path=str(screenshots / "logs-filtered.png"), full_page=True)
    context.close()
