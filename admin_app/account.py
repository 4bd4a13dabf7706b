"""Staff log in and out of the staff app; liveness for load balancers."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import Email, InputRequired

from admin_app.auth import Staff
from automation.accounts.staff import authenticate_staff, note_staff_login
from automation.accounts.throttle import attempt_login

bp = Blueprint("account", __name__)


class StaffLoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[InputRequired()])


@bp.get("/healthz")
def healthz():
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = StaffLoginForm()
    status, headers = 200, {}
    if form.validate_on_submit():
        staff, refusal = attempt_login(
            current_app.extensions["login_throttle"], authenticate_staff, app="admin",
            email=form.email.data, password=form.password.data,
            address=request.remote_addr or "")
        if staff is not None:
            login_user(Staff(staff))
            note_staff_login(staff)
            return redirect(_safe_next(request.args.get("next")))
        if refusal is None:
            form.password.errors.append(_("Wrong email or password."))
            status = 401
        else:
            minutes = max(1, -(-refusal.retry_after_s // 60))
            form.password.errors.append(ngettext(
                "Too many wrong passwords: try again in %(num)s minute.",
                "Too many wrong passwords: try again in %(num)s minutes.", minutes))
            status, headers = 429, {"Retry-After": str(refusal.retry_after_s)}
    elif form.is_submitted():
        status = 400
    return render_template("account/login.html", form=form), status, headers


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("account.login"))


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an absolute URL here would make the login page an open redirect.
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return url_for("dashboard.index")
