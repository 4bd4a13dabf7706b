"""Settings admins change from the browser: stored in the database, the environment as defaults.

Each process reads them through a small cache that notices the table's latest change within
`RECHECK_S`, so a change made in the admin app is used by the next answer, in every process.
Every change is validated here and audited as a `settings.changed` event.

    store = ShopSettings(app.config)        # built once per app (app.extensions["settings"])
    store.get("routing_strategy")           # "manual", or what an admin chose
    store.set("return_window_days", 14, staff_id=3)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from automation.runtime.errors import DeskError
from database import db, events
from database.models import Setting

RECHECK_S = 2.0


@dataclass(frozen=True)
class Definition:
    """One setting: its environment default, and how a value is checked."""

    env: str | None
    default: Any
    check: Callable[[Any], Any]


def _int(low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError(f"a whole number from {low} to {high}")
        number = int(value)
        if not low <= number <= high:
            raise ValueError(f"a whole number from {low} to {high}")
        return number
    return check


def _float(low: float, high: float) -> Callable[[Any], float]:
    def check(value: Any) -> float:
        number = float(value)
        if not low <= number <= high:
            raise ValueError(f"a number from {low} to {high}")
        return number
    return check


def _choice(*choices: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in choices:
            raise ValueError("one of " + ", ".join(choices))
        return str(value)
    return check


def _text(max_length: int) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or not value.strip() or len(value) > max_length:
            raise ValueError(f"1 to {max_length} characters")
        return value.strip()
    return check


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("1", "true", "on", "yes"):
        return True
    if str(value).lower() in ("0", "false", "off", "no"):
        return False
    raise ValueError("on or off")


def _optional(pattern: str, hint: str, max_length: int = 120) -> Callable[[Any], str]:
    """Accept "" (unset) or a value matching `pattern`."""
    import re

    def check(value: Any) -> str:
        text = "" if value is None else str(value).strip()
        if text and (len(text) > max_length or not re.fullmatch(pattern, text)):
            raise ValueError(hint)
        return text
    return check


def _email(value: Any) -> str:
    """Accept "" (unset: support@ the public host) or a valid address, normalised."""
    from email_validator import EmailNotValidError, validate_email

    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    try:
        return validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise ValueError("an email address such as support@example.com") from None


def _rate(value: Any) -> str:
    """Accept a rate limit as the limiter reads it: "30 per minute", "100/hour"…"""
    from limits import parse

    text = "" if value is None else str(value).strip()
    try:
        parse(text)
    except ValueError:
        raise ValueError("a count per period, such as 30 per minute") from None
    return text


def _opening_hours(value: Any) -> dict[str, Any]:
    """{"timezone": "Europe/Lisbon", "days": {"mon": ["09:00", "18:00"], …}}; {} = always."""
    if isinstance(value, str) and value.strip().startswith("{"):
        import json

        try:
            value = json.loads(value)  # from the environment (OPENING_HOURS)
        except ValueError:
            raise ValueError("a timezone and opening times per day") from None
    if value in (None, "", {}):
        return {}
    if not isinstance(value, dict) or not isinstance(value.get("days", {}), dict):
        raise ValueError("a timezone and opening times per day")
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(str(value.get("timezone", "UTC")))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("an IANA time zone such as Europe/Lisbon") from None
    days = {}
    for day, hours in value.get("days", {}).items():
        if day not in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
            raise ValueError(f"unknown day {day!r}")
        if hours in (None, [], ""):
            continue
        if not (isinstance(hours, list) and len(hours) == 2
                and all(isinstance(h, str) and len(h) == 5 and h[2] == ":" for h in hours)
                and hours[0] < hours[1]):
            raise ValueError(f"{day}: opening and closing times such as 09:00 and 18:00")
        days[day] = hours
    return {"timezone": str(value.get("timezone", "UTC")), "days": days}


DEFINITIONS: dict[str, Definition] = {
    "shop_name": Definition("SHOP_NAME", "Demo Shop", _text(120)),
    "support_email": Definition("SUPPORT_EMAIL", "", _email),
    "return_window_days": Definition("RETURN_WINDOW_DAYS", 30, _int(0, 365)),
    "handoff_confidence": Definition("HANDOFF_CONFIDENCE", 0.70, _float(0.0, 1.0)),
    "routing_strategy": Definition("ROUTING_STRATEGY", "manual",
                                   _choice("manual", "round_robin", "least_loaded", "skills")),
    "opening_hours": Definition("OPENING_HOURS", {}, _opening_hours),
    # Whether Claude answers (when ANTHROPIC_API_KEY is set), and with which model.
    "claude_enabled": Definition("CLAUDE_ENABLED", True, _bool),
    "claude_model": Definition("ANTHROPIC_MODEL", "claude-sonnet-5-5",
                               _optional(r"claude-[a-z0-9.-]+", "a Claude model id such as "
                                         "claude-sonnet-5-5", 80)),
    # Per shopper on the web chat, per sender on WhatsApp, per address on the integration API.
    "chat_rate_limit": Definition("CHAT_RATE_LIMIT", "30 per minute", _rate),
    "whatsapp_rate_limit": Definition("WHATSAPP_RATE_LIMIT", "30/minute", _rate),
    "api_rate_limit": Definition("API_RATE_LIMIT", "120 per minute", _rate),
    # Privacy (automation.privacy.retention): days a closed or inactive conversation stays
    # live before it is archived, then days its archive is kept before it is erased.
    "retention_days": Definition("RETENTION_DAYS", 90, _int(1, 3650)),
    "archive_days": Definition("ARCHIVE_DAYS", 365, _int(1, 3650)),
    # Hours a ticket has before its SLA is breached, per priority (automation.tickets.sla).
    "sla_hours_urgent": Definition("SLA_HOURS_URGENT", 4, _int(1, 8760)),
    "sla_hours_high": Definition("SLA_HOURS_HIGH", 24, _int(1, 8760)),
    "sla_hours_normal": Definition("SLA_HOURS_NORMAL", 72, _int(1, 8760)),
    "sla_hours_low": Definition("SLA_HOURS_LOW", 168, _int(1, 8760)),
    # The staff side (docs/workspace.md): how long a disconnected agent keeps their
    # conversations, when a waiting shopper makes the on-duty staff get an email (0: never),
    # who counts as a VIP (their orders' total; 0: only shoppers flagged "vip"), and the
    # pre-approved WhatsApp templates used past Meta's 24-hour window.
    "reconnect_grace_s": Definition("RECONNECT_GRACE_S", 120, _int(1, 3600)),
    "escalation_minutes": Definition("ESCALATION_MINUTES", 5, _int(0, 1440)),
    "vip_spend": Definition("VIP_SPEND", 1000, _int(0, 10_000_000)),
    "whatsapp_template_name": Definition(
        "WHATSAPP_TEMPLATE_NAME", "",
        _optional(r"[a-z0-9_]{1,512}", "lower-case letters, digits and _ (Meta's template name)",
                  512)),
    "whatsapp_template_language": Definition(
        "WHATSAPP_TEMPLATE_LANGUAGE", "en",
        _optional(r"[a-z]{2,3}(_[A-Z]{2})?", "a template language code such as en, fr or pt_BR",
                  6)),
    "twilio_template_sid": Definition(
        "TWILIO_TEMPLATE_SID", "",
        _optional(r"HX[0-9a-fA-F]{32}", "a Twilio Content SID: HX and 32 hexadecimal digits")),
}


class ShopSettings:
    """The settings of one app: database values over environment defaults, cached."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.defaults: dict[str, Any] = {}
        for key, definition in DEFINITIONS.items():
            raw = config.get(definition.env) if definition.env else None
            self.defaults[key] = definition.check(raw) if raw not in (None, "") \
                else definition.default
        self._lock = threading.Lock()
        self._values: dict[str, Any] | None = None
        self._version: tuple[Any, ...] | None = None
        self._checked = 0.0

    def get(self, key: str) -> Any:
        """Return the setting's value (what an admin chose, else the environment's)."""
        return self.all()[key]

    def all(self) -> dict[str, Any]:
        """Return every setting's value."""
        now = time.monotonic()
        if self._values is not None and now - self._checked < RECHECK_S:
            return self._values
        version = tuple(db.session.execute(
            select(func.count(), func.max(Setting.updated_at))).one())
        with self._lock:
            if self._values is None or version != self._version:
                stored = {row.key: row.value for row in db.session.scalars(select(Setting))}
                self._values = {**self.defaults, **{k: v for k, v in stored.items()
                                                    if k in DEFINITIONS}}
                self._version = version
            self._checked = now
        return self._values

    def set(self, key: str, value: Any, *, staff_id: int | None) -> Any:
        """Validate and store a setting, audit it, and commit; return the stored value."""
        return self.update({key: value}, staff_id=staff_id)[key]

    def update(self, values: Mapping[str, Any], *, staff_id: int | None) -> dict[str, Any]:
        """Validate every value, then store and audit those that change, and commit.

        Nothing is stored when one value is refused: the error names every refused field.
        Returns the checked values.
        """
        unknown = [key for key in values if key not in DEFINITIONS]
        if unknown:
            raise DeskError("not_found", f"no setting {unknown[0]}")
        checked, errors = {}, {}
        for key, value in values.items():
            try:
                checked[key] = DEFINITIONS[key].check(value)
            except (TypeError, ValueError) as exc:
                errors[key] = str(exc)
        if errors:
            raise DeskError("validation_error", "; ".join(f"{k}: {v}" for k, v in
                                                          errors.items()), fields=errors)
        current = self.all()
        for key, value in checked.items():
            if value != current[key]:
                self._store(key, value, before=current[key], staff_id=staff_id)
        db.session.commit()
        self._checked = 0.0  # this process sees it at once; the others within RECHECK_S
        return checked

    def _store(self, key: str, checked: Any, *, before: Any, staff_id: int | None) -> None:
        row = db.session.get(Setting, key)
        if row is None:
            row = Setting(key=key, value=checked, updated_by_id=staff_id)
            db.session.add(row)
        else:
            row.value, row.updated_by_id = checked, staff_id
        events.record(events.SETTINGS_CHANGED, level="info",
                      payload={"key": key, "before": before, "after": checked,
                               "staff_id": staff_id})


def current() -> dict[str, Any] | None:
    """Return the current app's settings, or None outside an app that has a store."""
    from flask import current_app, has_app_context

    if not has_app_context() or "settings" not in current_app.extensions:
        return None
    return current_app.extensions["settings"].all()
