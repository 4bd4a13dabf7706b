"""The SLA check runs every minute in the worker."""

from __future__ import annotations

import logging

from huey import crontab

from automation.runtime import jobs
from automation.tickets import sla

log = logging.getLogger(__name__)


@jobs.job()
def check_sla() -> None:
    """Record `sla.breached` for tickets that just went past their due time."""
    sla.check()


@jobs.queue.periodic_task(crontab(minute="*"))
def sla_every_minute() -> None:
    """Check the SLAs once a minute."""
    try:
        check_sla.call_local()
    except RuntimeError as exc:  # the queue is not bound to an app in this process
        log.debug("SLA check skipped: %s", exc)
