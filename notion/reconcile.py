"""What a lead changed on a page, and what the desk does with it.

For each triage property (Status, Priority, Assignee) the page's value is compared with the
value the desk last knew to be there (`NotionPage.synced`):

- the same: nobody touched it in Notion (the desk's own writes are not changes);
- different, and the desk did not change the field since: the lead's change is applied under
  the ticket policy, as `ticket.updated` with `source: notion` (or refused, and recorded);
- different, and the desk changed it too: a conflict. The later edit wins and both are
  recorded as one `notion.conflict` event. Notion gives page edit times to the minute: an edit
  in the same minute as the desk's counts as later (the lead's triage decision stands).

Whatever happens, `synced` then holds the page's value, so that the next push writes the
desk's value wherever the two still differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from automation.runtime.errors import DeskError
from automation.tickets.updates import Update, apply_update
from database import events
from database.base import db
from database.models import Event, NotionPage, Ticket
from notion.schema import FIELD_OF, TRIAGE, desk_values, page_values, to_desk


@dataclass
class Findings:
    """What reconciling pages found."""

    applied: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)


def parse_time(value: str | None) -> datetime | None:
    """Return a Notion timestamp as an aware datetime, or None."""
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def reconcile(ticket: Ticket, state: NotionPage, page: dict[str, Any], *,
              types: dict[str, str], admin_url: str | None, findings: Findings) -> None:
    """Take a lead's changes on `page` into the ticket (no commit)."""
    values = page_values(page)
    edited_at = parse_time(page.get("last_edited_time"))
    editor = (page.get("last_edited_by") or {}).get("id")
    synced = dict(state.synced or {})
    for name in TRIAGE:
        if name not in types:
            continue
        on_page, known = values.get(name), synced.get(name)
        if on_page == known:
            continue
        synced[name] = on_page
        in_desk = desk_values(ticket, admin_url=admin_url)[name]
        if on_page == in_desk:
            continue  # both sides agree already
        if in_desk != known and not _lead_is_later(ticket, name, edited_at, on_page, in_desk,
                                                   editor, findings):
            continue
        _apply(ticket, name, on_page, editor=editor, page_id=page.get("id"),
               findings=findings)
    state.synced = synced
    if edited_at is not None and (state.page_edited_at is None
                                  or edited_at > state.page_edited_at):
        state.page_edited_at = edited_at


def _lead_is_later(ticket: Ticket, name: str, edited_at: datetime | None, on_page: str | None,
                   in_desk: str | None, editor: str | None, findings: Findings) -> bool:
    """Record the conflict on `name`; return True when the lead's edit wins."""
    desk_at = desk_changed_at(ticket, FIELD_OF[name])
    lead_wins = edited_at is None or edited_at >= desk_at.replace(second=0, microsecond=0)
    winner = "notion" if lead_wins else "desk"
    events.record(events.NOTION_CONFLICT, level="warning", ticket_id=ticket.id,
                  customer_id=ticket.customer_id, conversation_id=ticket.conversation_id,
                  payload={"reference": ticket.reference, "field": FIELD_OF[name],
                           "desk": {"value": in_desk, "at": desk_at.isoformat()},
                           "notion": {"value": on_page,
                                      "at": edited_at.isoformat() if edited_at else None,
                                      "by": editor},
                           "winner": winner})
    findings.conflicts.append(f"{ticket.reference} {FIELD_OF[name]}: desk {in_desk!r}, "
                              f"Notion {on_page!r} → {winner} wins")
    return lead_wins


def _apply(ticket: Ticket, name: str, on_page: str | None, *, editor: str | None,
           page_id: str | None, findings: Findings) -> None:
    understood, value = to_desk(name, on_page)
    field_name = FIELD_OF[name]
    reason = None
    if not understood:
        reason = f"{on_page!r} is not a {field_name} the desk knows"
    else:
        argument = "assignee_email" if field_name == "assignee" else field_name
        try:
            update = apply_update(ticket, **{argument: value}, source="notion",
                                  actor={"notion_user_id": editor},
                                  extra={"notion_page_id": page_id})
        except DeskError as exc:
            reason = "; ".join(exc.fields.values()) or exc.message
        else:
            if update.changed:
                findings.updates.append(update)
                before, after = update.changes.get(field_name, [None, value])
                findings.applied.append(f"{ticket.reference} {field_name}: {before} → {after}")
            return
    events.record(events.NOTION_CHANGE_REFUSED, level="warning", ticket_id=ticket.id,
                  customer_id=ticket.customer_id, conversation_id=ticket.conversation_id,
                  payload={"reference": ticket.reference, "field": field_name,
                           "value": on_page, "reason": reason, "by": editor})
    findings.refused.append(f"{ticket.reference} {field_name} {on_page!r}: {reason}")


def desk_changed_at(ticket: Ticket, field_name: str) -> datetime:
    """Return when the desk (not Notion) last changed the ticket's field."""
    rows = db.session.scalars(
        select(Event).where(Event.ticket_id == ticket.id,
                            Event.kind.in_((events.TICKET_CREATED, events.TICKET_UPDATED)))
        .order_by(Event.id.desc()).limit(200))
    for event in rows:
        if event.kind == events.TICKET_CREATED:
            return event.created_at
        payload = event.payload or {}
        if payload.get("source") == "notion":
            continue
        changes = payload.get("changes")
        if changes is None and field_name in payload:  # the agents' tool: {"priority": …}
            return event.created_at
        if changes and field_name in changes:
            return event.created_at
    return ticket.created_at
