"""Data functions for staff users."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from database.base import db
from database.models import StaffUser


def get_staff(staff_id: int) -> StaffUser | None:
    """Return the staff member with this id, or None."""
    return db.session.get(StaffUser, staff_id)


def get_staff_by_email(email: str) -> StaffUser | None:
    """Return the staff member with this email, whatever its case, or None."""
    return db.session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))


def list_staff(*, active_only: bool = False) -> Sequence[StaffUser]:
    """Return the staff, by role then name."""
    query = select(StaffUser)
    if active_only:
        query = query.where(StaffUser.active.is_(True))
    return db.session.scalars(query.order_by(StaffUser.role, StaffUser.name)).all()
