"""Data functions for shoppers."""

from __future__ import annotations

from sqlalchemy import func, select

from database.base import db
from database.models import Customer


def get_customer(customer_id: int) -> Customer | None:
    """Return the shopper with this id, or None."""
    return db.session.get(Customer, customer_id)


def get_customer_by_email(email: str) -> Customer | None:
    """Return the shopper with this email, whatever its case, or None."""
    return db.session.scalar(select(Customer).where(Customer.email == email.strip().lower()))


def get_customer_by_phone(phone: str) -> Customer | None:
    """Return the shopper with this E.164 phone, or None."""
    return db.session.scalar(select(Customer).where(Customer.phone == phone))


def create_customer(**fields: object) -> Customer:
    """Add a new shopper to the session and return it."""
    customer = Customer(**fields)
    db.session.add(customer)
    return customer


def count_customers() -> int:
    """Return how many shoppers there are."""
    return db.session.scalar(select(func.count(Customer.id))) or 0
