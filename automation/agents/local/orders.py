"""The local agent's order conversations: status, cancel, return, address, invoice."""

from __future__ import annotations

from typing import Any

from automation.agents import AgentReply, Turn
from automation.agents.local import formatting as fmt
from automation.agents.local.speaker import Speaker
from automation.turns import QuickReply

ORDER_INTENTS = ("order_status", "cancel_order", "modify_order", "return_refund",
                 "delivery_info", "invoice")


def _told(speaker: Speaker, key: str, **values: Any) -> AgentReply:
    """Return a reply grounded in the shopper's order data (a tool answered it)."""
    return AgentReply(speaker.say(key, **values), used_tool=True, personalised=True)


def wants_latest(text: str) -> bool:
    """Tell whether the shopper means their latest order ("my last order", "ma dernière")."""
    lowered = text.lower()
    return any(w in lowered for w in ("last order", "latest order", "most recent", "dernière",
                                      "derniere", "última", "ultima", "recente"))


def resolve_order(turn: Turn) -> str | None:
    """Return the order the shopper talks about: named, "the latest", or the one discussed."""
    numbers = turn.nlu.entities.get("order_numbers") or []
    if numbers:
        return numbers[0]
    if wants_latest(turn.message.body):
        latest = turn.toolbox.lookup_order(None)
        return latest.data["order"]["number"] if latest.ok else None
    return (turn.conversation.context or {}).get("current_order")


def ask_which_order(turn: Turn, speaker: Speaker, intent: str) -> AgentReply:
    """List the shopper's recent orders to choose from, and remember what they wanted."""
    listing = turn.toolbox.list_orders(limit=4)
    orders = listing.data["orders"]
    if not orders:
        return _told(speaker, "no_orders")
    turn.toolbox.remember(awaiting={"what": "order", "intent": intent})
    labels = [f"{o['number']} ({fmt.day(o['placed_at'], speaker.language)}, "
              f"{speaker.word('status_word', o['status'])})" for o in orders]
    buttons = [QuickReply(label=o["number"], value=o["number"]) for o in orders]
    return AgentReply(speaker.say("ask_order", orders=", ".join(labels)),
                      quick_replies=buttons, used_tool=True, personalised=True)


def status_reply(turn: Turn, speaker: Speaker, number: str) -> AgentReply:
    """Tell the status of one order, with carrier, tracking and dates."""
    result = turn.toolbox.lookup_order(number)
    if not result.ok:
        return _told(speaker, "order_not_found", number=number)
    order = result.data["order"]
    values = speaker.order_values(order)
    eta = order.get("estimated_delivery")
    values["eta"] = speaker.say("eta", date=fmt.day(eta, speaker.language)) if eta else ""
    values["returns"] = ""
    if order["status"] == "delivered":
        if order.get("return_requested_at"):
            values["returns"] = speaker.say("returns_requested")
        elif order.get("can_return"):
            values["returns"] = speaker.say("returns_open", date=values["deadline"])
    text = speaker.say(f"status_{order['status']}", **values)
    buttons = []
    if order.get("can_return"):
        buttons = [speaker.button("qr_return", _return_ask(speaker.language, order["number"]))]
    return AgentReply(text, quick_replies=buttons, used_tool=True, personalised=True)


def _return_ask(language: str, number: str) -> str:
    return {"fr": f"Je veux retourner la commande {number}",
            "pt": f"Quero devolver a encomenda {number}"}.get(
        language, f"I want to return order {number}")


def cancel_reply(turn: Turn, speaker: Speaker, number: str) -> AgentReply:
    """Read back a cancellation (or do it, on the shopper's yes), or explain the refusal."""
    result = turn.toolbox.cancel_order(number)
    return _cancel_outcome(turn, speaker, number, result)


def _cancel_outcome(turn: Turn, speaker: Speaker, number: str, result: Any) -> AgentReply:
    if result.code == "not_found":
        return _told(speaker, "order_not_found", number=number)
    order = result.data["order"]
    values = speaker.order_values(order)
    if result.code == "ok":
        return _told(speaker, "cancel_done", **values)
    if result.code == "needs_confirmation":
        return AgentReply(speaker.say("cancel_readback", **values), used_tool=True,
                          personalised=True, quick_replies=[
                              speaker.button("qr_yes"), speaker.button("qr_no")])
    key = {"shipped": "cancel_refused_shipped", "processing": "cancel_refused_processing",
           "delivered": "cancel_refused_delivered"}.get(order["status"],
                                                        "cancel_refused_closed")
    return _told(speaker, key, **values)


def return_reply(turn: Turn, speaker: Speaker, number: str) -> AgentReply:
    """Open a return inside the window, or explain why not."""
    result = turn.toolbox.request_return(number, reason=turn.message.body[:300])
    if result.code == "not_found":
        return _told(speaker, "order_not_found", number=number)
    order = result.data["order"]
    values = speaker.order_values(order)
    if result.code == "ok":
        return _told(speaker, "return_done", **values)
    if result.code == "already_requested":
        return _told(speaker, "return_already", **values)
    if result.code == "outside_window":
        return _told(speaker, "return_outside_window", **values)
    alternative = speaker.say("alt_cancel") if order.get("can_cancel") else \
        speaker.say("alt_wait", window=values["window"])
    return _told(speaker, "return_not_delivered", alternative=alternative, **values)


def address_reply(turn: Turn, speaker: Speaker, number: str,
                  address: dict[str, str] | None) -> AgentReply:
    """Ask for, read back or apply a new delivery address, or explain why it can't change."""
    lookup = turn.toolbox.lookup_order(number)
    if not lookup.ok:
        return _told(speaker, "order_not_found", number=number)
    order = lookup.data["order"]
    values = speaker.order_values(order)
    if not order["can_change_address"]:
        turn.toolbox.change_address(number, {})  # recorded as refused, for the summary
        variant = 0 if order["status"] == "shipped" and order.get("tracking_number") else 1
        text = speaker.say("address_refused", **values) if variant == 0 else \
            _second_variant(speaker, "address_refused", **values)
        return AgentReply(text, used_tool=True, personalised=True)
    if address is None:
        turn.toolbox.remember(awaiting={"what": "address", "order": number})
        return _told(speaker, "address_ask", **values)
    result = turn.toolbox.change_address(number, address)
    if result.code == "invalid":
        turn.toolbox.remember(awaiting={"what": "address", "order": number})
        return AgentReply(speaker.say("address_unparsed"), clarifying=True, personalised=True)
    turn.toolbox.forget("awaiting")
    return AgentReply(speaker.say(
        "address_readback", address=fmt.address_line(result.data["address"]),
        old_address=fmt.address_line(order.get("shipping_address")), **values),
        used_tool=True, personalised=True,
        quick_replies=[speaker.button("qr_yes"), speaker.button("qr_no")])


def _second_variant(speaker: Speaker, key: str, **values: Any) -> str:
    from automation.agents.local.phrases import TABLES

    variants = TABLES.get(speaker.language, TABLES["en"])[key]
    return variants[min(1, len(variants) - 1)].format(name=speaker.name, **values)


def modify_reply(turn: Turn, speaker: Speaker, number: str) -> AgentReply:
    """Explain that items can't change, and what can be done instead."""
    lookup = turn.toolbox.lookup_order(number)
    if not lookup.ok:
        return _told(speaker, "order_not_found", number=number)
    order = lookup.data["order"]
    hint = speaker.say("modify_cancel_hint") if order["can_cancel"] else \
        speaker.say("modify_no_cancel_hint")
    return _told(speaker, "modify_items", cancel_hint=hint, **speaker.order_values(order))


def invoice_reply(turn: Turn, speaker: Speaker, number: str) -> AgentReply:
    """Tell where the invoice of an order is."""
    lookup = turn.toolbox.lookup_order(number)
    if not lookup.ok:
        return _told(speaker, "order_not_found", number=number)
    return _told(speaker, "invoice", email=turn.customer.email,
                 **speaker.order_values(lookup.data["order"]))
