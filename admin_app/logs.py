"""The live log console: the latest 500 events and log lines, then every new one pushed over
a socket as it is committed, by any process (the per-process listener tails the events table).

The page and the socket render the same line fragment; the browser filters pushed lines with
the same filters the server applied to the first 500, pauses and searches.
"""

from __future__ import annotations

import queue
import time
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user
from flask_sock import Sock
from simple_websocket import ConnectionClosed

from admin_app.auth import roles_required
from admin_app.workspace.socket import RESERVED_THREADS, open_sockets
from automation.runtime.sockets import POLICY_VIOLATION, TRY_AGAIN_LATER, same_origin
from automation.runtime.live import ALL, LiveEvent
from automation.runtime.log_lines import LogLine, line_of
from database import db, events
from database.live_log import LogFilters, events_after, events_by_id, recent_events
from database.models import Event
from database.models.choices import CHANNELS

bp = Blueprint("logs", __name__)
sock = Sock()
SUPERVISING = ("supervisor", "admin")
FIRST_LINES = 500
GATHER_S = 0.15   # events arriving together are read and sent together
IDLE_S = 5.0      # how often an idle socket checks it is still open


@bp.get("/logs")
@roles_required(*SUPERVISING)
def index():
    filters = _filters()
    # flask-sock's URL is absolute (ws://…): the page builds its own from its address.
    socket_path = urlsplit(url_for("logs.logs_socket")).path
    return render_template("logs.html", lines=_first_lines(filters), filters=filters,
                           channels=CHANNELS, kinds=sorted(events.ALL_KINDS),
                           socket_path=socket_path)


@bp.get("/logs/lines")
@roles_required(*SUPERVISING)
def lines():
    """The first lines again, for new filters (the htmx swap of the page's list)."""
    return (render_template("_log_lines.html", lines=_first_lines(_filters())), 200,
            {"Vary": "HX-Request"})


def _filters() -> LogFilters:
    args = request.args
    channel = args.get("channel")
    return LogFilters(level=args.get("level") or None,
                      kind=(args.get("kind") or "").strip()[:40] or None,
                      channel=channel if channel in CHANNELS else None,
                      conversation_id=args.get("conversation", type=int))


def _first_lines(filters: LogFilters) -> list[LogLine]:
    return [line_of(event, channel)
            for event, channel in recent_events(filters, limit=FIRST_LINES)]


@sock.route("/logs/ws", bp=bp)
def logs_socket(ws: Any) -> None:
    """Push each new line to one supervisor's console until the socket closes."""
    if not current_user.is_authenticated or current_user.role not in SUPERVISING \
            or not same_origin("ADMIN_BASE_URL", "PUBLIC_BASE_URL"):
        ws.close(POLICY_VIOLATION, "not allowed")
        return
    limit = max(1, current_app.config.get("ADMIN_THREADS", 32) - RESERVED_THREADS)
    if not open_sockets.enter(limit):
        ws.close(TRY_AGAIN_LATER, "busy")  # the page says so and retries
        return
    hub = current_app.extensions["live"]
    inbox: queue.SimpleQueue[int] = queue.SimpleQueue()

    def on_event(live: LiveEvent) -> None:  # on the listener thread: only hand it over
        if live.kind != events.CONVERSATION_TYPING:
            inbox.put(live.id)

    hub.subscribe(ALL, on_event)
    try:
        # What was committed between the page (or the last socket) and now: the browser says
        # the newest line it holds, and keeps one copy of each line.
        after = request.args.get("after", type=int)
        if after is not None:
            _send(ws, events_after(after, limit=FIRST_LINES))
        while ws.connected:
            try:
                ids = [inbox.get(timeout=IDLE_S)]
            except queue.Empty:
                ws.receive(timeout=0)  # raises once the browser has gone
                continue
            time.sleep(GATHER_S)
            while not inbox.empty():
                ids.append(inbox.get_nowait())
            _send(ws, events_by_id(ids))
    except ConnectionClosed:
        pass
    finally:
        hub.unsubscribe(ALL, on_event)
        open_sockets.leave()
        db.session.remove()


def _send(ws: Any, found: list[tuple[Event, str | None]]) -> None:
    """Send `found` (oldest first) as console lines, newest first."""
    lines = [line_of(event, channel) for event, channel in found]
    db.session.close()
    if lines:
        ws.send(render_template("_log_lines.html", lines=reversed(lines)))
