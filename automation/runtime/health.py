"""Liveness of the background processes, read by the status and health views."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import make_url

from sqlalchemy import select

from database import db, events
from database.base import utcnow
from database.models import Event, Heartbeat

STALE_AFTER = timedelta(minutes=3)


def beat(name: str, *, info: dict[str, Any] | None = None) -> None:
    """Record that the process `name` is alive, and commit."""
    row = db.session.get(Heartbeat, name)
    if row is None:
        db.session.add(Heartbeat(name=name, beat_at=utcnow(), info=info or {}))
    else:
        row.beat_at, row.info = utcnow(), info or {}
    db.session.commit()


def process_state(name: str) -> str:
    """Return "ok", "stale" or "unknown" for the process `name`."""
    row = db.session.get(Heartbeat, name)
    if row is None:
        return "unknown"
    return "ok" if utcnow() - row.beat_at <= STALE_AFTER else "stale"


@dataclass(frozen=True)
class Part:
    """One outside part of the desk, as its settings configure it."""

    name: str
    configured: bool
    detail: str


def configured_parts(config: Any) -> list[Part]:
    """Return what the settings turn on, and what stays off and why (no network calls)."""
    url = make_url(config.get("SQLALCHEMY_DATABASE_URI") or "sqlite://")
    database = f"{url.get_backend_name()} {url.render_as_string(hide_password=True)}"
    twilio = bool(config.get("TWILIO_AUTH_TOKEN"))
    meta = bool(config.get("WHATSAPP_APP_SECRET") and config.get("WHATSAPP_VERIFY_TOKEN"))
    return [
        Part("database", True, database),
        Part("redis", bool(config.get("REDIS_URL")),
             "jobs, live updates and limits through Redis" if config.get("REDIS_URL")
             else "not set: jobs, live updates and limits stay on this machine"),
        Part("claude", bool(config.get("ANTHROPIC_API_KEY")),
             f"model {config.get('ANTHROPIC_MODEL')}" if config.get("ANTHROPIC_API_KEY")
             else "not set (ANTHROPIC_API_KEY): the local agent answers"),
        Part("whatsapp_twilio", twilio,
             ("webhook on; replies by REST" if config.get("TWILIO_ACCOUNT_SID")
              else "webhook on; replies in TwiML") if twilio
             else "not set (TWILIO_AUTH_TOKEN): its webhook answers 503"),
        Part("whatsapp_meta", meta,
             ("webhook on; replies through the Graph API" if config.get("WHATSAPP_ACCESS_TOKEN")
              else "webhook on; no WHATSAPP_ACCESS_TOKEN, replies are not sent") if meta
             else "not set (WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN): its webhook answers 503"),
        Part("email", bool(config.get("EMAIL_WEBHOOK_SECRET")),
             "inbound webhook on" if config.get("EMAIL_WEBHOOK_SECRET")
             else "not set (EMAIL_WEBHOOK_SECRET): the inbound webhook answers 503"),
        Part("smtp", bool(config.get("SMTP_URL")),
             "replies leave by SMTP" if config.get("SMTP_URL")
             else "not set (SMTP_URL): emails wait in the staff outbox"),
        Part("notion", bool(config.get("NOTION_TOKEN")),
             "ticket sync on" if config.get("NOTION_TOKEN")
             else "not set (NOTION_TOKEN): tickets stay in the desk"),
    ]


def claude_model_state(model: str) -> dict[str, Any]:
    """Return whether the Messages API refuses the configured model, from the events.

    A refusal (a retired or unknown model id) counts until Claude answers a message again.
    """
    refused = db.session.scalars(
        select(Event).where(Event.kind == events.AGENT_ERROR,
                            Event.payload["reason"].as_string() == "model_refused")
        .order_by(Event.id.desc()).limit(1)).first()
    state = {"model": model, "refused": False}
    if refused is None:
        return state
    answered = db.session.scalar(
        select(Event.id).where(Event.kind == events.MESSAGE_REPLIED, Event.id > refused.id,
                               Event.payload["agent"].as_string() == "claude").limit(1))
    if answered is None:
        state.update(refused=True, since=refused.created_at.isoformat(),
                     detail=str(refused.payload.get("detail") or "")[:300])
    return state


STATES = ("ok", "degraded", "down", "not_configured")


def system_health(config: Any) -> dict[str, Any]:
    """Return every part's state ("ok", "degraded", "down", "not_configured") and why.

    Shape: {"status": worst state of the configured parts, "checked_at": ISO time,
    "parts": {name: {"state": ..., "detail": ...}, ...}}. Read by GET /api/health, the
    health page and the dashboard; it must stay quick (no outside network call blocks it
    for more than a short timeout).
    """
    parts: dict[str, dict[str, Any]] = {}
    started = time.perf_counter()
    try:
        db.session.execute(select(1))
        parts["database"] = {"state": "ok", "detail": "answers",
                             "latency_ms": round((time.perf_counter() - started) * 1000, 1)}
    except Exception as error:  # the page must still say what is wrong
        db.session.rollback()
        parts["database"] = {"state": "down", "detail": str(error)[:200]}
    worker = process_state("worker") if parts["database"]["state"] == "ok" else "unknown"
    parts["worker"] = {"state": {"ok": "ok", "stale": "down"}.get(worker, "degraded"),
                       "detail": {"ok": "heartbeat fresh", "stale": "no heartbeat for 3 minutes",
                                  }.get(worker, "no heartbeat yet")}
    for part in configured_parts(config):
        if part.name != "database":
            parts.setdefault(part.name, {"state": "ok" if part.configured else "not_configured",
                                         "detail": part.detail})
    order = {"ok": 0, "not_configured": 0, "degraded": 1, "down": 2}
    worst = max((p["state"] for p in parts.values()), key=lambda s: order[s])
    return {"status": "ok" if worst == "not_configured" else worst,
            "checked_at": utcnow().isoformat(), "parts": parts}
