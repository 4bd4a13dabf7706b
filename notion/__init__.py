"""Notion ticket sync, both ways: tickets out to a Notion database, leads' edits back in.

    sync = connect(app.config)      # NotionSync, or NullSync without NOTION_TOKEN
    sync.cycle(pull=True)           # what the worker runs; `flask --app web_app notion sync`
    status(app.config)              # what the health page shows

Only `notion.api` imports the Notion SDK.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from automation.runtime import health
from database.base import utcnow

_apis: dict[tuple[Any, ...], Any] = {}
_lock = threading.Lock()
DOWN_AFTER = timedelta(minutes=10)
LAG_DEGRADED_S = 300


def connect(config: Mapping[str, Any]) -> Any:
    """Return the sync the settings give: real with NOTION_TOKEN, null without."""
    from notion.sync import NotionSync, NullSync

    token = config.get("NOTION_TOKEN")
    if not token:
        return NullSync()
    return NotionSync(api_for(config), database_id=config.get("NOTION_DATABASE_ID"),
                      admin_url=config.get("ADMIN_BASE_URL"))


def api_for(config: Mapping[str, Any]) -> Any:
    """Return this process's Notion client for the settings (one per token: one rate limit)."""
    from notion.api import NotionAPI

    key = (config.get("NOTION_TOKEN"), config.get("NOTION_BASE_URL"),
           float(config.get("NOTION_RATE_PER_S") or 3), float(config.get("NOTION_TIMEOUT_S")
                                                                or 20))
    with _lock:
        if key not in _apis:
            _apis[key] = NotionAPI(key[0], base_url=key[1], rate_per_s=key[2],
                                   timeout_s=key[3])
        return _apis[key]


def status(config: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return the sync's health: lag, backlog, last pull and push, last error.

    `state` is "not_configured" (no NOTION_TOKEN), "ok", "degraded" (the last cycle failed,
    or changes wait more than five minutes) or "down" (failing for ten minutes or more).
    """
    from flask import current_app

    from database import db
    from database.models import OutboxCursor
    from database.outbox import oldest_pending_at, pending_count
    from notion.sync import CONSUMER, PUSH_KINDS

    config = config if config is not None else current_app.config
    configured = bool(config.get("NOTION_TOKEN"))
    cursor = db.session.get(OutboxCursor, CONSUMER)
    state = dict(cursor.state or {}) if cursor is not None else {}
    now = utcnow()
    pending, oldest = 0, None
    if configured and cursor is not None:
        pending = pending_count(cursor, kinds=PUSH_KINDS)
        oldest = oldest_pending_at(cursor, kinds=PUSH_KINDS)
    lag = int((now - oldest).total_seconds()) if oldest else 0
    failing_since = state.get("failing_since")
    if not configured:
        health = "not_configured"
    elif failing_since and now - _time(failing_since) >= DOWN_AFTER:
        health = "down"
    elif failing_since or lag > LAG_DEGRADED_S or not config.get("NOTION_DATABASE_ID"):
        health = "degraded"
    else:
        health = "ok"
    return {
        "state": health,
        "configured": configured,
        "database_id": config.get("NOTION_DATABASE_ID"),
        "lag_s": lag,
        "pending_events": pending,
        "last_push_at": state.get("last_push_at"),
        "last_pull_at": state.get("last_pull_at"),
        "failing_since": failing_since,
        "last_error": state.get("last_error"),
        "missing_properties": state.get("missing_properties", []),
    }


def health_part(config: Mapping[str, Any]) -> dict[str, Any]:
    """Return the sync's state and why, as the health page shows it (lag: oldest unsynced
    change)."""
    sync = status(config)
    error = (sync.get("last_error") or {}).get("message")
    if sync["state"] == "not_configured":
        detail = "not set (NOTION_TOKEN): tickets stay in the desk"
    elif sync["failing_since"]:
        detail = f"failing since {sync['failing_since'][:16]} UTC: {str(error)[:160]}"
    elif not sync["database_id"]:
        detail = "NOTION_DATABASE_ID not set: run `flask --app web_app notion init`"
    elif sync["lag_s"] > LAG_DEGRADED_S:
        detail = (f"{sync['pending_events']} changes wait, the oldest for "
                  f"{sync['lag_s'] // 60} min")
    else:
        detail = f"in sync (lag {sync['lag_s']} s, {sync['pending_events']} changes waiting)"
    return {**sync, "detail": detail}


health.register("notion", health_part)


def _time(value: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(value)
