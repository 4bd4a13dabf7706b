"""The workspace's fragments: the same templates render the first page, the answers to the
workspace's actions (htmx) and the live pushes of its socket (`hx-swap-oob`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from automation.conversations import assignment, board, replies, staff_side
from automation.conversations.board import Board, Detail
from automation.runtime.errors import DeskError
from database.base import utcnow
from database.conversations import get_conversation
from database.models import Conversation, Event, Message, StaffUser

SUPERVISING = ("supervisor", "admin")
SIDE_PARTS = ("me", "queue", "mine", "others", "team")


@dataclass
class Item:
    """One line of a conversation's history: a message, or an event shown as a system line."""

    kind: str                      # "message" | "event"
    at: datetime
    message: Message | None = None
    event: Event | None = None

    @property
    def dom_id(self) -> str:
        return f"wsm-{self.message.id}" if self.message else f"wse-{self.event.id}"


def me() -> StaffUser:
    return current_user.user


def supervising(staff: StaffUser | None = None) -> bool:
    return (staff or me()).role in SUPERVISING


def side(staff: StaffUser, *, oob: bool = False, parts: tuple[str, ...] = SIDE_PARTS,
         seen: Board | None = None) -> dict[str, str]:
    """Render the left column's parts (status, queue, mine, others, team) by name."""
    seen = seen or board.board(staff, now=utcnow())
    values = {"board": seen, "staff": staff, "supervising": supervising(staff), "oob": oob}
    return {part: Markup(render_template(f"workspace/_{part}.html", **values))
            for part in parts}


def items(found: Detail) -> list[Item]:
    """Return the conversation's history: messages and state changes, in time order."""
    lines = [Item("message", m.created_at, message=m) for m in found.messages]
    lines += [Item("event", e.created_at, event=e) for e in found.timeline]
    return sorted(lines, key=lambda item: (item.at, 0 if item.kind == "event" else 1,
                                           item.message.id if item.message else item.event.id))


def detail_values(conversation: Conversation, staff: StaffUser) -> dict[str, Any]:
    """Return what `_detail.html` needs to show one conversation to this staff member."""
    found = board.detail(conversation)
    packet = (conversation.context or {}).get("handoff") or None
    setup = staff_side.current()
    now = utcnow()
    return {"detail": found, "conversation": conversation, "items": items(found),
            "staff": staff, "supervising": supervising(staff),
            "may_act": assignment.may_act(conversation, staff),
            "mine": conversation.status == "active"
            and conversation.assigned_staff_id == staff.id,
            "window": replies.whatsapp_window(conversation, now=now, setup=setup),
            "teams": assignment.teams(), "colleagues": _colleagues(staff, now),
            "packet": packet, "summary": summary(conversation, packet),
            "topic": board.topic(conversation, found.row.asked),
            "answered": any(m.sender == "agent" and not m.private
                            and (conversation.assigned_at is None
                                 or m.created_at >= conversation.assigned_at)
                            for m in found.messages),
            "identity": identity(packet), "priority_reasons": priority_reasons(packet),
            "now": now}


def detail(conversation_id: int, *, oob: bool = False) -> str:
    """Render the middle and right panes of one conversation."""
    conversation = get_conversation(conversation_id)
    if conversation is None:
        raise DeskError("not_found", f"no conversation {conversation_id}")
    return render_template("workspace/_detail.html", oob=oob,
                           **detail_values(conversation, me()))


def item(line: Item, found_staff: dict[int, StaffUser] | None = None, *,
         oob: bool = False) -> str:
    """Render one history line (a message, or an event as a system line)."""
    return render_template("workspace/_item.html", line=line, oob=oob,
                           staff_by_id=found_staff or all_staff())


def all_staff() -> dict[int, StaffUser]:
    """Return every staff member by id (names on messages and history lines)."""
    from database.staff import list_team

    return {s.id: s for s in list_team(active_only=False)}


def after_action(conversation_id: int, *, action: str):
    """Answer a workspace action: the conversation as it is now, and the left column."""
    html = detail(conversation_id) + "".join(side(me(), oob=True).values())
    return html, 200, {"Vary": "HX-Request"}


def taken_by_someone_else(conversation_id: int, exc: DeskError):
    """Answer an Accept that lost the race: say so politely, show who has it now."""
    conversation = get_conversation(conversation_id)
    holder = None
    if conversation is not None and conversation.assigned_staff_id:
        from database.staff import get_staff

        holder = get_staff(conversation.assigned_staff_id)
    message = (_("%(name)s took this conversation a moment before you: it is theirs now. "
                 "The queue is up to date.", name=holder.name) if holder is not None else
               _("This conversation changed a moment ago: it is shown as it is now."))
    parts = [render_template("_alert.html", message=message)]
    parts += side(me(), oob=True).values()
    if conversation is not None:
        parts.append(detail(conversation_id, oob=True))
    return "".join(parts), 409, {"HX-Retarget": "#alerts", "HX-Reswap": "innerHTML",
                                 "Vary": "HX-Request"}


def posted(message: Message):
    """Answer a sent message or note: it joins the history at once (the socket may bring
    it again; the page keeps one)."""
    line = Item("message", message.created_at, message=message)
    html = Markup(f'<div id="ws-messages" hx-swap-oob="beforeend">{item(line)}</div>')
    return html, 201, {"Vary": "HX-Request"}


def retried(message: Message):
    """Answer a retried delivery: the message with its new status."""
    line = Item("message", message.created_at, message=message)
    return item(line, oob=True), 200, {"Vary": "HX-Request"}


def status_changed():
    """Answer a change of my status: my status box and the team list."""
    parts = side(me(), oob=True, parts=("me", "team", "queue"))
    return "".join(parts.values()), 200, {"Vary": "HX-Request"}


def summary(conversation: Conversation, packet: dict[str, Any] | None) -> str:
    """Return the handoff packet as one paragraph, in the staff member's language."""
    if not packet:
        return ""
    from flask_babel import ngettext

    shopper = (packet.get("shopper") or {}).get("name") or conversation.customer.full_name
    parts = [ngettext("%(name)s wrote %(num)s message before asking for a person.",
                      "%(name)s wrote %(num)s messages before asking for a person.",
                      max(1, int(packet.get("messages") or 1)), name=shopper)]
    if packet.get("orders_discussed"):
        parts.append(_("Orders discussed: %(orders)s.",
                       orders=", ".join(packet["orders_discussed"])))
    tried = [a for a in packet.get("actions_tried") or [] if a.get("tool") != "request_handoff"]
    if tried:
        parts.append(_("The assistant tried: %(actions)s.", actions=", ".join(
            f"{a.get('tool')} ({a.get('result')})" for a in tried[-4:])))
    if packet.get("last_ask"):
        parts.append(_("Last words: “%(text)s”", text=str(packet["last_ask"])[:240]))
    return " ".join(parts)


def identity(packet: dict[str, Any] | None) -> str:
    """Return how the shopper's identity was verified, in the staff member's language."""
    how = ((packet or {}).get("identity") or {}).get("how")
    return {"web_login": _("logged in to the shop (verified)"),
            "whatsapp_phone": _("WhatsApp number of the account (verified by WhatsApp)"),
            "whatsapp_user_id": _("WhatsApp account linked to the shopper (verified)"),
            "email_sender": _("sender address of the account (not verified: email can be "
                              "forged)"),
            "api_key": _("given by the shop's platform (API key)")}.get(
        how, _("known to the desk"))


def priority_reasons(packet: dict[str, Any] | None) -> str:
    """Return why the conversation got its priority, in the staff member's language."""
    words = {"frustrated": _("frustrated"), "complaint": _("complaint"), "vip": _("VIP"),
             "repeated_contact": _("repeated contact"), "negative": _("unhappy"),
             "requeued": _("back in the queue")}
    return ", ".join(words.get(r, r) for r in (packet or {}).get("priority_reasons") or [])


def explain(exc: DeskError) -> str:
    """Return what a refused workspace action means, in the staff member's language."""
    if exc.code == "forbidden":
        return _("Another staff member holds this conversation: only they (or a supervisor) "
                 "can do that.")
    if exc.code == "not_found":
        return _("This conversation or person no longer exists.")
    if exc.code == "conflict":
        if "closed" in exc.message:
            return _("This conversation is closed.")
        if "offline" in exc.message:
            return _("This colleague is offline: choose someone online.")
        if "template" in exc.message:
            return _("The shopper last wrote on WhatsApp more than 24 hours ago and no "
                     "WhatsApp template is configured: the message cannot be sent. Add a "
                     "private note, or ask an admin to configure a template.")
        return _("This conversation changed a moment ago: reload it and try again.")
    if exc.code == "validation_error":
        if "body" in exc.fields:
            return _("Write a message first (10,000 characters at most).")
        if "to" in exc.fields or "to_staff_email" in exc.fields or "to_team" in exc.fields:
            return _("Choose a colleague or a team to transfer to.")
        if "note" in exc.fields:
            return _("The note is too long.")
    return exc.message


def _colleagues(staff: StaffUser, now: datetime) -> list[Any]:
    from automation.conversations import staffing

    return [a for a in staffing.team(now) if a.staff.id != staff.id]
