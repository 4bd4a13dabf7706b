"""The web chat's WebSocket: the shopper's messages in; replies and live changes out as HTML
fragments that htmx swaps by id (`hx-swap-oob`).

Frames from the browser are JSON: `{"type": "resume", "conversation_id", "after"}` on every
(re)connect, and the chat form's fields (`message`, `client_id`) to send a message. The socket
thread does all the work of its socket (database, rendering, sending); the process's live
listener only wakes it up through a queue.
"""

from __future__ import annotations

import logging
import queue
import time
import uuid
from collections.abc import Iterable
from typing import Any

from flask import Blueprint, Flask, current_app
from flask_babel import gettext as _
from flask_login import current_user
from flask_sock import Sock
from simple_websocket import ConnectionClosed

from automation.runtime import live
from automation.runtime.errors import DeskError
from automation.runtime.live import ALL, Hub, LiveEvent
from automation.runtime import sockets
from automation.runtime.sockets import POLICY_VIOLATION, TRY_AGAIN_LATER, OpenSockets, same_origin
from automation.channels import web as web_chat
from automation.runtime import json_limits
from automation.channels.web import MAX_CHARS
from database import db, events
from database.conversations import get_conversation, messages_after, recent_messages
from database.models import Message
from web_app import chat_view
from web_app.chat_limits import allow_message
from web_app.chat_view import ChatState
from web_app.extensions import limiter
from web_app.tagging import simulation_tag

log = logging.getLogger(__name__)
bp = Blueprint("chat_socket", __name__)
sock = Sock()
IDLE = 30.0           # seconds a socket thread sleeps when nothing at all happens
KEEP_SENT = 20        # recent message ids a socket remembers having pushed
RESERVED_THREADS = 8  # a gthread worker keeps these threads for pages, never for sockets
# Events about other conversations that move this one's place in the queue.
QUEUE_KINDS = frozenset({events.AGENT_ASSIGNED, events.CONVERSATION_CLOSED,
                         events.CONVERSATION_HANDED_BACK, events.HANDOFF_REQUESTED,
                         events.CONVERSATION_TRANSFERRED, events.CONVERSATION_REQUEUED,
                         events.QUEUE_LEFT, events.AGENT_STATUS_CHANGED,
                         events.AGENT_CONNECTED, events.AGENT_DISCONNECTED})
TYPING_EVERY = 3.0    # the shopper's typing is recorded at most this often


open_sockets = OpenSockets()


limiter.limit("60 per minute")(bp)  # handshakes per IP: a reconnect storm must not drown us


@sock.route("/chat/ws", bp=bp)
def chat_socket(ws: Any) -> None:
    """Serve one shopper's chat socket; refuse strangers, other sites and a full worker."""
    if not current_user.is_authenticated:
        ws.close(POLICY_VIOLATION, "log in first")
        return
    if not same_origin("PUBLIC_BASE_URL"):
        ws.close(POLICY_VIOLATION, "cross-site socket")
        return
    limit = max(1, current_app.config.get("WEB_THREADS", 100) - RESERVED_THREADS)
    if not open_sockets.enter(limit):
        ws.close(TRY_AGAIN_LATER, "busy")
        return
    try:
        tag = simulation_tag()
        ChatSocket(ws, customer_id=current_user.customer.id,
                   hub=current_app.extensions["live"],
                   metadata={"simulation": tag} if tag else {}).run()
    finally:
        open_sockets.leave()
        db.session.remove()



class ChatSocket:
    """One shopper's open chat socket."""

    def __init__(self, ws: Any, *, customer_id: int, hub: Hub,
                 metadata: dict[str, Any] | None = None) -> None:
        self.ws = ws
        self.metadata = metadata or {}
        self.customer_id = customer_id
        self.hub = hub
        self.engine = current_app.extensions["engine"]
        self.inbox: queue.SimpleQueue[tuple[str, LiveEvent | None]] = queue.SimpleQueue()
        self.conversation_id: int | None = None
        self.watching_queue = False
        self.floor = 0                  # messages at or below this id: the browser has them
        self.sent: set[int] = set()     # message ids pushed above the floor
        self.shown: dict[str, str] = {}  # the last HTML pushed per fragment
        self.typed_at = 0.0
        self.typists: dict[str, None] = {}  # staff whose typing arrived since the last wake

    # --- the loop ------------------------------------------------------------------------------

    def run(self) -> None:
        """Serve the socket until it closes."""
        # One queue wakes this thread: frames from the browser ring it, live events fill it.
        self.ws.event.ring = lambda: self.inbox.put(("frame", None))
        self.inbox.put(("frame", None))  # frames that came before the bell was hung
        state = chat_view.current_state(self.customer_id)
        self._follow(state)
        self.floor = state.last_message_id
        db.session.close()
        try:
            while True:
                self._wake()
        finally:
            self._unfollow()

    def _wake(self) -> None:
        reasons: set[str] = set()
        try:
            self._note(reasons, *self.inbox.get(timeout=IDLE))
            while True:
                self._note(reasons, *self.inbox.get_nowait())
        except queue.Empty:
            pass
        if "frame" in reasons or not reasons:
            while (frame := self.ws.receive(timeout=0)) is not None:  # raises once closed
                self._on_frame(frame)
        if reasons & {"conversation", "queue"}:
            try:
                self._refresh()
            finally:
                db.session.close()
        for name in list(self.typists):
            self._push(chat_view.typing(True, person=name))
        self.typists.clear()

    def _note(self, reasons: set[str], reason: str, live: LiveEvent | None) -> None:
        if reason == "typing" and live is not None:
            if live.payload.get("who") == "staff":
                self.typists[str(live.payload.get("name") or "—")] = None
            return
        reasons.add(reason)

    def _on_frame(self, frame: str | bytes) -> None:
        try:
            data = json_limits.loads(frame)
        except ValueError:
            return
        if not isinstance(data, dict):
            return
        try:
            if data.get("type") == "resume":
                self._resume(data)
            elif data.get("type") == "typing":
                self._typing()
            elif "message" in data:
                self._message(str(data.get("message") or ""), str(data.get("client_id") or ""))
        except ConnectionClosed:
            raise
        except Exception as exc:  # noqa: BLE001 - the shopper sees a bubble, the socket lives on
            db.session.rollback()
            if isinstance(exc, DeskError):
                log.info("chat message refused: %s", exc.message)
            else:
                log.exception("chat socket frame failed")
            self._push(chat_view.notice(_("Sorry, this message could not be sent."),
                                        f"error-{uuid.uuid4().hex[:8]}"))
        finally:
            db.session.close()  # no transaction stays open between frames

    # --- what the browser asked ------------------------------------------------------------

    def _resume(self, data: dict[str, Any]) -> None:
        after, shown_id = data.get("after"), data.get("conversation_id")
        state = chat_view.current_state(self.customer_id)
        self.shown.clear()  # a reconnecting page may hold anything: send every fragment again
        if state.conversation_id is None or str(shown_id) != str(state.conversation_id) \
                or not isinstance(after, int):
            self._switch(state)
            return
        self.floor, self.sent = after, set()
        self._refresh()

    def _message(self, text: str, client_id: str) -> None:
        text = text.strip()
        if not text:
            return
        if len(text) > MAX_CHARS:
            self._push(chat_view.notice(
                _("Your message is too long: %(limit)s characters at most. Could you shorten "
                  "it?", limit=f"{MAX_CHARS:,}"), f"long-{uuid.uuid4().hex[:8]}"))
            return
        if not allow_message(self.customer_id):
            self._push(chat_view.notice(
                _("You are sending messages very fast. Please wait a moment and try again."),
                f"limit-{uuid.uuid4().hex[:8]}"))
            return
        # The browser's id for this message: a message resent after a reconnect is stored once.
        accepted = web_chat.submit(self.engine, customer_id=self.customer_id, text=text,
                                   client_id=client_id or uuid.uuid4().hex,
                                   conversation_id=self.conversation_id,
                                   metadata=self.metadata)
        message_id = accepted.message_id
        message = db.session.get(Message, message_id)
        conversation = message.conversation
        if not accepted.new and message.answered_at is not None:
            self._refresh()  # a resend of an answered message: the page gets what it lacks
            return
        if conversation.id != self.conversation_id:
            self._switch(chat_view.load_state(conversation))
        else:
            self._refresh()
        relayed = conversation.status == "active"  # a person answers: no AI typing
        if not relayed:
            self._push(chat_view.typing(True))
        db.session.close()
        try:
            web_chat.reply(self.engine, message_id)
        finally:
            db.session.rollback()
            if not relayed:
                self._push(chat_view.typing(False))
            self._refresh()

    def _typing(self) -> None:
        """The shopper is typing: the person holding the conversation sees it (throttled)."""
        if self.conversation_id is None or time.monotonic() - self.typed_at < TYPING_EVERY:
            return
        conversation = get_conversation(self.conversation_id)
        if conversation is None or conversation.status != "active":
            return  # only a person reads along live; the assistant needs no warning
        self.typed_at = time.monotonic()
        events.record(events.CONVERSATION_TYPING, level="debug",
                      conversation_id=conversation.id, customer_id=conversation.customer_id,
                      payload={"who": "shopper", "name": conversation.customer.first_name})
        db.session.commit()

    # --- pushing ----------------------------------------------------------------------------

    def _refresh(self) -> None:
        """Push what changed in the conversation: new messages, status, rating, buttons."""
        conversation = get_conversation(self.conversation_id) if self.conversation_id else None
        if conversation is None:
            return
        above = messages_after(conversation.id, self.floor)
        fresh = [m for m in above if m.id not in self.sent]
        # The status, the rating and the buttons need only the latest message.
        latest = above[-1:] or recent_messages(conversation.id, limit=1)
        state = chat_view.load_state(conversation, messages=latest)
        parts = [chat_view.appended(fresh, state)] if fresh else []
        history = None
        self._note_sent(m.id for m in fresh)
        for name in ("status", "rating", "quick_replies"):
            html = chat_view.fragment(name, state, oob=True)
            if self.shown.get(name) != html:
                parts.append(html)
                self.shown[name] = html
        if self.shown.get("history_status") != state.status:
            # A conversation that closes joins the earlier ones beside the chat.
            if "history_status" in self.shown:
                history = str(chat_view.history(self.customer_id, state, oob=True))
            self.shown["history_status"] = state.status
        if parts:
            self._push("".join(parts))
        if history:
            self._push(history)  # a frame of its own: htmx swaps one big fragment per frame
        self._watch_queue(state.status == "waiting")

    def _note_sent(self, ids: Iterable[int]) -> None:
        self.sent.update(ids)
        if len(self.sent) > KEEP_SENT * 5:
            # The browser has everything but the newest: only those may still see a late
            # commit below them (ids are taken at insert, committed in any order).
            newest = sorted(self.sent)[-KEEP_SENT:]
            self.floor, self.sent = newest[0] - 1, set(newest)

    def _switch(self, state: ChatState) -> None:
        """Show another conversation whole (a new one started, or the page shows an old one)."""
        self._unfollow()
        self._follow(state)
        self.floor = state.last_message_id
        self.sent = set()
        self.shown.clear()
        self._push(chat_view.fragment("conversation", state, oob=True))
        self._push(chat_view.history(self.customer_id, state, oob=True))
        self.shown["history_status"] = state.status
        self._watch_queue(state.status == "waiting")

    def _push(self, html: str) -> None:
        self.ws.send(html)

    # --- live subscriptions -----------------------------------------------------------------

    def _follow(self, state: ChatState) -> None:
        self.conversation_id = state.conversation_id
        if self.conversation_id is not None:
            self.hub.subscribe(self.conversation_id, self._on_event)

    def _unfollow(self) -> None:
        if self.conversation_id is not None:
            self.hub.unsubscribe(self.conversation_id, self._on_event)
        self._watch_queue(False)

    def _watch_queue(self, on: bool) -> None:
        if on and not self.watching_queue:
            self.hub.subscribe(ALL, self._on_queue_event)
        elif not on and self.watching_queue:
            self.hub.unsubscribe(ALL, self._on_queue_event)
        self.watching_queue = on

    def _on_event(self, live: LiveEvent) -> None:
        # On the listener thread: only hand it over.
        if live.kind == events.CONVERSATION_TYPING:
            self.inbox.put(("typing", live))
        else:
            self.inbox.put(("conversation", live))

    def _on_queue_event(self, live: LiveEvent) -> None:
        if live.kind in QUEUE_KINDS and live.conversation_id != self.conversation_id:
            self.inbox.put(("queue", live))


def init_app(app: Flask) -> None:
    """Register the chat socket and give the app its live listener (one per process)."""
    with app.app_context():
        engine = db.engine
    app.extensions["live"] = live.attach(engine, redis_url=app.config.get("REDIS_URL"),
                                         channel=app.config.get("LIVE_CHANNEL", "desk:live"))
    sockets.use_doorbells(app)
    sock.init_app(app)
    app.register_blueprint(bp)

