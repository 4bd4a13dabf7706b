"""The local agent's voice for one turn: the language, the shopper's name, varied wording.

Every sentence is written in English where it is said and translated from the desk's one
catalogue (`automation.runtime.i18n`); dates and money are written by Babel in the shopper's locale.
"""

from __future__ import annotations

from typing import Any

from automation.runtime import i18n
from automation.agents import Turn
from automation.runtime.i18n import N_, NP_
from automation.conversations.turns import QuickReply

STATUS_WORDS = {
    "pending": N_("awaiting payment"), "paid": N_("paid"), "processing": N_("being prepared"),
    "shipped": N_("shipped"), "delivered": N_("delivered"), "cancelled": N_("cancelled"),
    "returned": N_("returned"),
}
OTHER_ITEMS = NP_("{first} and {count} other item", "{first} and {count} other items")
YES, NO = N_("Yes"), N_("No")
MY_ORDERS, A_PERSON, A_RETURN = N_("My orders"), N_("Talk to a person"), N_("Return an item")


class Speaker:
    """Writes phrases in the turn's language, addressing the shopper by first name."""

    def __init__(self, turn: Turn) -> None:
        self.turn = turn
        self.language = turn.language
        self.name = turn.customer.first_name
        # Varies the wording from turn to turn, yet the same turn always reads the same.
        self.seed = turn.conversation.id + (turn.message.id or 0)

    def say(self, *variants: str, **values: Any) -> str:
        """Say one of `variants` (English msgids), translated, with `values` filled."""
        msgid = variants[self.seed % len(variants)]
        return i18n.text(self.language, msgid, name=self.name, **values)

    def plural(self, forms: tuple[str, str], count: int, **values: Any) -> str:
        """Say the singular or plural form for `count`, translated."""
        return i18n.plural(self.language, forms, count, name=self.name, **values)

    def button(self, label: str, value: str | None = None) -> QuickReply:
        """Return a quick reply whose label (and, by default, value) is `label` translated."""
        said = i18n.text(self.language, label)
        return QuickReply(label=said, value=value or said)

    def yes_no(self) -> list[QuickReply]:
        """Return the Yes and No buttons of a read-back."""
        return [self.button(YES), self.button(NO)]

    def status_word(self, status: str) -> str:
        """Return an order status as a word of this language ("shipped", "expédiée"…)."""
        return i18n.text(self.language, STATUS_WORDS.get(status, status))

    def day(self, value: Any) -> str:
        return i18n.day(value, self.language)

    def money(self, amount: Any, currency: str) -> str:
        return i18n.money(amount, currency, self.language)

    def items(self, items: list[dict[str, Any]]) -> str:
        """Describe the line items briefly: the first one, and how many others."""
        if not items:
            return "—"
        first = items[0]
        label = f"{first.get('name', first.get('sku', '?'))} ×{first.get('quantity', 1)}"
        if len(items) == 1:
            return label
        return self.plural(OTHER_ITEMS, len(items) - 1, first=label)

    def order_values(self, order: dict[str, Any]) -> dict[str, Any]:
        """Return the placeholders an order's phrases use, written for this language."""
        address = order.get("shipping_address") or {}
        return {
            "number": order["number"],
            "placed": self.day(order.get("placed_at")),
            "items": self.items(order.get("items") or []),
            "total": self.money(order["total"], order.get("currency", "EUR")),
            "carrier": order.get("carrier") or "—",
            "tracking": order.get("tracking_number") or "—",
            "shipped": self.day(order.get("shipped_at")),
            "delivered": self.day(order.get("delivered_at")),
            "cancelled": self.day(order.get("cancelled_at")),
            "requested": self.day(order.get("return_requested_at")),
            "deadline": self.day(order.get("return_deadline")),
            "city": address.get("city") or "—",
            "window": self.turn.settings.return_window_days,
            "status_word": self.status_word(order["status"]),
        }
