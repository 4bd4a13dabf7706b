"""System health: every part's state and why, as a page that refreshes itself and as JSON."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, jsonify, render_template
from flask_babel import gettext as _

import notion  # noqa: F401  (adds the Notion sync's part to the health checks)
import workflows  # noqa: F401  (adds the outbound webhooks' part)
from admin_app.auth import roles_required, staff_or_key
from automation.runtime.health import system_health

bp = Blueprint("health", __name__)


def part_labels() -> dict[str, str]:
    """Return each part's name in the staff member's language."""
    return {"database": _("Database"), "redis": _("Redis"), "worker": _("Worker and jobs"),
            "claude": _("Claude"), "whatsapp": _("WhatsApp senders"), "smtp": _("Email (SMTP)"),
            "email": _("Inbound email"), "notion": _("Notion sync"),
            "webhooks": _("Outbound webhooks"), "disk": _("Disk space")}


def state_labels() -> dict[str, str]:
    """Return each state in the staff member's language."""
    return {"ok": _("ok"), "degraded": _("degraded"), "down": _("down"),
            "not_configured": _("not configured")}


def _render(template: str):
    health = system_health(current_app.config)
    return render_template(template, health=health, parts=part_labels(),
                           states=state_labels(), uptime=timedelta(seconds=health["uptime_s"]))


@bp.get("/health")
@roles_required("supervisor", "admin")
def index():
    return _render("health/index.html")


@bp.get("/health/parts")
@roles_required("supervisor", "admin")
def parts():
    return _render("health/_parts.html")


@bp.get("/api/health")
@staff_or_key("admin:read")
def data():
    return jsonify(system_health(current_app.config))
