"""`POST /webhooks/whatsapp/twilio`: WhatsApp messages through Twilio, answered in TwiML.

The reply goes back in the TwiML answer, unless answering may take long (the Claude agent,
or TWILIO_REPLY_MODE=rest): then the answer is an empty TwiML acknowledgement and the reply
follows through the REST API from a background job.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, Response, current_app, request
from twilio.request_validator import RequestValidator

from automation.channels import delivery
from automation.channels.whatsapp import twilio as twilio_whatsapp
from automation.channels.whatsapp.identity import find_shopper
from automation.conversations import jobs as conversation_jobs
from automation.conversations.turns import QuickReply
from automation.runtime.errors import DeskError
from web_app.tagging import with_simulation as tagged
from web_app.webhooks.whatsapp import invite, not_configured, over_limit

bp = Blueprint("twilio_whatsapp", __name__, url_prefix="/webhooks/whatsapp")
TWIML_WAIT_S = 10.0  # Twilio waits 15 s for its answer


@bp.post("/twilio")
def receive() -> Response:
    token = current_app.config.get("TWILIO_AUTH_TOKEN")
    if not token:
        raise not_configured("Twilio", "TWILIO_AUTH_TOKEN")
    signature = request.headers.get("X-Twilio-Signature", "")
    # Every posted field is signed, including ones Twilio adds without notice.
    if not signature or not RequestValidator(token).validate(public_url(), request.form,
                                                             signature):
        raise DeskError("invalid_signature", "X-Twilio-Signature does not match this request")
    if (report := twilio_whatsapp.parse_status(request.form)) is not None:
        delivery.apply_status(provider="twilio", provider_id=report[0], status=report[1])
        return _twiml(None)
    message = twilio_whatsapp.parse(request.form)
    if message is None or over_limit(message):
        return _twiml(None)
    shopper = find_shopper(message.sender)
    if shopper is None:
        return _twiml(invite(message))
    engine = current_app.extensions["engine"]
    accepted = engine.accept(tagged(message.inbound(shopper.id)))
    if reply_mode() == "rest":
        if conversation_jobs.needs_answer(accepted.message_id, new=accepted.new):
            conversation_jobs.answer(accepted.message_id)
        return _twiml(None)
    try:
        # A redelivery arriving while the first is answered waits for it, then says nothing.
        outcome = engine.answer(accepted.message_id, wait_s=TWIML_WAIT_S)
    except DeskError as exc:
        if exc.code != "conflict":
            raise
        return _twiml(None)
    if outcome.reply_message_id is None or not delivery.in_response(
            outcome.reply_message_id, provider="twilio"):
        return _twiml(None)  # Twilio retried: the first delivery carries the reply
    return _twiml(outcome.reply, outcome.quick_replies)


def public_url() -> str:
    """Return the URL Twilio called, as it signed it: the public one, not Flask's own."""
    query = request.query_string.decode("utf-8", "replace")
    path = request.path + (f"?{query}" if query else "")
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + path
    # Behind a trusted proxy, Werkzeug's ProxyFix (see web_app.create_app) has already made
    # the scheme and host the ones the client used.
    return f"{request.scheme}://{request.host}{path}"


def reply_mode() -> str:
    """Return how replies go out: "twiml" (in the answer) or "rest" (from the worker)."""
    mode = (current_app.config.get("TWILIO_REPLY_MODE") or "").strip().lower()
    if mode in ("twiml", "rest"):
        return mode
    return "rest" if current_app.config.get("ANTHROPIC_API_KEY") else "twiml"


def _twiml(reply: str | None, choices: Sequence[QuickReply] = ()) -> Response:
    return Response(twilio_whatsapp.format(reply, choices), mimetype="application/xml")

