"""Store the dashboard's hourly and daily counters, so that a month of history sums in
milliseconds."""

from __future__ import annotations

from datetime import datetime, timedelta

from database import db
from database.metrics.hourly import count_hours
from database.metrics.rollup import (FULL_HOUR, earliest_activity, hours, rolled_hours,
                                     store_days, store_hours)
from database.metrics.tally import HOUR, hour_of

# An answer stays "assumed" for 72 hours; the hours that hold such answers are counted again.
RECOUNTED = timedelta(hours=73)
SPAN = timedelta(days=1)  # hours counted and committed together
# The current hour is stored up to a minute ago: what is older has surely been committed.
SETTLED = timedelta(minutes=1)


def roll_up(*, now: datetime, since: datetime | None = None) -> int:
    """Store the counters of every finished hour not stored yet and of the last 73 hours
    (all finished hours from `since` when given), and of the current hour up to a minute
    ago; return how many rows were written."""
    first = hour_of(since) if since is not None else earliest_activity()
    current = hour_of(now)
    if first is None:
        return 0
    stored = rolled_hours(first, current) if since is None else {}
    todo = [hour for hour in hours(first, current)
            if stored.get(hour, 0) < FULL_HOUR or hour >= current - RECOUNTED]
    written = 0
    for start, end in _spans(todo):
        written += store_hours(count_hours(start, end, now=now), start, end)
        store_days(start, end)
        db.session.commit()  # a day at a time: the writer lock is never held for long
    # Requests then count from the rows only the minutes since, however busy the hour.
    settled = (now - SETTLED).replace(second=0, microsecond=0)
    if settled > current:
        written += store_hours(count_hours(current, settled, now=now), current, settled)
        db.session.commit()
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
