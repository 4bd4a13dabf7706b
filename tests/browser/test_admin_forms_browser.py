"""The admin's forms that share one field macro (knowledge article, API key, invitation,
webhook), in a real browser, fr/en/pt, on a laptop and on a phone: a wrong input is said next
to its field, in the admin's language, and nothing spills off the screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_migrate import upgrade
from playwright.sync_api import expect

from automation.runtime.settings import TestConfig as DeskTestConfig
from database import db
from tests import factories
from tests.live_server import serve

pytestmark = pytest.mark.browser
SCREENS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
# page, its form, what to type in it (field name → text), the error that must show and a word
# of it in each language
FORMS = [
    ("/knowledge/new", "#article-form", {}, "#article-title-error",
     {"fr": "question", "en": "question", "pt": "pergunta"}),
    ("/settings/api-keys", "#add-key form", {}, "#name-error",
     {"fr": "caractères", "en": "characters", "pt": "caracteres"}),
    ("/settings/staff", ".invite-form", {"name": "Zoé", "email": "zoe-at-example"},
     "#invite-email-error", {"fr": "adresse e-mail", "en": "email address", "pt": "e-mail válido"}),
    ("/settings/webhooks", "#add-subscription form", {"url": "ftp://n8n.example.com/hook"},
     "#url-error", {"fr": "une adresse", "en": "an http", "pt": "um endereço"}),
]


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
        yield shop, base
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("language", ["fr", "en", "pt"])
def test_wrong_input_is_said_in_place_on_every_admin_form(chromium, admin, screenshots,
                                                          language):
    shop, base = admin
    with shop.app_context():
        email = factories.staff(email=f"admin-{language}@demo.shop", role="admin",
                                language=language, name="Ana Admin").email
    context = chromium.new_context(viewport=SCREENS["laptop"], locale=language)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("form button[type=submit]")
    for number, (path, selector, typed, error, words) in enumerate(FORMS, 1):
        for screen, size in SCREENS.items():
            page.set_viewport_size(size)
            page.goto(f"{base}{path}")
            expect(page.locator("html")).to_have_attribute("lang", language)
            form = page.locator(selector)
            for name, text in typed.items():
                form.locator(f"[name={name}]").fill(text)
            form.locator("button[type=submit]").click()
            shown = page.locator(error)
            expect(shown).to_be_visible()
            assert words[language] in shown.inner_text().lower(), shown.inner_text()
            shown.scroll_into_view_if_needed()
            page.screenshot(path=screenshots / f"{number}-{screen}.png", full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], path
            box = shown.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= size["width"]
    context.close()
