"""Store the dashboard's hourly and daily counters, so that a month of history sums in
milliseconds."""

from __future__ import annotations

from datetime import datetime, timedelta

from database import db
from database.metrics.hourly import count_hours
from database.metrics.rollup import (earliest_activity, hours, rolled_hours, store_days,
                                     store_hours)
from database.metrics.tally import HOUR, hour_of

# An answer stays "assumed" for 72 hours; the hours that hold such answers are counted again.
RECOUNTED = timedelta(hours=73)
SPAN = timedelta(days=1)  # hours counted and committed together


def roll_up(*, now: datetime, since: datetime | None = None) -> int:
    """Store the counters of every finished hour not stored yet and of the last 73 hours
    (all finished hours from `since` when given); return how many rows were written."""
    first = hour_of(since) if since is not None else earliest_activity()
    current = hour_of(now)
    if first is None or first >= current:
        return 0
    stored = rolled_hours(first, current) if since is None else set()
    todo = [hour for hour in hours(first, current)
            if hour not in stored or hour >= current - RECOUNTED]
    written = 0
    for start, end in _spans(todo):
        written += store_hours(count_hours(start, end, now=now), start, end)
        store_days(start, end)
        db.session.commit()  # a day at a time: the writer lock is never held for long
    return written


def _spans(todo: list[datetime]) -> list[tuple[datetime, datetime]]:
    """Group consecutive hours into spans of at most a day."""
    spans: list[tuple[datetime, datetime]] = []
    for hour in todo:
        if spans and spans[-1][1] == hour and hour + HOUR - spans[-1][0] <= SPAN:
            spans[-1] = (spans[-1][0], hour + HOUR)
        else:
            spans.append((hour, hour + HOUR))
    return spans
