"""The dashboard's rollup runs every five minutes in the worker."""

from __future__ import annotations

import logging

from huey import crontab

from automation.monitoring.rollup import roll_up
from automation.runtime import jobs
from database.base import utcnow

log = logging.getLogger(__name__)


@jobs.job()
def roll_up_counters() -> None:
    """Store the finished hours' dashboard counters."""
    written = roll_up(now=utcnow())
    log.info("dashboard rollup: %d counter rows written", written)


@jobs.queue.periodic_task(crontab(minute="*/5"))
def roll_up_every_five_minutes() -> None:
    """Roll the dashboard's counters up every five minutes."""
    try:
        roll_up_counters.call_local()
    except RuntimeError as exc:  # the queue is not bound to an app in this process
        log.debug("dashboard rollup skipped: %s", exc)
