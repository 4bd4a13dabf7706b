"""Small builders of rows for tests (the demo seed is too big for most of them)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from werkzeug.security import generate_password_hash

from database import db
from database.api_keys import create_api_key
from database.models import Customer, Order, Product, StaffUser

PASSWORD = "correct-horse-42"
_counter = itertools.count(1)
_hash_cache: dict[str, str] = {}


def password_hash(password: str = PASSWORD) -> str:
    # Hashing is deliberately slow; tests reuse one hash per password.
    if password not in _hash_cache:
        _hash_cache[password] = generate_password_hash(password)
    return _hash_cache[password]


def customer(**fields: Any) -> Customer:
    n = next(_counter)
    values = {"first_name": "Camille", "last_name": "Dubois", "email": f"shopper{n}@example.com",
              "password_hash": password_hash(), "language": "fr"}
    values.update(fields)
    row = Customer(**values)
    db.session.add(row)
    db.session.commit()
    return row


def staff(**fields: Any) -> StaffUser:
    n = next(_counter)
    values = {"name": "Marie Agent", "email": f"staff{n}@demo.shop", "role": "agent",
              "password_hash": password_hash()}
    values.update(fields)
    row = StaffUser(**values)
    db.session.add(row)
    db.session.commit()
    return row


def product(**fields: Any) -> Product:
    n = next(_counter)
    values = {"sku": f"SKU-{n}", "name": f"Product {n}", "price": Decimal("19.90"),
              "currency": "EUR", "stock": 5, "category": "clothing"}
    values.update(fields)
    row = Product(**values)
    db.session.add(row)
    db.session.commit()
    return row


def order(owner: Customer, **fields: Any) -> Order:
    n = next(_counter)
    placed = datetime.now(UTC) - timedelta(days=5)
    values = {"number": f"CMD-{40000 + n}", "customer_id": owner.id, "status": "paid",
              "items": [{"sku": "TSH-BLU-M", "name": "T-shirt bleu", "quantity": 1,
                         "unit_price": "29.90"}],
              "total": Decimal("29.90"), "currency": "EUR", "placed_at": placed,
              "estimated_delivery": date.today() + timedelta(days=3),
              "shipping_address": {"line1": "12 rue des Lilas", "postcode": "75011",
                                   "city": "Paris", "country": "FR"}}
    values.update(fields)
    row = Order(**values)
    db.session.add(row)
    db.session.commit()
    return row


def api_key(*scopes: str, name: str = "test") -> str:
    _row, raw = create_api_key(name, scopes)
    db.session.commit()
    return raw


def bearer(raw_key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw_key}"}
