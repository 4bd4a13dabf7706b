"""Order tools: look up the shopper's orders, cancel, return, change the address.

Functions here become methods of `Toolbox`; `self` is the toolbox of the turn.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from automation.orders.policy import ADDRESS_CHANGEABLE, CANCELLABLE, return_deadline
from automation.orders.confirmation import is_yes
from automation.agents.results import ToolResult
from database import events
from database.catalog import get_customer_order, list_customer_orders
from database.models import Order

if TYPE_CHECKING:
    from automation.agents.toolbox import Toolbox

PENDING_TTL_S = 30 * 60


def order_view(order: Order, toolbox: Toolbox) -> dict[str, Any]:
    """Return what an agent may know of one of the shopper's orders."""
    deadline = return_deadline(order, toolbox.policy)

    def iso(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "number": order.number, "status": order.status, "placed_at": iso(order.placed_at),
        "items": order.items, "total": f"{order.total:.2f}", "currency": order.currency,
        "carrier": order.carrier, "tracking_number": order.tracking_number,
        "shipped_at": iso(order.shipped_at), "delivered_at": iso(order.delivered_at),
        "estimated_delivery": iso(order.estimated_delivery),
        "shipping_address": order.shipping_address,
        "cancelled_at": iso(order.cancelled_at), "return_requested_at":
            iso(order.return_requested_at), "return_deadline": iso(deadline),
        "can_cancel": order.status in CANCELLABLE,
        "can_change_address": order.status in ADDRESS_CHANGEABLE,
        "can_return": bool(order.status == "delivered" and deadline and toolbox.now <= deadline
                           and order.return_requested_at is None),
    }


def _own_order(self: Toolbox, number: str | None) -> Order | None:
    if not number:
        return None
    return get_customer_order(self.customer.id, str(number).strip().upper())


def _not_found(self: Toolbox, tool: str, number: str | None) -> ToolResult:
    # The same answer whether the order is someone else's or does not exist at all.
    self.note_call(tool, "not_found")
    return ToolResult(False, "not_found", {"order": number})


def lookup_order(self: Toolbox, number: str | None = None) -> ToolResult:
    """Return one of the shopper's orders by number, or their latest when no number is given."""
    if number:
        order = _own_order(self, number)
        if order is None:
            return _not_found(self, "lookup_order", number)
    else:
        latest = list_customer_orders(self.customer.id, limit=1)
        if not latest:
            self.note_call("lookup_order", "no_orders")
            return ToolResult(False, "no_orders")
        order = latest[0]
    self.note_order(order.number)
    self.note_call("lookup_order", "ok", order.number)
    return ToolResult(True, "ok", {"order": order_view(order, self)})


def list_orders(self: Toolbox, limit: int = 5, status: str | None = None) -> ToolResult:
    """Return the shopper's most recent orders."""
    rows = list_customer_orders(self.customer.id, status=status, limit=max(1, min(limit, 20)))
    self.note_call("list_orders", "ok")
    return ToolResult(True, "ok", {"orders": [
        {"number": o.number, "status": o.status, "placed_at": o.placed_at.date().isoformat(),
         "total": f"{o.total:.2f}", "currency": o.currency, "items": len(o.items)}
        for o in rows]})


def _confirmed(self: Toolbox, action: str, number: str) -> dict[str, Any] | None:
    """Return the pending action if this very message is the shopper's yes to it."""
    pending = self.context.get("pending")
    if not pending or pending.get("action") != action or pending.get("order") != number:
        return None
    if pending.get("asked_in", 0) >= self.message.id:
        return None  # asked in this turn: the yes must come from a later message
    if self.now.timestamp() - pending.get("asked_at", 0) > PENDING_TTL_S:
        return None
    return pending if is_yes(self.message.body) else None


def _ask_confirmation(self: Toolbox, action: str, order: Order, tool: str,
                      **extra: Any) -> ToolResult:
    self.remember(pending={"action": action, "order": order.number, "asked_in": self.message.id,
                           "asked_at": self.now.timestamp(), **extra})
    self.note_call(tool, "needs_confirmation", order.number)
    return ToolResult(False, "needs_confirmation", {"order": order_view(order, self), **extra})


def cancel_order(self: Toolbox, number: str, reason: str | None = None) -> ToolResult:
    """Cancel a pending or paid order, once the shopper said yes to the read-back."""
    order = _own_order(self, number)
    if order is None:
        return _not_found(self, "cancel_order", number)
    self.note_order(order.number)
    if order.status not in CANCELLABLE:
        self.note_call("cancel_order", "not_allowed", order.number)
        return ToolResult(False, "not_allowed", {"order": order_view(order, self),
                                                 "rule": "only pending or paid orders"})
    if _confirmed(self, "cancel_order", order.number) is None:
        return _ask_confirmation(self, "cancel_order", order, "cancel_order")
    order.status = "cancelled"
    order.cancelled_at = self.now
    order.cancellation_reason = (reason or "asked by the shopper")[:500]
    self.forget("pending")
    events.record(events.ORDER_CANCELLED, conversation_id=self.conversation.id,
                  customer_id=self.customer.id,
                  payload={"order": order.number, "total": f"{order.total:.2f}",
                           "currency": order.currency})
    self.actions.append({"type": "order.cancelled", "order": order.number})
    self.note_call("cancel_order", "ok", order.number)
    return ToolResult(True, "ok", {"order": order_view(order, self)})


def request_return(self: Toolbox, number: str, reason: str | None = None) -> ToolResult:
    """Register a return for a delivered order inside the window, once the shopper said yes.

    The first call reads the return back (needs_confirmation); the shopper's own later yes
    registers it and opens a ticket, so a person sends the return instructions.
    """
    order = _own_order(self, number)
    if order is None:
        return _not_found(self, "request_return", number)
    self.note_order(order.number)
    view = order_view(order, self)
    if order.return_requested_at is not None:
        self.note_call("request_return", "already_requested", order.number)
        return ToolResult(False, "already_requested", {"order": view})
    if order.status != "delivered":
        self.note_call("request_return", "not_allowed", order.number)
        return ToolResult(False, "not_allowed", {"order": view,
                                                 "rule": "only delivered orders"})
    if not view["can_return"]:
        self.note_call("request_return", "outside_window", order.number)
        return ToolResult(False, "outside_window", {
            "order": view, "return_window_days": self.policy.return_window_days})
    pending = _confirmed(self, "request_return", order.number)
    if pending is None:
        return _ask_confirmation(self, "request_return", order, "request_return",
                                 reason=(reason or "asked by the shopper")[:500])
    order.return_requested_at = self.now
    order.return_reason = pending.get("reason") or "asked by the shopper"
    self.forget("pending")
    events.record(events.ORDER_RETURN_REQUESTED, conversation_id=self.conversation.id,
                  customer_id=self.customer.id, payload={"order": order.number,
                                                         "reason": order.return_reason})
    self.actions.append({"type": "order.return_requested", "order": order.number})
    # A person sends the return instructions: the ticket is how they know to.
    ticket = self.open_ticket(title=f"{order.number}: return requested",
                              description=order.return_reason, category="return_refund")
    self.note_call("request_return", "ok", order.number)
    return ToolResult(True, "ok", {"order": order_view(order, self), **ticket.data})


def orders_with_item(self: Toolbox, words: list[str], skus: list[str] | None = None,
                     limit: int = 20) -> ToolResult:
    """Return the shopper's recent orders holding an item named by `words` or `skus`."""
    wanted = {_stem(w) for w in words if len(w) >= 4} - _GENERIC
    skus = {s.upper() for s in skus or []}
    found = []
    for order in list_customer_orders(self.customer.id, limit=max(1, min(limit, 50))):
        for item in order.items or []:
            tokens = {_stem(t) for t in re.findall(r"[^\W\d_]{4,}", _fold(item.get("name", "")))}
            if str(item.get("sku", "")).upper() in skus or wanted & tokens:
                found.append({"number": order.number, "status": order.status,
                              "placed_at": order.placed_at.date().isoformat(),
                              "item": item.get("name")})
                break
    self.note_call("orders_with_item", "ok" if found else "no_match")
    return ToolResult(bool(found), "ok" if found else "no_match", {"orders": found})


# Words of item names too common to tell one order from another.
_GENERIC = {"pack", "size", "color", "colour", "item", "items", "order", "article", "produit",
            "product", "produto", "black", "white", "noir", "blanc", "preto", "branco"}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _stem(word: str) -> str:
    word = _fold(word)
    return word[:-1] if len(word) > 4 and word.endswith("s") else word


def change_address(self: Toolbox, number: str, address: dict[str, Any]) -> ToolResult:
    """Change the delivery address of an order not yet shipped, once the shopper said yes."""
    order = _own_order(self, number)
    if order is None:
        return _not_found(self, "change_address", number)
    self.note_order(order.number)
    if order.status not in ADDRESS_CHANGEABLE:
        self.note_call("change_address", "not_allowed", order.number)
        return ToolResult(False, "not_allowed", {"order": order_view(order, self),
                                                 "rule": "only before the order ships"})
    pending = _confirmed(self, "change_address", order.number)
    if pending is None:
        clean = _clean_address(address, order)
        if clean is None:
            self.note_call("change_address", "invalid", order.number)
            return ToolResult(False, "invalid", {"needed": ["line1", "postcode", "city"]})
        return _ask_confirmation(self, "change_address", order, "change_address",
                                 address=clean)
    # What was read back is what is applied, whatever the arguments of this call say.
    order.shipping_address = pending["address"]
    order.address_changed_at = self.now
    self.forget("pending")
    events.record(events.ORDER_ADDRESS_CHANGED, conversation_id=self.conversation.id,
                  customer_id=self.customer.id,
                  payload={"order": order.number, "address": pending["address"]})
    self.actions.append({"type": "order.address_changed", "order": order.number})
    self.note_call("change_address", "ok", order.number)
    return ToolResult(True, "ok", {"order": order_view(order, self)})


def _clean_address(address: dict[str, Any] | None, order: Order) -> dict[str, str] | None:
    if not isinstance(address, dict):
        return None
    fields = {key: str(address.get(key) or "").strip()[:200]
              for key in ("name", "line1", "line2", "postcode", "city", "country")}
    if not (fields["line1"] and fields["postcode"] and fields["city"]):
        return None
    previous = order.shipping_address or {}
    fields["name"] = fields["name"] or previous.get("name", "")
    fields["country"] = (fields["country"] or previous.get("country", "")).upper()[:2]
    return {key: value for key, value in fields.items() if value}
