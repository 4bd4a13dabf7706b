"""Data functions for the settings admins changed: who changed each one last, and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from database.base import db
from database.models import Setting, StaffUser


def last_changes() -> dict[str, tuple[datetime, str | None]]:
    """Return, per stored setting, when it last changed and the name of who changed it."""
    rows = db.session.execute(
        select(Setting.key, Setting.updated_at, StaffUser.name)
        .outerjoin(StaffUser, StaffUser.id == Setting.updated_by_id))
    return {key: (updated_at, name) for key, updated_at, name in rows}
