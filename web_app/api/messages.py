"""`POST /api/process-message`: other systems submit a shopper's message by email address."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from flask import Blueprint, current_app, jsonify
from pydantic import Field, StrictStr

from automation.runtime.errors import DeskError
from automation.conversations.turns import Inbound, Outcome
from automation.channels import delivery
from database.conversations import provider_id_taken
from database.customers import get_customer_by_email
from web_app.api import json_body
from web_app.api.schemas import Body, Email, parse
from web_app.auth import require_scope
from web_app.extensions import csrf, limiter
from web_app.tagging import with_simulation

bp = Blueprint("messages_api", __name__, url_prefix="/api")
csrf.exempt(bp)


class ProcessMessage(Body):
    email: Email
    message: Annotated[StrictStr, Field(min_length=1, max_length=20_000)]
    channel: Literal["api", "email"] = "api"
    subject: Annotated[StrictStr, Field(max_length=300)] | None = None
    message_id: Annotated[StrictStr, Field(min_length=1, max_length=255)] | None = None


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    """Return the API.md answer for an outcome."""
    return {
        "reply": outcome.reply, "intent": outcome.intent, "category": outcome.category,
        "sentiment": outcome.sentiment, "confidence": outcome.confidence,
        "language": outcome.language, "conversation_id": outcome.conversation_id,
        "ticket": outcome.ticket, "handoff": outcome.handoff, "quality": outcome.quality,
        "actions": outcome.actions, "status": outcome.status,
        "quick_replies": [{"label": q.label, "value": q.value} for q in outcome.quick_replies],
        "duplicate": outcome.duplicate,
    }


@bp.post("/process-message")
@require_scope("messages:write")
@limiter.limit(lambda: current_app.extensions["settings"].get("api_rate_limit"))
def process_message():
    data = parse(ProcessMessage, json_body())
    customer = get_customer_by_email(data.email)
    if customer is None or customer.status != "active":
        raise DeskError("not_registered", "email: no registered shopper with this address",
                        fields={"email": "not a registered shopper"})
    if data.message_id and provider_id_taken(data.channel, customer.id, data.message_id):
        # Another shopper's message carries this id: a conflict, never their reply.
        raise DeskError("conflict", "message_id: already used for another shopper's message",
                        fields={"message_id": "already used for another shopper's message"})
    outcome = current_app.extensions["engine"].handle(with_simulation(Inbound(
        channel=data.channel, customer_id=customer.id, text=data.message,
        external_id=data.message_id, subject=data.subject)))
    if outcome.reply_message_id is not None and not outcome.duplicate:
        delivery.in_response(outcome.reply_message_id, provider="api")  # in this answer
    return jsonify(outcome_json(outcome))
