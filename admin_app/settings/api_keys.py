"""API keys on the settings pages: create (the key shown once), scopes, last use, revoke."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin_app.auth import roles_required
from admin_app.settings import bp
from automation.accounts.api_keys import issue_api_key, revoke_api_key
from automation.runtime.errors import DeskError
from database import db
from database.api_keys import SCOPES, list_api_keys


def scope_labels() -> dict[str, str]:
    """Return what each scope allows, in the staff member's language."""
    return {"messages:write": _("Send shopper messages (process-message)"),
            "catalog:write": _("Push customers, products and orders"),
            "tickets:read": _("Read tickets"), "tickets:write": _("Change tickets"),
            "conversations:read": _("Read conversations"),
            "conversations:write": _("Answer, assign and close conversations"),
            "admin:read": _("Read the dashboard and health figures")}


def _page(*, form: dict | None = None, errors: dict | None = None, code: int = 200):
    # The raw key crosses one redirect in the signed session cookie of the admin who made it,
    # and is dropped as soon as it is shown: the database only ever holds its hash.
    shown = session.pop("new_api_key", None)
    return render_template("settings/api_keys.html", keys=list_api_keys(), scopes=SCOPES,
                           labels=scope_labels(), new_key=shown, form=form or {"scopes": []},
                           errors=errors or {}), code


@bp.get("/api-keys")
@roles_required("admin")
def api_keys():
    return _page()


@bp.post("/api-keys")
@roles_required("admin")
def create_api_key():
    form = {"name": request.form.get("name", "").strip(),
            "scopes": request.form.getlist("scopes")}
    try:
        api_key, raw_key = issue_api_key(form["name"], form["scopes"], by=current_user.user.id)
    except DeskError as exc:
        db.session.rollback()
        if exc.code != "validation_error":
            raise
        hints = {"name": _("1 to 120 characters."), "scopes": _("Choose at least one scope.")}
        return _page(form=form, errors={key: hints[key] for key in exc.fields}, code=400)
    session["new_api_key"] = {"name": api_key.name, "key": raw_key}
    return redirect(url_for("settings.api_keys"), code=303)


@bp.post("/api-keys/<int:key_id>/revoke")
@roles_required("admin")
def revoke(key_id: int):
    try:
        api_key = revoke_api_key(key_id, by=current_user.user.id)
    except DeskError:
        raise DeskError("not_found", _("This key does not exist.")) from None
    flash(_("Key %(prefix)s… revoked: it no longer opens the API.", prefix=api_key.prefix))
    return redirect(url_for("settings.api_keys"), code=303)
