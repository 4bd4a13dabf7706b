"""A support team's day in real browsers: a shopper asks for a person on /chat, an agent in
/workspace sees them arrive live, accepts, replies; each sees the other's messages and typing
live; a second agent's late Accept is refused politely; the agent closes, the shopper rates.
Both apps are served over HTTP on one SQLite file, with CSRF on, as in production."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from database import db
from database.models import Conversation, Event
from tests import factories
from tests.browser.conftest import Desks

pytestmark = pytest.mark.browser
SHOPPER = "emma.brown@example.com"
PROBE = """
window.__pageId = window.__pageId || Math.random();
document.addEventListener("htmx:wsOpen", function () { window.__socketOpen = true; });
"""


@pytest.fixture
def desks(desks: Desks) -> Desks:
    """Both apps, a shopper with a shipped order and two available agents."""
    with desks.web.app_context():
        shopper = factories.customer(first_name="Emma", last_name="Brown", email=SHOPPER,
                                     language="en")
        factories.order(shopper, number="CMD-70412", status="shipped", carrier="Colissimo",
                        tracking_number="6A70412000FR")
        for name, email in (("Marie Dupont", "marie@demo.shop"), ("Paul Martin",
                                                                  "paul@demo.shop")):
            factories.staff(name=name, email=email, availability="available",
                            language="en")
        db.session.remove()
    return desks


def _staff_page(chromium, desks: Desks, email: str, *, live: bool = True) -> Page:
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("dialog", lambda dialog: dialog.accept())
    if not live:
        # A page left stale: its socket is answered by nobody, so nothing updates it.
        page.route_web_socket("**/workspace/ws", lambda socket: None)
    page.add_init_script(PROBE)
    page.goto(f"{desks.staff}/login")
    page.fill("#email", email)
    page.fill("#password", factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{desks.staff}/")
    page.goto(f"{desks.staff}/workspace")
    if live:
        page.wait_for_function("window.__socketOpen === true")
    return page


def _shopper_page(chromium, desks: Desks) -> Page:
    context = chromium.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.add_init_script(PROBE)
    page.goto(f"{desks.shop}/login")
    page.fill("#email", SHOPPER)
    page.fill("#password", factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{desks.shop}/")
    page.goto(f"{desks.shop}/chat")
    page.wait_for_function("window.__socketOpen === true")
    return page


def test_a_shopper_and_an_agent_talk_live_from_handoff_to_rating(chromium, desks, screenshots):
    agent = _staff_page(chromium, desks, "marie@demo.shop")
    agent_page_id = agent.evaluate("window.__pageId")
    expect(agent.locator("#ws-queue")).to_contain_text("Nobody is waiting")
    agent.screenshot(path=screenshots / "1-workspace-empty.png")

    shopper = _shopper_page(chromium, desks)
    shopper_page_id = shopper.evaluate("window.__pageId")
    shopper.click("#talk-to-person")
    expect(shopper.locator("#chat-status")).to_contain_text("next in line")

    # The agent sees the shopper arrive, live, with a count in the tab title.
    row = agent.locator("#ws-queue .ws-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Emma Brown")
    expect(agent).to_have_title("(1) Workspace")
    agent.wait_for_function("window.__wsNotices === 1")
    agent.screenshot(path=screenshots / "2-workspace-queue.png")

    # A colleague whose page stopped updating opens the same conversation meanwhile.
    late = _staff_page(chromium, desks, "paul@demo.shop", live=False)
    late.click("#ws-queue .ws-row-link")
    expect(late.locator("#ws-accept")).to_be_visible()

    agent.click("#ws-queue .ws-accept")
    expect(agent.locator("#ws-head")).to_contain_text("with you")
    expect(agent.locator("#ws-mine .ws-row")).to_have_count(1)
    expect(agent.locator("#ws-queue .ws-row")).to_have_count(0)
    expect(agent.locator("#ws-packet")).to_contain_text("the shopper asked for a person")
    expect(shopper.locator("#chat-status")).to_contain_text("Marie has joined the conversation.")

    late.click("#ws-accept")
    expect(late.locator("#alerts")).to_contain_text(
        "Marie Dupont took this conversation a moment before you")
    expect(late.locator("#ws-head")).to_contain_text("with Marie Dupont")
    late.screenshot(path=screenshots / "3-second-accept-refused.png")

    # The agent types: the shopper sees "Marie is typing…", then the reply, live.
    agent.click("#ws-body")
    agent.keyboard.type("Hello Emma, I am checking your parcel with Colissimo.")
    expect(shopper.locator("#chat-typing")).to_contain_text("Marie is typing")
    agent.keyboard.press("Enter")
    expect(agent.locator("#ws-messages .ws-msg.from-agent")).to_contain_text("Colissimo")
    expect(agent.locator("#ws-body")).to_have_value("")
    expect(shopper.locator("#chat-log .bubble.from-agent")).to_contain_text(
        "I am checking your parcel")

    # A private note stays with the staff.
    agent.fill("#ws-body", "Parcel scanned yesterday in Lyon")
    agent.check("#ws-private")
    agent.press("#ws-body", "Enter")
    expect(agent.locator("#ws-messages .ws-msg.private")).to_contain_text("Lyon")

    # The shopper types and answers: the agent sees both, live.
    shopper.click("#chat-message")
    shopper.keyboard.type("Thank you")
    expect(agent.locator("#ws-typing")).to_contain_text("Emma is typing")
    shopper.keyboard.type(", can it arrive by Friday?")
    shopper.keyboard.press("Enter")
    expect(agent.locator("#ws-messages .ws-msg.from-customer").last).to_contain_text(
        "arrive by Friday")
    agent.fill("#ws-body", "Yes, it is due on Thursday.")
    agent.press("#ws-body", "Enter")
    expect(shopper.locator("#chat-log .bubble.from-agent").last).to_contain_text("Thursday")
    expect(shopper.locator("#chat-log")).not_to_contain_text("Lyon")
    agent.screenshot(path=screenshots / "4-workspace-conversation.png")
    shopper.screenshot(path=screenshots / "5-shopper-with-agent.png", full_page=True)

    # Close: the shopper is asked to rate, rates 5, and the rating is stored.
    agent.click("#ws-close")
    expect(agent.locator("#ws-head")).to_contain_text("closed")
    expect(agent.locator("#ws-mine .ws-row")).to_have_count(0)
    shopper.click("#rate-5")
    expect(shopper.locator("#chat-rating")).to_contain_text("5/5")
    expect(agent.locator("#ws-messages")).to_contain_text("Rated 5/5.")
    agent.screenshot(path=screenshots / "6-workspace-closed.png")

    assert agent.evaluate("window.__pageId") == agent_page_id  # no reload on either side
    assert shopper.evaluate("window.__pageId") == shopper_page_id
    with desks.web.app_context():
        conversation = db.session.query(Conversation).one()
        assert (conversation.status, conversation.rating) == ("closed", 5)
        kinds = {e.kind for e in db.session.query(Event)}
        assert {"handoff.requested", "agent.assigned", "message.sent", "note.added",
                "conversation.closed", "csat.submitted"} <= kinds
        db.session.remove()

    agent.set_viewport_size({"width": 390, "height": 844})
    agent.screenshot(path=screenshots / "7-workspace-phone.png", full_page=True)
    assert agent.evaluate("document.documentElement.scrollWidth") <= 390
