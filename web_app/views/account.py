"""Registration, login and logout of shoppers."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from automation.accounts.shoppers import authenticate_shopper, register_shopper
from automation.accounts.throttle import attempt_login
from automation.runtime.errors import DeskError
from web_app.auth import Shopper
from web_app.extensions import limiter
from web_app.forms import RegisterForm, LoginForm

bp = Blueprint("account", __name__)
FIELD_PROBLEMS = {"already registered": _l("already registered")}  # flows' words, translated


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an absolute URL here would make the login page an open redirect.
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return url_for("pages.home")


def _form_page(template: str, form, status: int = 200):
    # htmx swaps only the form; a plain post (JavaScript off) gets the whole page.
    name = f"account/_{template}_form.html" if request.headers.get("HX-Request") \
        else f"account/{template}.html"
    response = render_template(name, form=form), status
    return (*response, {"Vary": "HX-Request"})


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            customer = register_shopper(
                first_name=form.first_name.data.strip(), last_name=form.last_name.data.strip(),
                email=form.email.data, password=form.password.data,
                language=form.language.data, phone=form.phone.data or None)
        except DeskError as exc:
            for name, problem in exc.fields.items():
                getattr(form, name).errors.append(FIELD_PROBLEMS.get(problem, problem))
            return _form_page("register", form, 409)
        login_user(Shopper(customer))
        return _redirect(url_for("pages.home"))
    return _form_page("register", form, 400 if form.is_submitted() else 200)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = LoginForm()
    if form.validate_on_submit():
        customer, refusal = attempt_login(
            current_app.extensions["login_throttle"], authenticate_shopper, app="shop",
            email=form.email.data, password=form.password.data,
            address=request.remote_addr or "")
        if customer is not None:
            login_user(Shopper(customer))
            return _redirect(_safe_next(request.args.get("next")))
        if refusal is None:
            form.password.errors.append(_("Wrong email or password."))
            return _form_page("login", form, 401)
        form.password.errors.append(_wait_message(refusal.retry_after_s))
        response = _form_page("login", form, 429)
        return (*response[:2], {**response[2], "Retry-After": str(refusal.retry_after_s)})
    return _form_page("login", form, 400 if form.is_submitted() else 200)


def _wait_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return ngettext("Too many wrong passwords: try again in %(num)s minute.",
                    "Too many wrong passwords: try again in %(num)s minutes.", minutes)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return _redirect(url_for("account.login"))


@bp.get("/logout")
def logout_page():
    # A GET must not log anyone out (a link or image could do it); show the form instead.
    return render_template("account/logout.html")


def _redirect(target: str):
    if request.headers.get("HX-Request"):
        return "", 204, {"HX-Redirect": target}
    return redirect(target)
