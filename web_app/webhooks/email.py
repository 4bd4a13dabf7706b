"""`POST /webhooks/email`: inbound email from an inbound-parse service (SendGrid, Mailgun…).

Verify the shared secret, parse, store the shopper's email (de-duplicated by Message-ID),
answer 200 at once; the reply is decided and sent by a background job.
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify, request
from limits import parse as parse_limit

from automation.channels.email import message as email_channel
from automation.channels.email.intake import note_ignored, note_rate_limited, note_unregistered
from automation.channels.email.jobs import invite_sender, mail_setup
from automation.channels.email.message import InboundEmail
from automation.conversations.jobs import answer, needs_answer
from automation.conversations.turns import Inbound
from automation.runtime.errors import DeskError
from database.customers import get_customer_by_email
from database.email_messages import find_thread
from web_app.extensions import csrf, limiter
from web_app.tagging import with_simulation

bp = Blueprint("email_webhook", __name__, url_prefix="/webhooks")
csrf.exempt(bp)

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
INVITATIONS_PER_SENDER = "3 per day"  # an unknown address is a spoofing target: invite sparingly


def init_app(app: Flask) -> None:
    """Register the webhook."""
    app.register_blueprint(bp)


@bp.post("/email")
def inbound_email():
    _verify_secret()
    mail = email_channel.parse(_payload())
    return jsonify(receive(mail))


def receive(mail: InboundEmail) -> dict[str, Any]:
    """Store an inbound email for its shopper and queue the answer; say what was done."""
    setup = mail_setup()
    reason = mail.automatic or ("own_address" if mail.sender == setup.support_address else None)
    if reason is not None:
        note_ignored(reason=reason, domain=mail.domain)  # answering could start a mail loop
        return {"status": "ignored", "reason": reason}
    shopper = get_customer_by_email(mail.sender)
    if shopper is None or shopper.status != "active":
        return _invite(mail)
    engine = current_app.extensions["engine"]
    accepted = engine.accept(with_simulation(Inbound(
        channel="email", customer_id=shopper.id, text=mail.text,
        external_id=mail.message_id, subject=mail.subject or None,
        conversation_id=find_thread(shopper.id, mail.thread_ids),
        metadata=mail.metadata())))
    message_id = accepted.message_id
    if not needs_answer(message_id, new=accepted.new):
        return {"status": "accepted", "message_id": message_id, "duplicate": True}
    if not _within_limit(mail.sender):
        note_rate_limited(domain=mail.domain, customer_id=shopper.id, message_id=message_id)
        return {"status": "rate_limited", "message_id": message_id,
                "duplicate": not accepted.new}
    answer(message_id)
    return {"status": "accepted", "message_id": message_id, "duplicate": not accepted.new}


def _invite(mail: InboundEmail) -> dict[str, Any]:
    if not note_unregistered(domain=mail.domain, message_id=mail.message_id):
        return {"status": "not_registered", "duplicate": True}
    if not (_within_limit(mail.sender) and _within_limit(mail.sender, INVITATIONS_PER_SENDER,
                                                          scope="email-invitation")):
        note_rate_limited(domain=mail.domain)
        return {"status": "rate_limited", "duplicate": False}
    invite_sender(to=mail.sender, subject=mail.subject, message_id=mail.message_id,
                  references=mail.references, text=mail.text)
    return {"status": "not_registered", "duplicate": False}


def _within_limit(sender: str, rate: str | None = None, *, scope: str = "email-sender") -> bool:
    """Count one email from `sender` against its limit; False once the limit is passed."""
    if not limiter.enabled:
        return True
    item = parse_limit(rate or current_app.config.get("EMAIL_RATE_LIMIT") or "20 per hour")
    return limiter.limiter.hit(item, scope, sender)


def _verify_secret() -> None:
    secret = current_app.config.get("EMAIL_WEBHOOK_SECRET")
    if not secret:
        raise DeskError("not_configured", "email channel not configured: set "
                        "EMAIL_WEBHOOK_SECRET", status=503)
    given = request.headers.get("X-Webhook-Secret") or request.args.get("secret") or ""
    if not hmac.compare_digest(given.encode(), str(secret).encode()):
        raise DeskError("invalid_signature", "X-Webhook-Secret: missing or wrong")


def _payload() -> dict[str, Any]:
    """Return the posted fields: form fields (first value of each) or a JSON object."""
    if request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise DeskError("validation_error", "body: not a JSON object",
                            fields={"body": "not a JSON object"})
        return data
    if request.mimetype in FORM_TYPES:
        return {key: request.form.get(key) for key in request.form}
    raise DeskError("unsupported_media_type",
                    "send multipart/form-data, application/x-www-form-urlencoded or JSON")
