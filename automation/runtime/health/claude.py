"""Claude's health, from the events every process records: refusals, breakers, errors, speed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from database import db, events
from database.base import utcnow
from database.health import breaker_changes, recent_events, reply_latencies
from database.models import Event

WINDOW = timedelta(hours=1)
SLOW_P95_MS = 20_000  # a shopper waiting this long for most answers is a degraded desk


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


def p95(values: list[int]) -> int | None:
    """Return the 95th percentile (nearest rank) of `values`, None when there is none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def claude_part(config: Any) -> dict[str, Any]:
    """Return Claude's state: refused model (down), open breaker or slow (degraded), or ok."""
    if not config.get("ANTHROPIC_API_KEY"):
        return {"state": "not_configured",
                "detail": "not set (ANTHROPIC_API_KEY): the local agent answers"}
    since = utcnow() - WINDOW
    model = claude_model_state(config.get("ANTHROPIC_MODEL") or "")
    errors = recent_events(events.AGENT_ERROR, since=since, agent="claude")
    latencies = reply_latencies("claude", since=since)
    slowest = p95(latencies)
    opened = [e for e in breaker_changes(since=since).values()
              if e.kind == events.AGENT_BREAKER_OPENED]
    part: dict[str, Any] = {
        "model": model["model"], "p95_ms": slowest, "replies_last_hour": len(latencies),
        "breaker": "open" if opened else "closed",
        "last_error": None if not errors else {
            "at": errors[0].created_at.isoformat(), "reason": errors[0].payload.get("reason"),
            "detail": str(errors[0].payload.get("detail") or "")[:300]}}
    if model["refused"]:
        part.update(state="down", detail=f"the API refuses model {model['model']}: the local "
                    f"agent answers everything ({model['detail'][:120]})")
    elif opened:
        part.update(state="degraded", detail=f"circuit open in {len(opened)} process(es) since "
                    f"{min(e.created_at for e in opened):%H:%M} UTC after "
                    f"{opened[-1].payload.get('reason', 'errors')}: the local agent answers")
    elif slowest is not None and slowest > SLOW_P95_MS:
        part.update(state="degraded", detail=f"slow: p95 {slowest / 1000:.1f} s over the last "
                    "hour")
    else:
        speed = f"p95 {slowest} ms over {len(latencies)} replies" if slowest is not None \
            else "no reply in the last hour"
        part.update(state="ok", detail=f"model {model['model']}; {speed}")
    return part
