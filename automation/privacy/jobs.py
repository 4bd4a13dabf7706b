"""The retention schedule runs daily in the worker, at a quiet hour."""

from __future__ import annotations

import logging

from flask import current_app
from huey import crontab

from automation.privacy import retention
from automation.runtime import jobs
from database.base import utcnow

log = logging.getLogger(__name__)


@jobs.job()
def apply_retention() -> retention.RetentionRun:
    """Archive and erase what is past the retention periods set in Settings."""
    values = current_app.extensions["settings"].all()
    return retention.run(now=utcnow(), retention_days=values["retention_days"],
                         archive_days=values["archive_days"])


@jobs.queue.periodic_task(crontab(minute="17", hour="3"))
def retention_every_night() -> None:
    """Apply the retention periods once a day (03:17 UTC)."""
    try:
        apply_retention.call_local()
    except RuntimeError as exc:  # the queue is not bound to an app in this process
        log.debug("retention skipped: %s", exc)
