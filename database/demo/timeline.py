"""Time in the demo shop: every timestamp is derived from `today`, never from the clock."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta


def anchor(today: date) -> datetime:
    """Return midnight UTC at the start of `today`: no demo timestamp is later than this."""
    return datetime.combine(today, time.min, tzinfo=UTC)


def moment_between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """Return a moment in [start, end], to the second."""
    span = max(0, int((end - start).total_seconds()))
    return start + timedelta(seconds=rng.randint(0, span))


def daytime(rng: random.Random, day: date, *, earliest: int = 7, latest: int = 22) -> datetime:
    """Return a moment on `day` between two UTC hours, when people shop and carriers deliver."""
    start = datetime.combine(day, time(earliest), tzinfo=UTC)
    return moment_between(rng, start, start + timedelta(hours=latest - earliest))


def add_business_days(day: date, days: int) -> date:
    """Return the date `days` business days (Monday to Friday) after `day`, or before if < 0."""
    step = timedelta(days=1 if days >= 0 else -1)
    remaining = abs(days)
    while remaining > 0:
        day += step
        if day.weekday() < 5:
            remaining -= 1
    return day

