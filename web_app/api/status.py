"""Liveness and status of the shopper app, and shopper registration over JSON."""

from __future__ import annotations

import time

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from automation.accounts.shoppers import register_shopper
from automation.agents.fallback import breaker_state
from automation.runtime.health import claude_model_state, process_state
from automation.runtime.settings import VERSION
from database import db
from web_app.api import json_body
from web_app.api.schemas import Registration, parse
from web_app.extensions import csrf, limiter

bp = Blueprint("status_api", __name__)


@bp.get("/healthz")
def healthz():
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/api/status")
def status():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means the database is not usable
        db.session.rollback()
        database = f"error: {type(exc).__name__}"
    # With a key, admins may still turn Claude off or change its model (Settings).
    settings = current_app.extensions["engine"].current_settings() if database == "ok" \
        else None
    claude = bool(current_app.config.get("ANTHROPIC_API_KEY")) and (
        settings is None or settings.claude_enabled)
    body = {
        "status": "ok" if database == "ok" else "degraded",
        "database": database,
        "agent": "claude" if claude else "local",
        # This process's breaker in front of Claude (null with the local agent alone).
        "agent_breaker": breaker_state(current_app.extensions["engine"].agent),
        # Whether the Messages API refuses the model (then the local agent answers all).
        "agent_model": claude_model_state(settings.claude_model
                                          or current_app.config["ANTHROPIC_MODEL"])
        if claude and settings is not None else None,
        "version": VERSION,
        "uptime_s": int(time.monotonic() - current_app.config["STARTED_AT"]),
        "worker": process_state("worker") if database == "ok" else "unknown",
    }
    return jsonify(body), 200 if database == "ok" else 503


@bp.post("/api/register")
@csrf.exempt
@limiter.limit("10 per minute")
def register():
    data = parse(Registration, json_body())
    customer = register_shopper(**data.model_dump())
    return jsonify(customer={"id": customer.id, "email": customer.email,
                             "first_name": customer.first_name,
                             "last_name": customer.last_name,
                             "language": customer.language}), 201
