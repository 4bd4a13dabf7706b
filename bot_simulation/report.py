"""The run's report: a table on the terminal, JSON (`--json`) and CSV (`--csv`).

JSON keys named in API.md: `sent`, `answered`, `errors`, `latency_ms` {p50, p95, p99, max},
`by_channel`, `by_category`, `handoffs`, `tickets`; the rest adds detail.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bot_simulation.phrases import EXPECTED_INTENT
from bot_simulation.stats import ANSWERED, ERROR, IN_FLIGHT, SENT, Exchange, latency_summary

SLOWEST = 10


def _block(exchanges: list[Exchange]) -> dict[str, Any]:
    latencies = [e.latency_ms for e in exchanges if e.status == ANSWERED and
                 e.latency_ms is not None]
    errors = Counter(e.error for e in exchanges if e.status == ERROR)
    return {"sent": len(exchanges), "answered": sum(e.status == ANSWERED for e in exchanges),
            "errors": sum(errors.values()), "errors_by_kind": dict(errors.most_common()),
            "in_flight": sum(e.status in (SENT, IN_FLIGHT) for e in exchanges),
            "latency_ms": latency_summary(latencies)}


def build_report(exchanges: list[Exchange], *, run: dict[str, Any],
                 database: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the report of a run as JSON-ready data."""
    report: dict[str, Any] = {"run": run, **_block(exchanges)}
    channels: dict[str, list[Exchange]] = defaultdict(list)
    asked: dict[str, list[Exchange]] = defaultdict(list)
    for exchange in exchanges:
        channels[exchange.channel].append(exchange)
        asked[exchange.category].append(exchange)
    report["by_channel"] = {name: _block(rows) for name, rows in sorted(channels.items())}
    for name, rows in channels.items():
        providers = Counter(e.provider for e in rows if e.provider)
        if providers:
            report["by_channel"][name]["providers"] = dict(providers)
    answered = [e for e in exchanges if e.status == ANSWERED]
    report["by_category"] = dict(Counter(e.desk_category or "unknown"
                                         for e in answered).most_common())
    report["by_intent"] = dict(Counter(e.intent or "unknown" for e in answered).most_common())
    report["by_language"] = dict(Counter(e.reply_language or "unknown"
                                         for e in answered).most_common())
    report["asked"] = {}
    for name, rows in sorted(asked.items()):
        block = _block(rows)
        expected = EXPECTED_INTENT.get(name)
        known = [e for e in rows if e.status == ANSWERED and e.intent]
        block["intent_matched"] = (round(sum(e.intent == expected for e in known) /
                                         len(known), 3) if known and expected else None)
        report["asked"][name] = block
    report["handoffs"] = sum(bool(e.handoff) for e in answered)
    report["tickets"] = len({e.ticket for e in answered if e.ticket})
    actions = Counter(a.get("type") for e in answered for a in e.actions)
    report["actions"] = dict(actions.most_common())
    report["personas"] = dict(Counter(e.persona for e in exchanges if e.turn == 1)
                              .most_common())
    intruders = [e for e in exchanges if e.intruder]
    report["intruders"] = {"sent": len(intruders),
                           "answered": sum(e.status == ANSWERED for e in intruders),
                           "flagged": bool(intruders)}
    report["slowest"] = [
        {"number": e.number, "channel": e.channel, "provider": e.provider,
         "shopper": e.shopper, "category": e.category, "turn": e.turn,
         "latency_ms": round(e.latency_ms or 0, 1), "message": e.text,
         "reply": (e.reply or "")[:200]}
        for e in sorted(answered, key=lambda e: e.latency_ms or 0, reverse=True)[:SLOWEST]]
    if database is not None:
        report["database"] = database
    return report


def write_json(report: dict[str, Any], path: str | Path) -> None:
    """Write the report as JSON."""
    Path(path).write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n",
                          encoding="utf-8")


def write_csv(exchanges: list[Exchange], path: str | Path) -> None:
    """Write one CSV row per exchange."""
    rows = [e.row() for e in exchanges]
    fields = list(rows[0]) if rows else list(Exchange(0, "", "", "", "", "", 0, "").row())
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def print_report(report: dict[str, Any], console: Console | None = None) -> None:
    """Print the report as tables."""
    console = console or Console()
    run = report["run"]
    console.print(f"\n[bold]Run {run['id']}[/bold] — {run['scenario']} on {run['channel']}, "
                  f"{run['duration_s']:.1f} s{' (stopped)' if run.get('interrupted') else ''}"
                  f" → {run['target']}")
    table = Table(title="Exchanges (latency: submission → reply, ms)")
    for column in ("channel", "sent", "answered", "errors", "in flight", "p50", "p95",
                   "p99", "max", "errors by kind"):
        table.add_column(column, justify="left" if column in ("channel", "errors by kind")
                         else "right")
    rows = [(name, block) for name, block in report["by_channel"].items()]
    rows.append(("all", report))
    for name, block in rows:
        lat = block["latency_ms"]
        table.add_row(f"[bold]{name}[/bold]" if name == "all" else name, str(block["sent"]),
                      str(block["answered"]), str(block["errors"]), str(block["in_flight"]),
                      _ms(lat["p50"]), _ms(lat["p95"]), _ms(lat["p99"]), _ms(lat["max"]),
                      ", ".join(f"{k} {v}" for k, v in block["errors_by_kind"].items()))
    console.print(table)
    asked = Table(title="What shoppers asked, and what the desk understood")
    for column in ("asked", "sent", "answered", "intent matched", "p95"):
        asked.add_column(column, justify="left" if column == "asked" else "right")
    for name, block in report["asked"].items():
        matched = block["intent_matched"]
        asked.add_row(name, str(block["sent"]), str(block["answered"]),
                      "—" if matched is None else f"{matched:.0%}",
                      _ms(block["latency_ms"]["p95"]))
    console.print(asked)
    console.print(
        "Replies by category: " + _pairs(report["by_category"]) + "\n"
        "By language: " + _pairs(report["by_language"]) + "\n"
        f"Handoffs: {report['handoffs']}   Tickets: {report['tickets']}   "
        "Actions: " + (_pairs(report["actions"]) or "none") + "\n"
        f"Intruders: {report['intruders']['sent']}")
    if report.get("database"):
        database = report["database"]
        console.print(f"Database: {database.get('received', '?')} of the run's messages "
                      f"stored, {database.get('replied', '?')} answered")
    if report["slowest"]:
        slow = Table(title="Slowest exchanges")
        for column in ("ms", "channel", "shopper", "message"):
            slow.add_column(column, justify="right" if column == "ms" else "left",
                            overflow="ellipsis", no_wrap=column == "message",
                            max_width=60 if column == "message" else None)
        for item in report["slowest"][:5]:
            slow.add_row(_ms(item["latency_ms"]), item["channel"], item["shopper"],
                         item["message"])
        console.print(slow)


def _pairs(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items())
