"""The figures the dashboard counts per hour, and how a sample of times becomes percentiles.

A figure is a `(metric, key)` pair with a count and a total (a sum: milliseconds, tokens,
dollars), e.g. `("messages.in", "web")`. Hours are UTC and start on the hour.

Percentiles are exact nearest-rank percentiles over times rounded down to two significant
digits (1,234 ms counts as 1,200 ms; anything under 100 ms as itself): the rounding keeps an
hour's distinct values few, so that thirty days of hours add up quickly.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

MESSAGES_IN = "messages.in"                # key: channel
MESSAGES_OUT = "messages.out"              # key: channel
INTENTS = "intents"                        # key: the inbound message's intent
CONVERSATIONS = "conversations.started"    # key: channel
AI_REPLIES = "ai.replies"                  # total: milliseconds of those timed
AI_TIMES = "ai.ms"                         # key: a rounded time in ms
AI_QUALITY = "ai.quality"                  # count: replies scored; total: their scores
STAFF_REPLIES = "staff.first_replies"      # total: milliseconds
STAFF_TIMES = "staff.ms"                   # key: a rounded time in ms
HANDOFFS = "handoffs"                      # key: reason
ERRORS = "errors"                          # key: kind
CSAT = "csat"                              # key: the rating; total: the ratings' sum
LLM_TOKENS = "llm.tokens"                  # key: model; count: replies; total: tokens
LLM_COST = "llm.cost"                      # key: model; total: USD
RESOLUTION = "resolution"                  # key: confirmed, assumed, unresolved
FLAGS = "flags"                            # exchanges staff flagged as bad
ROLLED = "rolled"                          # the marker of an hour stored as counters

HOUR = timedelta(hours=1)


class Tally:
    """Counts and totals of figures, hour by hour."""

    def __init__(self) -> None:
        self.hours: dict[datetime, dict[tuple[str, str], list[float]]] = defaultdict(
            lambda: defaultdict(lambda: [0, 0.0]))
        self._last: tuple[datetime, datetime, dict] | None = None  # start, end, figures

    def add(self, at: datetime, metric: str, key: str = "", *, count: int = 1,
            total: float = 0.0) -> None:
        """Count `count` of a figure in the hour of `at`, and add `total` to its sum."""
        cell = self._figures_at(at)[(metric, key[:80])]
        cell[0] += count
        cell[1] += total

    def _figures_at(self, at: datetime) -> dict[tuple[str, str], list[float]]:
        """Return the figures of the hour `at` falls in."""
        # Rows come mostly in the same hour as the one before: comparing with that hour's
        # bounds spares a datetime.replace per figure (thousands per dashboard request).
        last = self._last
        if last is None or not last[0] <= at < last[1]:
            hour = hour_of(at)
            last = self._last = (hour, hour + HOUR, self.hours[hour])
        return last[2]

    def time(self, at: datetime, metric: str, ms: float) -> None:
        """Count one response time in its rounded bucket."""
        self.add(at, metric, str(rounded_ms(ms)))

    def merge(self, rows: Iterable[tuple[datetime, str, str, int, float]]) -> None:
        """Add stored `(hour, metric, key, count, total)` rows."""
        for hour, metric, key, count, total in rows:
            cell = self.hours[hour][(metric, key)]
            cell[0] += count
            cell[1] += total

    def totals(self) -> dict[tuple[str, str], list[float]]:
        """Return every figure summed over all hours."""
        summed: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0.0])
        for figures in self.hours.values():
            for name, (count, total) in figures.items():
                summed[name][0] += count
                summed[name][1] += total
        return summed


def hour_of(at: datetime) -> datetime:
    """Return the start of the hour `at` falls in."""
    return at.replace(minute=0, second=0, microsecond=0)


def rounded_ms(ms: float) -> int:
    """Round a time down to two significant digits (under 100 ms: to the millisecond)."""
    value = max(int(ms), 0)
    if value < 100:
        return value
    step = 10 ** (len(str(value)) - 2)
    return value // step * step


def percentile(counts: Mapping[int, int], p: float) -> int | None:
    """Return the nearest-rank `p`th percentile of values given as {value: how many}."""
    n = sum(counts.values())
    if n == 0:
        return None
    rank, seen = max(1, math.ceil(p / 100 * n)), 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= rank:
            return value
    return None  # unreachable: the ranks add up to n


def timing(figures: Mapping[tuple[str, str], Any], *, replies: str,
           times: str) -> dict[str, float | int | None]:
    """Return {avg, p50, p95} in ms from a figure's total and its rounded times."""
    total = figures.get((replies, ""), (0, 0.0))[1]
    counts = {int(key): int(n) for (metric, key), (n, _total) in figures.items()
              if metric == times}
    timed = sum(counts.values())
    return {"avg": round(total / timed, 1) if timed else None,
            "p50": percentile(counts, 50), "p95": percentile(counts, 95)}
