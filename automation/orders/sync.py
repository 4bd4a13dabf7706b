"""Flows behind the integration API: the shop's platform upserts shoppers, products, orders.

Each upsert is idempotent: sending the same body again changes nothing and records no event.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError

from automation.accounts.shoppers import phone_doubtful
from automation.runtime.errors import DeskError
from database import db, events
from database.catalog import get_order_by_number, get_product_by_sku
from database.customers import get_customer_by_email, get_customer_by_phone
from database.models import Customer, Order, Product


def _apply(row: Any, values: dict[str, Any]) -> list[str]:
    """Set the values that differ; return the names of the fields that changed."""
    changed = []
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    return changed


def _create_or_update(row: Any, model: type, keys: dict[str, Any],
                      values: dict[str, Any]) -> tuple[Any, bool, list[str]]:
    """Add a new `model` row, or update `row`; return it, whether created, what changed."""
    if row is None:
        row = model(**keys, **values)
        db.session.add(row)
        return row, True, list(values)
    return row, False, _apply(row, values)


def _commit_or_conflict(message: str, fields: dict[str, str]) -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise DeskError("conflict", message, fields=fields) from None


def upsert_customer(email: str, values: dict[str, Any]) -> tuple[Customer, bool]:
    """Create or update the shopper with this email; return it and whether it was created."""
    phone = values.get("phone")
    if "phone" in values:
        values = {**values, "phone_doubtful": phone_doubtful(phone)}
    customer = get_customer_by_email(email)
    if phone:
        holder = get_customer_by_phone(phone)
        if holder is not None and holder is not customer:
            raise DeskError("conflict", "phone: belongs to another shopper",
                            fields={"phone": "belongs to another shopper"})
    customer, created, changed = _create_or_update(customer, Customer, {"email": email},
                                                   values)
    if changed:
        db.session.flush()
        events.record(events.CUSTOMER_UPSERTED, customer_id=customer.id,
                      payload={"email": customer.email, "created": created, "changed": changed})
    _commit_or_conflict("email: already exists", {"email": "already exists"})
    return customer, created


def upsert_product(sku: str, values: dict[str, Any]) -> tuple[Product, bool]:
    """Create or update the product with this SKU; return it and whether it was created."""
    product, created, changed = _create_or_update(get_product_by_sku(sku), Product,
                                                  {"sku": sku}, values)
    if changed:
        events.record(events.PRODUCT_UPSERTED,
                      payload={"sku": sku, "created": created, "changed": changed})
    _commit_or_conflict("sku: already exists", {"sku": "already exists"})
    return product, created


def upsert_order(number: str, customer_email: str,
                 values: dict[str, Any]) -> tuple[Order, bool]:
    """Create or update the order with this number; return it and whether it was created."""
    customer = get_customer_by_email(customer_email)
    if customer is None:
        raise DeskError("validation_error", "customer_email: no shopper with this email",
                        fields={"customer_email": "no shopper with this email"})
    values = {**values, "customer_id": customer.id}
    order, created, changed = _create_or_update(get_order_by_number(number), Order,
                                                {"number": number}, values)
    if changed:
        db.session.flush()
        events.record(events.ORDER_UPSERTED, customer_id=customer.id,
                      payload={"order": number, "status": order.status, "created": created,
                               "changed": changed})
    _commit_or_conflict("number: already exists", {"number": "already exists"})
    return order, created
