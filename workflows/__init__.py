"""Outbound webhooks (the outbox dispatcher reading the events table) and the n8n workflow
JSON files beside this module.

`status()` is what the health page shows of them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from automation.runtime import health
from database import db
from database.base import utcnow
from database.models import WebhookDelivery, WebhookSubscription

STALE_AFTER = timedelta(minutes=10)


def status() -> dict[str, Any]:
    """Return the webhooks' health: subscriptions, backlog, dead letters, last error.

    `state` is "not_configured" (no subscription), "ok", or "degraded" (dead letters, or a
    delivery waiting more than ten minutes).
    """
    now = utcnow()
    active = db.session.scalar(select(func.count()).select_from(WebhookSubscription)
                               .where(WebhookSubscription.active.is_(True))) or 0
    total = db.session.scalar(select(func.count()).select_from(WebhookSubscription)) or 0
    counts = dict(db.session.execute(select(WebhookDelivery.status, func.count())
                                     .group_by(WebhookDelivery.status)).all())
    oldest = db.session.scalar(select(func.min(WebhookDelivery.created_at))
                               .where(WebhookDelivery.status.in_(("pending", "sending"))))
    last_ok = db.session.scalar(select(func.max(WebhookDelivery.delivered_at)))
    failing = db.session.execute(
        select(WebhookDelivery.last_attempt_at, WebhookDelivery.last_error,
               WebhookDelivery.delivery_id)
        .where(WebhookDelivery.last_error.is_not(None))
        .order_by(WebhookDelivery.last_attempt_at.desc()).limit(1)).first()
    backlog = counts.get("pending", 0) + counts.get("sending", 0)
    oldest_s = int((now - oldest).total_seconds()) if oldest else 0
    dead = counts.get("dead", 0)
    if not total:
        state = "not_configured"
    elif dead or oldest_s > STALE_AFTER.total_seconds():
        state = "degraded"
    else:
        state = "ok"
    return {
        "state": state,
        "subscriptions": total,
        "active_subscriptions": active,
        "backlog": backlog,
        "oldest_pending_s": oldest_s,
        "dead_letters": dead,
        "delivered": counts.get("delivered", 0),
        "last_delivered_at": last_ok.isoformat() if last_ok else None,
        "last_error": ({"at": failing.last_attempt_at.isoformat()
                        if failing.last_attempt_at else None,
                        "message": failing.last_error, "delivery_id": failing.delivery_id}
                       if failing else None),
    }


def health_part(_config: Any) -> dict[str, Any]:
    """Return the outbound webhooks' state and why, as the health page shows it."""
    webhooks = status()
    if webhooks["state"] == "not_configured":
        detail = "no subscription: events go nowhere (Settings → Webhooks)"
    elif webhooks["dead_letters"]:
        detail = (f"{webhooks['dead_letters']} dead letters wait for a Redeliver; "
                  f"{webhooks['backlog']} deliveries waiting")
    elif webhooks["state"] == "degraded":
        detail = (f"{webhooks['backlog']} deliveries waiting, the oldest for "
                  f"{webhooks['oldest_pending_s'] // 60} min")
    else:
        detail = (f"{webhooks['active_subscriptions']} active subscriptions; "
                  f"{webhooks['backlog']} deliveries waiting")
    return {**webhooks, "detail": detail}


health.register("webhooks", health_part)
