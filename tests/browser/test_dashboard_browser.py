"""The dashboard in a real browser: the charts draw, a message sent through the API shows in
the figures and the charts without a reload, and nothing overflows a phone's width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.browser
DRAWN = """id => {
  const canvas = document.getElementById(id);
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
  return painted;
}"""
CHARTED = """() => Chart.getChart("chart-messages").data.datasets[0].data
  .reduce((sum, n) => sum + n, 0)"""


def test_the_dashboard_draws_and_follows_new_messages_live(chromium, desks, screenshots):
    shop, admin_url, shop_url = desks.web, desks.staff, desks.shop
    with shop.app_context():
        factories.staff(email="admin@demo.shop", role="admin", name="Ana Admin")
        camille = factories.customer(email="camille@example.com")
        factories.order(camille, number="CMD-41001", status="shipped", carrier="Colissimo",
                        tracking_number="6A41001000FR")
        key = factories.api_key("messages:write")
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="en")
    page = context.new_page()

    def send(text: str) -> None:
        answer = context.request.post(f"{shop_url}/api/process-message",
                                      headers={"Authorization": f"Bearer {key}"},
                                      data={"email": "camille@example.com", "message": text})
        assert answer.ok, answer.text()

    send("where is my order CMD-41001?")
    page.goto(f"{admin_url}/login")
    page.fill("input[name=email]", "admin@demo.shop")
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("form button[type=submit]")
    page.goto(f"{admin_url}/?range=1h")
    expect(page.locator("#fig-range-messages")).to_have_text("2")
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-categories')")
    for chart in ("chart-messages", "chart-channels", "chart-categories"):
        assert page.evaluate(DRAWN, chart) > 500, f"{chart} drew nothing"
    assert page.evaluate(CHARTED) == 1
    page.screenshot(path=screenshots / "dashboard-before.png", full_page=True)

    page.evaluate("window.notReloaded = true")
    send("thank you!")
    # The figures poll every 5 s: the new message and its reply show without a reload.
    expect(page.locator("#fig-range-messages")).to_have_text("4", timeout=15_000)
    page.wait_for_function(f"() => ({CHARTED.strip()})() === 2")
    assert page.evaluate("window.notReloaded") is True
    page.screenshot(path=screenshots / "dashboard-after.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    # Chart.js follows its box's width on the next animation frame.
    page.wait_for_function("() => document.documentElement.scrollWidth <= 390")
    page.screenshot(path=screenshots / "dashboard-phone.png", full_page=True)
    context.close()
