"""Liveness of the background processes, for the health views."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from database.base import db, utcnow


class Heartbeat(db.Model):
    """The last time a named process (the worker, a sync loop) said it was alive."""

    __tablename__ = "heartbeats"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(default=utcnow)
    info: Mapped[dict[str, Any]] = mapped_column(default=dict)
