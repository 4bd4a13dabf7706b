"""The dashboard: the desk's figures, as a page that refreshes itself and as JSON."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import Blueprint, current_app, jsonify, render_template
from flask_login import login_required

from admin_app.auth import staff_or_key
from automation.runtime.health import claude_model_state
from database.metrics import dashboard_figures

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@login_required
def index():
    return render_template("dashboard.html", figures=_figures())


@bp.get("/dashboard/figures")
@login_required
def figures_fragment():
    return render_template("_figures.html", figures=_figures())


@bp.get("/api/dashboard-data")
@staff_or_key("admin:read")
def data():
    figures = _figures()
    figures["generated_at"] = datetime.now(UTC).isoformat()
    return jsonify(figures)


def _figures() -> dict:
    start_of_today = datetime.combine(datetime.now(UTC).date(), time.min, tzinfo=UTC)
    figures = dashboard_figures(since=start_of_today)
    if current_app.config.get("ANTHROPIC_API_KEY"):
        figures["claude_model"] = claude_model_state(current_app.config["ANTHROPIC_MODEL"])
    return figures
