"""Real shoppers and their real orders, read from the desk's database (read only).

Messages are filled from these facts, so the desk is asked about orders that exist, by the
shoppers who own them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot_simulation.config import sqlalchemy_url
from database.models import Customer, Order, Product


@dataclass(frozen=True)
class OrderFacts:
    """What a shopper knows about one of their orders."""

    number: str
    status: str
    placed_on: date
    items: tuple[str, ...]
    total: Decimal
    currency: str = "EUR"
    carrier: str | None = None
    tracking_number: str | None = None
    estimated_delivery: date | None = None
    city: str | None = None


@dataclass(frozen=True)
class Shopper:
    """A registered shopper the simulator plays."""

    id: int
    email: str
    first_name: str
    last_name: str
    language: str
    phone: str | None = None
    can_log_in: bool = False
    orders: tuple[OrderFacts, ...] = ()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def order_numbers(self) -> frozenset[str]:
        return frozenset(order.number for order in self.orders)

    def channels(self) -> tuple[str, ...]:
        """Return the channels this shopper can write on."""
        found = ["api", "email"]
        if self.can_log_in:
            found.append("web")
        if self.phone:
            found.append("whatsapp")
        return tuple(found)


def load_shoppers(database_url: str, *, limit: int | None = None) -> list[Shopper]:
    """Return active shoppers with their orders (newest first), fewest ids first."""
    engine = create_engine(sqlalchemy_url(database_url))
    try:
        with Session(engine) as session:
            query = select(Customer).where(Customer.status == "active").order_by(Customer.id)
            if limit:
                query = query.limit(limit)
            customers = list(session.scalars(query))
            ids = [c.id for c in customers]
            orders: dict[int, list[OrderFacts]] = defaultdict(list)
            for start in range(0, len(ids), 500):
                rows = session.scalars(
                    select(Order).where(Order.customer_id.in_(ids[start:start + 500]))
                    .order_by(Order.placed_at.desc()))
                for row in rows:
                    orders[row.customer_id].append(_facts(row))
            return [Shopper(id=c.id, email=c.email, first_name=c.first_name,
                            last_name=c.last_name, language=c.language or "en",
                            phone=c.phone, can_log_in=c.password_hash is not None,
                            orders=tuple(orders[c.id])) for c in customers]
    finally:
        engine.dispose()


def load_products(database_url: str, *, limit: int = 200) -> list[str]:
    """Return product names of the catalogue (for product questions)."""
    engine = create_engine(sqlalchemy_url(database_url))
    try:
        with Session(engine) as session:
            return list(session.scalars(select(Product.name).order_by(Product.id).limit(limit)))
    finally:
        engine.dispose()


def _facts(order: Order) -> OrderFacts:
    items = tuple(str(item.get("name") or item.get("sku") or "")
                  for item in (order.items or []) if isinstance(item, dict))
    address = order.shipping_address or {}
    return OrderFacts(number=order.number, status=order.status,
                      placed_on=order.placed_at.date(), items=tuple(i for i in items if i),
                      total=order.total, currency=order.currency, carrier=order.carrier,
                      tracking_number=order.tracking_number,
                      estimated_delivery=order.estimated_delivery,
                      city=address.get("city") if isinstance(address, dict) else None)
