"""The shop's catalogue and its orders, as the shop's platform pushes them in."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from database.base import Money, db, utcnow
from database.models.choices import ORDER_STATUSES, one_of
from database.models.customers import Customer


class Product(db.Model):
    """A product the shop sells, found by its SKU."""

    __tablename__ = "products"
    __table_args__ = (CheckConstraint("stock >= 0", name="stock"),
                      CheckConstraint("price >= 0", name="price"))

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(80), default="", index=True)
    price: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    stock: Mapped[int] = mapped_column(default=0)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Order(db.Model):
    """A shopper's order, with its line items, shipping and the changes the desk made to it."""

    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(one_of("status", ORDER_STATUSES), name="status"),
        CheckConstraint("total >= 0", name="total"),
        # The shopper's orders, newest first: the query behind every order lookup.
        Index("ix_orders_customer_placed", "customer_id", "placed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    items: Mapped[list[Any]] = mapped_column(default=list)
    total: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    carrier: Mapped[str | None] = mapped_column(String(60))
    tracking_number: Mapped[str | None] = mapped_column(String(80))
    placed_at: Mapped[datetime] = mapped_column(default=utcnow)
    shipped_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    estimated_delivery: Mapped[date | None] = mapped_column(Date)
    shipping_address: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # What the desk did to the order; the shop's platform reads these back through the API.
    cancelled_at: Mapped[datetime | None]
    cancellation_reason: Mapped[str | None] = mapped_column(String(500))
    return_requested_at: Mapped[datetime | None]
    return_reason: Mapped[str | None] = mapped_column(String(500))
    address_changed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    customer: Mapped[Customer] = relationship(lazy="joined", innerjoin=True)
