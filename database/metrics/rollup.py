"""The counters: which hours and days are stored, storing them, reading them back.

Hours are stored from the rows; a day is the sum of its 24 hours, stored once all of them are.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, literal, select

from database.base import UTCDateTime, db
from database.metrics.tally import HOUR, ROLLED, Tally, hour_of
from database.models import Event, Message, MetricDay, MetricHour

DAY = timedelta(days=1)
FULL_HOUR = HOUR.total_seconds()


def hours(start: datetime, end: datetime) -> Iterator[datetime]:
    """Yield the start of every hour from `start` (on the hour) up to `end`, excluded."""
    hour = start
    while hour < end:
        yield hour
        hour += HOUR


def day_of(at: datetime) -> datetime:
    """Return midnight UTC of the day `at` falls in."""
    return at.replace(hour=0, minute=0, second=0, microsecond=0)


def rolled_days(start: datetime, end: datetime) -> set[datetime]:
    """Return the days starting in [start, end) stored whole."""
    return set(db.session.scalars(
        select(MetricDay.day).where(MetricDay.metric == ROLLED, MetricDay.key == "",
                                    MetricDay.day >= start, MetricDay.day < end)))


def rolled_hours(start: datetime, end: datetime) -> dict[datetime, float]:
    """Return the hours in [start, end) stored as counters, each with the seconds from its
    start that its counters cover (3600 once the hour is over)."""
    return dict(db.session.execute(
        select(MetricHour.hour, MetricHour.total)
        .where(MetricHour.metric == ROLLED, MetricHour.key == "",
               MetricHour.hour >= start, MetricHour.hour < end)).all())


def earliest_activity() -> datetime | None:
    """Return the hour of the oldest message or event, None in an empty database."""
    found = [at for at in (db.session.scalar(select(func.min(Message.created_at))),
                           db.session.scalar(select(func.min(Event.created_at))))
             if at is not None]
    return hour_of(min(found)) if found else None


def store_hours(tally: Tally, start: datetime, end: datetime) -> int:
    """Replace the counters of the hours in [start, end) with `tally`'s (no commit); return
    how many rows were written. An `end` within an hour stores that hour's start so far."""
    db.session.execute(delete(MetricHour).where(MetricHour.hour >= start,
                                                MetricHour.hour < end))
    rows = [{"hour": hour, "metric": metric, "key": key, "count": int(count), "total": total}
            for hour, figures in tally.hours.items() if start <= hour < end
            for (metric, key), (count, total) in figures.items()]
    rows += [{"hour": hour, "metric": ROLLED, "key": "", "count": 1,
              "total": min(HOUR, end - hour).total_seconds()} for hour in hours(start, end)]
    db.session.execute(insert(MetricHour), rows)
    return len(rows)


def store_days(start: datetime, end: datetime) -> None:
    """Store again the days that [start, end) touches: the sum of their hours when all 24 are
    stored, nothing otherwise (no commit)."""
    day = day_of(start)
    while day < end:
        db.session.execute(delete(MetricDay).where(MetricDay.day == day))
        covered = rolled_hours(day, day + DAY).values()
        if sum(seconds >= FULL_HOUR for seconds in covered) == 24:
            in_day = (MetricHour.hour >= day, MetricHour.hour < day + DAY)
            db.session.execute(insert(MetricDay).from_select(
                ["day", "metric", "key", "count", "total"],
                select(literal(day, UTCDateTime()), MetricHour.metric, MetricHour.key,
                       func.sum(MetricHour.count), func.sum(MetricHour.total))
                .where(*in_day).group_by(MetricHour.metric, MetricHour.key)))
        day += DAY


def stored_totals(start: datetime, end: datetime, *,
                  whole_days: bool = False) -> dict[tuple[str, str], list[float]]:
    """Return every stored figure summed over the hours (or whole days) in [start, end)."""
    table = MetricDay if whole_days else MetricHour
    when = table.day if whole_days else table.hour
    rows = db.session.execute(
        select(table.metric, table.key, func.sum(table.count), func.sum(table.total))
        .where(when >= start, when < end, table.metric != ROLLED)
        .group_by(table.metric, table.key))
    return {(metric, key): [int(count), float(total)] for metric, key, count, total in rows}


def stored_per_hour(start: datetime, end: datetime,
                    metrics: tuple[str, ...]) -> list[tuple[datetime, str, int]]:
    """Return `(hour, metric, count)` of the given metrics, every key summed, hour by hour."""
    return [(hour, metric, int(count)) for hour, metric, count in db.session.execute(
        select(MetricHour.hour, MetricHour.metric, func.sum(MetricHour.count))
        .where(MetricHour.hour >= start, MetricHour.hour < end,
               MetricHour.metric.in_(metrics))
        .group_by(MetricHour.hour, MetricHour.metric))]
