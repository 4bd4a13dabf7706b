"""The workspace's pages and fragments; its actions are the staff API's (`admin_app.api`)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin_app.auth import roles_required
from admin_app.workspace import render
from automation.conversations import canned, staffing
from automation.runtime.errors import DeskError
from database.base import utcnow
from database.canned import get_canned_reply, list_canned_replies
from database.conversations import get_conversation
from database.models.choices import LANGUAGES

bp = Blueprint("workspace", __name__, url_prefix="/workspace")
STAFF = ("agent", "supervisor", "admin")


@bp.before_request
def _presence():
    if current_user.is_authenticated:
        staffing.seen(current_user.user.id, utcnow())


@bp.get("")
@roles_required(*STAFF)
def index():
    return _page(None)


@bp.get("/c/<int:conversation_id>")
@roles_required(*STAFF)
def conversation(conversation_id: int):
    found = get_conversation(conversation_id)
    if found is None:
        abort(404)
    if request.headers.get("HX-Request"):
        return render.detail(conversation_id), 200, {"Vary": "HX-Request"}
    return _page(found)


@bp.get("/side")
@roles_required(*STAFF)
def side():
    """The left column (the page's fallback when its socket cannot connect)."""
    return "".join(render.side(render.me(), oob=True).values()), 200, {"Vary": "HX-Request"}


@bp.get("/c/<int:conversation_id>/canned")
@roles_required(*STAFF)
def canned_suggestions(conversation_id: int):
    """Canned replies matching what the agent typed ("/he"), filled for this conversation."""
    found = get_conversation(conversation_id)
    if found is None:
        abort(404)
    typed = (request.args.get("body") or "").strip()
    suggestions = []
    if typed.startswith("/") and " " not in typed and len(typed) <= 40:
        suggestions = canned.suggestions(typed, conversation=found, staff=render.me())
    return render_template("workspace/_canned.html", suggestions=suggestions, typed=typed)


# --- canned replies, managed by supervisors and admins -------------------------------------

@bp.get("/canned")
@roles_required(*STAFF)
def canned_index():
    return render_template("workspace/canned.html", replies=list_canned_replies(),
                           languages=LANGUAGES, editing=None,
                           may_manage=render.supervising(), placeholders=canned.PLACEHOLDERS)


@bp.get("/canned/<int:reply_id>")
@roles_required("supervisor", "admin")
def canned_edit(reply_id: int):
    reply = get_canned_reply(reply_id)
    if reply is None:
        abort(404)
    return render_template("workspace/canned.html", replies=list_canned_replies(),
                           languages=LANGUAGES, editing=reply, may_manage=True,
                           placeholders=canned.PLACEHOLDERS)


@bp.post("/canned")
@roles_required("supervisor", "admin")
def canned_save():
    form = request.form
    reply_id = form.get("id", type=int)
    try:
        canned.save(actor=render.me(), shortcode=form.get("shortcode", ""),
                    language=form.get("language", ""), title=form.get("title", ""),
                    body=form.get("body", ""), reply_id=reply_id)
    except DeskError as exc:
        if exc.code not in ("validation_error", "conflict"):
            raise
        editing = get_canned_reply(reply_id) if reply_id else None
        return render_template("workspace/canned.html", replies=list_canned_replies(),
                               languages=LANGUAGES, editing=editing, may_manage=True,
                               placeholders=canned.PLACEHOLDERS, errors=exc.fields,
                               error=_("Not saved: %(why)s", why=exc.message),
                               draft=form), 400
    return render_template("workspace/canned.html", replies=list_canned_replies(),
                           languages=LANGUAGES, editing=None, may_manage=True,
                           placeholders=canned.PLACEHOLDERS, saved=True)


@bp.post("/canned/<int:reply_id>/delete")
@roles_required("supervisor", "admin")
def canned_delete(reply_id: int):
    canned.delete(reply_id, actor=render.me())
    return render_template("workspace/canned.html", replies=list_canned_replies(),
                           languages=LANGUAGES, editing=None, may_manage=True,
                           placeholders=canned.PLACEHOLDERS, deleted=True)


def _page(found):
    staff = render.me()
    values = render.detail_values(found, staff) if found is not None else {}
    # A path: the ws extension picks ws:// or wss:// like the page.
    socket_path = urlsplit(url_for("workspace.workspace_socket")).path
    return render_template("workspace/index.html", parts=render.side(staff),
                           opened=found, socket_path=socket_path, **values)
