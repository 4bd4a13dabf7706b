"""Flows around a staff member's session: checking their password, noting their login."""

from __future__ import annotations

from werkzeug.security import check_password_hash

from automation.accounts.shoppers import DUMMY_HASH
from database import db, events
from database.base import utcnow
from database.models import StaffUser
from database.staff import get_staff_by_email


def note_staff_login(staff: StaffUser) -> None:
    """Record that a staff member logged in, for the audit trail, and commit."""
    staff.last_seen_at = utcnow()
    events.record(events.STAFF_LOGIN, payload={"staff_id": staff.id, "role": staff.role})
    db.session.commit()


def authenticate_staff(email: str, password: str) -> StaffUser | None:
    """Return the active staff member with these credentials, or None."""
    staff = get_staff_by_email(email)
    if not check_password_hash(staff.password_hash if staff else DUMMY_HASH, password):
        return None
    return staff if staff is not None and staff.active else None
