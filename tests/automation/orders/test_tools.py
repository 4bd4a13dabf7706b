"""The tools enforce the shop's policy whatever an agent asks (the Claude agent relies on it)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from automation.orders.policy import Policy
from automation.tickets.policy import is_urgent, ticket_priority
from automation.agents.toolbox import Toolbox
from database import db
from database.conversations import add_message, create_conversation
from database.models import Order


def _toolbox(shopper, text: str, conversation=None) -> Toolbox:
    conversation = conversation or create_conversation(customer_id=shopper.id, channel="api",
                                                       context={})
    db.session.flush()
    message = add_message(conversation_id=conversation.id, channel="api", direction="in",
                          sender="customer", body=text)
    db.session.flush()
    return Toolbox(customer=shopper, conversation=conversation, message=message,
                   policy=Policy(return_window_days=30), now=datetime.now(UTC))


def test_cancel_needs_a_yes_in_a_later_message(shop):
    shopper, number = shop.shoppers["en"], shop.orders["en"]["pending"]
    first = _toolbox(shopper, f"cancel {number}")
    assert first.cancel_order(number).code == "needs_confirmation"
    # The same message cannot confirm its own read-back, even if the agent calls again.
    assert first.cancel_order(number).code == "needs_confirmation"
    second = _toolbox(shopper, "yes", first.conversation)
    assert second.cancel_order(number).code == "ok"
    assert db.session.query(Order.status).filter_by(number=number).scalar() == "cancelled"


def test_a_later_message_that_is_not_a_yes_confirms_nothing(shop):
    shopper, number = shop.shoppers["en"], shop.orders["en"]["pending"]
    first = _toolbox(shopper, f"cancel {number}")
    first.cancel_order(number)
    second = _toolbox(shopper, "yes cancel order CMD-20001 too please", first.conversation)
    assert second.cancel_order(number).code == "needs_confirmation"


def test_a_yes_for_one_order_does_not_cancel_another(shop):
    shopper = shop.shoppers["en"]
    first = _toolbox(shopper, "cancel")
    first.cancel_order(shop.orders["en"]["pending"])
    second = _toolbox(shopper, "yes", first.conversation)
    other = second.cancel_order(shop.orders["en"]["shipped"])
    assert other.code == "not_allowed"


@pytest.mark.parametrize("tool", ["lookup_order", "cancel_order", "request_return"])
def test_another_shoppers_order_is_not_found(shop, tool):
    toolbox = _toolbox(shop.shoppers["en"], "…")
    result = getattr(toolbox, tool)(shop.stranger_order)
    assert (result.ok, result.code, result.data) == (False, "not_found",
                                                     {"order": shop.stranger_order})


def test_address_confirmation_applies_what_was_read_back(shop):
    shopper, number = shop.shoppers["fr"], shop.orders["fr"]["pending"]
    first = _toolbox(shopper, "nouvelle adresse")
    asked = first.change_address(number, {"line1": "15 rue Victor Hugo", "postcode": "69003",
                                          "city": "Lyon"})
    assert asked.code == "needs_confirmation"
    second = _toolbox(shopper, "oui", first.conversation)
    done = second.change_address(number, {"line1": "1 rue Pirate", "postcode": "66666",
                                          "city": "Ailleurs"})
    assert done.code == "ok"
    stored = db.session.query(Order).filter_by(number=number).one().shipping_address
    assert stored["line1"] == "15 rue Victor Hugo" and stored["city"] == "Lyon"


def test_return_rules(shop):
    toolbox = _toolbox(shop.shoppers["pt"], "devolver")
    orders = shop.orders["pt"]
    assert toolbox.request_return(orders["old"]).code == "outside_window"
    assert toolbox.request_return(orders["shipped"]).code == "not_allowed"
    assert toolbox.request_return(orders["recent"]).code == "needs_confirmation"
    # Only the shopper's own later yes registers it, with a ticket for the instructions.
    assert toolbox.request_return(orders["recent"]).code == "needs_confirmation"
    confirmed = _toolbox(shop.shoppers["pt"], "sim", toolbox.conversation)
    result = confirmed.request_return(orders["recent"])
    assert result.code == "ok" and result.data["ticket"]["category"] == "return_refund"
    assert confirmed.request_return(orders["recent"]).code == "already_requested"


def test_ticket_priority_cannot_be_lowered_by_the_agent(shop):
    toolbox = _toolbox(shop.shoppers["en"], "I will file a chargeback with my bank")
    result = toolbox.open_ticket(title="Refund", category="payment", priority="low")
    assert result.data["ticket"]["priority"] == "urgent"
    again = toolbox.open_ticket(title="Refund again", category="payment")
    assert again.code == "exists"


@pytest.mark.parametrize("text, urgent", [
    ("I'll contact my lawyer", True), ("je vais voir un avocat", True),
    ("vou fazer queixa no tribunal", True), ("the charger caught fire", True),
    ("mon enfant s'est blessé avec le jouet", True), ("where is my parcel", False),
    ("I'm disappointed with the colour", False)])
def test_urgent_words_in_three_languages(text, urgent):
    assert is_urgent(text) is urgent


def test_priority_rules():
    assert ticket_priority("late", intent="complaint", frustrated=True, sentiment=-0.6) == "high"
    assert ticket_priority("late", intent="complaint", frustrated=False,
                           sentiment=0.0) == "normal"
    assert ticket_priority("nice shop", intent="feedback", frustrated=False,
                           sentiment=0.5) == "low"
