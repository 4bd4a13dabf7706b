"""The email outbox: every email the desk wrote, newest first, and each one in full.

Without SMTP (the embedded default) this is where replies wait; with SMTP it is the record of
what was sent and what failed.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import login_required

from database.email_messages import get_outbound_email, outbound_emails

bp = Blueprint("outbox", __name__, url_prefix="/outbox")

STATUSES = ("outbox", "sent", "failed", "queued")
PAGE_SIZE = 50


@bp.get("")
@login_required
def index():
    status = request.args.get("status")
    status = status if status in STATUSES else None
    before = request.args.get("before", type=int)
    rows = list(outbound_emails(status=status, before_id=before, limit=PAGE_SIZE + 1))
    more = len(rows) > PAGE_SIZE
    return render_template("outbox.html", emails=rows[:PAGE_SIZE], status=status,
                           statuses=STATUSES, more=more,
                           smtp=bool(current_app.config.get("SMTP_URL")))


@bp.get("/<int:message_id>")
@login_required
def detail(message_id: int):
    message = get_outbound_email(message_id)
    if message is None:
        abort(404)
    return render_template("outbox_detail.html", message=message,
                           email=(message.meta or {}).get("email") or {},
                           error=(message.meta or {}).get("delivery_error"))
