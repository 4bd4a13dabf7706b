"""The dashboard's figures for a range of time, and the queue as it stands now."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from automation.conversations import queue
from database.conversations import waiting_queue
from database.metrics import headline_figures, range_figures

RANGES = {"1h": timedelta(hours=1), "24h": timedelta(hours=24), "7d": timedelta(days=7),
          "30d": timedelta(days=30)}


def range_start(name: str, now: datetime) -> datetime:
    """Return where a named range starts: an hour ago exactly; the longer ones on the hour
    (the last 24 hours are the current one and the 23 before), so that they add up stored
    hours and count from the rows only the current one."""
    if name == "1h":
        return now - RANGES[name]
    return now.replace(minute=0, second=0, microsecond=0) - RANGES[name] + timedelta(hours=1)


def figures(*, start: datetime, end: datetime, now: datetime) -> dict[str, Any]:
    """Return the figures of [start, end), today's headline counts and the queue now."""
    # What both ranges read (the current hour's rows, today's counters) is read once.
    reads: dict = {}
    chosen = range_figures(start, end, now=now, reads=reads)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    today = range_figures(midnight, now, now=now, reads=reads)
    return {**headline_figures(today=today), **chosen, "queue": queue_now(now)}


def queue_now(now: datetime) -> dict[str, Any]:
    """Return how many shoppers wait for a person, how long so far, and who can serve them."""
    waits = [(now - (c.waiting_since or c.last_message_at)).total_seconds()
             for c in waiting_queue()]
    seen = queue.outlook(now)
    return {"waiting": len(waits),
            "avg_wait_s": round(sum(waits) / len(waits), 1) if waits else None,
            "longest_wait_s": round(max(waits), 1) if waits else None,
            "staff_online": seen.online, "free_places": seen.free,
            # What a shopper asking now would be told.
            "next_wait_min": seen.minutes(len(waits) + 1)}
