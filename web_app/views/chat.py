"""The shopper's web chat pages: the live chat, the plain form behind it, past conversations
and the satisfaction rating. The live part is in `web_app.chat_socket`.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import TooManyRequests

from automation.conversations.csat import submit_rating
from automation.channels import web as web_chat
from database.conversations import get_conversation, recent_messages
from database.models import Conversation
from web_app import chat_view
from web_app.chat_limits import allow_message
from automation.channels.web import CHANNEL, MAX_CHARS
from web_app.chat_view import ChatState
from web_app.extensions import limiter
from web_app.tagging import simulation_tag

bp = Blueprint("chat", __name__)
TRANSCRIPT = 500      # messages shown of a past conversation


@bp.get("/chat")
@login_required
def index():
    """Show the shopper's current conversation, live."""
    return _chat_page(chat_view.current_state(_shopper_id()))


@bp.post("/chat")
@login_required
@limiter.limit("60 per minute")  # per IP, whoever is logged in
def send():
    """Send a message with the plain form (no JavaScript), then show the chat again."""
    text = (request.form.get("message") or "").strip()
    if not text:
        return redirect(url_for("chat.index"))
    if len(text) > MAX_CHARS:
        error = _("Your message is too long: %(limit)s characters at most. Could you shorten "
                  "it?", limit=f"{MAX_CHARS:,}")
        return _chat_page(chat_view.current_state(_shopper_id()), error=error, draft=text,
                          status=400)
    if not allow_message(_shopper_id()):
        raise TooManyRequests()
    engine = current_app.extensions["engine"]
    tag = simulation_tag()
    accepted = web_chat.submit(engine, customer_id=_shopper_id(), text=text,
                               client_id=request.form.get("client_id"),
                               metadata={"simulation": tag} if tag else None)
    web_chat.reply(engine, accepted.message_id)
    # Post/redirect/get: reloading the page does not send the message again.
    return redirect(url_for("chat.index", _anchor="chat-form"))


@bp.get("/chat/<int:conversation_id>")
@login_required
def transcript(conversation_id: int):
    """Show the whole of one of the shopper's conversations."""
    conversation = _own_conversation(conversation_id)
    state = chat_view.load_state(conversation,
                                 messages=recent_messages(conversation.id, limit=TRANSCRIPT))
    return render_template("chat/transcript.html", state=state, oob=False,
                           staff_names=state.staff_names)


@bp.post("/chat/<int:conversation_id>/rating")
@login_required
@limiter.limit("20 per minute")
def rate(conversation_id: int):
    """Store the shopper's 1-5 rating of their closed conversation."""
    conversation = submit_rating(conversation_id, customer_id=_shopper_id(),
                                 rating=request.form.get("rating", 0, type=int))
    if request.headers.get("HX-Request"):
        state = chat_view.load_state(conversation)
        # The stars also show beside the conversation in the list of earlier ones.
        html = chat_view.fragment("rating", state) + str(chat_view.history(_shopper_id(), state,
                                                                            oob=True))
        return html, 200, {"Vary": "HX-Request"}
    target = url_for("chat.transcript", conversation_id=conversation.id)
    return redirect(target), 303, {"Vary": "HX-Request"}


def _chat_page(state: ChatState, *, error: str | None = None, draft: str = "",
               status: int = 200):
    return render_template("chat/index.html", state=state, oob=False,
                           history=chat_view.history(_shopper_id(), state),
                           staff_names=state.staff_names,
                           person_phrase=chat_view.person_phrase(), client_id=uuid.uuid4().hex,
                           error=error, draft=draft, max_chars=MAX_CHARS,
                           page_messages=chat_view.PAGE_MESSAGES,
                           # A path: the ws extension picks ws:// or wss:// like the page.
                           socket_path=urlsplit(url_for("chat_socket.chat_socket")).path
                           ), status


def _own_conversation(conversation_id: int) -> Conversation:
    conversation = get_conversation(conversation_id)
    if conversation is None or conversation.customer_id != _shopper_id() \
            or conversation.channel != CHANNEL:
        abort(404)  # another shopper's conversation does not exist, as far as this one knows
    return conversation


def _shopper_id() -> int:
    return current_user.customer.id
