"""The local agent's order conversations: status, cancel, return, address, invoice.

Each reply says only what the shop's data, its settings or its knowledge base say: no page,
step or delay that the shop does not have.
"""

from __future__ import annotations

import re
from typing import Any

from automation.agents import AgentReply, Turn
from automation.orders import addresses
from automation.agents.local.speaker import A_RETURN, Speaker
from automation.runtime.i18n import N_
from automation.conversations.turns import QuickReply

STATUS = {
    "pending": (N_("{name}, your order {number} of {placed} ({items}, {total}) is waiting for "
                   "payment. We prepare it as soon as the payment goes through."),),
    "paid": (N_("Good news {name}: your order {number} of {placed} ({items}, {total}) is paid "
                "and queued for preparation.{eta}"),
             N_("{name}, your order {number} ({items}) is paid and will be prepared "
                "shortly.{eta}")),
    "processing": (N_("{name}, your order {number} ({items}) is being prepared in our "
                      "warehouse and will ship very soon.{eta}"),),
    "shipped": (N_("{name}, your order {number} left our warehouse on {shipped} with "
                   "{carrier}, tracking number {tracking}.{eta}"),
                N_("Your order {number} is on its way, {name}! Shipped on {shipped} with "
                   "{carrier} (tracking {tracking}).{eta}")),
    "delivered": (N_("{name}, your order {number} ({items}) was delivered on {delivered} to "
                     "{city}.{returns}"),
                  N_("According to {carrier}, your order {number} was delivered on "
                     "{delivered} in {city}, {name}.{returns}")),
    "cancelled": (N_("{name}, your order {number} of {placed} was cancelled on {cancelled}. "
                     "If you paid, the refund goes back to your original payment method."),),
    "returned": (N_("{name}, your order {number} has been returned: the refund of {total} "
                    "goes back to your original payment method."),),
}
CANCEL_REFUSED = {
    "shipped": N_("I'm sorry {name}, order {number} already left our warehouse on {shipped}, "
                  "so it can no longer be cancelled. Once it arrives you can return it within "
                  "{window} days of delivery."),
    "processing": N_("I'm sorry {name}, order {number} is already being prepared and can no "
                     "longer be cancelled. Once it arrives you can return it within {window} "
                     "days of delivery."),
}
# What the shopper is asked for when part of a new address is missing.
ADDRESS_PARTS = {"line1": N_("the street and number"), "postcode": N_("the postcode"),
                 "city": N_("the city")}
_LATEST = re.compile(r"\b(last|latest|most recent|derni[eè]re?|[uú]ltima|mais recente|"
                     r"recente)\b", re.I)
_WORDS = re.compile(r"[^\W\d_]{4,}")


def _told(speaker: Speaker, *variants: str, resolution: str = "answered",
          **values: Any) -> AgentReply:
    """Return a reply grounded in the shopper's order data (a tool answered it)."""
    return AgentReply(speaker.say(*variants, **values), used_tool=True, personalised=True,
                      resolution=resolution)


NOT_FOUND = (N_("I couldn't find an order {number} on your account, {name}. Could you check the "
                "number? It is in your order confirmation email."),
             N_("{name}, no order {number} shows up on your account. Could you double-check the "
                "number in your order confirmation email?"))


def not_found(speaker: Speaker, number: str) -> AgentReply:
    """Say that the shopper has no such order (the same words if it is someone else's)."""
    return _told(speaker, *NOT_FOUND, resolution="not_found", number=number)


def resolve_order(turn: Turn) -> str | None:
    """Return the order the shopper talks about: named, "the latest", by its item, or the one
    under discussion."""
    numbers = turn.nlu.entities.get("order_numbers") or []
    if numbers:
        return numbers[0]
    if _LATEST.search(turn.message.body):
        latest = turn.toolbox.lookup_order(None)
        return latest.data["order"]["number"] if latest.ok else None
    by_item = orders_by_item(turn)
    if len(by_item) == 1:
        return by_item[0]["number"]
    current = (turn.conversation.context or {}).get("current_order")
    if by_item and current not in {o["number"] for o in by_item}:
        return None  # they name an item of other orders, not of the one discussed
    return current


def orders_by_item(turn: Turn) -> list[dict[str, Any]]:
    """Return the shopper's orders holding an item the message names ("my watch…")."""
    words = _WORDS.findall(turn.message.body)
    skus = list(turn.nlu.entities.get("products") or [])
    if not words and not skus:
        return []
    return turn.toolbox.orders_with_item(words, skus=skus).data["orders"]


def ask_which_order(turn: Turn, speaker: Speaker, intent: str,
                    candidates: list[dict[str, Any]] | None = None) -> AgentReply:
    """List the shopper's recent orders (or the candidates) and remember what they wanted."""
    orders = candidates or turn.toolbox.list_orders(limit=4).data["orders"]
    if not orders:
        return _told(speaker, N_("I can't see any order on your account yet, {name}. If you "
                                 "ordered with another email address, tell me its order "
                                 "number."), resolution="not_found")
    turn.toolbox.remember(awaiting={"what": "order", "intent": intent})
    labels = [f"{o['number']} ({speaker.day(o['placed_at'])}, "
              f"{o.get('item') or speaker.status_word(o['status'])})" for o in orders[:4]]
    buttons = [QuickReply(label=o["number"], value=o["number"]) for o in orders[:4]]
    text = speaker.say(N_("Which order is it about, {name}? Here are your most recent ones: "
                          "{orders}. You can tap one or type its number."),
                       N_("Sure, {name} — which order do you mean? Your latest: {orders}."),
                       orders=", ".join(labels))
    return AgentReply(text, quick_replies=buttons, used_tool=True, personalised=True,
                      resolution="asked")


def status_text(turn: Turn, speaker: Speaker, order: dict[str, Any]) -> str:
    """Say where one of the shopper's orders is, with carrier, tracking and dates."""
    values = speaker.order_values(order)
    eta = order.get("estimated_delivery")
    values["eta"] = speaker.say(N_(" Expected delivery: {date}."),
                                date=speaker.day(eta)) if eta else ""
    values["returns"] = ""
    if order["status"] == "delivered":
        if order.get("return_requested_at"):
            values["returns"] = speaker.say(N_(" Your return request is registered."))
        elif order.get("can_return"):
            values["returns"] = speaker.say(
                N_(" If something isn't right, you can return it until {date}."),
                date=values["deadline"])
    return speaker.say(*STATUS[order["status"]], **values)


def status_reply(turn: Turn, speaker: Speaker, number: str) -> AgentReply:
    """Tell the status of one order, with carrier, tracking and dates."""
    result = turn.toolbox.lookup_order(number)
    if not result.ok:
        return not_found(speaker, number)
    order = result.data["order"]
    buttons = []
    if order.get("can_return"):
        ask = speaker.say(N_("I want to return order {number}"), number=order["number"])
        buttons = [speaker.button(A_RETURN, ask)]
    return AgentReply(status_text(turn, speaker, order), quick_replies=buttons, used_tool=True,
                      personalised=True)


def cancel_reply(turn: Turn, speaker: Speaker, number: str) -> AgentReply:
    """Read back a cancellation (or do it, on the shopper's yes), or explain the refusal."""
    result = turn.toolbox.cancel_order(number)
    if result.code == "not_found":
        return not_found(speaker, number)
    order = result.data["order"]
    values = speaker.order_values(order)
    if result.code == "ok":
        return _told(speaker, N_("Done, {name}: order {number} is cancelled. The refund of "
                                 "{total} goes back to your original payment method."),
                     **values)
    if result.code == "needs_confirmation":
        return AgentReply(speaker.say(
            N_("Just to confirm, {name}: I will cancel order {number} ({items}, {total}), and "
               "what you paid goes back to your original payment method. Shall I go ahead? "
               "(yes / no)"), **values), used_tool=True, personalised=True,
            quick_replies=speaker.yes_no(), resolution="confirming")
    if order["status"] in CANCEL_REFUSED:
        return _told(speaker, CANCEL_REFUSED[order["status"]], **values)
    if order["status"] == "delivered" and order.get("can_return"):
        # Offer the return; the shopper's yes to this very question registers it.
        turn.toolbox.request_return(order["number"], reason=turn.message.body[:300])
        return AgentReply(speaker.say(
            N_("{name}, order {number} was delivered on {delivered}, so it can't be cancelled "
               "any more — but you can return it until {deadline}. Shall I register a return "
               "for it? (yes / no)"), **values), used_tool=True, personalised=True,
            quick_replies=speaker.yes_no(), resolution="confirming")
    return _told(speaker, N_("{name}, order {number} is already {status_word}: there is "
                             "nothing left to cancel."), **values)


def return_reply(turn: Turn, speaker: Speaker, number: str) -> AgentReply:
    """Read a return back (or register it, on the shopper's yes), or explain why not."""
    result = turn.toolbox.request_return(number, reason=turn.message.body[:300])
    if result.code == "not_found":
        return not_found(speaker, number)
    order = result.data["order"]
    values = speaker.order_values(order)
    if result.code == "needs_confirmation":
        return AgentReply(speaker.say(
            N_("Just to confirm, {name}: I will register a return for order {number} "
               "({items}), delivered on {delivered}. Shall I go ahead? (yes / no)"), **values),
            used_tool=True, personalised=True, quick_replies=speaker.yes_no(),
            resolution="confirming")
    if result.code == "ok":
        return _told(speaker,
                     N_("Done, {name}: the return of order {number} is registered (ticket "
                        "{ticket}). A member of our team will send you the return "
                        "instructions, and you can see the request under My orders. Once the "
                        "items are back and checked, the refund goes to your original payment "
                        "method."), ticket=result.data["ticket"]["reference"], **values)
    if result.code == "already_requested":
        return _told(speaker, N_("{name}, a return for order {number} is already registered "
                                 "(on {requested}). The refund follows once the items reach "
                                 "us."), **values)
    if result.code == "outside_window":
        return _told(speaker, N_("I'm sorry {name}, order {number} was delivered on "
                                 "{delivered} and the {window}-day return window closed on "
                                 "{deadline}, so I can't open a return for it. If the item is "
                                 "faulty, tell me what is wrong and I'll pass it to the "
                                 "team."), **values)
    alternative = speaker.say(N_("Since it hasn't shipped, I can cancel it instead if you "
                                 "like.")) if order.get("can_cancel") else \
        speaker.say(N_("Once it's delivered you'll have {window} days to return it."),
                    window=values["window"])
    return _told(speaker, N_("{name}, order {number} is {status_word}, not delivered yet, so "
                             "a return can't be opened. {alternative}"),
                 alternative=alternative, **values)


def address_reply(turn: Turn, speaker: Speaker, number: str,
                  draft: dict[str, str] | None) -> AgentReply:
    """Ask for, complete, read back or apply a new delivery address, or explain the refusal."""
    lookup = turn.toolbox.lookup_order(number)
    if not lookup.ok:
        return not_found(speaker, number)
    order = lookup.data["order"]
    values = speaker.order_values(order)
    if not order["can_change_address"]:
        turn.toolbox.change_address(order["number"], {})  # recorded as refused, for the summary
        if order["status"] == "shipped" and order.get("tracking_number"):
            return _told(speaker, N_("I'm sorry {name}, order {number} already shipped on "
                                     "{shipped} with {carrier}, so its address can't be changed "
                                     "any more. You can ask {carrier} to redirect it with the "
                                     "tracking number {tracking}."), **values)
        return _told(speaker, N_("Unfortunately {name}, order {number} is already "
                                 "{status_word}, so the delivery address can no longer be "
                                 "changed."), **values)
    draft = draft or {}
    missing = addresses.missing_fields(draft)
    if missing:
        turn.toolbox.remember(awaiting={"what": "address", "order": order["number"],
                                        "draft": draft})
        if len(missing) == len(addresses.REQUIRED):
            return _told(speaker, N_("Of course, {name}. What is the new delivery address for "
                                     "order {number}? Please write the street and number, the "
                                     "postcode and the city."), resolution="asked", **values)
        parts = ", ".join(speaker.say(ADDRESS_PARTS[name]) for name in missing)
        return _told(speaker, N_("Thank you, {name}. To finish the new address for order "
                                 "{number} ({address}), I still need {parts}."),
                     resolution="asked", address=_address_line(draft), parts=parts, **values)
    result = turn.toolbox.change_address(order["number"], draft)
    if result.code == "invalid":
        turn.toolbox.remember(awaiting={"what": "address", "order": order["number"],
                                        "draft": {}})
        return _told(speaker, N_("Sorry {name}, I couldn't read that as an address. Please "
                                 "write the street and number, the postcode and the city."),
                     resolution="asked", **values)
    turn.toolbox.forget("awaiting")
    return AgentReply(speaker.say(
        N_("Just to confirm, {name}: order {number} will be delivered to {address} instead of "
           "{old_address}. Shall I make the change? (yes / no)"),
        address=_address_line(result.data["address"]),
        old_address=_address_line(order.get("shipping_address")), **values),
        used_tool=True, personalised=True, quick_replies=speaker.yes_no(),
        resolution="confirming")


def address_done(speaker: Speaker, order: dict[str, Any]) -> AgentReply:
    """Say that the new address is applied."""
    return _told(speaker, N_("Done, {name}: order {number} will now be delivered to "
                             "{address}."),
                 address=_address_line(order["shipping_address"]), number=order["number"])


def modify_reply(turn: Turn, speaker: Speaker, number: str) -> AgentReply:
    """Explain that items can't change, and what can be done instead."""
    lookup = turn.toolbox.lookup_order(number)
    if not lookup.ok:
        return not_found(speaker, number)
    order = lookup.data["order"]
    hint = speaker.say(N_("I can cancel it so you can order again what you need.")) \
        if order["can_cancel"] else \
        speaker.say(N_("once it arrives you can return what you don't want."))
    return _told(speaker, N_("{name}, items can't be changed on an order once it's placed. "
                             "Order {number} is {status_word}; {cancel_hint}"),
                 cancel_hint=hint, **speaker.order_values(order))


def invoice_reply(turn: Turn, speaker: Speaker, number: str) -> AgentReply:
    """Ask the team to send the invoice of an order (a ticket), and say so."""
    lookup = turn.toolbox.lookup_order(number)
    if not lookup.ok:
        return not_found(speaker, number)
    order = lookup.data["order"]
    ticket = turn.toolbox.open_ticket(title=f"{order['number']}: invoice requested",
                                      description=turn.message.body, category="invoice")
    return _told(speaker, N_("{name}, I've asked our team to send you the invoice for order "
                             "{number} at {email} (ticket {ticket})."),
                 email=turn.customer.email, ticket=ticket.data["ticket"]["reference"],
                 **speaker.order_values(order))


def _address_line(address: dict[str, Any] | None) -> str:
    """Write an address on one line."""
    if not address:
        return "—"
    parts = [address.get("line1"), address.get("line2"),
             f"{address.get('postcode', '')} {address.get('city', '')}".strip(),
             address.get("country")]
    return ", ".join(str(p) for p in parts if p)
