"""Staff on the settings pages: invite, change role, skills and capacity, deactivate.

An invited person opens their link (/settings/invitation/<token>, no login) to choose a
password; the link is shown to the admin once, to pass on.
"""

from __future__ import annotations

from typing import Any

from flask import (current_app, flash, redirect, render_template, request, session, url_for)
from flask_babel import gettext as _
from flask_login import current_user

from admin_app.auth import roles_required
from admin_app.settings import bp
from automation.accounts.team import (MIN_PASSWORD, accept_invitation, change_staff,
                                      invitation_token, invite_staff, invited_staff,
                                      set_staff_active)
from automation.runtime.errors import DeskError
from database import db
from database.models.choices import LANGUAGES, STAFF_ROLES
from database.staff import get_staff, list_staff


def role_labels() -> dict[str, str]:
    return {"agent": _("agent"), "supervisor": _("supervisor"), "admin": _("admin")}


def _hints(fields: dict[str, str]) -> dict[str, str]:
    """Return each refused field's reason in the staff member's language."""
    hints = {"name": _("1 to 120 characters."),
             "email": _("Already on the team.") if "already" in fields.get("email", "")
             else _("A valid email address."),
             "language": _("Choose a language."), "role": _("Choose a role."),
             "languages": _("Choose among the languages shown."),
             "categories": _("Names of at most 40 characters, separated by commas."),
             "max_concurrent": _("A whole number from 1 to 50."),
             "password": _("At least %(n)d characters.", n=MIN_PASSWORD)}
    if "own admin role" in fields.get("role", ""):
        hints["role"] = _("You cannot remove your own admin role.")
    elif "one active admin" in fields.get("role", ""):
        hints["role"] = _("The desk needs at least one active admin.")
    return {key: hints.get(key, value) for key, value in fields.items()}


def _page(*, invite_form: dict[str, Any] | None = None, invite_errors: dict | None = None,
          row_errors: dict[int, dict[str, str]] | None = None, code: int = 200):
    invited = None
    if (invited_id := session.pop("invited_staff_id", None)) is not None:
        person = get_staff(invited_id)
        if person is not None:
            token = invitation_token(person, current_app.config["SECRET_KEY"])
            # The address staff use (ADMIN_BASE_URL), not the one this request came by.
            base = current_app.config.get("ADMIN_BASE_URL") or request.host_url
            invited = {"name": person.name, "email": person.email,
                       "link": base.rstrip("/") + url_for("settings.invitation", token=token)}
    return render_template(
        "settings/staff.html", staff=list_staff(), roles=STAFF_ROLES, labels=role_labels(),
        languages=LANGUAGES, invited=invited, form=invite_form or {"role": "agent",
                                                                  "language": "en",
                                                                  "max_concurrent": "3"},
        errors=invite_errors or {}, row_errors=row_errors or {}), code


@bp.get("/staff")
@roles_required("admin")
def staff():
    return _page()


@bp.post("/staff/invite")
@roles_required("admin")
def invite():
    form = {key: request.form.get(key, "").strip()
            for key in ("name", "email", "role", "language", "max_concurrent", "categories")}
    form["languages"] = request.form.getlist("languages")
    try:
        person = invite_staff(
            name=form["name"], email=form["email"], role=form["role"],
            language=form["language"], languages=form["languages"],
            categories=form["categories"].split(","), capacity=form["max_concurrent"],
            invited_by=current_user.user.id)
    except DeskError as exc:
        db.session.rollback()
        if exc.code != "validation_error":
            raise
        return _page(invite_form=form, invite_errors=_hints(exc.fields), code=400)
    # After a redirect a reload invites nobody twice; the link is built on the next page.
    session["invited_staff_id"] = person.id
    return redirect(url_for("settings.staff"), code=303)


@bp.post("/staff/<int:staff_id>")
@roles_required("admin")
def change(staff_id: int):
    try:
        change_staff(staff_id, role=request.form.get("role", ""),
                     languages=request.form.getlist("languages"),
                     categories=request.form.get("categories", "").split(","),
                     capacity=request.form.get("max_concurrent", ""), by=current_user.user.id)
    except DeskError as exc:
        db.session.rollback()
        if exc.code != "validation_error":
            raise
        return _page(row_errors={staff_id: _hints(exc.fields)}, code=400)
    flash(_("Changes saved."))
    return redirect(url_for("settings.staff") + f"#staff-{staff_id}", code=303)


@bp.post("/staff/<int:staff_id>/invitation")
@roles_required("admin")
def reinvite(staff_id: int):
    person = get_staff(staff_id)
    if person is None or not person.active or person.last_seen_at is not None:
        raise DeskError("conflict", _("Only someone who never logged in gets a new "
                                      "invitation link."))
    # A lost link: the same kind of link again, shown once on the next page.
    session["invited_staff_id"] = person.id
    return redirect(url_for("settings.staff"), code=303)


@bp.post("/staff/<int:staff_id>/active")
@roles_required("admin")
def toggle_active(staff_id: int):
    person = get_staff(staff_id)
    if person is None:
        raise DeskError("not_found", _("This staff member does not exist."))
    try:
        set_staff_active(staff_id, not person.active, by=current_user.user.id)
    except DeskError as exc:
        db.session.rollback()
        message = _("You cannot deactivate yourself.") if "yourself" in exc.message \
            else _("The desk needs at least one active admin.")
        raise DeskError(exc.code, message) from None
    flash(_("%(name)s can log in again.", name=person.name) if person.active
          else _("%(name)s can no longer log in.", name=person.name))
    return redirect(url_for("settings.staff") + f"#staff-{staff_id}", code=303)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token: str):
    secret = current_app.config["SECRET_KEY"]
    try:
        person = invited_staff(token, secret)
    except DeskError:
        raise DeskError("not_found", _("This invitation is not valid, has expired or has "
                                       "been used.")) from None
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            accept_invitation(token, request.form.get("password", ""), secret_key=secret)
        except DeskError as exc:
            db.session.rollback()
            errors = _hints(exc.fields)
        else:
            return render_template("settings/invitation.html", person=person, done=True)
    return render_template("settings/invitation.html", person=person, errors=errors,
                           min_password=MIN_PASSWORD, done=False), 400 if errors else 200
