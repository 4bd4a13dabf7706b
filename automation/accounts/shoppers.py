"""Flows for shopper and staff accounts: registration and password checks."""

from __future__ import annotations

import phonenumbers
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from automation.runtime.errors import DeskError
from database import db, events
from database.customers import create_customer, get_customer_by_email, get_customer_by_phone
from database.models import Customer

# Checked when the email is unknown too, so a login's timing does not reveal who is registered.
DUMMY_HASH = generate_password_hash("not-a-real-password")


def register_shopper(*, first_name: str, last_name: str, email: str, password: str,
                     language: str = "en", phone: str | None = None) -> Customer:
    """Create a shopper account and commit it; 409 if the email or phone is taken."""
    if get_customer_by_email(email) is not None:
        raise DeskError("conflict", "email: already registered",
                        fields={"email": "already registered"})
    if phone and get_customer_by_phone(phone) is not None:
        raise DeskError("conflict", "phone: already registered",
                        fields={"phone": "already registered"})
    customer = create_customer(first_name=first_name, last_name=last_name, email=email,
                               password_hash=generate_password_hash(password),
                               language=language, phone=phone,
                               phone_doubtful=phone_doubtful(phone))
    try:
        db.session.flush()
        events.record(events.CUSTOMER_REGISTERED, customer_id=customer.id,
                      payload={"email": customer.email, "language": language})
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # a concurrent registration won the race
        raise DeskError("conflict", "email: already registered",
                        fields={"email": "already registered"}) from None
    return customer


def phone_doubtful(e164: str | None) -> bool:
    """Tell whether a possible number is one libphonenumber does not (yet) know as assigned."""
    return bool(e164) and not phonenumbers.is_valid_number(phonenumbers.parse(e164, None))


def authenticate_shopper(email: str, password: str) -> Customer | None:
    """Return the active shopper with these credentials, or None."""
    customer = get_customer_by_email(email)
    stored = customer.password_hash if customer is not None else None
    if not check_password_hash(stored or DUMMY_HASH, password) or stored is None:
        return None
    return customer if customer.status == "active" else None
