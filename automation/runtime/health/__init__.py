"""The health of every part of the desk, read by the health page, /api/health and the dashboard.

    system_health(app.config)   # {"status", "checked_at", "version", "uptime_s", "parts": {...}}

Each part has a `state` ("ok", "degraded", "down" or "not_configured") and a `detail` that
says why. Parts owned by packages above this one (the Notion sync, outbound webhooks) add
their own check with `register`, so the imports keep flowing one way.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

from automation.runtime.health.build import uptime_s, version
from automation.runtime.health.claude import claude_model_state, claude_part
from automation.runtime.health.configured import Part, configured_parts
from automation.runtime.health.disk import data_folder, disk_part
from automation.runtime.health.processes import beat, process_state, worker_part
from automation.runtime.health.senders import email_part, smtp_part, whatsapp_part
from automation.runtime.health.stores import database_part, redis_part
from database import db
from database.base import utcnow

__all__ = ["Part", "STATES", "beat", "claude_model_state", "configured_parts", "process_state",
           "register", "system_health"]

STATES = ("ok", "degraded", "down", "not_configured")
CACHE_S = 2.0  # pages poll; one check every two seconds is plenty
_SEVERITY = {"ok": 0, "not_configured": 0, "degraded": 1, "down": 2}
_probes: dict[str, Callable[[Any], dict[str, Any]]] = {}
_cache: dict[int, tuple[Any, float, dict[str, Any]]] = {}
_lock = threading.Lock()


def register(name: str, probe: Callable[[Any], dict[str, Any]]) -> None:
    """Add the part `name`, checked by `probe(config)` returning at least state and detail."""
    _probes[name] = probe


def system_health(config: Any) -> dict[str, Any]:
    """Return every part's state ("ok", "degraded", "down", "not_configured") and why.

    Shape: {"status": worst state of the configured parts, "checked_at": ISO time,
    "version", "uptime_s", "parts": {name: {"state": ..., "detail": ..., ...}, ...}}.
    The result is kept for two seconds per app: polling pages and the dashboard share it.
    """
    now = time.monotonic()
    with _lock:
        cached = _cache.get(id(config))
        # The weak reference tells a recycled id (another app's settings) from ours.
        if cached is not None and cached[0]() is config and now - cached[1] < CACHE_S:
            return cached[2]
    health = _check(config)
    with _lock:
        for key in [k for k, (ref, _at, _h) in _cache.items() if ref() is None]:
            del _cache[key]  # apps gone (tests build many)
        _cache[id(config)] = (weakref.ref(config), now, health)
    return health


def _check(config: Any) -> dict[str, Any]:
    parts: dict[str, dict[str, Any]] = {"database": database_part()}
    parts["redis"] = redis_part(config.get("REDIS_URL"))
    database_up = parts["database"]["state"] != "down"
    if database_up:
        parts["worker"] = worker_part(queue_reachable=parts["redis"]["state"] != "down")
        parts["claude"] = claude_part(config)
        parts["whatsapp"] = whatsapp_part(config)
        parts["smtp"] = smtp_part(config)
        parts["email"] = email_part(config)
        for name, probe in _probes.items():
            parts[name] = _probe(probe, config)
    else:
        for name in ("worker", "claude", "whatsapp", "smtp", "email", *_probes):
            parts[name] = {"state": "down" if name == "worker" else "degraded",
                           "detail": "unknown: the database is unreachable"}
    parts["disk"] = disk_part(data_folder(config))
    worst = max((p["state"] for p in parts.values()), key=_SEVERITY.__getitem__)
    return {"status": "ok" if worst == "not_configured" else worst,
            "checked_at": utcnow().isoformat(), "version": version(), "uptime_s": uptime_s(),
            "parts": parts}


def _probe(probe: Callable[[Any], dict[str, Any]], config: Any) -> dict[str, Any]:
    try:
        return probe(config)
    except Exception as error:  # noqa: BLE001 - one broken check must not hide the others
        db.session.rollback()
        return {"state": "degraded", "detail": f"check failed: {str(error)[:200]}"}
