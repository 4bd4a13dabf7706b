"""Background jobs of the WhatsApp channel: providers' delivery reports, invitations."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from flask import current_app

from automation.channels import delivery
from automation.channels.results import SendError
from automation.channels.whatsapp import meta
from automation.runtime import jobs

log = logging.getLogger(__name__)


@jobs.job()
def send_meta_text(to: str, text: str) -> None:
    """Send a text that is not part of any conversation (the invitation to register)."""
    try:
        current_app.extensions["channels"].whatsapp.meta.send(meta.text_payload(text, to=to))
    except SendError as exc:
        log.warning("WhatsApp invitation not sent: %s", exc)


@jobs.job()
def apply_meta_statuses(reports: list[dict[str, Any]]) -> None:
    """Apply Meta's delivery reports to the messages they are about."""
    for report in reports:
        delivery.apply_status(
            provider="meta", provider_id=report["provider_id"], status=report["status"],
            at=datetime.fromisoformat(report["at"]) if report.get("at") else None,
            errors=report.get("errors") or None)
