"""Eighteen months of orders, with dates relative to `today` so the shop looks alive.

Each order is built backwards from its last event (delivered three days ago, shipped yesterday…),
so its timestamps always agree with its status and nothing happens after the seed's `now`.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from database.demo.people import Shopper, gift_address
from database.demo.shipping import Carrier, pick_carrier, transit_range
from database.demo.timeline import add_business_days, daytime, moment_between
from database.models import Order, Product

MIN_ORDERS = 1050
HISTORY_DAYS = 540
STATUS_WEIGHTS = {"pending": 2, "paid": 2, "processing": 3, "shipped": 5, "delivered": 70,
                  "cancelled": 8, "returned": 10}
# How many orders a shopper has placed: most a few, some loyal ones many.
ORDERS_PER_SHOPPER = {1: 9, 2: 12, 3: 13, 4: 13, 5: 12, 6: 10, 7: 9, 8: 7, 9: 5, 10: 4, 12: 3,
                      15: 2}
GIFT_SHARE = 0.05
CANCELLATION_REASONS = ("Changed my mind", "Ordered the wrong size", "Found it cheaper elsewhere",
                        "Delivery would take too long", "Duplicate order",
                        "Wanted to change the payment method")
MULTIBANCO_EXPIRED = "Multibanco reference not paid within 72 hours"
RETURN_REASONS = ("Too small", "Too big", "Not as expected", "Arrived damaged",
                  "Colour different from the photo", "Changed my mind", "Wrong item received",
                  "Poor quality")
FIRST_NUMBER = (30_000, 36_000)
NUMBER_GAP = (5, 38)  # guests and other shops' orders take the numbers in between


def make_orders(rng: random.Random, shoppers: list[Shopper], products: list[Product], *,
                now: datetime) -> list[Order]:
    """Build every shopper's orders, then number them in the order they were placed."""
    orders: list[Order] = []
    personas = 0
    for shopper in shoppers:
        if shopper.persona:
            plan = _persona_plan(rng, second=personas % 2 == 1, portuguese=shopper.country in
                                 {"PT", "BR"})
            personas += 1
        else:
            count = rng.choices(list(ORDERS_PER_SHOPPER), list(ORDERS_PER_SHOPPER.values()))[0]
            plan = [(_random_status(rng), {}) for _ in range(count)]
        orders += [_order(rng, shopper, products, now, status, **options)
                   for status, options in plan]
    regulars = [shopper for shopper in shoppers if not shopper.persona]
    while len(orders) < MIN_ORDERS:
        orders.append(_order(rng, rng.choice(regulars), products, now, _random_status(rng)))
    orders.sort(key=lambda order: order.placed_at)
    number = rng.randint(*FIRST_NUMBER)
    for order in orders:
        order.number = f"CMD-{number}"
        number += rng.randint(*NUMBER_GAP)
    if number > 99_999:
        raise RuntimeError("too many demo orders for five-digit order numbers")
    _backdate_signups(rng, shoppers, orders, now)
    return orders


def _persona_plan(rng: random.Random, *, second: bool,
                  portuguese: bool) -> list[tuple[str, dict[str, Any]]]:
    """Return the mix every demo login needs to try each flow: cancel, track, return…"""
    plan: list[tuple[str, dict[str, Any]]] = [
        ("paid", {}), ("processing", {}), ("shipped", {"lateness": "on_time"}),
        ("delivered", {"days_ago": rng.randint(2, 9)}),     # inside the 30-day return window
        ("delivered", {"days_ago": rng.randint(12, 25)}),
        ("delivered", {"days_ago": rng.randint(60, 200)}),  # outside it
        ("cancelled", {}), ("returned", {})]
    if portuguese:
        plan.append(("pending", {}))  # an unpaid Multibanco reference
    if second:
        plan.append(("shipped", {"lateness": "late"}))  # "where is my parcel?"
    plan += [(_random_status(rng), {}) for _ in range(rng.randint(0, 3))]
    return plan


def _random_status(rng: random.Random) -> str:
    return rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]


def _order(rng: random.Random, shopper: Shopper, products: list[Product], now: datetime,
           status: str, *, days_ago: int | None = None, lateness: str = "any") -> Order:
    address = gift_address(rng, shopper) if rng.random() < GIFT_SHARE else dict(shopper.home)
    carrier = pick_carrier(rng, shopper.country)
    items, total = _basket(rng, products)
    order = Order(customer=shopper.customer, status=status, items=items, total=total,
                  currency="EUR", carrier=carrier.name, shipping_address=address)
    transit = transit_range(carrier, address)
    if status in {"pending", "paid", "processing"}:
        _unshipped(rng, order, now, transit)
    elif status == "shipped":
        _in_transit(rng, order, now, carrier, transit, lateness)
    elif status in {"delivered", "returned"}:
        _delivered(rng, order, now, carrier, transit, days_ago)
    else:
        _cancelled(rng, order, now, shopper)
    order.created_at = order.placed_at
    order.updated_at = max(moment for moment in (order.placed_at, order.shipped_at,
                                                 order.delivered_at, order.cancelled_at,
                                                 order.return_requested_at) if moment)
    return order


def _basket(rng: random.Random, products: list[Product]) -> tuple[list[dict[str, Any]], Decimal]:
    lines = rng.choices((1, 2, 3, 4), (50, 30, 14, 6))[0]
    items = [{"sku": product.sku, "name": product.name,
              "quantity": rng.choices((1, 2, 3), (85, 12, 3))[0],
              "unit_price": f"{product.price:.2f}"}  # JSON holds no Decimal
             for product in rng.sample(products, lines)]
    total = sum((Decimal(item["unit_price"]) * item["quantity"] for item in items), Decimal("0"))
    return items, total.quantize(Decimal("0.01"))


def _unshipped(rng: random.Random, order: Order, now: datetime,
               transit: tuple[int, int]) -> None:
    # Pending waits for payment (a Multibanco reference lives 72 h); paid is only hours old.
    oldest = {"pending": timedelta(hours=70), "paid": timedelta(hours=20),
              "processing": timedelta(hours=44)}[order.status]
    order.placed_at = moment_between(rng, now - oldest, now - timedelta(minutes=10))
    if order.status != "pending":
        order.estimated_delivery = add_business_days(_dispatch_day(order.placed_at), transit[1])


def _in_transit(rng: random.Random, order: Order, now: datetime, carrier: Carrier,
                transit: tuple[int, int], lateness: str) -> None:
    longest = transit[1]
    back = {"on_time": rng.randint(1, max(1, longest - 1)),
            "late": longest + rng.randint(3, 6),
            "any": rng.randint(1, longest + 2)}[lateness]
    shipped_day = add_business_days(now.date(), -back)
    order.shipped_at = daytime(rng, shipped_day, earliest=13, latest=18)
    order.placed_at = _placed_before(rng, order.shipped_at)
    order.tracking_number = carrier.tracking(rng)
    order.estimated_delivery = add_business_days(shipped_day, longest)


def _delivered(rng: random.Random, order: Order, now: datetime, carrier: Carrier,
               transit: tuple[int, int], days_ago: int | None) -> None:
    if days_ago is None:  # a third of the history is recent: returns and reviews happen there
        days_ago = rng.randint(1, 45) if rng.random() < 0.3 else rng.randint(45, HISTORY_DAYS)
    delivered_day = now.date() - timedelta(days=days_ago)
    if delivered_day.weekday() == 6:  # no deliveries on Sundays
        delivered_day -= timedelta(days=1)
    days = rng.randint(*transit) if rng.random() < 0.94 else transit[1] + rng.randint(1, 3)
    shipped_day = add_business_days(delivered_day, -days)
    order.delivered_at = daytime(rng, delivered_day, earliest=8, latest=19)
    order.shipped_at = daytime(rng, shipped_day, earliest=13, latest=18)
    order.placed_at = _placed_before(rng, order.shipped_at)
    order.tracking_number = carrier.tracking(rng)
    order.estimated_delivery = add_business_days(shipped_day, transit[1])
    if order.status == "returned":
        latest = min(order.delivered_at + timedelta(days=29), now - timedelta(minutes=30))
        order.return_requested_at = moment_between(rng, order.delivered_at + timedelta(hours=3),
                                                   latest)
        order.return_reason = rng.choice(RETURN_REASONS)


def _cancelled(rng: random.Random, order: Order, now: datetime, shopper: Shopper) -> None:
    order.placed_at = moment_between(rng, now - timedelta(days=HISTORY_DAYS),
                                     now - timedelta(hours=2))
    expired = order.placed_at + timedelta(hours=72)
    if shopper.country == "PT" and rng.random() < 0.3 and expired < now:
        order.cancelled_at, order.cancellation_reason = expired, MULTIBANCO_EXPIRED
        return
    latest = min(order.placed_at + timedelta(hours=20), now - timedelta(minutes=5))
    order.cancelled_at = moment_between(rng, order.placed_at + timedelta(minutes=10), latest)
    order.cancellation_reason = rng.choice(CANCELLATION_REASONS)


def _dispatch_day(placed_at: datetime) -> date:
    """Return the day an order leaves the warehouse: same day before 1 pm Paris, else next."""
    day = placed_at.date() + timedelta(days=1 if placed_at.hour >= 11 else 0)
    return add_business_days(day, 1) if day.weekday() >= 5 else day


def _placed_before(rng: random.Random, shipped_at: datetime) -> datetime:
    # Orders leave the business day after they are placed at the latest: over a weekend, longer.
    hours = 70 if shipped_at.weekday() == 0 else 26
    return moment_between(rng, shipped_at - timedelta(hours=hours),
                          shipped_at - timedelta(hours=3))


def _backdate_signups(rng: random.Random, shoppers: list[Shopper], orders: list[Order],
                      now: datetime) -> None:
    """Date each account before its first order, and its last change between then and now."""
    first_order: dict[int, datetime] = {}
    for order in orders:  # sorted by placed_at: the first seen is the first placed
        first_order.setdefault(id(order.customer), order.placed_at)
    for shopper in shoppers:
        customer = shopper.customer
        first = first_order[id(customer)]
        customer.created_at = moment_between(rng, first - timedelta(days=400),
                                             first - timedelta(hours=1))
        customer.updated_at = moment_between(rng, customer.created_at, now)
