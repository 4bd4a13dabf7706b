"""A new shopper in a real browser: the right input types, every mistake shown in place (with
and without JavaScript), the address bar after registering, and pages that fit a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import contrast_ratio

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _fill_registration(page: Page, *, email: str, password: str) -> None:
    page.fill("#first_name", "Ana")
    page.fill("#last_name", "Silva")
    page.fill("#email", email)
    page.fill("#password", password)
    page.select_option("#language", "pt")


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_registration_shows_each_mistake_in_place(chromium, desk, screenshots, javascript):
    context = chromium.new_context(java_script_enabled=javascript, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{desk.url}/register")
    assert page.get_attribute("#email", "type") == "email"
    assert page.get_attribute("#password", "type") == "password"
    assert page.get_attribute("#password", "autocomplete") == "new-password"

    _fill_registration(page, email="not-an-email", password="short")
    page.click("#register-form button[type=submit]")
    expect(page.locator("#email-error")).to_be_visible()
    expect(page.locator("#password-error")).to_contain_text("8")
    # The form kept what was typed (but never the password) and is still a password field.
    expect(page.locator("#first_name")).to_have_value("Ana")
    assert page.get_attribute("#password", "type") == "password"
    page.screenshot(path=screenshots / "1-mistakes.png", full_page=True)

    _fill_registration(page, email="ana.silva@example.com", password="a-long-passphrase")
    page.click("#register-form button[type=submit]")
    page.wait_for_url(f"{desk.url}/")
    expect(page.locator("h1")).to_contain_text("Ana")  # in Portuguese, her own language
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_wrong_password_is_said_on_the_login_form(chromium, desk, javascript):
    with desk.app.app_context():
        factories.customer(email="leo@example.com", first_name="Léo")
    context = chromium.new_context(java_script_enabled=javascript, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{desk.url}/login")
    assert page.get_attribute("#password", "type") == "password"
    page.fill("#email", "leo@example.com")
    page.fill("#password", "not-the-password")
    page.click("#login-form button[type=submit]")
    expect(page.locator("#password-error")).to_be_visible()
    expect(page.locator("#password-error")).to_contain_text(re.compile(r"\S"))
    assert page.url.endswith("/login")
    page.fill("#email", "leo@example.com")
    page.fill("#password", factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{desk.url}/")
    expect(page.locator("h1")).to_contain_text("Léo")
    context.close()


@pytest.mark.parametrize("language", ["fr", "en", "pt"])
def test_pages_fit_a_phone(chromium, desk, screenshots, language):
    with desk.app.app_context():
        shopper = factories.customer(email=f"phone-{language}@example.com", language=language)
        for n in range(3):
            factories.order(shopper, status=("shipped", "delivered", "paid")[n],
                            carrier="Colissimo", tracking_number=f"6A7041200{n}FR")
    context = chromium.new_context(viewport=PHONE, locale=language)
    page = context.new_page()
    page.set_default_timeout(10_000)
    for path in ("/", "/login", "/register"):
        page.goto(desk.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    page.goto(f"{desk.url}/login")
    page.fill("#email", f"phone-{language}@example.com")
    page.fill("#password", factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{desk.url}/")
    for path in ("/", "/orders", "/chat"):
        page.goto(desk.url + path)
        page.screenshot(path=screenshots / f"{path.strip('/') or 'home'}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        logout = page.locator("#logout").bounding_box()
        assert logout is not None and logout["x"] + logout["width"] <= PHONE["width"], path
    page.goto(f"{desk.url}/orders")
    # Every order's total and delivery line are on screen, not scrolled out of view.
    for cell in page.locator("table.orders td.order-total").all():
        box = cell.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    context.close()


def test_the_site_has_an_icon(desk):
    import urllib.request

    with urllib.request.urlopen(f"{desk.url}/favicon.ico") as answer:
        assert answer.status == 200
        assert answer.read(4) == b"\x00\x00\x01\x00"  # an .ico file


def test_contrast_ratio_helper_matches_known_values():
    assert contrast_ratio("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21, rel=1e-3)
    assert contrast_ratio("rgb(255, 255, 255)", "rgb(255, 255, 255)") == pytest.approx(1)
