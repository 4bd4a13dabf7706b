"""One readable line per event, for the live log console: the one place that knows how to
summarise each kind's payload. Kinds without a summary of their own show their plain values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from database import events
from database.models import Event

TEXT_CHARS = 300
HIDDEN_KEYS = frozenset({"pid", "host", "where", "traceback", "request_ids", "simulation"})


@dataclass(frozen=True)
class LogLine:
    """An event as the console shows it."""

    id: int
    at: datetime
    level: str
    kind: str
    channel: str | None
    conversation_id: int | None
    text: str
    detail: str | None = None  # a log line's traceback, shown on demand


def line_of(event: Event, channel: str | None) -> LogLine:
    """Return the console line of `event` (`channel`: the conversation's, when it has one)."""
    payload = event.payload or {}
    return LogLine(id=event.id, at=event.created_at, level=event.level, kind=event.kind,
                   channel=payload.get("channel") or channel,
                   conversation_id=event.conversation_id,
                   text=summary(event.kind, payload)[:TEXT_CHARS],
                   detail=payload.get("traceback") or None)


def summary(kind: str, payload: dict[str, Any]) -> str:
    """Return a one-line summary of an event's payload."""
    try:
        return SUMMARIES.get(kind, _plain)(payload).replace("\n", " ").strip()
    except (TypeError, ValueError, AttributeError):  # an older or odd payload: show its values
        return _plain(payload)


def _plain(payload: dict[str, Any]) -> str:
    parts = [f"{key}={value}" for key, value in payload.items()
             if key not in HIDDEN_KEYS and value not in (None, "", [], {})
             and isinstance(value, (str, int, float, bool))]
    return " · ".join(parts)


def _joined(*parts: Any) -> str:
    return " · ".join(str(part) for part in parts if part not in (None, "", [], {}))


def _log(payload: dict[str, Any]) -> str:
    message = str(payload.get("message", "")).splitlines()[0] if payload.get("message") else ""
    dropped = payload.get("dropped")
    return _joined(message, payload.get("exception"),
                   f"{payload.get('logger')} @ {payload.get('source')}",
                   f"+{dropped} dropped" if dropped else None)


def _replied(payload: dict[str, Any]) -> str:
    actions = ", ".join(str(a.get("type")) for a in payload.get("actions") or []
                        if isinstance(a, dict))
    quality = payload.get("quality")
    return _joined(payload.get("intent"), payload.get("language"),
                   f"Q{quality}" if quality is not None else None,
                   f"{payload.get('latency_ms')} ms", payload.get("agent"), actions,
                   "handoff" if payload.get("handoff") else None)


def _received(payload: dict[str, Any]) -> str:
    return _joined(f"#{payload.get('message_id')}", f"{payload.get('chars')} chars")


def _agent_error(payload: dict[str, Any]) -> str:
    return _joined(payload.get("agent"), payload.get("reason"), payload.get("status"),
                   payload.get("detail"),
                   f"→ {payload['fallback']}" if payload.get("fallback") else None)


def _handoff(payload: dict[str, Any]) -> str:
    position = payload.get("position")
    return _joined(payload.get("priority"), f"#{position}" if position else None,
                   ", ".join(map(str, payload.get("priority_reasons") or [])))


def _ticket(payload: dict[str, Any]) -> str:
    return _joined(payload.get("reference"), payload.get("priority"), payload.get("status"),
                   payload.get("category"), payload.get("title"))


def _delivery(payload: dict[str, Any]) -> str:
    return _joined(f"#{payload.get('message_id')}", payload.get("provider"),
                   payload.get("status"), payload.get("error") or payload.get("detail"))


def _assigned(payload: dict[str, Any]) -> str:
    waited = payload.get("waited_s")
    return _joined(payload.get("staff_name"), payload.get("strategy"),
                   f"{int(waited)} s" if waited is not None else None)


def _csat(payload: dict[str, Any]) -> str:
    return _joined(f"{payload.get('rating')}/5", payload.get("via"))


def _flagged(payload: dict[str, Any]) -> str:
    return _joined(f"#{payload.get('message_id')}", payload.get("note"))


SUMMARIES: dict[str, Callable[[dict[str, Any]], str]] = {
    events.LOG_WARNING: _log,
    events.LOG_ERROR: _log,
    events.MESSAGE_REPLIED: _replied,
    events.MESSAGE_RECEIVED: _received,
    events.AGENT_ERROR: _agent_error,
    events.HANDOFF_REQUESTED: _handoff,
    events.TICKET_CREATED: _ticket,
    events.TICKET_UPDATED: _ticket,
    events.TICKET_RESOLVED: _ticket,
    events.MESSAGE_DELIVERY: _delivery,
    events.AGENT_ASSIGNED: _assigned,
    events.CSAT_SUBMITTED: _csat,
    events.EXCHANGE_FLAGGED: _flagged,
}
