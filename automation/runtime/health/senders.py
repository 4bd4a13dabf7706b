"""The ways replies leave: WhatsApp (Twilio, Meta) and email (SMTP), and their recent failures."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from automation.runtime.health.configured import configured
from database import events
from database.base import utcnow
from database.health import count_events, recent_events

WINDOW = timedelta(hours=1)
FAILED = ("failed", "undelivered")


def whatsapp_part(config: Any) -> dict[str, Any]:
    """Return the WhatsApp senders' state: configured, and deliveries failed in the last hour."""
    parts = configured(config)
    twilio, meta = parts["whatsapp_twilio"], parts["whatsapp_meta"]
    senders = {"twilio": twilio.configured, "meta": meta.configured}
    if not any(senders.values()):
        return {"state": "not_configured", "senders": senders,
                "detail": "not set (TWILIO_AUTH_TOKEN, or WHATSAPP_APP_SECRET and "
                          "WHATSAPP_VERIFY_TOKEN): the WhatsApp webhooks answer 503"}
    on = "; ".join(f"{name}: {part.detail}" for name, part in
                   (("Twilio", twilio), ("Meta", meta)) if part.configured)
    failed = count_events(events.MESSAGE_DELIVERY, since=utcnow() - WINDOW,
                          channel="whatsapp", status=FAILED)
    part: dict[str, Any] = {"senders": senders, "failed_last_hour": failed}
    if failed:
        part.update(state="degraded",
                    detail=f"{failed} deliveries failed in the last hour; {on}")
    elif meta.configured and not config.get("WHATSAPP_ACCESS_TOKEN"):
        part.update(state="degraded", detail=on)
    else:
        part.update(state="ok", detail=on)
    return part


def smtp_part(config: Any) -> dict[str, Any]:
    """Return the SMTP sender's state: configured, and sends failed in the last hour."""
    smtp = configured(config)["smtp"]
    if not smtp.configured:
        return {"state": "not_configured", "detail": smtp.detail}
    since = utcnow() - WINDOW
    failures = recent_events(events.EMAIL_SEND_FAILED, since=since)
    failed = count_events(events.EMAIL_SEND_FAILED, since=since) + count_events(
        events.MESSAGE_DELIVERY, since=since, channel="email", status=FAILED)
    if not failed:
        return {"state": "ok", "failed_last_hour": 0, "detail": smtp.detail}
    last = failures[0].payload.get("error") if failures else None
    return {"state": "degraded", "failed_last_hour": failed,
            "detail": f"{failed} emails not sent in the last hour"
                      + (f" (last: {str(last)[:160]})" if last else "")}


def email_part(config: Any) -> dict[str, Any]:
    """Return whether inbound email is on (its webhook's shared secret is set)."""
    email = configured(config)["email"]
    return {"state": "ok" if email.configured else "not_configured", "detail": email.detail}
