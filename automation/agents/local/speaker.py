"""The local agent's voice for one turn: the language, the shopper's name, varied wording."""

from __future__ import annotations

from typing import Any

from automation.agents import Turn
from automation.agents.local import formatting as fmt
from automation.agents.local.phrases import say, word
from automation.turns import QuickReply


class Speaker:
    """Writes phrases in the turn's language, addressing the shopper by first name."""

    def __init__(self, turn: Turn) -> None:
        self.turn = turn
        self.language = turn.language
        self.name = turn.customer.first_name
        # Varies the wording from turn to turn, yet the same turn always reads the same.
        self.seed = turn.conversation.id + (turn.message.id or 0)

    def say(self, key: str, **values: Any) -> str:
        return say(key, self.language, seed=self.seed, name=self.name, **values)

    def word(self, table: str, value: str) -> str:
        return word(table, self.language, value)

    def button(self, key: str, value: str | None = None) -> QuickReply:
        label = say(key, self.language)
        return QuickReply(label=label, value=value or label)

    def order_values(self, order: dict[str, Any]) -> dict[str, Any]:
        """Return the placeholders an order's phrases use, written for this language."""
        lang = self.language
        address = order.get("shipping_address") or {}
        return {
            "number": order["number"],
            "placed": fmt.day(order.get("placed_at"), lang),
            "items": fmt.items_summary(order.get("items") or [], lang),
            "total": fmt.money(order["total"], order.get("currency", "EUR"), lang),
            "carrier": order.get("carrier") or "—",
            "tracking": order.get("tracking_number") or "—",
            "shipped": fmt.day(order.get("shipped_at"), lang),
            "delivered": fmt.day(order.get("delivered_at"), lang),
            "cancelled": fmt.day(order.get("cancelled_at"), lang),
            "requested": fmt.day(order.get("return_requested_at"), lang),
            "deadline": fmt.day(order.get("return_deadline"), lang),
            "city": address.get("city") or "—",
            "window": self.turn.settings.return_window_days,
            "status_word": self.word("status_word", order["status"]),
        }
