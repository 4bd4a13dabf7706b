"""Changing a ticket: its status, priority, assignee or a note, by staff, the ticket API or a
lead in Notion, under one policy.

The priority never goes below what the shop's rules give the ticket's words (a chargeback, a
threat of legal action or a safety problem stays urgent), an assignee is an active staff
member, and a resolved ticket tells its shopper, in their language, on their channel.
Every change is a `ticket.updated` event (and `ticket.resolved`), in the same transaction.

    update = apply_update(ticket, status="resolved", source="api", actor={"api_key": "n8n"})
    db.session.commit()
    update.deliver()        # the shopper's notice leaves through its channel
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from automation.runtime.errors import DeskError, validation_error
from automation.runtime.i18n import N_, language_of, text
from automation.tickets.policy import PRIORITY_RANK, is_urgent
from automation.tickets.sla import due_after_change
from database import db, events
from database.base import utcnow
from database.conversations import add_message
from database.models import Conversation, StaffUser, Ticket
from database.models.choices import TICKET_PRIORITIES, TICKET_STATUSES
from database.staff import get_staff_by_email
from database.tickets import get_ticket_by_reference

SOURCES = ("staff", "api", "notion", "agent", "system")
MAX_NOTE = 5000
UNSET: Any = object()

RESOLVED_NOTICE = N_("Good news, {name}: your request {reference} is resolved. If anything is "
                     "still not right, just reply to this message and we will look at it "
                     "again.")


@dataclass
class Update:
    """What one update changed, and the shopper notice to deliver once it is committed."""

    ticket: Ticket
    changes: dict[str, list[Any]] = field(default_factory=dict)
    note: str | None = None
    notice_message_id: int | None = None

    @property
    def changed(self) -> bool:
        return bool(self.changes or self.note)

    def deliver(self) -> None:
        """Hand the shopper's notice (if any) to its channel; call after the commit."""
        if self.notice_message_id is not None:
            from automation.channels.delivery import deliver

            deliver(self.notice_message_id)


def priority_floor(ticket: Ticket) -> str:
    """Return the lowest priority the shop's rules allow for this ticket.

    The rules' other priorities depend on how the shopper felt when they wrote (frustration,
    sentiment), which a person triaging later judges better: only the words that make a
    ticket urgent whatever else (a chargeback, legal action, a safety problem) hold.
    """
    return "urgent" if is_urgent(f"{ticket.title} {ticket.description}") else "low"


def find_ticket(reference: str) -> Ticket:
    """Return the ticket with this reference, or raise not_found."""
    ticket = get_ticket_by_reference(reference.strip().upper()) if reference else None
    if ticket is None:
        raise DeskError("not_found", f"no ticket {reference}")
    return ticket


def apply_update(ticket: Ticket, *, status: str | None = None, priority: str | None = None,
                 assignee_email: str | None = UNSET, note: str | None = None, source: str,
                 actor: dict[str, Any] | None = None, now: datetime | None = None,
                 extra: dict[str, Any] | None = None) -> Update:
    """Change the ticket under the policy and record its events (no commit).

    `assignee_email` None (or "") unassigns; left out, the assignee stays. Raise a
    validation error naming every bad field, and change nothing then.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source}")
    now = now or utcnow()
    assignee, problems = _check(ticket, status, priority, assignee_email, note)
    if problems:
        raise validation_error(problems)
    update = Update(ticket=ticket, note=note.strip() if note and note.strip() else None)
    if priority is not None and priority != ticket.priority:
        update.changes["priority"] = [ticket.priority, priority]
        ticket.sla_due_at = due_after_change(ticket, priority, now)
        ticket.priority = priority
    if assignee is not UNSET and (assignee.id if assignee else None) != ticket.assignee_id:
        before = ticket.assignee.email if ticket.assignee is not None else None
        update.changes["assignee"] = [before, assignee.email if assignee else None]
        ticket.assignee_id = assignee.id if assignee else None
        ticket.assignee = assignee
    resolved_now = False
    if status is not None and status != ticket.status:
        update.changes["status"] = [ticket.status, status]
        resolved_now = status == "resolved"
        if status in ("resolved", "closed"):
            ticket.resolved_at = ticket.resolved_at or now
        else:
            ticket.resolved_at = None
        ticket.status = status
    if update.note:
        stamp = now.strftime("%Y-%m-%d %H:%M UTC")
        who = _actor_label(source, actor)
        ticket.description = f"{ticket.description}\n\n[{stamp}, {who}] {update.note}".strip()
    if not update.changed:
        return update
    ticket.updated_at = now
    payload: dict[str, Any] = {"reference": ticket.reference, "changes": update.changes,
                               "source": source, "actor": actor or {}, **(extra or {})}
    if update.note:
        payload["note"] = update.note
    events.record(events.TICKET_UPDATED, ticket_id=ticket.id, customer_id=ticket.customer_id,
                  conversation_id=ticket.conversation_id, payload=payload)
    if resolved_now:
        _resolved(ticket, update, source=source, actor=actor, now=now)
    return update


def update_ticket(reference: str, **changes: Any) -> Update:
    """Change the ticket with this reference, commit, and deliver the shopper's notice."""
    ticket = find_ticket(reference)
    update = apply_update(ticket, **changes)
    db.session.commit()
    update.deliver()
    return update


def _check(ticket: Ticket, status: str | None, priority: str | None, assignee_email: Any,
           note: str | None) -> tuple[Any, dict[str, str]]:
    problems: dict[str, str] = {}
    if status is not None and status not in TICKET_STATUSES:
        problems["status"] = "one of " + ", ".join(TICKET_STATUSES)
    if priority is not None:
        if priority not in TICKET_PRIORITIES:
            problems["priority"] = "one of " + ", ".join(TICKET_PRIORITIES)
        else:
            floor = priority_floor(ticket)
            if PRIORITY_RANK[priority] < PRIORITY_RANK[floor]:
                problems["priority"] = (f"not below {floor}: the shop's rules make this "
                                        f"ticket {floor}")
    assignee: Any = UNSET
    if assignee_email is not UNSET:
        if assignee_email in (None, ""):
            assignee = None
        else:
            staff = get_staff_by_email(str(assignee_email))
            if staff is None or not staff.active:
                problems["assignee_email"] = "no active staff member has this address"
            else:
                assignee = staff
    if note is not None and len(note) > MAX_NOTE:
        problems["note"] = f"at most {MAX_NOTE} characters"
    return assignee, problems


def _actor_label(source: str, actor: dict[str, Any] | None) -> str:
    actor = actor or {}
    name = actor.get("name") or actor.get("email") or actor.get("api_key")
    return f"{source}: {name}" if name else source


def _resolved(ticket: Ticket, update: Update, *, source: str, actor: dict[str, Any] | None,
              now: datetime) -> None:
    """Tell the shopper their ticket is resolved, and record `ticket.resolved`."""
    conversation = ticket.conversation or _latest_conversation(ticket.customer_id)
    notified = None
    if conversation is not None:
        customer = ticket.customer
        language = language_of(customer.language, conversation.language)
        body = text(language, RESOLVED_NOTICE, name=customer.first_name,
                    reference=ticket.reference)
        message = add_message(conversation_id=conversation.id, customer_id=customer.id,
                              channel=conversation.channel, direction="out", sender="system",
                              body=body, created_at=now,
                              meta={"notice": "ticket_resolved",
                                    "ticket": ticket.reference, "language": language})
        db.session.flush()
        update.notice_message_id = notified = message.id
    events.record(events.TICKET_RESOLVED, ticket_id=ticket.id, customer_id=ticket.customer_id,
                  conversation_id=conversation.id if conversation else ticket.conversation_id,
                  payload={"reference": ticket.reference, "source": source,
                           "actor": actor or {}, "notice_message_id": notified})


def _latest_conversation(customer_id: int) -> Conversation | None:
    from sqlalchemy import select

    return db.session.scalar(select(Conversation).where(Conversation.customer_id == customer_id)
                             .order_by(Conversation.last_message_at.desc()).limit(1))


def staff_actor(staff: StaffUser) -> dict[str, Any]:
    """Return how a staff member is named in a ticket's events."""
    return {"staff_id": staff.id, "email": staff.email, "name": staff.name}
