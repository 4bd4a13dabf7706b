"""A shopper chats in a real browser: the reply, the queue, a person joining and the rating
all arrive live over the WebSocket, without a page load."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from automation.conversations import handoff as handoff_flow
from database import db
from database.customers import get_customer_by_email
from database.models import Conversation
from tests import factories
from tests.browser.conftest import contrast_ratio

pytestmark = pytest.mark.browser
EMAIL = "emma.brown@example.com"
PASSWORD = "s3cret-pass-42"
ORDER = "CMD-70412"
# Tells the test when the socket is open, and whether the page was ever reloaded.
PROBE = """
window.__pageId = Math.random();
document.addEventListener("htmx:wsOpen", function (event) {
  window.__socketOpen = true;
  window.__socket = event.detail.socketWrapper;
});
"""
BUBBLE_IDS = "els => els.map(e => e.id)"


def _register_and_log_in(page: Page, url: str) -> None:
    page.goto(f"{url}/register")
    page.fill("#first_name", "Emma")
    page.fill("#last_name", "Brown")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.select_option("#language", "en")
    page.click("#register-form button[type=submit]")
    page.wait_for_url(f"{url}/")
    page.click("#logout")
    page.wait_for_url(re.compile(r".*/login$"))
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{url}/")


def _shopper_order(desk) -> None:
    with desk.app.app_context():
        shopper = get_customer_by_email(EMAIL)
        factories.order(shopper, number=ORDER, status="shipped", carrier="Colissimo",
                        tracking_number="6A70412000FR",
                        shipped_at=datetime.now(UTC) - timedelta(days=1),
                        estimated_delivery=date.today() + timedelta(days=2))
        db.session.remove()


def _staff_on_the_conversation(desk, flow: str, **kwargs) -> None:
    with desk.app.app_context():
        conversation = db.session.query(Conversation).one()
        getattr(handoff_flow, flow)(conversation.id, **kwargs)
        db.session.remove()


def _reconnect_and_replay(page: Page) -> None:
    # A dropped socket comes back and resumes; even a full replay shows each message once.
    before = page.locator("#chat-log .bubble").evaluate_all(BUBBLE_IDS)
    page.evaluate("window.__socketOpen = false; window.__socket.reconnect()")
    page.wait_for_function("window.__socketOpen === true")
    page.evaluate("""window.__socket.send(JSON.stringify({type: "resume", after: 0,
        conversation_id: +document.getElementById("chat").dataset.conversation}))""")
    page.wait_for_timeout(500)
    assert page.locator("#chat-log .bubble").evaluate_all(BUBBLE_IDS) == before


def test_a_shopper_chats_live_from_question_to_rating(chromium, desk, screenshots):
    context = chromium.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    _register_and_log_in(page, desk.url)
    _shopper_order(desk)
    with desk.app.app_context():
        marie = factories.staff(name="Marie Dupont").id
        db.session.remove()

    page.add_init_script(PROBE)
    page.goto(f"{desk.url}/chat")
    page.wait_for_function("window.__socketOpen === true")
    page_id = page.evaluate("window.__pageId")

    page.fill("#chat-message", f"Where is my order {ORDER}?")
    page.press("#chat-message", "Enter")
    reply = page.locator("#chat-log .bubble.from-ai").last
    expect(reply).to_contain_text("Emma")
    expect(reply).to_contain_text("6A70412000FR")
    expect(reply).to_contain_text("Colissimo")
    expect(page.locator("#chat-message")).to_have_value("")
    expect(page.locator("#chat-typing")).to_be_hidden()
    mine = page.locator("#chat-log .bubble.from-customer").last
    text_colour = mine.locator("p").evaluate("e => getComputedStyle(e).color")
    bubble_colour = mine.evaluate("e => getComputedStyle(e).backgroundColor")
    assert contrast_ratio(text_colour, bubble_colour) >= 4.5
    page.screenshot(path=screenshots / "1-reply.png", full_page=True)
    _reconnect_and_replay(page)

    page.click("#talk-to-person")
    expect(page.locator("#chat-status")).to_contain_text("number 1 in line")
    page.screenshot(path=screenshots / "2-queue.png", full_page=True)

    _staff_on_the_conversation(desk, "assign", staff_id=marie)
    expect(page.locator("#chat-status")).to_contain_text("Marie has joined")
    _staff_on_the_conversation(desk, "post_agent_message", staff_id=marie,
                               text="Hello Emma, I am checking with Colissimo.")
    expect(page.locator("#chat-log .bubble.from-agent")).to_contain_text("checking")
    page.screenshot(path=screenshots / "3-person.png", full_page=True)

    _staff_on_the_conversation(desk, "close", by="agent")
    page.click("#rate-5")
    expect(page.locator("#chat-rating")).to_contain_text("5/5")
    # The closed conversation is listed with the earlier ones, with its stars, live.
    expect(page.locator("#chat-history li")).to_have_count(1)
    expect(page.locator("#chat-history li")).to_contain_text("★★★★★")
    page.screenshot(path=screenshots / "4-rated.png", full_page=True)

    assert page.evaluate("window.__pageId") == page_id  # all of it without a page load
    bubbles = page.locator("#chat-log .bubble").evaluate_all(BUBBLE_IDS)
    assert len(bubbles) == len(set(bubbles)) == 5
    with desk.app.app_context():
        assert db.session.query(Conversation).one().rating == 5
        db.session.remove()

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.screenshot(path=screenshots / "5-phone.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing overflows sideways
    context.close()
