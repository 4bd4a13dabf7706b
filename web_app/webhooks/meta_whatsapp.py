"""`/webhooks/whatsapp/meta`: WhatsApp through Meta's Cloud API.

GET answers Meta's verification handshake. POST checks the signature over the raw body,
stores every message, acknowledges at once, and leaves the answers and the delivery reports
to background jobs (Meta expects a fast 200 and retries otherwise).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import asdict

from flask import Blueprint, Response, current_app, jsonify, request

from automation.channels.whatsapp import jobs as whatsapp_jobs
from automation.channels.whatsapp import meta as meta_whatsapp
from automation.channels.whatsapp.identity import find_shopper
from automation.conversations import jobs as conversation_jobs
from automation.runtime import json_limits
from automation.runtime.errors import DeskError
from database import db, events
from web_app.tagging import with_simulation as tagged
from web_app.webhooks.whatsapp import invite, not_configured, over_limit

bp = Blueprint("meta_whatsapp", __name__, url_prefix="/webhooks/whatsapp")


@bp.get("/meta")
def verify() -> Response:
    token = current_app.config.get("WHATSAPP_VERIFY_TOKEN")
    if not token:
        raise not_configured("Meta", "WHATSAPP_VERIFY_TOKEN")
    given = request.args.get("hub.verify_token", "")
    if request.args.get("hub.mode") != "subscribe" or not hmac.compare_digest(
            given.encode(), token.encode()):
        raise DeskError("forbidden", "hub.verify_token does not match WHATSAPP_VERIFY_TOKEN")
    return Response(request.args.get("hub.challenge", ""), mimetype="text/plain")


@bp.post("/meta")
def receive() -> Response:
    secret = current_app.config.get("WHATSAPP_APP_SECRET")
    if not secret:
        raise not_configured("Meta", "WHATSAPP_APP_SECRET")
    body = request.get_data(cache=True)  # the exact bytes Meta signed (413 past the limit)
    if not signature_matches(body, request.headers.get("X-Hub-Signature-256", ""), secret):
        raise DeskError("invalid_signature", "X-Hub-Signature-256 does not match this body")
    try:
        payload = json_limits.loads(body)
    except ValueError as exc:
        raise DeskError("validation_error", "body: not valid JSON",
                        fields={"body": "not valid JSON"}) from exc
    batch = meta_whatsapp.parse(payload)
    if batch.rejected:
        # Meta retries what is not acknowledged: a shape we cannot read is kept for a person
        # to look at, and acknowledged.
        events.record(events.WEBHOOK_REJECTED, level="warning",
                      payload={"provider": "meta", "rejected": batch.rejected,
                               "body": body[:4000].decode("utf-8", "replace")})
        db.session.commit()
    to_answer, invitations = _store(batch)
    # Queued only once everything is stored: the acknowledgement waits for no answer.
    if batch.statuses:
        whatsapp_jobs.apply_meta_statuses([
            {**asdict(s), "at": s.at.isoformat() if s.at else None} for s in batch.statuses])
    for to, text in invitations:
        whatsapp_jobs.send_meta_text(to, text)
    for message_id in to_answer:
        conversation_jobs.answer(message_id)
    return jsonify({"messages": len(batch.messages), "statuses": len(batch.statuses),
                    "rejected": batch.rejected})


def _store(batch: meta_whatsapp.Batch) -> tuple[list[int], list[tuple[str, str]]]:
    """Store the shoppers' messages; return those to answer and the invitations to send."""
    engine = current_app.extensions["engine"]
    to_answer, invitations = [], []
    for message in batch.messages:
        if over_limit(message):
            continue
        shopper = find_shopper(message.sender)
        if shopper is None:
            text, reply_to = invite(message), message.metadata["whatsapp"]["reply_to"]
            if text and reply_to:
                invitations.append((reply_to, text))
            continue
        accepted = engine.accept(tagged(message.inbound(shopper.id)))
        if conversation_jobs.needs_answer(accepted.message_id, new=accepted.new):
            to_answer.append(accepted.message_id)
    return to_answer, invitations


def signature_matches(body: bytes, header: str, secret: str) -> bool:
    """Tell whether `sha256=<hex>` is the HMAC-SHA256 of the raw body under the app secret."""
    if not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    given = header[len("sha256="):].strip().lower().encode()
    return hmac.compare_digest(given, expected.encode())
