"""Data functions for products and orders."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from database.base import db
from database.models import Order, Product


def get_product_by_sku(sku: str) -> Product | None:
    """Return the product with this SKU, or None."""
    return db.session.scalar(select(Product).where(Product.sku == sku))


def get_order_by_number(number: str) -> Order | None:
    """Return the order with this number, whoever it belongs to, or None."""
    return db.session.scalar(select(Order).where(Order.number == number))


def get_customer_order(customer_id: int, number: str) -> Order | None:
    """Return the order with this number only if it belongs to this shopper.

    Shoppers drop prefixes and leading zeros ("48213", "#0048213" for CMD-48213): when the
    exact number is not theirs, one of *their* orders with the same digits is.
    """
    exact = db.session.scalar(
        select(Order).where(Order.number == number, Order.customer_id == customer_id))
    if exact is not None:
        return exact
    digits = "".join(ch for ch in number if ch.isdigit()).lstrip("0")
    if len(digits) < 3:
        return None
    candidates = db.session.scalars(
        select(Order).where(Order.customer_id == customer_id,
                            Order.number.like(f"%{digits}"))).all()
    same = [o for o in candidates
            if "".join(ch for ch in o.number if ch.isdigit()).lstrip("0") == digits]
    return same[0] if len(same) == 1 else None


def list_customer_orders(customer_id: int, *, status: str | None = None,
                         limit: int = 50, offset: int = 0) -> Sequence[Order]:
    """Return the shopper's orders, newest first, optionally of one status."""
    query = select(Order).where(Order.customer_id == customer_id)
    if status:
        query = query.where(Order.status == status)
    query = query.order_by(Order.placed_at.desc(), Order.id.desc()).limit(limit).offset(offset)
    return db.session.scalars(query).all()
