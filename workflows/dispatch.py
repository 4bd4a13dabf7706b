"""The outbound-webhook dispatcher: from the events table to each subscriber, signed, retried,
and never lost.

Two steps, each safe to cut at any point:

1. `collect` reads each subscription's events after its cursor and stores one delivery per
   event (its delivery id and body fixed once), moving the cursor in the same transaction.
   A second collector at the same time adds nothing: (subscription, event) is unique.
2. `send_due` claims due deliveries one at a time (a conditional UPDATE, committed) and POSTs
   them. A worker killed mid-POST leaves its claim, taken over after `stuck_after`: the
   receiver may see a delivery twice, always with the same `X-Desk-Delivery`.

A 2xx within the timeout is success; anything else is retried after base·2^(n−1) seconds
(or the receiver's Retry-After, if longer) until 24 h after the first try, then the delivery
is a dead letter an admin can send again.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import and_, func, or_, select, update

from database import db, events
from database.base import utcnow
from database.models import WebhookDelivery, WebhookSubscription
from database.outbox import advance, get_cursor, insert_ignore, read_batch
from workflows import payloads
from workflows.signing import sign
from workflows.subscriptions import cursor_name

log = logging.getLogger(__name__)

USER_AGENT = "support-desk-webhooks/1"
MAX_RETRY_AFTER_S = 3600


@dataclass(frozen=True)
class Policy:
    """How deliveries are made: timeouts, the retry base and window, links for payloads."""

    retry_base_s: float = 30.0
    window: timedelta = timedelta(hours=24)
    timeout_s: float = 10.0
    stuck_after: timedelta = timedelta(minutes=2)
    admin_url: str | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Policy:
        """Return the policy an app's settings give."""
        return cls(retry_base_s=float(config.get("WEBHOOK_RETRY_BASE_S") or 30),
                   timeout_s=float(config.get("WEBHOOK_TIMEOUT_S") or 10),
                   admin_url=config.get("ADMIN_BASE_URL"))

    def delay(self, attempts: int) -> float:
        """Return the wait after the `attempts`-th failed try."""
        return self.retry_base_s * 2 ** max(attempts - 1, 0)


@dataclass
class Outcome:
    """What one dispatch pass did."""

    collected: int = 0
    delivered: int = 0
    failed: int = 0
    dead: int = 0
    next_due: datetime | None = None
    errors: list[str] = field(default_factory=list)


# --- 1. collect: one delivery per event and subscription ------------------------------------

def collect(*, policy: Policy, now: datetime | None = None, batch_size: int = 500) -> int:
    """Store the deliveries of every event subscribed to since each cursor; return how many."""
    created = 0
    for subscription in db.session.scalars(select(WebhookSubscription)
                                           .order_by(WebhookSubscription.id)).all():
        created += _collect_one(subscription.id, set(subscription.events), policy=policy,
                                now=now, batch_size=batch_size)
    return created


def _collect_one(subscription_id: int, kinds: set[str], *, policy: Policy,
                 now: datetime | None, batch_size: int) -> int:
    created = 0
    while True:
        cursor = get_cursor(cursor_name(subscription_id), start_at_end=True)
        batch = read_batch(cursor, kinds=kinds, limit=batch_size, now=now)
        stamp = now or utcnow()
        rows = [{"delivery_id": f"dlv_{uuid.uuid4().hex}", "subscription_id": subscription_id,
                 "event_id": event.id, "event_kind": event.kind,
                 "body": payloads.body(event, admin_url=policy.admin_url),
                 "status": "pending", "attempts": 0, "next_attempt_at": stamp,
                 "window_started_at": stamp, "created_at": stamp}
                for event in batch.events]
        inserted = insert_ignore(WebhookDelivery, rows)
        if not advance(cursor, batch, now=now):
            db.session.rollback()  # another collector moved this cursor: it did this batch
            continue
        db.session.commit()
        created += inserted
        if batch.scanned < batch_size:
            return created


# --- 2. send: claim, POST, record ---------------------------------------------------------------

def send_due(*, policy: Policy, now: datetime | None = None, limit: int = 100,
             budget_s: float = 45.0, client: httpx.Client | None = None) -> Outcome:
    """Deliver what is due (and what a dead worker left claimed), within `budget_s`."""
    outcome = Outcome()
    started = time.monotonic()
    owned = client is None
    client = client or httpx.Client(follow_redirects=False)
    try:
        for delivery_pk in due_ids(policy=policy, now=now, limit=limit):
            if time.monotonic() - started > budget_s:
                break
            claimed_at = claim(delivery_pk, policy=policy, now=now)
            if claimed_at is None:
                continue
            result = attempt(delivery_pk, claimed_at, policy=policy, client=client, now=now)
            setattr(outcome, result, getattr(outcome, result) + 1)
    finally:
        if owned:
            client.close()
    outcome.next_due = next_due()
    return outcome


def due_ids(*, policy: Policy, now: datetime | None = None, limit: int = 100) -> list[int]:
    """Return deliveries due now, of active subscriptions, the longest waiting first."""
    now = now or utcnow()
    return list(db.session.scalars(
        select(WebhookDelivery.id)
        .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
        .where(WebhookSubscription.active.is_(True),
               or_(and_(WebhookDelivery.status == "pending",
                        WebhookDelivery.next_attempt_at <= now),
                   and_(WebhookDelivery.status == "sending",
                        WebhookDelivery.claimed_at < now - policy.stuck_after)))
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit)))


def claim(delivery_pk: int, *, policy: Policy, now: datetime | None = None) -> datetime | None:
    """Claim one delivery for one attempt and commit; return the claim's time, or None."""
    now = now or utcnow()
    claimed = db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_pk,
               or_(and_(WebhookDelivery.status == "pending",
                        WebhookDelivery.next_attempt_at <= now),
                   and_(WebhookDelivery.status == "sending",
                        WebhookDelivery.claimed_at < now - policy.stuck_after)))
        .values(status="sending", claimed_at=now, attempts=WebhookDelivery.attempts + 1,
                last_attempt_at=now)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return now if claimed.rowcount == 1 else None


def attempt(delivery_pk: int, claimed_at: datetime, *, policy: Policy, client: httpx.Client,
            now: datetime | None = None) -> str:
    """POST one claimed delivery and record how it went; return "delivered", "failed" or
    "dead"."""
    delivery = db.session.get(WebhookDelivery, delivery_pk, populate_existing=True)
    subscription = delivery.subscription
    raw, url = delivery.body.encode("utf-8"), subscription.url
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT,
               "X-Desk-Event": delivery.event_kind, "X-Desk-Delivery": delivery.delivery_id,
               "X-Desk-Signature": sign(subscription.secret, raw)}
    db.session.commit()  # no transaction stays open across the network call
    status_code, error, retry_after = None, None, None
    try:
        response = client.post(url, content=raw, headers=headers,
                               timeout=policy.timeout_s)
        status_code = response.status_code
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}: {response.text[:200]}"
            retry_after = _retry_after(response.headers.get("Retry-After"))
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    return record(delivery_pk, claimed_at, status_code=status_code, error=error,
                  retry_after=retry_after, policy=policy, now=now)


def record(delivery_pk: int, claimed_at: datetime, *, status_code: int | None,
           error: str | None, retry_after: float | None, policy: Policy,
           now: datetime | None = None) -> str:
    """Record the result of an attempt under its claim (a newer claim wins); commit."""
    now = now or utcnow()
    delivery = db.session.get(WebhookDelivery, delivery_pk, populate_existing=True)
    if delivery is None or delivery.status != "sending" or delivery.claimed_at != claimed_at:
        db.session.rollback()
        return "failed"  # taken over meanwhile: the other attempt records its own result
    delivery.last_status_code = status_code
    delivery.claimed_at = None
    if error is None:
        delivery.status, delivery.delivered_at, delivery.last_error = "delivered", now, None
        db.session.commit()
        return "delivered"
    delivery.last_error = error[:500]
    closes = delivery.window_started_at + policy.window
    if now >= closes:
        delivery.status, delivery.dead_at = "dead", now
        events.record(events.WEBHOOK_DEAD_LETTERED, level="warning",
                      payload={"delivery_id": delivery.delivery_id,
                               "subscription_id": delivery.subscription_id,
                               "event_id": delivery.event_id, "event": delivery.event_kind,
                               "attempts": delivery.attempts,
                               "last_status_code": status_code, "last_error": error[:300]})
        db.session.commit()
        log.warning("webhook %s dead after %s attempts: %s", delivery.delivery_id,
                    delivery.attempts, error)
        return "dead"
    wait = max(policy.delay(delivery.attempts), min(retry_after or 0, MAX_RETRY_AFTER_S))
    delivery.status = "pending"
    delivery.next_attempt_at = min(now + timedelta(seconds=wait), closes)
    db.session.commit()
    log.info("webhook %s failed (attempt %s), next at %s: %s", delivery.delivery_id,
             delivery.attempts, delivery.next_attempt_at.isoformat(), error)
    return "failed"


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


def next_due() -> datetime | None:
    """Return when the next pending delivery is due, or None."""
    return db.session.scalar(select(func.min(WebhookDelivery.next_attempt_at))
                             .where(WebhookDelivery.status == "pending"))


def run(*, policy: Policy, now: datetime | None = None,
        client: httpx.Client | None = None) -> Outcome:
    """Collect new deliveries, then send what is due: one pass of the dispatcher."""
    collected = collect(policy=policy, now=now)
    outcome = send_due(policy=policy, now=now, client=client)
    outcome.collected = collected
    return outcome


# --- dead letters ---------------------------------------------------------------------------

def redeliver(delivery_id: str, *, staff_id: int | None = None,
              now: datetime | None = None) -> WebhookDelivery:
    """Send a dead letter (or a delivered one) again, with a new 24 h window; commit."""
    from automation.runtime.errors import DeskError

    now = now or utcnow()
    delivery = db.session.scalar(select(WebhookDelivery)
                                 .where(WebhookDelivery.delivery_id == delivery_id))
    if delivery is None:
        raise DeskError("not_found", f"no delivery {delivery_id}")
    if delivery.status in ("pending", "sending"):
        raise DeskError("conflict", f"delivery {delivery_id} is already on its way")
    delivery.status, delivery.next_attempt_at = "pending", now
    delivery.window_started_at, delivery.dead_at, delivery.claimed_at = now, None, None
    events.record(events.WEBHOOK_REDELIVERED,
                  payload={"delivery_id": delivery.delivery_id,
                           "subscription_id": delivery.subscription_id,
                           "event_id": delivery.event_id, "staff_id": staff_id})
    db.session.commit()
    return delivery


def dead_letters(*, limit: int = 100) -> list[WebhookDelivery]:
    """Return the dead letters, newest first."""
    return list(db.session.scalars(select(WebhookDelivery)
                                   .where(WebhookDelivery.status == "dead")
                                   .order_by(WebhookDelivery.dead_at.desc()).limit(limit)))


def recent_deliveries(*, limit: int = 50, subscription_id: int | None = None
                      ) -> list[WebhookDelivery]:
    """Return the latest deliveries, newest first."""
    query = select(WebhookDelivery)
    if subscription_id is not None:
        query = query.where(WebhookDelivery.subscription_id == subscription_id)
    return list(db.session.scalars(query.order_by(WebhookDelivery.id.desc()).limit(limit)))
