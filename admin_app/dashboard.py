"""The dashboard: the desk's figures over a chosen range, as a page that refreshes itself and
as JSON."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, current_app, jsonify, render_template, request
from flask_login import login_required

from admin_app.auth import staff_or_key
from admin_app.health import part_labels, state_labels
from automation.monitoring.dashboard import RANGES, figures, range_start
from automation.runtime.errors import DeskError
from automation.runtime.health import claude_model_state, system_health
from database.base import utcnow

bp = Blueprint("dashboard", __name__)
DEFAULT_RANGE = "24h"
LONGEST_CUSTOM = timedelta(days=366)


@bp.get("/")
@login_required
def index():
    """Show the dashboard for the range asked for (24 hours by default)."""
    return render_template("dashboard.html", figures=_figures(), **_health_labels())


@bp.get("/dashboard/figures")
@login_required
def figures_fragment():
    """Render the figures alone: the page polls them and swaps them in place."""
    return render_template("_figures.html", figures=_figures(), **_health_labels())


@bp.get("/api/dashboard-data")
@staff_or_key("admin:read")
def data():
    """Return the dashboard's figures as JSON (docs/monitoring.md)."""
    return jsonify(_figures())


def _figures() -> dict[str, Any]:
    now = utcnow()
    name, start, end = chosen_range(request.args, now=now)
    found = figures(start=start, end=end, now=now)
    found.update(range=name, start=start.isoformat(), end=end.isoformat(),
                 health=system_health(current_app.config), generated_at=now.isoformat())
    if current_app.config.get("ANTHROPIC_API_KEY"):
        found["claude_model"] = claude_model_state(current_app.config["ANTHROPIC_MODEL"])
    return found


def chosen_range(args: Any, *, now: datetime) -> tuple[str, datetime, datetime]:
    """Return the range asked for (`range=1h|24h|7d|30d`, or `from` and `to` dates or
    ISO times, UTC) as its name, start and end."""
    if args.get("from") or args.get("to"):
        start = _moment(args, "from", default=None)
        end = _moment(args, "to", default=now, end_of_day=True)
        if start >= end:
            raise DeskError("validation_error", "to: must come after from",
                            fields={"to": "must come after from"})
        if end - start > LONGEST_CUSTOM:
            raise DeskError("validation_error", "from: at most 366 days before to",
                            fields={"from": "at most 366 days before to"})
        return "custom", start, end
    name = args.get("range") or DEFAULT_RANGE
    if name not in RANGES:
        message = f"must be one of {', '.join(RANGES)}"
        raise DeskError("validation_error", f"range: {message}", fields={"range": message})
    return name, range_start(name, now), now


def _moment(args: Any, field: str, *, default: datetime | None,
            end_of_day: bool = False) -> datetime:
    """Read a date (a whole day: from its start, or to its end) or an ISO time, as UTC."""
    raw = (args.get(field) or "").strip()
    if not raw:
        if default is None:
            raise DeskError("validation_error", f"{field}: required with a custom range",
                            fields={field: "required with a custom range"})
        return default
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            return datetime.combine(day + timedelta(days=1) if end_of_day else day, time.min,
                                    tzinfo=UTC)
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise DeskError("validation_error", f"{field}: not a date (YYYY-MM-DD) or ISO time",
                        fields={field: "not a date (YYYY-MM-DD) or ISO time"}) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _health_labels() -> dict:
    # The health page's words for its parts and states, so both pages say the same.
    return {"part_labels": part_labels(), "state_labels": state_labels()}
