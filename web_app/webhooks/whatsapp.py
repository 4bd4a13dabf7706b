"""WhatsApp webhooks of both providers: their senders, the per-sender limit, strangers.

`init_app` registers `/webhooks/whatsapp/twilio` and `/webhooks/whatsapp/meta` and builds
the senders from the settings (the null ones when a provider is not configured).
"""

from __future__ import annotations


from flask import Flask, current_app, g
from flask_limiter import RateLimitExceeded

from automation.runtime.errors import DeskError
from automation.channels.whatsapp.identity import invitation, record_unregistered
from database import db, events
from automation.channels.whatsapp.common import WhatsAppMessage
from web_app.extensions import csrf, limiter



def init_app(app: Flask) -> None:
    """Register the WhatsApp webhooks."""
    # Importing the views imports the jobs too: the worker must know them before it runs one.
    from web_app.webhooks import meta_whatsapp, twilio_whatsapp

    for blueprint in (twilio_whatsapp.bp, meta_whatsapp.bp):
        csrf.exempt(blueprint)  # providers sign their requests; there is no form token
        app.register_blueprint(blueprint)


def not_configured(what: str, setting: str) -> DeskError:
    """Return the 503 error of a webhook whose provider is not configured."""
    return DeskError("not_configured", f"WhatsApp via {what} is not configured: set {setting}",
                     status=503)


def over_limit(message: WhatsAppMessage) -> bool:
    """Count a message against its sender's limit; past it, record an event and say so."""
    g.whatsapp_sender = message.sender_key
    try:
        with limiter.limit(_rate, key_func=_sender_key):
            pass
    except RateLimitExceeded:
        events.record(events.MESSAGE_RATE_LIMITED, level="warning", payload={
            "channel": "whatsapp", "provider": message.provider,
            "external_id": message.external_id, "sender": mask(message.sender_key),
            "limit": _rate()})
        db.session.commit()
        return True
    return False


def invite(message: WhatsAppMessage) -> str | None:
    """Return the invitation for a stranger's first delivery of a message, None for repeats."""
    if not record_unregistered(message.sender, provider=message.provider,
                               external_id=message.external_id):
        return None
    return invitation(message.sender,
                      shop_name=current_app.extensions["settings"].get("shop_name"),
                      public_base_url=current_app.config.get("PUBLIC_BASE_URL"))


def mask(value: str) -> str:
    """Return a phone or user id with all but its first three and last two characters hidden."""
    if len(value) <= 6:
        return "•" * len(value)
    return value[:3] + "•" * (len(value) - 5) + value[-2:]


def _rate() -> str:
    return current_app.extensions["settings"].get("whatsapp_rate_limit")


def _sender_key() -> str:
    # Read from the request, not a closure: the limiter keeps one limit object per call site,
    # shared by concurrent requests.
    return f"whatsapp:{g.get('whatsapp_sender', 'unknown')}"
