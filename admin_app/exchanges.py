"""Recent exchanges: each AI reply beside the shopper's message, how it was made and how good
it was; filters, pages, a flag with a note on a bad answer, and the filtered list as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from flask import (Blueprint, Response, abort, redirect, render_template, request,
                   stream_with_context, url_for)
from flask_babel import gettext as _
from flask_login import current_user

from admin_app.auth import roles_required
from automation.conversations.flags import NOTE_CHARS, flag_reply
from automation.runtime.errors import DeskError
from database.exchanges import (LOW_QUALITY, Exchange, ExchangeFilters, get_exchange,
                                iter_exchanges, list_exchanges)
from database.models.choices import CHANNELS, LANGUAGES
from database.staff import list_staff

bp = Blueprint("exchanges", __name__)
SUPERVISING = ("supervisor", "admin")
PAGE = 25
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = ("reply_id", "at", "conversation_id", "channel", "language", "shopper_message",
               "reply", "intent", "confidence", "sentiment", "quality", "quality_reasons",
               "latency_ms", "agent", "model", "tokens", "cost_usd", "tools", "handoff",
               "error", "flags")


@bp.get("/exchanges")
@roles_required(*SUPERVISING)
def index():
    filters = _filters()
    found = list_exchanges(filters, before_id=request.args.get("before", type=int),
                           limit=PAGE + 1)
    more = len(found) > PAGE
    found = found[:PAGE]
    return render_template("exchanges.html", exchanges=found, facts=facts, filters=filters,
                           channels=CHANNELS, languages=LANGUAGES, low_quality=LOW_QUALITY,
                           staff_names=_staff_names(), note_chars=NOTE_CHARS,
                           query=_filter_args(filters),
                           older=found[-1].reply.id if more else None)


@bp.get("/exchanges.csv")
@roles_required(*SUPERVISING)
def export():
    """The filtered list as CSV, streamed (it may be long)."""
    filters = _filters()
    headers = {"Content-Disposition": 'attachment; filename="exchanges.csv"'}
    return Response(stream_with_context(_csv(filters)), mimetype="text/csv", headers=headers)


@bp.post("/exchanges/<int:message_id>/flag")
@roles_required(*SUPERVISING)
def flag(message_id: int):
    note = request.form.get("note", "")
    error = None
    try:
        flag_reply(message_id, staff=current_user.user, note=note)
    except DeskError as exc:
        if exc.code != "validation_error":
            raise
        error = _("Say what is wrong with this answer (up to %(count)s characters).",
                  count=NOTE_CHARS)
    if not request.headers.get("HX-Request"):
        return redirect(request.referrer or url_for("exchanges.index"))
    exchange = get_exchange(message_id)
    if exchange is None:
        abort(404)
    html = render_template("_exchange_flags.html", exchange=exchange, error=error,
                           note=note if error else "", staff_names=_staff_names(),
                           note_chars=NOTE_CHARS)
    return html, 400 if error else 200, {"Vary": "HX-Request"}


def facts(exchange: Exchange) -> dict[str, Any]:
    """Return what the page and the CSV show of an exchange, with None for what is unknown."""
    meta, usage = exchange.meta, exchange.usage
    question_meta = (exchange.question.meta or {}) if exchange.question else {}
    tokens = sum(int(usage.get(name) or 0) for name in (
        "input_tokens", "output_tokens", "cache_creation_input_tokens",
        "cache_read_input_tokens"))
    tools = [(call.get("tool"), call.get("result")) for call in meta.get("tools") or []]
    if not tools:  # replies stored before tools were recorded: Claude's names at least
        tools = [(name, None) for name in usage.get("tools") or []]
    judged = meta.get("quality") or {}
    return {
        "agent": meta.get("agent"),
        "model": usage.get("model"),
        "tokens": tokens or None,
        "cost_usd": usage.get("cost_usd") if usage.get("requests") else None,
        "tools": tools,
        "reasons": judged.get("reasons") or [],
        "parts": judged.get("parts") or {},
        "language": meta.get("language") or exchange.reply.conversation.language,
        "sentiment": exchange.question.sentiment if exchange.question else None,
        "handoff": meta.get("resolution") == "handed_off"
        or bool((question_meta.get("outcome") or {}).get("handoff")),
        "error": bool(meta.get("fallback") or usage.get("fallback_reason")
                      or exchange.reply.delivery_status == "failed"),
        "fallback_reason": usage.get("fallback_reason"),
    }


def _filters() -> ExchangeFilters:
    args = request.args
    channel, language = args.get("channel"), args.get("language")
    return ExchangeFilters(low_quality=args.get("low") == "1",
                           handoffs=args.get("handoffs") == "1",
                           errors=args.get("errors") == "1",
                           channel=channel if channel in CHANNELS else None,
                           language=language if language in LANGUAGES else None)


def _filter_args(filters: ExchangeFilters) -> dict[str, str]:
    args = {"low": filters.low_quality, "handoffs": filters.handoffs, "errors": filters.errors}
    query = {name: "1" for name, on in args.items() if on}
    query.update({name: value for name, value in (("channel", filters.channel),
                                                  ("language", filters.language)) if value})
    return query


def _staff_names() -> dict[int, str]:
    return {staff.id: staff.name for staff in list_staff()}


def _cell(value: Any) -> Any:
    # A text cell starting like a formula would run in a spreadsheet: make it plain text.
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(filters: ExchangeFilters) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flushed() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield flushed()
    for exchange in iter_exchanges(filters):
        values = facts(exchange)
        reply, question = exchange.reply, exchange.question
        writer.writerow(_cell(value) for value in (
            reply.id, reply.created_at.isoformat(), reply.conversation_id, reply.channel,
            values["language"], question.body if question else "", reply.body, reply.intent,
            reply.confidence, values["sentiment"], reply.quality,
            " ".join(values["reasons"]), reply.latency_ms, values["agent"], values["model"],
            values["tokens"], values["cost_usd"],
            " ".join(f"{tool}:{result or '?'}" for tool, result in values["tools"]),
            int(values["handoff"]), int(values["error"]),
            " | ".join(flag.payload.get("note", "") for flag in exchange.flags)))
        yield flushed()
