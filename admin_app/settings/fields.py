"""The settings page's groups of fields: labels, input kinds, and the hint shown on refusal.

The values are checked by the settings store (automation.runtime.shop_settings); this module
only says how each one is shown and read back from a form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Field:
    """One setting on the page."""

    key: str
    label: Any
    kind: str            # text | email | number | select | checkbox | hours
    hint: Any            # why a value was refused, in the staff member's language
    step: str = "1"
    low: int | float | None = None
    high: int | float | None = None
    choices: tuple[tuple[str, Any], ...] = ()
    note: Any = ""          # shown under the field while its value is accepted


@dataclass(frozen=True)
class Group:
    """A form of related settings, saved together."""

    name: str
    title: Any
    fields: tuple[Field, ...]


def _days(key: str, label: Any, low: int, high: int, note: Any = "") -> Field:
    return Field(key, label, "number", _l("A whole number from %(low)d to %(high)d.",
                                          low=low, high=high), low=low, high=high, note=note)


def _rate(key: str, label: Any) -> Field:
    return Field(key, label, "text", _l("A count per period, such as 30 per minute."),
                 note=_l("For example: 30 per minute, 500 per hour."))


GROUPS: tuple[Group, ...] = (
    Group("shop", _l("Shop"), (
        Field("shop_name", _l("Shop name"), "text", _l("1 to 120 characters.")),
        Field("support_email", _l("Support email"), "email",
              _l("An email address such as support@example.com."),
              note=_l("Replies by email come from this address. Empty: support@ the shop's "
                      "web address.")),
        _days("return_window_days", _l("Return window (days after delivery)"), 0, 365),
    )),
    Group("hours", _l("Opening hours"), (
        Field("opening_hours", _l("Opening hours"), "hours",
              _l("Each open day needs an opening and a closing time (opening first), in an "
                 "IANA time zone such as Europe/Lisbon."),
              note=_l("Outside these hours a shopper who asks for a person may leave a "
                      "message. No day filled in: always open.")),
    )),
    Group("handoff", _l("Handoff and routing"), (
        Field("handoff_confidence", _l("Handoff threshold (confidence)"), "number",
              _l("A number from 0 to 1."), step="0.01", low=0, high=1,
              note=_l("Below this confidence the AI is not sure it understood; twice in a "
                      "row, a person takes over.")),
        Field("routing_strategy", _l("Routing strategy"), "select", _l("Choose a strategy."),
              choices=(("manual", _l("Manual (agents pick)")),
                       ("round_robin", _l("Round robin")),
                       ("least_loaded", _l("Least loaded agent")),
                       ("skills", _l("By skills (language, topic)")))),
    )),
    Group("limits", _l("Rate limits"), (
        _rate("chat_rate_limit", _l("Web chat, per shopper")),
        _rate("whatsapp_rate_limit", _l("WhatsApp, per sender")),
        _rate("api_rate_limit", _l("Integration API, per address")),
    )),
    Group("claude", _l("AI agent"), (
        Field("claude_enabled", _l("Answer with Claude"), "checkbox", _l("On or off."),
              note=_l("Only when ANTHROPIC_API_KEY is set; otherwise the local agent answers.")),
        Field("claude_model", _l("Claude model"), "text",
              _l("A Claude model id such as claude-sonnet-5-5.")),
    )),
    Group("retention", _l("Retention"), (
        _days("retention_days", _l("Keep conversations (days)"), 1, 3650,
              _l("Closed or inactive conversations older than this are archived.")),
        _days("archive_days", _l("Keep archives (days)"), 1, 3650,
              _l("Archives older than this are erased.")),
    )),
)
BY_NAME = {group.name: group for group in GROUPS}


def read(group: Group, form: Any) -> dict[str, Any]:
    """Return the group's values as the form sent them (checked later by the store)."""
    values: dict[str, Any] = {}
    for field in group.fields:
        if field.kind == "checkbox":
            values[field.key] = field.key in form
        elif field.kind == "hours":
            values[field.key] = _hours(form)
        else:
            values[field.key] = form.get(field.key, "").strip()
    return values


def shown(group: Group, values: dict[str, Any]) -> dict[str, Any]:
    """Return what the inputs show for stored (or refused) values."""
    out = dict(values)
    for field in group.fields:
        if field.kind == "hours":
            hours = values.get(field.key) or {}
            days = hours.get("days") or {}
            out["hours_timezone"] = hours.get("timezone", "")
            for day in DAYS:
                span = days.get(day) or ["", ""]
                out[f"hours_{day}_open"], out[f"hours_{day}_close"] = span[0], span[1]
    return out


def _hours(form: Any) -> dict[str, Any]:
    days = {}
    for day in DAYS:
        opens = form.get(f"hours_{day}_open", "").strip()
        closes = form.get(f"hours_{day}_close", "").strip()
        if opens or closes:
            days[day] = [opens, closes]
    if not days:
        return {}
    return {"timezone": form.get("hours_timezone", "").strip() or "UTC", "days": days}


def day_names() -> dict[str, Any]:
    """Return each day's name, in the staff member's language."""
    return {"mon": _l("Monday"), "tue": _l("Tuesday"), "wed": _l("Wednesday"),
            "thu": _l("Thursday"), "fri": _l("Friday"), "sat": _l("Saturday"),
            "sun": _l("Sunday")}
