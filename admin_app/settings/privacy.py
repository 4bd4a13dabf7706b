"""Privacy on the settings pages: a shopper looked up by email, exported as JSON or erased
after a confirmation step; the retention periods and their last runs."""

from __future__ import annotations

import json

from flask import (current_app, flash, redirect, render_template, request, url_for)
from flask_babel import gettext as _
from flask_login import current_user

from admin_app.auth import roles_required
from admin_app.settings import bp
from automation.privacy import erase, export
from automation.privacy.jobs import apply_retention
from automation.runtime.errors import DeskError
from database.privacy import privacy_history


def _by() -> str:
    return f"staff:{current_user.user.id}"


def _shopper(email: str):
    try:
        return export.find_shopper(email)
    except DeskError:
        return None


@bp.get("/privacy")
@roles_required("admin")
def privacy():
    email = request.args.get("email", "").strip()
    shopper = _shopper(email) if email else None
    return render_template(
        "settings/privacy.html", email=email, shopper=shopper,
        holdings=export.holdings(shopper) if shopper else None,
        confirm=request.args.get("confirm") == "erase" and shopper is not None,
        values=current_app.extensions["settings"].all(),
        history=privacy_history(limit=20))


@bp.post("/privacy/export")
@roles_required("admin")
def export_shopper():
    email = request.form.get("email", "").strip()
    try:
        document = export.export_shopper(email, by=_by(),
                                         secret_key=current_app.config["SECRET_KEY"])
    except DeskError:
        raise DeskError("not_found", _("No shopper has this email address.")) from None
    body = json.dumps(document, ensure_ascii=False, indent=2, default=str)
    return current_app.response_class(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="shopper-{document["customer"]["id"]}'
                               '.json"',
        "Cache-Control": "no-store"})


@bp.post("/privacy/erase")
@roles_required("admin")
def erase_shopper():
    email = request.form.get("email", "").strip()
    if request.form.get("confirm_email", "").strip().lower() != email.lower():
        flash(_("Type the shopper's email address again to confirm the erasure."))
        return redirect(url_for("settings.privacy", email=email, confirm="erase"), code=303)
    try:
        done = erase.erase_shopper(email, by=_by(), secret_key=current_app.config["SECRET_KEY"])
    except DeskError:
        raise DeskError("not_found", _("No shopper has this email address.")) from None
    flash(_("Shopper %(id)d erased: %(messages)d messages, %(conversations)d conversations, "
            "%(tickets)d tickets, %(archives)d archives; %(orders)d orders kept without "
            "personal data.", id=done.customer_id, messages=done.counts["messages"],
            conversations=done.counts["conversations"], tickets=done.counts["tickets"],
            archives=done.counts["archives"], orders=done.counts["orders_kept"]))
    return redirect(url_for("settings.privacy"), code=303)


@bp.post("/privacy/retention")
@roles_required("admin")
def run_retention():
    run = apply_retention.call_local()
    flash(_("Retention applied: %(archived)d conversations archived, %(purged)d archives "
            "erased.", archived=run.archived, purged=run.purged))
    return redirect(url_for("settings.privacy"), code=303)
