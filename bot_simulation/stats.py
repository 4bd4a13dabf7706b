"""Every exchange of a run (one message and its reply), and the figures drawn from them."""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

SENT, ANSWERED, ERROR, IN_FLIGHT = "sent", "answered", "error", "in_flight"


@dataclass
class Exchange:
    """One shopper message and what became of it."""

    number: int
    channel: str
    shopper: str
    language: str
    persona: str
    category: str             # what the simulated shopper asked about
    turn: int
    text: str
    provider: str | None = None
    intruder: bool = False
    sent_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    started: float = field(default_factory=time.monotonic)
    status: str = SENT
    latency_ms: float | None = None
    error: str | None = None
    detail: str | None = None
    reply: str | None = None
    intent: str | None = None
    desk_category: str | None = None
    reply_language: str | None = None
    handoff: bool | None = None
    ticket: str | None = None
    actions: list[dict[str, Any]] = field(default_factory=list)
    db_key: tuple[str, str] | None = None

    def row(self) -> dict[str, Any]:
        """Return the exchange as one CSV row."""
        return {"number": self.number, "channel": self.channel, "provider": self.provider or "",
                "shopper": self.shopper, "language": self.language, "persona": self.persona,
                "category": self.category, "turn": self.turn,
                "sent_at": self.sent_at.isoformat(timespec="milliseconds"),
                "status": self.status,
                "latency_ms": "" if self.latency_ms is None else round(self.latency_ms, 1),
                "error": self.error or "", "intent": self.intent or "",
                "desk_category": self.desk_category or "",
                "reply_language": self.reply_language or "",
                "handoff": "" if self.handoff is None else int(self.handoff),
                "ticket": self.ticket or "",
                "actions": " ".join(f"{a.get('type')}:{a.get('order', '')}"
                                    for a in self.actions),
                "intruder": int(self.intruder), "message": self.text,
                "reply": self.reply or ""}


def percentile(values: list[float], q: float) -> float | None:
    """Return the nearest-rank percentile `q` (0–100) of the values, None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def latency_summary(values: list[float]) -> dict[str, float | None]:
    """Return p50, p95, p99, max and mean of latencies in milliseconds."""
    def r(v: float | None) -> float | None:
        return None if v is None else round(v, 1)

    return {"p50": r(percentile(values, 50)), "p95": r(percentile(values, 95)),
            "p99": r(percentile(values, 99)), "max": r(max(values) if values else None),
            "mean": r(sum(values) / len(values) if values else None)}


class Stats:
    """The run's exchanges, with live counters for the progress display."""

    def __init__(self) -> None:
        self.exchanges: list[Exchange] = []
        self.started = time.monotonic()
        self.answered_at: list[float] = []
        self.shoppers_shared = 0

    def add(self, exchange: Exchange) -> Exchange:
        self.exchanges.append(exchange)
        return exchange

    def answered(self, exchange: Exchange, *, at: float) -> None:
        exchange.status = ANSWERED
        exchange.latency_ms = (at - exchange.started) * 1000
        self.answered_at.append(at)

    def failed(self, exchange: Exchange, kind: str, detail: str = "") -> None:
        exchange.status = ERROR
        exchange.error, exchange.detail = kind, detail[:300]
        exchange.latency_ms = (time.monotonic() - exchange.started) * 1000

    def interrupt(self) -> None:
        """Count exchanges still waiting as in flight (the run was stopped)."""
        for exchange in self.exchanges:
            if exchange.status == SENT:
                exchange.status = IN_FLIGHT

    def live(self) -> dict[str, Any]:
        """Return the counters the progress display shows."""
        counts = Counter(e.status for e in self.exchanges)
        latencies = [e.latency_ms for e in self.exchanges
                     if e.status == ANSWERED and e.latency_ms is not None]
        now = time.monotonic()
        recent = [t for t in self.answered_at[-2000:] if now - t <= 10]
        elapsed = max(0.001, now - self.started)
        return {"sent": len(self.exchanges), "answered": counts[ANSWERED],
                "in_flight": counts[SENT] + counts[IN_FLIGHT], "errors": counts[ERROR],
                "rate": len(recent) / min(10.0, elapsed), "elapsed": elapsed,
                "p50": percentile(latencies, 50), "p95": percentile(latencies, 95)}
