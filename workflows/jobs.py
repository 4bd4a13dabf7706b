"""When the dispatcher runs: a second after a commit that added subscribed events, at the next
retry that falls within the minute, and every minute whatever happens (the safety net)."""

from __future__ import annotations

import logging
import threading
import time

from flask import current_app
from sqlalchemy import select

from automation.runtime import jobs
from database import db
from database.base import utcnow
from database.models import WebhookSubscription
from database.outbox import on_commit
from workflows import dispatch

log = logging.getLogger(__name__)

WAKE_DELAY_S = 1.0     # commits within this second share one run
KINDS_TTL_S = 10.0

_lock = threading.Lock()
_next_wake = 0.0
_next_scheduled = 0.0
_kinds_cache: tuple[float, frozenset[str]] = (0.0, frozenset())


@jobs.job()
def dispatch_webhooks() -> None:
    """Run one pass of the dispatcher, then come back for a retry due within the minute."""
    outcome = dispatch.run(policy=dispatch.Policy.from_config(current_app.config))
    if outcome.collected or outcome.delivered or outcome.failed or outcome.dead:
        log.info("webhooks: %s collected, %s delivered, %s failed, %s dead",
                 outcome.collected, outcome.delivered, outcome.failed, outcome.dead)
    _come_back(outcome.next_due)


webhooks_every_minute = jobs.every_minute(dispatch_webhooks, name="webhooks_every_minute")


def _come_back(due) -> None:
    global _next_scheduled
    if due is None or jobs.queue.immediate:
        return
    delay = (due - utcnow()).total_seconds()
    if not 0 < delay < 60:
        return  # due now (the next pass takes it) or later (the minute sweep does)
    at = time.monotonic() + delay
    with _lock:
        if _next_scheduled and abs(_next_scheduled - at) < 1.0:
            return
        _next_scheduled = at
    dispatch_webhooks.schedule(delay=delay + 0.2)


def _subscribed_kinds() -> frozenset[str]:
    global _kinds_cache
    checked, kinds = _kinds_cache
    if time.monotonic() - checked < KINDS_TTL_S:
        return kinds
    # A connection of its own: the committing session cannot be used after its commit.
    with db.engine.connect() as connection:
        rows = connection.execute(select(WebhookSubscription.events)
                                  .where(WebhookSubscription.active.is_(True))).scalars()
        kinds = frozenset(kind for row in rows for kind in (row or []))
    _kinds_cache = (time.monotonic(), kinds)
    return kinds


def forget_kinds() -> None:
    """Drop the cached kinds subscribed to (after a subscription changed)."""
    global _kinds_cache
    _kinds_cache = (0.0, frozenset())


def _wake(kinds: frozenset[str]) -> None:
    global _next_wake
    if jobs.queue.immediate or not kinds & _subscribed_kinds():
        return
    now = time.monotonic()
    with _lock:
        if now < _next_wake:
            return
        _next_wake = now + WAKE_DELAY_S
    dispatch_webhooks.schedule(delay=WAKE_DELAY_S)


on_commit(_wake)
