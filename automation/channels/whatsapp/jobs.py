"""Background jobs that answer WhatsApp messages and send the replies (ids in, never rows).

A job may run twice (a retried job, a retried delivery): the engine answers a message once,
and a reply is claimed before it is sent, so the shopper gets it once.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from flask import current_app

from automation.channels import delivery

from automation.runtime import jobs
from automation.channels.results import SendError, SendResult
from automation.conversations.turns import Outcome
from automation.channels.whatsapp.media import answer_message, reply_address
from automation.channels.whatsapp import meta as meta_whatsapp
from automation.channels.whatsapp import twilio as twilio_whatsapp
from web_app.webhooks.whatsapp import sender_for

log = logging.getLogger(__name__)


@jobs.job(retries=2, retry_delay=15)
def send_twilio_reply(message_id: int) -> None:
    """Answer a stored message and send the reply through Twilio's REST API."""
    outcome = answer_message(current_app.extensions["engine"], message_id)
    if not delivery.claim_for_sending(outcome.reply_message_id) or not outcome.reply:
        return
    address = reply_address(message_id)
    body = twilio_whatsapp.text_body(outcome.reply, outcome.quick_replies)
    base = current_app.config.get("PUBLIC_BASE_URL")
    # Twilio reports delivery to the same webhook when it knows where that is.
    callback = f"{base.rstrip('/')}/webhooks/whatsapp/twilio" if base else None
    _deliver(outcome, "twilio", lambda: sender_for("twilio").send(
        to=address.get("reply_to") or "", from_=address.get("business"), body=body,
        status_callback=callback))


@jobs.job(retries=2, retry_delay=15)
def send_meta_reply(message_id: int) -> None:
    """Answer a stored message and send the reply through the Graph API."""
    outcome = answer_message(current_app.extensions["engine"], message_id)
    if not delivery.claim_for_sending(outcome.reply_message_id) or not outcome.reply:
        return
    address = reply_address(message_id)
    payload = meta_whatsapp.format(outcome.reply, to=address.get("reply_to") or "",
                                   choices=outcome.quick_replies)
    _deliver(outcome, "meta", lambda: sender_for("meta").send(payload))


@jobs.job()
def send_meta_text(to: str, text: str) -> None:
    """Send a text that is not part of any conversation (the invitation to register)."""
    try:
        sender_for("meta").send(meta_whatsapp.text_payload(text, to=to))
    except SendError as exc:
        log.warning("WhatsApp invitation not sent: %s", exc)


@jobs.job()
def apply_meta_statuses(reports: list[dict[str, Any]]) -> None:
    """Apply Meta's delivery reports to the replies they are about."""
    for report in reports:
        delivery.apply_status(
            provider="meta", provider_id=report["provider_id"], status=report["status"],
            at=datetime.fromisoformat(report["at"]) if report.get("at") else None,
            errors=report.get("errors") or None)


def _deliver(outcome: Outcome, provider: str, send: Any) -> None:
    reply_id = outcome.reply_message_id
    try:
        result: SendResult = send()
    except SendError as exc:
        log.error("WhatsApp reply %s via %s failed: %s", reply_id, provider, exc)
        delivery.mark_not_sent(reply_id, provider=provider, reason=str(exc), failed=True)
        return
    if result.provider_id is None:
        delivery.mark_not_sent(reply_id, provider=provider,
                               reason=f"WhatsApp via {provider} is not configured")
    else:
        delivery.mark_sent(reply_id, provider=provider, provider_id=result.provider_id,
                           status=result.status)
