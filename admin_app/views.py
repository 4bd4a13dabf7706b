"""Pages and API of the staff app: login, the dashboard, the team."""

from __future__ import annotations

from datetime import UTC, datetime, time
from urllib.parse import urlsplit

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import EmailField, PasswordField
from wtforms.validators import Email, InputRequired

from admin_app.auth import Staff, roles_required, staff_or_key
from automation.accounts.shoppers import authenticate_staff
from automation.runtime.health import claude_model_state
from automation.accounts.staff import note_staff_login
from database import db
from database.metrics import dashboard_figures
from database.models import StaffUser

bp = Blueprint("admin", __name__)


class StaffLoginForm(FlaskForm):
    email = EmailField("Email", validators=[InputRequired(), Email()])
    password = PasswordField("Password", validators=[InputRequired()])


def _start_of_today() -> datetime:
    return datetime.combine(datetime.now(UTC).date(), time.min, tzinfo=UTC)


@bp.get("/healthz")
def healthz():
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("admin.dashboard"))
    form = StaffLoginForm()
    status = 200
    if form.validate_on_submit():
        staff = authenticate_staff(form.email.data, form.password.data)
        if staff is not None:
            login_user(Staff(staff))
            note_staff_login(staff)
            target = request.args.get("next", "")
            safe = target.startswith("/") and not target.startswith("//") \
                and not urlsplit(target).netloc
            return redirect(target if safe else url_for("admin.dashboard"))
        form.password.errors.append("Wrong email or password.")
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("admin.login"))


@bp.get("/")
@login_required
def dashboard():
    return render_template("dashboard.html", figures=_figures())


@bp.get("/dashboard/figures")
@login_required
def dashboard_fragment():
    return render_template("_figures.html", figures=_figures())


@bp.get("/api/dashboard-data")
@staff_or_key("admin:read")
def dashboard_data():
    figures = _figures()
    figures["generated_at"] = datetime.now(UTC).isoformat()
    return jsonify(figures)


@bp.get("/team")
@roles_required("admin", "supervisor")
def team():
    staff = db.session.scalars(select(StaffUser).order_by(StaffUser.role, StaffUser.name)).all()
    return render_template("team.html", staff=staff)


def _figures() -> dict:
    figures = dashboard_figures(since=_start_of_today())
    if current_app.config.get("ANTHROPIC_API_KEY"):
        figures["claude_model"] = claude_model_state(current_app.config["ANTHROPIC_MODEL"])
    return figures
