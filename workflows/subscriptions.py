"""Webhook subscriptions: an outside URL, the event kinds it wants, and its signing secret.

A new subscription starts after the last event already recorded: it receives what happens
from then on, never the desk's whole history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import delete, func, select

from automation.runtime.errors import DeskError, validation_error
from database import db, events
from database.models import OutboxCursor, WebhookDelivery, WebhookSubscription
from database.outbox import get_cursor
from workflows.signing import new_secret

# The kinds a subscription may ask for; message.received only when named (it is every
# shopper message).
KINDS = (events.TICKET_CREATED, events.TICKET_UPDATED, events.TICKET_RESOLVED,
         events.HANDOFF_REQUESTED, events.CONVERSATION_CLOSED, events.CSAT_SUBMITTED,
         events.MESSAGE_RECEIVED, events.SLA_BREACHED)
OPT_IN = frozenset({events.MESSAGE_RECEIVED})
ALL = "*"


def cursor_name(subscription_id: int) -> str:
    """Return the name of the subscription's cursor in the outbox."""
    return f"webhook:{subscription_id}"


def check_url(url: str) -> str:
    """Return the URL stripped, or raise a validation error."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2000:
        raise validation_error({"url": "an http:// or https:// address (at most 2000 "
                                       "characters)"})
    return url


def check_kinds(kinds: Iterable[str]) -> list[str]:
    """Return the event kinds asked for ("*" is every one but the opt-in ones), or raise."""
    asked = [k.strip() for k in kinds if k and k.strip()]
    if ALL in asked:
        asked = [k for k in asked if k != ALL] + [k for k in KINDS if k not in OPT_IN]
    unknown = sorted({k for k in asked if k not in KINDS})
    if unknown or not asked:
        raise validation_error({"events": "one or more of " + ", ".join(KINDS)
                                + (f" (not {', '.join(unknown)})" if unknown else "")})
    return [k for k in KINDS if k in asked]


def add_subscription(url: str, kinds: Iterable[str], *, description: str = "",
                     staff_id: int | None = None) -> WebhookSubscription:
    """Create a subscription with a new secret, starting after the last event; commit."""
    problems: dict[str, str] = {}
    checked: dict[str, Any] = {}
    for name, check, value in (("url", check_url, url), ("events", check_kinds, kinds)):
        try:
            checked[name] = check(value)
        except DeskError as exc:
            problems.update(exc.fields)
    if problems:
        raise validation_error(problems)
    subscription = WebhookSubscription(url=checked["url"], events=checked["events"],
                                       secret=new_secret(), description=description.strip()[:200],
                                       active=True, created_by_id=staff_id)
    db.session.add(subscription)
    db.session.flush()
    get_cursor(cursor_name(subscription.id), start_at_end=True)
    events.record(events.WEBHOOK_SUBSCRIPTION_ADDED,
                  payload={"subscription_id": subscription.id, "url": subscription.url,
                           "events": subscription.events, "staff_id": staff_id})
    db.session.commit()
    return subscription


def get_subscription(subscription_id: int) -> WebhookSubscription:
    """Return the subscription, or raise not_found."""
    subscription = db.session.get(WebhookSubscription, subscription_id)
    if subscription is None:
        raise DeskError("not_found", f"no webhook subscription {subscription_id}")
    return subscription


def set_active(subscription_id: int, active: bool, *, staff_id: int | None = None
               ) -> WebhookSubscription:
    """Pause or resume a subscription (paused: deliveries wait, none is lost); commit."""
    subscription = get_subscription(subscription_id)
    if subscription.active != active:
        subscription.active = active
        events.record(events.WEBHOOK_SUBSCRIPTION_CHANGED,
                      payload={"subscription_id": subscription.id, "active": active,
                               "staff_id": staff_id})
    db.session.commit()
    return subscription


def remove_subscription(subscription_id: int, *, staff_id: int | None = None) -> None:
    """Delete a subscription, its deliveries and its cursor; commit."""
    subscription = get_subscription(subscription_id)
    url = subscription.url
    db.session.execute(delete(WebhookDelivery)
                       .where(WebhookDelivery.subscription_id == subscription_id))
    db.session.execute(delete(OutboxCursor)
                       .where(OutboxCursor.name == cursor_name(subscription_id)))
    db.session.delete(subscription)
    events.record(events.WEBHOOK_SUBSCRIPTION_REMOVED,
                  payload={"subscription_id": subscription_id, "url": url,
                           "staff_id": staff_id})
    db.session.commit()


def list_subscriptions() -> Sequence[WebhookSubscription]:
    """Return every subscription, oldest first."""
    return db.session.scalars(select(WebhookSubscription).order_by(WebhookSubscription.id)).all()


def delivery_counts() -> dict[int, dict[str, int]]:
    """Return, per subscription, how many deliveries are in each status."""
    rows = db.session.execute(
        select(WebhookDelivery.subscription_id, WebhookDelivery.status, func.count())
        .group_by(WebhookDelivery.subscription_id, WebhookDelivery.status))
    counts: dict[int, dict[str, int]] = {}
    for subscription_id, status, count in rows:
        counts.setdefault(subscription_id, {})[status] = count
    return counts


def secret_hint(secret: str) -> str:
    """Return the part of a secret people may see again: its prefix and last four."""
    return f"{secret[:10]}…{secret[-4:]}"


def subscription_view(subscription: WebhookSubscription) -> dict[str, Any]:
    """Return the subscription as lists show it (never its secret)."""
    return {"id": subscription.id, "url": subscription.url, "events": subscription.events,
            "active": subscription.active, "description": subscription.description,
            "secret_hint": secret_hint(subscription.secret),
            "created_at": subscription.created_at.isoformat()}
