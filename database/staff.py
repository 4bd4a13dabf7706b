"""Data functions for staff users."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select, update

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


def list_team(*, active_only: bool = True) -> Sequence[StaffUser]:
    """Return the staff who take conversations (every role), by name."""
    query = select(StaffUser)
    if active_only:
        query = query.where(StaffUser.active.is_(True))
    return db.session.scalars(query.order_by(StaffUser.name, StaffUser.id)).all()


def touch_staff(staff_id: int, *, now: datetime, older_than: datetime) -> bool:
    """Note that a staff member is here (no commit), unless noted since `older_than`."""
    touched = db.session.execute(
        update(StaffUser)
        .where(StaffUser.id == staff_id,
               or_(StaffUser.last_seen_at.is_(None), StaffUser.last_seen_at < older_than))
        .values(last_seen_at=now).execution_options(synchronize_session=False))
    return touched.rowcount == 1


def count_active_admins() -> int:
    """Return how many active staff members hold the admin role."""
    return db.session.scalar(select(func.count()).select_from(StaffUser).where(
        StaffUser.role == "admin", StaffUser.active.is_(True))) or 0
