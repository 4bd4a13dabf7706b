"""The dashboard's figures over a range of time: stored counters for the days and hours the
rollup finished, the rows themselves for the rest (the current hour, the range's ragged
first hour, hours not rolled up yet)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from database.metrics.hourly import count_hours
from database.metrics.rollup import (DAY, FULL_HOUR, hours, rolled_days, rolled_hours,
                                     stored_per_hour, stored_totals)
from database.metrics.tally import (AI_QUALITY, AI_REPLIES, AI_TIMES, CONVERSATIONS, CSAT,
                                    ERRORS, FLAGS, HANDOFFS, HOUR, INTENTS, LLM_COST,
                                    LLM_TOKENS, MESSAGES_IN, MESSAGES_OUT, RESOLUTION,
                                    STAFF_REPLIES, STAFF_TIMES, hour_of, timing)
from database.models.choices import CHANNELS

ERROR_KINDS = ("agent_error", "fallback", "delivery_failed")
Totals = dict[tuple[str, str], list[float]]
Reads = dict[tuple[Any, ...], Any]


def range_figures(start: datetime, end: datetime, *, now: datetime,
                  reads: Reads | None = None) -> dict[str, Any]:
    """Return the figures of the messages and events created in [start, end).

    `reads` keeps what was read (counted from the rows, summed from the counters), by span,
    for another range of the same request (today's figures beside the chosen range's) to use
    again.
    """
    totals, per_hour = _gather(start, end, now=now, reads={} if reads is None else reads)

    def keyed(metric: str) -> dict[str, int]:
        return {key: int(count) for (m, key), (count, _t) in totals.items() if m == metric}

    inbound, outbound = keyed(MESSAGES_IN), keyed(MESSAGES_OUT)
    replies = int(totals.get((AI_REPLIES, ""), (0, 0))[0])
    conversations = sum(keyed(CONVERSATIONS).values())
    handoffs, errors, ratings = keyed(HANDOFFS), keyed(ERRORS), keyed(CSAT)
    outcomes = keyed(RESOLUTION)
    settled = sum(outcomes.values())
    intents = sorted(keyed(INTENTS).items(), key=lambda item: (-item[1], item[0]))
    asked = sum(n for _i, n in intents)
    series = [{"hour": hour.isoformat(), "inbound": counts[MESSAGES_IN],
               "outbound": counts[MESSAGES_OUT]} for hour, counts in sorted(per_hour.items())]
    peak = max(series, key=lambda h: h["inbound"] + h["outbound"], default=None)
    models = {key for (m, key) in totals if m == LLM_TOKENS}
    csat_total = sum(totals[(CSAT, key)][1] for key in ratings)
    return {
        "messages": {
            "inbound": sum(inbound.values()), "outbound": sum(outbound.values()),
            "per_hour": series,
            "avg_per_hour": round((sum(inbound.values()) + sum(outbound.values()))
                                  / len(series), 1) if series else 0.0,
            "peak": None if peak is None or not peak["inbound"] + peak["outbound"] else {
                "hour": peak["hour"], "total": peak["inbound"] + peak["outbound"]}},
        "channels": {channel: {"inbound": inbound.get(channel, 0),
                               "outbound": outbound.get(channel, 0)}
                     for channel in (*CHANNELS, *sorted({*inbound, *outbound} - {*CHANNELS}))},
        "categories": {intent: {"count": n, "percent": round(100 * n / asked, 1)}
                       for intent, n in intents},
        "resolution": {"confirmed": outcomes.get("confirmed", 0),
                       "assumed": outcomes.get("assumed", 0),
                       "unresolved": outcomes.get("unresolved", 0), "settled": settled,
                       "rate": _rate(outcomes.get("confirmed", 0) + outcomes.get("assumed", 0),
                                     settled),
                       "confirmed_rate": _rate(outcomes.get("confirmed", 0), settled)},
        "handoffs": {"count": sum(handoffs.values()), "conversations": conversations,
                     "rate": _rate(sum(handoffs.values()), conversations),
                     "reasons": dict(sorted(handoffs.items(), key=lambda r: (-r[1], r[0])))},
        "response_time_ms": {"ai": timing(totals, replies=AI_REPLIES, times=AI_TIMES),
                             "staff": timing(totals, replies=STAFF_REPLIES, times=STAFF_TIMES)},
        "errors": {"count": sum(errors.values()), "replies": replies,
                   "rate": _rate(sum(errors.values()), replies),
                   "by_kind": {kind: errors.get(kind, 0) for kind in ERROR_KINDS}},
        "csat": {"avg": round(csat_total / sum(ratings.values()), 2) if ratings else None,
                 "count": sum(ratings.values()),
                 "by_rating": {str(r): ratings.get(str(r), 0) for r in range(1, 6)}},
        "llm": {"tokens": int(sum(totals[(LLM_TOKENS, m)][1] for m in models)),
                "cost_usd": round(sum(totals.get((LLM_COST, m), (0, 0.0))[1]
                                      for m in models), 6),
                "by_model": {m: {"replies": int(totals[(LLM_TOKENS, m)][0]),
                                 "tokens": int(totals[(LLM_TOKENS, m)][1]),
                                 "cost_usd": round(totals.get((LLM_COST, m), (0, 0.0))[1], 6)}
                             for m in sorted(models)}},
        "flags": {"count": int(totals.get((FLAGS, ""), (0, 0))[0])},
        "ai": {"replies": replies, "quality_avg": _average(totals.get((AI_QUALITY, "")))},
    }


def _average(figure: list[float] | None) -> float | None:
    return round(figure[1] / figure[0], 1) if figure and figure[0] else None


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _read(reads: Reads, key: tuple[Any, ...], read: Callable[[], Any]) -> Any:
    """Return what `read()` returns, read once per request and `key`."""
    if key not in reads:
        reads[key] = read()
    return reads[key]


def _gather(start: datetime, end: datetime, *, now: datetime,
            reads: Reads) -> tuple[Totals, dict[datetime, dict[str, int]]]:
    """Sum the range's figures, and its messages hour by hour, from counters and rows."""
    plan = _plan(start, end, reads)
    totals: Totals = defaultdict(lambda: [0, 0.0])
    per_hour: dict[datetime, dict[str, int]] = {
        hour: {MESSAGES_IN: 0, MESSAGES_OUT: 0} for hour in hours(hour_of(start), end)}
    stored = [_read(reads, ("days", a, b), lambda a=a, b=b: stored_totals(a, b, whole_days=True))
              for a, b in plan.days]
    stored += [_read(reads, ("hours", a, b), lambda a=a, b=b: stored_totals(a, b))
               for a, b in plan.hours]
    for figures in stored:
        for name, (count, total) in figures.items():
            totals[name][0] += count
            totals[name][1] += total
    if (extent := plan.stored_extent()) is not None:
        for hour, metric, count in stored_per_hour(*extent, (MESSAGES_IN, MESSAGES_OUT)):
            per_hour[hour][metric] += count
    for span in plan.live:
        counted = _read(reads, ("rows", *span), lambda span=span: count_hours(*span, now=now))
        for hour, figures in counted.hours.items():
            for (metric, key), (count, total) in figures.items():
                totals[(metric, key)][0] += count
                totals[(metric, key)][1] += total
                if metric in (MESSAGES_IN, MESSAGES_OUT):
                    per_hour[hour][metric] += count
    return totals, per_hour


@dataclass
class _Plan:
    """Where each part of a range is read from: stored days, stored hours, or the rows."""

    days: list[tuple[datetime, datetime]] = field(default_factory=list)
    hours: list[tuple[datetime, datetime]] = field(default_factory=list)
    live: list[tuple[datetime, datetime]] = field(default_factory=list)

    def stored_extent(self) -> tuple[datetime, datetime] | None:
        """Return the first and last instants the stored spans cover."""
        spans = self.days + self.hours
        return (min(a for a, _ in spans), max(b for _, b in spans)) if spans else None


def _plan(start: datetime, end: datetime, reads: Reads) -> _Plan:
    plan = _Plan()
    first_full = start if start == hour_of(start) else hour_of(start) + HOUR
    last_full = hour_of(end)
    if first_full > last_full:  # within one hour
        plan.live.append((start, end))
        return plan
    if start < first_full:
        plan.live.append((start, first_full))
    # A span shorter than a day holds no whole day: no need to ask.
    days = {day for day in rolled_days(first_full, last_full) if day + DAY <= last_full} \
        if last_full - first_full >= DAY else set()
    covered = _covered_hours(first_full, last_full, days, reads)
    hour = first_full
    while hour < last_full:
        if hour in days:
            _extend(plan.days, hour, hour + DAY)
            hour += DAY
            continue
        seconds = covered.get(hour, 0)
        if seconds > 0:
            _extend(plan.hours, hour, hour + HOUR)
        if seconds < FULL_HOUR:  # not stored, or stored only in part: the rest from the rows
            _extend(plan.live, hour + timedelta(seconds=seconds), hour + HOUR)
        hour += HOUR
    if last_full < end:
        # The current hour: its stored part when the rollup stored one, then the minutes
        # since, apart from other spans (other ranges of the request count them too).
        seconds = _rolled_hours(last_full, last_full + HOUR, reads).get(last_full, 0)
        stored_until = last_full + timedelta(seconds=seconds)
        if 0 < seconds < FULL_HOUR and stored_until <= end:
            _extend(plan.hours, last_full, last_full + HOUR)
            if stored_until < end:
                plan.live.append((stored_until, end))
        else:
            plan.live.append((last_full, end))
    return plan


def _covered_hours(start: datetime, end: datetime, days: set[datetime],
                   reads: Reads) -> dict[datetime, float]:
    """Return the seconds stored of each hour in [start, end) outside the stored `days`."""
    if not days:
        return _rolled_hours(start, end, reads)
    covered = {**_rolled_hours(start, min(days), reads),
               **_rolled_hours(max(days) + DAY, end, reads)}
    for day in _gaps(sorted(days)):
        covered.update(_rolled_hours(day, day + DAY, reads))
    return covered


def _rolled_hours(start: datetime, end: datetime, reads: Reads) -> dict[datetime, float]:
    """Return `rolled_hours(start, end)`, read once per request (nothing to read when the
    span is empty)."""
    if start >= end:
        return {}
    return _read(reads, ("rolled", start, end), lambda: rolled_hours(start, end))


def _gaps(days: list[datetime]) -> list[datetime]:
    """Return the days missing between the first and the last of sorted `days`."""
    have = set(days)
    return [day for day in (days[0] + i * DAY for i in range((days[-1] - days[0]) // DAY))
            if day not in have]


def _extend(spans: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> None:
    """Add [start, end) to the spans, joining the last one when they touch."""
    if spans and spans[-1][1] == start:
        spans[-1] = (spans[-1][0], end)
    else:
        spans.append((start, end))
