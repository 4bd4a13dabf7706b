"""How much one shopper may chat: one budget for the form and the socket together."""

from __future__ import annotations

from flask import current_app
from limits import parse

from web_app.extensions import limiter


def allow_message(customer_id: int) -> bool:
    """Count one chat message of this shopper; False when they are over the limit."""
    if not limiter.enabled:
        return True
    item = parse(current_app.extensions["settings"].get("chat_rate_limit"))
    return limiter.limiter.hit(item, "chat-message", f"shopper:{customer_id}")
