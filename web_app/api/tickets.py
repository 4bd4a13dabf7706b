"""The ticket API: other systems (n8n, the shop's back office) read tickets and change them
under the same policy as staff."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from flask import Blueprint, current_app, g, jsonify, request
from pydantic import Field, StrictStr

from automation.runtime.errors import validation_error
from automation.tickets.updates import find_ticket, update_ticket
from automation.tickets.views import ticket_view
from database.models.choices import TICKET_PRIORITIES, TICKET_STATUSES
from database.staff import get_staff_by_email
from database.tickets import list_tickets
from web_app.api import json_body
from web_app.api.schemas import Body, parse
from web_app.auth import require_scope
from web_app.extensions import csrf

bp = Blueprint("tickets_api", __name__, url_prefix="/api/tickets")
csrf.exempt(bp)  # bearer-key callers send no cookie, so there is no session to forge

DEFAULT_LIMIT, MAX_LIMIT = 100, 500


class TicketPatch(Body):
    status: Literal[TICKET_STATUSES] | None = None  # type: ignore[valid-type]
    priority: Literal[TICKET_PRIORITIES] | None = None  # type: ignore[valid-type]
    assignee_email: Annotated[StrictStr, Field(max_length=254)] | None = None
    note: Annotated[StrictStr, Field(max_length=5000)] | None = None


def _view(ticket: Any) -> dict[str, Any]:
    return ticket_view(ticket, admin_url=current_app.config.get("ADMIN_BASE_URL"))


@bp.get("")
@require_scope("tickets:read")
def index():
    problems: dict[str, str] = {}
    statuses = _choices("status", TICKET_STATUSES, problems)
    priorities = _choices("priority", TICKET_PRIORITIES, problems)
    since = _timestamp("updated_since", problems)
    limit = request.args.get("limit", str(DEFAULT_LIMIT))
    if not limit.isdigit() or not 1 <= int(limit) <= MAX_LIMIT:
        problems["limit"] = f"a whole number from 1 to {MAX_LIMIT}"
    after = _cursor(request.args.get("cursor"), problems)
    assignee_id = None
    if request.args.get("assignee"):
        staff = get_staff_by_email(request.args["assignee"])
        if staff is None:
            problems["assignee"] = "no staff member has this address"
        else:
            assignee_id = staff.id
    if problems:
        raise validation_error(problems)
    size = int(limit)
    rows = list_tickets(statuses=statuses, priorities=priorities, updated_since=since,
                        assignee_id=assignee_id, after=after, limit=size + 1)
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = _encode_cursor(rows[-1]) if more and rows else None
    return jsonify(tickets=[_view(t) for t in rows], next_cursor=next_cursor)


@bp.get("/<reference>")
@require_scope("tickets:read")
def show(reference: str):
    return jsonify(ticket=_view(find_ticket(reference)))


@bp.patch("/<reference>")
@require_scope("tickets:write")
def change(reference: str):
    data = parse(TicketPatch, json_body())
    given = data.model_fields_set
    if not given:
        raise validation_error({"body": "give at least one of status, priority, "
                                        "assignee_email, note"})
    find_ticket(reference)  # 404 before any field error about a ticket that is not there
    changes: dict[str, Any] = {}
    for name in ("status", "priority"):
        if name in given:
            if getattr(data, name) is None:
                raise validation_error({name: "cannot be null"})
            changes[name] = getattr(data, name)
    if "assignee_email" in given:
        changes["assignee_email"] = data.assignee_email  # null unassigns
    if "note" in given and data.note:
        changes["note"] = data.note
    api_key = g.api_key
    update = update_ticket(reference, source="api",
                           actor={"api_key": api_key.name, "key_prefix": api_key.prefix},
                           **changes)
    return jsonify(ticket=_view(update.ticket), changed=sorted(update.changes),
                   noted=update.note is not None)


def _choices(name: str, allowed: tuple[str, ...], problems: dict[str, str]) -> list[str]:
    raw = request.args.get(name, "")
    values = [v.strip() for v in raw.split(",") if v.strip()]
    unknown = [v for v in values if v not in allowed]
    if unknown:
        problems[name] = "one or more of " + ", ".join(allowed) + " (comma-separated)"
    return values


def _timestamp(name: str, problems: dict[str, str]) -> datetime | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        problems[name] = "an ISO 8601 date and time, such as 2026-11-30T09:00:00Z"
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _encode_cursor(ticket: Any) -> str:
    raw = f"{ticket.updated_at.isoformat()}|{ticket.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor(raw: str | None, problems: dict[str, str]) -> tuple[datetime, int] | None:
    if not raw:
        return None
    try:
        decoded = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
        stamp, _, ticket_id = decoded.partition("|")
        return datetime.fromisoformat(stamp), int(ticket_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        problems["cursor"] = "not a cursor this API gave"
        return None
