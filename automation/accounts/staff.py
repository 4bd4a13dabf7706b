"""Flows around a staff member's session."""

from __future__ import annotations

from database import db, events
from database.base import utcnow
from database.models import StaffUser


def note_staff_login(staff: StaffUser) -> None:
    """Record that a staff member logged in, for the audit trail, and commit."""
    staff.last_seen_at = utcnow()
    events.record(events.STAFF_LOGIN, payload={"staff_id": staff.id, "role": staff.role})
    db.session.commit()
