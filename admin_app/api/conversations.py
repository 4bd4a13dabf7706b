"""`/api/conversations`: the staff API of API.md, used by the workspace, n8n and scripts.

Views parse, call one flow, and answer JSON — or, to the workspace (htmx), the HTML fragments
that show the result (`Vary: HX-Request`).
"""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from admin_app.api import shapes
from admin_app.api.access import fields, flag, staff_or_key, wants_fragment
from admin_app.auth import csrf
from automation.conversations import assignment, board, queue, replies, staff_side, staffing
from automation.runtime.errors import DeskError, validation_error
from database.base import utcnow
from database.conversations import get_conversation
from database.models import Conversation, StaffUser
from database.models.choices import CHANNELS
from database.staff import get_staff, get_staff_by_email

bp = Blueprint("staff_api", __name__, url_prefix="/api")
csrf.exempt(bp)  # keys carry no token; sessions are checked in `staff_or_key`
READ, WRITE = "conversations:read", "conversations:write"
MAX_LIST = 500


@bp.get("/conversations")
@staff_or_key(READ)
def index():
    statuses = [s for s in (request.args.get("status") or "waiting,active").split(",") if s]
    problems = {}
    if not statuses or any(s not in board.STATUSES for s in statuses):
        problems["status"] = "waiting, active, ai or closed"
    channel = request.args.get("channel") or None
    if channel is not None and channel not in CHANNELS:
        problems["channel"] = "one of " + ", ".join(CHANNELS)
    limit = request.args.get("limit", 100, type=int)
    if not 1 <= limit <= MAX_LIST:
        problems["limit"] = f"1 to {MAX_LIST}"
    assignee = _assignee(request.args.get("assignee"), problems)
    if problems:
        raise validation_error(problems)
    found = board.listing(status=statuses, assignee_id=assignee.id if assignee else None,
                          channel=channel, limit=limit)
    return jsonify({"conversations": [_listed(row) for row in found]})


@bp.get("/conversations/<int:conversation_id>")
@staff_or_key(READ)
def show(conversation_id: int):
    conversation = _conversation(conversation_id)
    seen = board.detail(conversation, limit=500)
    return jsonify({"conversation": shapes.detailed(
        conversation, base=_listed(seen.row), messages=seen.messages, staff=seen.staff)})


@bp.post("/conversations/<int:conversation_id>/assign")
@staff_or_key(WRITE)
def assign(conversation_id: int):
    data = fields()
    email = (data.get("staff_email") or "").strip()
    if g.actor is None and not email:
        raise validation_error({"staff_email": "required with an API key"})
    staff = _staff(email, "staff_email") if email else g.actor
    try:
        conversation = assignment.assign(conversation_id, staff.id, actor=g.actor,
                                         now=utcnow())
    except DeskError as exc:
        if wants_fragment() and exc.code == "conflict":
            from admin_app.workspace import render

            return render.taken_by_someone_else(conversation_id, exc)
        raise
    return _answer(conversation, action="assign")


@bp.post("/conversations/<int:conversation_id>/messages")
@staff_or_key(WRITE)
def post_message(conversation_id: int):
    data = fields()
    conversation = _conversation(conversation_id)
    email = (data.get("staff_email") or "").strip()
    if g.actor is not None:
        if email and email.lower() != g.actor.email:
            raise DeskError("forbidden", "staff write in their own name")
        author = g.actor
    elif email:
        author = _staff(email, "staff_email")
    elif conversation.status == "active" and conversation.assigned_staff_id:
        author = get_staff(conversation.assigned_staff_id)
    else:
        raise validation_error({"staff_email": "required: nobody holds the conversation"})
    body = data.get("body")
    if not isinstance(body, str):
        raise validation_error({"body": "1 to 10000 characters"})
    message = replies.post_agent_message(conversation.id, author.id, body,
                                         private=flag(data.get("private")),
                                         setup=staff_side.current(), now=utcnow())
    if wants_fragment():
        from admin_app.workspace import render

        return render.posted(message)
    return jsonify({"message": {"id": message.id,
                                "delivery": shapes.delivery(_fresh(message))}}), 201


@bp.post("/conversations/<int:conversation_id>/messages/<int:message_id>/retry")
@staff_or_key(WRITE)
def retry(conversation_id: int, message_id: int):
    conversation = _conversation(conversation_id)
    message = replies.retry(message_id, actor=g.actor, setup=staff_side.current(), now=utcnow())
    if message.conversation_id != conversation.id:
        raise DeskError("not_found", f"no message {message_id} in this conversation")
    if wants_fragment():
        from admin_app.workspace import render

        return render.retried(message)
    return jsonify({"message": {"id": message.id, "delivery": shapes.delivery(message)}})


@bp.post("/conversations/<int:conversation_id>/transfer")
@staff_or_key(WRITE)
def transfer(conversation_id: int):
    data = fields()
    email = (data.get("to_staff_email") or "").strip()
    team = (data.get("to_team") or "").strip() or None
    chosen = str(data.get("to") or "")  # the workspace's one select: "staff:…" or "team:…"
    if not email and not team and ":" in chosen:
        kind, _sep, value = chosen.partition(":")
        email, team = (value, None) if kind == "staff" else ("", value or None)
    if bool(email) == bool(team):
        raise validation_error({"to_staff_email": "give to_staff_email or to_team"})
    target = _staff(email, "to_staff_email") if email else None
    note = data.get("note") or ""
    if not isinstance(note, str):
        raise validation_error({"note": "text"})
    conversation = assignment.transfer(conversation_id, actor=g.actor,
                                       to_staff_id=target.id if target else None,
                                       to_team=team, note=note, now=utcnow())
    return _answer(conversation, action="transfer")


@bp.post("/conversations/<int:conversation_id>/handback")
@staff_or_key(WRITE)
def handback(conversation_id: int):
    conversation = assignment.hand_back(conversation_id, actor=g.actor, now=utcnow())
    return _answer(conversation, action="handback")


@bp.post("/conversations/<int:conversation_id>/close")
@staff_or_key(WRITE)
def close(conversation_id: int):
    conversation = assignment.close(conversation_id, actor=g.actor, now=utcnow(),
                                    by="agent" if g.actor else "api",
                                    setup=staff_side.current())
    return _answer(conversation, action="close")


@bp.get("/staff")
@staff_or_key(READ)
def team():
    now = utcnow()
    return jsonify({"staff": [{"email": a.staff.email, "name": a.staff.name,
                               "role": a.staff.role, "team": a.staff.team,
                               "availability": a.staff.availability, "status": a.status,
                               "online": a.online, "load": a.load,
                               "max_concurrent": a.staff.max_concurrent}
                              for a in staffing.team(now)]})


@bp.post("/staff/status")
@staff_or_key(WRITE)
def set_status():
    data = fields()
    email = (data.get("staff_email") or "").strip()
    if g.actor is None and not email:
        raise validation_error({"staff_email": "required with an API key"})
    staff = _staff(email, "staff_email") if email else g.actor
    staffing.set_availability(staff.id, str(data.get("availability") or ""), actor=g.actor,
                              now=utcnow())
    if wants_fragment():
        from admin_app.workspace import render

        return render.status_changed()
    return jsonify({"staff": {"email": staff.email, "availability": staff.availability}})


# --- helpers --------------------------------------------------------------------------------

def _answer(conversation: Conversation, *, action: str):
    if wants_fragment():
        from admin_app.workspace import render

        return render.after_action(conversation.id, action=action)
    [row] = board.rows([_fresh(conversation)], seen=queue.outlook(utcnow()))
    return jsonify({"conversation": _listed(row)})


def _listed(row: board.Row) -> dict:
    return shapes.listed(row.conversation, position=row.position, minutes=row.minutes,
                         assignee=row.assignee, last=row.last)


def _conversation(conversation_id: int) -> Conversation:
    conversation = get_conversation(conversation_id)
    if conversation is None:
        raise DeskError("not_found", f"no conversation {conversation_id}")
    return conversation


def _staff(email: str, field: str) -> StaffUser:
    staff = get_staff_by_email(email)
    if staff is None or not staff.active:
        raise DeskError("not_found", f"{field}: no active staff member {email}",
                        fields={field: "no active staff member with this email"})
    return staff


def _assignee(value: str | None, problems: dict[str, str]) -> StaffUser | None:
    if not value:
        return None
    if value == "me":
        if g.actor is None:
            problems["assignee"] = "me needs a staff session; give an email"
        return g.actor
    staff = get_staff_by_email(value)
    if staff is None:
        problems["assignee"] = "no staff member with this email"
    return staff


def _fresh(row):
    from database import db

    db.session.refresh(row)
    return row



@bp.errorhandler(DeskError)
def _refused(exc: DeskError):
    """The workspace (htmx) reads a refusal in its alert box; everyone else gets the JSON."""
    if request.headers.get("HX-Request") and g.get("actor") is not None:
        from flask import render_template

        from admin_app.workspace import render

        html = render_template("_alert.html", message=render.explain(exc))
        return html, exc.status, {"HX-Retarget": "#alerts", "HX-Reswap": "innerHTML",
                                  "Vary": "HX-Request"}
    return jsonify(exc.body()), exc.status
