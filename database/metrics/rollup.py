"""The hourly counters: which hours are stored, storing them, reading them back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import delete, func, insert, select

from database.base import db
from database.metrics.tally import HOUR, ROLLED, Tally, hour_of
from database.models import Event, Message, MetricHour


def hours(start: datetime, end: datetime) -> Iterator[datetime]:
    """Yield the start of every hour from `start` (on the hour) up to `end`, excluded."""
    hour = start
    while hour < end:
        yield hour
        hour += HOUR


def rolled_hours(start: datetime, end: datetime) -> set[datetime]:
    """Return the hours in [start, end) stored as counters."""
    return set(db.session.scalars(
        select(MetricHour.hour).where(MetricHour.metric == ROLLED, MetricHour.key == "",
                                      MetricHour.hour >= start, MetricHour.hour < end)))


def earliest_activity() -> datetime | None:
    """Return the hour of the oldest message or event, None in an empty database."""
    found = [at for at in (db.session.scalar(select(func.min(Message.created_at))),
                           db.session.scalar(select(func.min(Event.created_at))))
             if at is not None]
    return hour_of(min(found)) if found else None


def store_hours(tally: Tally, start: datetime, end: datetime) -> int:
    """Replace the counters of the hours in [start, end) with `tally`'s (no commit); return
    how many rows were written."""
    db.session.execute(delete(MetricHour).where(MetricHour.hour >= start,
                                                MetricHour.hour < end))
    rows = [{"hour": hour, "metric": metric, "key": key, "count": int(count), "total": total}
            for hour, figures in tally.hours.items() if start <= hour < end
            for (metric, key), (count, total) in figures.items()]
    rows += [{"hour": hour, "metric": ROLLED, "key": "", "count": 1, "total": 0.0}
             for hour in hours(start, end)]
    db.session.execute(insert(MetricHour), rows)
    return len(rows)


def stored_totals(start: datetime, end: datetime) -> dict[tuple[str, str], list[float]]:
    """Return every stored figure summed over the hours in [start, end)."""
    rows = db.session.execute(
        select(MetricHour.metric, MetricHour.key, func.sum(MetricHour.count),
               func.sum(MetricHour.total))
        .where(MetricHour.hour >= start, MetricHour.hour < end, MetricHour.metric != ROLLED)
        .group_by(MetricHour.metric, MetricHour.key))
    return {(metric, key): [int(count), float(total)] for metric, key, count, total in rows}


def stored_per_hour(start: datetime, end: datetime,
                    metrics: tuple[str, ...]) -> list[tuple[datetime, str, int]]:
    """Return `(hour, metric, count)` of the given metrics, every key summed, hour by hour."""
    return [(hour, metric, int(count)) for hour, metric, count in db.session.execute(
        select(MetricHour.hour, MetricHour.metric, func.sum(MetricHour.count))
        .where(MetricHour.hour >= start, MetricHour.hour < end,
               MetricHour.metric.in_(metrics))
        .group_by(MetricHour.hour, MetricHour.metric))]
