"""The workspace's live socket: queue, lists, statuses, the open conversation and typing,
pushed as the same HTML fragments that render the page (`hx-swap-oob`).

Frames from the browser are JSON: `{"type": "open", "conversation_id", "after"}` when the
page shows a conversation (and on every reconnect), `{"type": "typing", "conversation_id"}`
while the agent types. The socket is also the agent's presence: it refreshes `last_seen_at`
every `HEARTBEAT`; when it closes, the agent's conversations wait a grace period
(`reconnect_grace_s`) for them to come back, then go back to the queue.
"""

from __future__ import annotations

import json
import logging
import queue
import time
from typing import Any

from flask import Flask, current_app, render_template
from flask_login import current_user
from flask_sock import Sock

from admin_app.workspace import render
from admin_app.workspace.views import bp
from automation.conversations import board, jobs as conversation_jobs, staff_side, staffing
from automation.runtime.live import ALL, Hub, LiveEvent
from automation.runtime import sockets
from automation.runtime.sockets import POLICY_VIOLATION, TRY_AGAIN_LATER, OpenSockets, same_origin
from database import db, events
from database.base import utcnow
from database.conversations import get_conversation, messages_after
from database.staff import get_staff

log = logging.getLogger(__name__)
sock = Sock()
HEARTBEAT = staffing.HEARTBEAT.total_seconds()
BOARD_EVERY = 1.0       # the left column is rendered at most this often per socket
TYPING_EVERY = 3.0      # an agent's typing is recorded at most this often
RESERVED_THREADS = 6  # a gthread worker keeps these threads for pages, never for sockets
# Changes that move the queue, someone's load or status: the left column is rendered again.
BOARD_KINDS = frozenset({
    events.HANDOFF_REQUESTED, events.AGENT_ASSIGNED, events.CONVERSATION_TRANSFERRED,
    events.CONVERSATION_HANDED_BACK, events.CONVERSATION_REQUEUED, events.CONVERSATION_CLOSED,
    events.QUEUE_LEFT, events.AGENT_STATUS_CHANGED, events.AGENT_CONNECTED,
    events.AGENT_DISCONNECTED, events.MESSAGE_RELAYED, events.MESSAGE_SENT,
    events.QUEUE_ESCALATED})
NEW_IN_QUEUE = frozenset({events.HANDOFF_REQUESTED, events.CONVERSATION_REQUEUED})


@sock.route("/ws", bp=bp)
def workspace_socket(ws: Any) -> None:
    """Serve one staff member's workspace socket; refuse strangers and other sites."""
    if not current_user.is_authenticated or not same_origin("ADMIN_BASE_URL", "PUBLIC_BASE_URL"):
        ws.close(POLICY_VIOLATION, "log in first")
        return
    limit = max(1, current_app.config.get("ADMIN_THREADS", 32) - RESERVED_THREADS)
    if not open_sockets.enter(limit):
        ws.close(TRY_AGAIN_LATER, "busy")  # the page retries, and polls meanwhile
        return
    try:
        StaffSocket(ws, staff_id=current_user.user.id, hub=current_app.extensions["live"],
                    grace_s=staff_side.current().reconnect_grace_s).run()
    finally:
        open_sockets.leave()
        db.session.remove()


open_sockets = OpenSockets()



class StaffSocket:
    """One staff member's open workspace."""

    def __init__(self, ws: Any, *, staff_id: int, hub: Hub, grace_s: int) -> None:
        self.ws, self.staff_id, self.hub, self.grace_s = ws, staff_id, hub, grace_s
        self.inbox: queue.SimpleQueue[tuple[str, LiveEvent | None]] = queue.SimpleQueue()
        self.open_id: int | None = None
        self.floor_message = 0     # the page holds the open conversation's messages up to here
        self.floor_event = 0       # and its history's events up to here
        self.shown: dict[str, str] = {}
        self.board_due = 0.0
        self.board_pending = False
        self.typed_at = 0.0
        self.beat_at = 0.0

    def run(self) -> None:
        """Serve the socket until it closes."""
        self.ws.event.ring = lambda: self.inbox.put(("frame", None))
        self.inbox.put(("frame", None))
        self.hub.subscribe(ALL, self._on_event)
        staffing.connected(self.staff_id, utcnow())
        self.beat_at = time.monotonic()
        conversation_jobs.route_queue()  # someone came online: the queue may move
        self._board()
        db.session.close()
        try:
            while True:
                self._wake()
        finally:
            self.hub.unsubscribe(ALL, self._on_event)
            self._left()

    def _left(self) -> None:
        try:
            db.session.rollback()
            staffing.disconnected(self.staff_id, utcnow(), grace_s=self.grace_s)
            conversation_jobs.presence_check_later(self.staff_id, self.grace_s)
        except Exception:  # noqa: BLE001 - the periodic upkeep notices the absence anyway
            log.exception("could not record a workspace disconnect")

    # --- the loop --------------------------------------------------------------------------

    def _wake(self) -> None:
        wait = HEARTBEAT
        if self.board_pending:
            wait = max(0.05, min(wait, self.board_due - time.monotonic()))
        reasons: dict[str, list[LiveEvent]] = {}
        try:
            kind, live = self.inbox.get(timeout=wait)
            reasons.setdefault(kind, []).append(live)
            while True:
                kind, live = self.inbox.get_nowait()
                reasons.setdefault(kind, []).append(live)
        except queue.Empty:
            pass
        try:
            if "frame" in reasons or not reasons:
                while (frame := self.ws.receive(timeout=0)) is not None:  # raises once closed
                    self._on_frame(frame)
            if time.monotonic() - self.beat_at >= HEARTBEAT:
                staffing.seen(self.staff_id, utcnow())
                self.beat_at = time.monotonic()
            if "conversation" in reasons:
                self._conversation()
            for live in reasons.get("typing", []):
                self._typing(live)
            for live in reasons.get("notify", []):
                self._notify(live)
            if "board" in reasons or (self.board_pending
                                      and time.monotonic() >= self.board_due):
                self._board()
        finally:
            db.session.close()

    def _on_frame(self, frame: str | bytes) -> None:
        try:
            data = json.loads(frame)
        except ValueError:
            return
        if not isinstance(data, dict):
            return
        try:
            if data.get("type") == "open":
                self._open(data)
            elif data.get("type") == "typing":
                self._staff_typing(data)
        except Exception:  # noqa: BLE001 - one bad frame must not drop the agent's socket
            db.session.rollback()
            log.exception("workspace socket frame failed")

    # --- what the browser said ---------------------------------------------------------------

    def _open(self, data: dict[str, Any]) -> None:
        conversation_id, after = data.get("conversation_id"), data.get("after")
        if not isinstance(conversation_id, int):
            self.open_id = None
            return
        self.open_id = conversation_id
        self.floor_message = after if isinstance(after, int) else 0
        self.floor_event = data.get("after_event") if isinstance(data.get("after_event"),
                                                                 int) else 0
        self.shown.pop("actions", None)
        self._conversation()

    def _staff_typing(self, data: dict[str, Any]) -> None:
        conversation_id = data.get("conversation_id")
        if not isinstance(conversation_id, int) or time.monotonic() - self.typed_at < \
                TYPING_EVERY:
            return
        conversation = get_conversation(conversation_id)
        if conversation is None or conversation.status != "active" \
                or conversation.assigned_staff_id != self.staff_id:
            return
        staff = get_staff(self.staff_id)
        self.typed_at = time.monotonic()
        events.record(events.CONVERSATION_TYPING, level="debug",
                      conversation_id=conversation.id, customer_id=conversation.customer_id,
                      payload={"who": "staff", "staff_id": self.staff_id,
                               "name": (staff.name.split() or ["—"])[0]})
        db.session.commit()

    # --- pushing -----------------------------------------------------------------------------

    def _board(self) -> None:
        now = time.monotonic()
        if now < self.board_due:
            self.board_pending = True
            return
        self.board_due, self.board_pending = now + BOARD_EVERY, False
        staff = get_staff(self.staff_id)
        if staff is None or not staff.active:
            self.ws.close(POLICY_VIOLATION, "account closed")
            return
        parts = render.side(staff, oob=True)
        changed = [html for name, html in parts.items() if self.shown.get(name) != html]
        self.shown.update(parts)
        if changed:
            self.ws.send("".join(changed))

    def _conversation(self) -> None:
        """Push what changed in the open conversation: new lines, statuses, its actions."""
        conversation = get_conversation(self.open_id) if self.open_id else None
        if conversation is None:
            return
        staff = get_staff(self.staff_id)
        fresh = list(messages_after(conversation.id, self.floor_message, include_private=True))
        news = board.events_after(conversation.id, self.floor_event)
        timeline = [e for e in news if e.kind in board.TIMELINE_KINDS]
        moved = {e.payload.get("message_id") for e in news
                 if e.kind == events.MESSAGE_DELIVERY} - {m.id for m in fresh} - {None}
        changed = [m for m in board.messages_by_id(moved) if m.id <= self.floor_message]
        lines = [render.Item("message", m.created_at, message=m) for m in fresh] + \
                [render.Item("event", e.created_at, event=e) for e in timeline]
        lines.sort(key=lambda line: (line.at, line.dom_id))
        staff_by_id = render.all_staff()
        html = ""
        if lines:
            html += ('<div id="ws-messages" hx-swap-oob="beforeend">'
                     + "".join(render.item(line, staff_by_id) for line in lines) + "</div>")
        for message in changed:
            html += render.item(render.Item("message", message.created_at, message=message),
                                staff_by_id, oob=True)
        values = render.detail_values(conversation, staff)
        head = render_template("workspace/_head.html", oob=True, **values)
        mode = render_template("workspace/_composer_mode.html", **values).strip()
        if fresh:
            self.floor_message = max(self.floor_message, max(m.id for m in fresh))
        if news:
            self.floor_event = max(self.floor_event, max(e.id for e in news))
        if self.shown.get("head") != head:
            self.shown["head"] = head
            html += head
        if self.shown.get("composer_mode") != mode:
            # The composer changes only when what it allows changes: a draft is never lost
            # because a message arrived.
            if "composer_mode" in self.shown:
                html += render_template("workspace/_composer.html", oob=True, **values)
            self.shown["composer_mode"] = mode
        if html:
            self.ws.send(html)

    def _typing(self, live: LiveEvent) -> None:
        if live.conversation_id != self.open_id or live.payload.get("who") != "shopper":
            return
        self.ws.send(render_template("workspace/_typing.html", name=live.payload.get("name"),
                                     seq=live.id))

    def _notify(self, live: LiveEvent) -> None:
        conversation = get_conversation(live.conversation_id) if live.conversation_id else None
        staff = get_staff(self.staff_id)
        if conversation is None or conversation.status != "waiting" or staff is None \
                or staff.availability == "offline":
            return
        self.ws.send(render_template("workspace/_notify.html", conversation=conversation,
                                     kind=live.kind, seq=live.id))

    # --- live events (on the listener thread: only hand them over) -------------------------

    def _on_event(self, live: LiveEvent) -> None:
        if live.kind == events.CONVERSATION_TYPING:
            self.inbox.put(("typing", live))
            return
        if live.kind in BOARD_KINDS:
            self.inbox.put(("board", live))
        if live.kind in NEW_IN_QUEUE:
            self.inbox.put(("notify", live))
        if self.open_id is not None and live.conversation_id == self.open_id:
            self.inbox.put(("conversation", live))


def init_app(app: Flask) -> None:
    """Give the admin app's sockets the doorbell that wakes their thread on a frame."""
    sockets.use_doorbells(app)

