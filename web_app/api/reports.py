"""Reports for outside tools: the support lead's digest (n8n sends it every morning)."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, jsonify, request

from automation.runtime.errors import validation_error
from automation.tickets.views import conversation_url, iso, ticket_view
from database.base import utcnow
from database.digest import lowest_quality, open_tickets, window_counts, worst_rated
from database.tickets import breached_open_tickets
from web_app.auth import require_scope
from web_app.extensions import csrf

bp = Blueprint("reports_api", __name__, url_prefix="/api/reports")
csrf.exempt(bp)


@bp.get("/digest")
@require_scope("admin:read")
def digest():
    hours = request.args.get("hours", "24")
    if not hours.isdigit() or not 1 <= int(hours) <= 24 * 31:
        raise validation_error({"hours": "a whole number of hours from 1 to 744"})
    until = utcnow()
    since = until - timedelta(hours=int(hours))
    admin_url = current_app.config.get("ADMIN_BASE_URL")
    rated = worst_rated(since=since, until=until)
    weak = lowest_quality(since=since, until=until)
    for row in [*rated, *weak]:
        row["url"] = conversation_url(row["conversation_id"], admin_url)
    return jsonify(
        since=iso(since), until=iso(until), hours=int(hours),
        **window_counts(since=since, until=until),
        worst_rated=rated, lowest_quality=weak,
        open_urgent=[ticket_view(t, admin_url=admin_url)
                     for t in open_tickets(priority="urgent")],
        sla_breached_open=[ticket_view(t, admin_url=admin_url)
                           for t in breached_open_tickets(limit=20)])
