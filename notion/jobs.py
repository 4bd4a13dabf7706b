"""When the Notion sync runs in the worker: a push a second after a commit that touched
tickets, a pull every NOTION_POLL_S (default 60), and a full cycle every minute."""

from __future__ import annotations

import logging
import threading
import time

from flask import current_app, has_app_context

from automation.runtime import jobs
from database.outbox import on_commit
from notion.sync import PUSH_KINDS

log = logging.getLogger(__name__)

WAKE_DELAY_S = 1.0
BUSY_RETRY_S = 5.0

_lock = threading.Lock()
_next_wake = 0.0


@jobs.job()
def notion_sync(pull: bool = False) -> None:
    """Run one cycle (push, and pull when asked); come back soon when another one was busy."""
    import notion

    config = current_app.config
    sync = notion.connect(config)
    if not sync.configured:
        return
    result = sync.cycle(pull=pull)
    if result.skipped and not jobs.queue.immediate:
        notion_sync.schedule(kwargs={"pull": pull}, delay=BUSY_RETRY_S)
    elif result.created or result.updated or result.findings.applied or result.error:
        log.info("notion: %s", " ".join(result.lines()))


@jobs.job()
def notion_minute() -> None:
    """Push every minute, pull when NOTION_POLL_S has passed (several times a minute when
    it is shorter than one)."""
    from datetime import datetime

    from database import db
    from database.base import utcnow
    from database.models import OutboxCursor
    from notion.sync import CONSUMER

    config = current_app.config
    if not config.get("NOTION_TOKEN"):
        return
    poll = max(int(config.get("NOTION_POLL_S") or 60), 5)
    cursor = db.session.get(OutboxCursor, CONSUMER)
    last = (cursor.state or {}).get("last_pull_at") if cursor is not None else None
    due = last is None or (utcnow() - datetime.fromisoformat(last)).total_seconds() >= poll - 5
    notion_sync.call_local(pull=due)
    if poll < 60 and not jobs.queue.immediate:
        for delay in range(poll, 60, poll):
            notion_sync.schedule(kwargs={"pull": True}, delay=delay)


notion_every_minute = jobs.every_minute(notion_minute, name="notion_every_minute")


def _wake(kinds: frozenset[str]) -> None:
    global _next_wake
    if jobs.queue.immediate or not kinds & PUSH_KINDS:
        return
    if not has_app_context() or not current_app.config.get("NOTION_TOKEN"):
        return
    now = time.monotonic()
    with _lock:
        if now < _next_wake:
            return
        _next_wake = now + WAKE_DELAY_S
    notion_sync.schedule(kwargs={"pull": False}, delay=WAKE_DELAY_S)


on_commit(_wake)
