"""A real headless Chromium (Debian's, never a downloaded one) and the real app served to it."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade

from automation.runtime.settings import TestConfig
from database import db
from tests.live_server import serve

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium under Playwright; in CI a missing browser fails instead of skipping."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: `make browser` installs Debian's chromium package"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import expect, sync_playwright

    # A busy machine (CI runs everything on two cores) gets 15 s before a check fails.
    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True)
        yield browser
        browser.close()


@dataclass
class Desk:
    """The shopper app served over HTTP, and the app itself for what staff would do."""

    app: Flask
    url: str


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    """The real shopper app on a migrated SQLite file, CSRF on, on a free local port."""
    from web_app import create_app

    app = create_app(TestConfig(f"sqlite:///{tmp_path / 'desk.db'}", WTF_CSRF_ENABLED=True))
    with app.app_context():
        upgrade()
        db.session.remove()
    with serve(app) as url:
        yield Desk(app, url)
    with app.app_context():
        db.engine.dispose()


@dataclass
class Desks:
    """Both apps served over HTTP on one migrated SQLite file, with CSRF on, as in production."""

    shop: str  # the shopper app's address
    staff: str  # the staff app's address
    web: Flask
    admin: Flask
    key: str = ""  # an integration API key, when a test's seed made one


@pytest.fixture
def desks(tmp_path: Path) -> Iterator[Desks]:
    """The shopper app and the staff app, both served; tests seed inside `desks.web`'s context."""
    from admin_app import create_app as admin_app
    from web_app import create_app as web_app

    url = f"sqlite:///{tmp_path / 'desk.db'}"
    web = web_app(TestConfig(url, WTF_CSRF_ENABLED=True))
    admin = admin_app(TestConfig(url, WTF_CSRF_ENABLED=True))
    with web.app_context():
        upgrade()
        db.session.remove()
    with serve(web) as shop, serve(admin) as staff:
        yield Desks(shop, staff, web, admin)
    for app in (web, admin):
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def screenshots(request: pytest.FixtureRequest) -> Path:
    """The folder screenshots of this test go to (git-ignored)."""
    folder = OUTPUT / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


def _luminance(css_colour: str) -> float:
    red, green, blue = (int(v) for v in re.findall(r"\d+", css_colour)[:3])

    def channel(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast_ratio(foreground: str, background: str) -> float:
    """Return the WCAG contrast ratio of two `rgb(…)` colours (4.5 is the floor for text)."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
