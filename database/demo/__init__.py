"""The deterministic demo shop: shoppers, catalogue, orders, knowledge base and support team.

The same `(seed, today)` gives exactly the same rows, ids and values, password hashes included;
dates are relative to `today`, so the shop always looks alive. `seed()` adds to the session and
flushes; the caller commits.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from database.base import db
from database.demo.catalogue import make_products
from database.demo.datafiles import load
from database.demo.knowledge import make_articles
from database.demo.orders import make_orders
from database.demo.passwords import demo_hash
from database.demo.people import make_shoppers
from database.demo.staff import STAFF_LOGINS, make_staff
from database.demo.timeline import anchor
from database.models import Customer, StaffUser

__all__ = ["DEMO_PASSWORD", "STAFF_LOGINS", "SeedSummary", "is_empty", "seed", "shopper_logins"]

DEMO_PASSWORD = "demo-shop-2026"  # every demo shopper who has a password has this one
CUSTOMERS = 210


@dataclass(frozen=True)
class SeedSummary:
    """What `seed()` added, and the logins to print for people trying the demo."""

    customers: int
    products: int
    orders: int
    articles: int
    staff: int
    staff_logins: list[tuple[str, str, str]]  # (role, email, password)
    shopper_logins: list[tuple[str, str, str]]  # (name, email, password)


def is_empty() -> bool:
    """Return True when the database has no customers and no staff."""
    return (db.session.scalar(select(Customer.id).limit(1)) is None
            and db.session.scalar(select(StaffUser.id).limit(1)) is None)


def seed(*, seed: int = 2026, today: date | None = None) -> SeedSummary:
    """Add the demo shop to the session and flush it, without committing."""
    if not is_empty():
        raise RuntimeError("the database already has customers or staff: seed an empty one")
    today = today or datetime.now(UTC).date()
    now = anchor(today)
    rng = random.Random(seed)

    staff = make_staff(seed=seed, now=now)
    products = make_products(rng, now=now)
    shoppers = make_shoppers(rng, count=CUSTOMERS,
                             password_hash=demo_hash(DEMO_PASSWORD, seed=seed, label="shoppers"))
    orders = make_orders(rng, shoppers, products, now=now)
    articles = make_articles(rng, now=now)
    customers = [shopper.customer for shopper in shoppers]

    # Added in a fixed order, so the ids are the same on every run.
    db.session.add_all(staff)
    db.session.add_all(products)
    db.session.add_all(customers)
    db.session.add_all(articles)
    db.session.flush()
    db.session.add_all(orders)
    summary = SeedSummary(
        customers=len(customers), products=len(products), orders=len(orders),
        articles=len(articles), staff=len(staff), staff_logins=list(STAFF_LOGINS),
        shopper_logins=[(shopper.customer.full_name, shopper.customer.email, DEMO_PASSWORD)
                        for shopper in shoppers if shopper.persona])
    db.session.flush()  # the caller records `demo.seeded` and commits, as flows do
    return summary


def shopper_logins() -> list[tuple[str, str, str]]:
    """Return the demo shoppers' logins (name, email, password) present in the database."""
    personas = {(p["first_name"], p["last_name"]) for p in load("people.json")["personas"]}
    rows = db.session.scalars(select(Customer).where(Customer.password_hash.is_not(None))
                              .order_by(Customer.id).limit(len(personas) * 2)).all()
    return [(c.full_name, c.email, DEMO_PASSWORD) for c in rows
            if (c.first_name, c.last_name) in personas]
