"""What the staff side's flows are told about the shop: one snapshot of its settings.

Views and jobs take it from the app (`current()`), tests build it by hand; the flows below
receive it as an argument and never read settings themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app


@dataclass(frozen=True)
class StaffSide:
    """The settings of the queue, routing, escalation and staff replies."""

    routing_strategy: str = "manual"
    opening_hours: dict[str, Any] = field(default_factory=dict)
    reconnect_grace_s: int = 120
    escalation_minutes: int = 5
    vip_spend: int = 1000
    whatsapp_template_name: str = ""
    whatsapp_template_language: str = "en"
    twilio_template_sid: str = ""
    shop_name: str = "Demo Shop"
    public_base_url: str | None = None
    admin_base_url: str | None = None
    secret_key: str = "dev-only-change-me"

    @property
    def whatsapp_template(self) -> dict[str, str] | None:
        """Return the templates that carry a staff message past Meta's 24-hour window."""
        if not (self.whatsapp_template_name or self.twilio_template_sid):
            return None
        return {"name": self.whatsapp_template_name,
                "language": self.whatsapp_template_language or "en",
                "content_sid": self.twilio_template_sid}


def current() -> StaffSide:
    """Return the snapshot of the current app's settings (database over environment)."""
    values = current_app.extensions["settings"].all()
    config = current_app.config
    return StaffSide(
        routing_strategy=values["routing_strategy"], opening_hours=values["opening_hours"],
        reconnect_grace_s=values["reconnect_grace_s"],
        escalation_minutes=values["escalation_minutes"], vip_spend=values["vip_spend"],
        whatsapp_template_name=values["whatsapp_template_name"],
        whatsapp_template_language=values["whatsapp_template_language"],
        twilio_template_sid=values["twilio_template_sid"],
        shop_name=values.get("shop_name") or config.get("SHOP_NAME") or "Demo Shop",
        public_base_url=config.get("PUBLIC_BASE_URL"),
        admin_base_url=config.get("ADMIN_BASE_URL"),
        secret_key=config.get("SECRET_KEY") or "dev-only-change-me")


def current_or_default() -> StaffSide:
    """Return the current app's settings, or the defaults outside an app that has them."""
    from flask import has_app_context

    if not has_app_context() or "settings" not in current_app.extensions:
        return StaffSide()
    return current()
