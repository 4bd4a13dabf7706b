"""The shop's rules for orders, in code: what may be done to an order, and until when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from database.models import Order

CANCELLABLE = ("pending", "paid")
ADDRESS_CHANGEABLE = ("pending", "paid", "processing")


@dataclass(frozen=True)
class Policy:
    """The settings the rules depend on."""

    return_window_days: int = 30


def return_deadline(order: Order, policy: Policy) -> datetime | None:
    """Return the last moment a return may be asked for, or None if not delivered."""
    if order.delivered_at is None:
        return None
    return order.delivered_at + timedelta(days=policy.return_window_days)
