"""What every live socket shares: its close codes, a per-process count, the same-origin check.

A gthread worker serves pages and sockets from one pool of threads, and a socket holds its
thread for as long as it is open: each app counts its sockets in one `OpenSockets` and keeps
some threads for pages.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, request

# Close codes the htmx ws extension and our pages reconnect after (with backoff), and one
# they do not.
TRY_AGAIN_LATER, POLICY_VIOLATION = 1013, 1008


class OpenSockets:
    """How many sockets this process holds, refusing more than a limit."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def enter(self, limit: int) -> bool:
        """Count one more socket unless `limit` are open; say whether it may stay."""
        with self._lock:
            if self.count >= limit:
                return False
            self.count += 1
            return True

    def leave(self) -> None:
        with self._lock:
            self.count -= 1


def same_origin(*base_url_settings: str) -> bool:
    """Whether the socket's page is one of ours: this host, or a configured base URL's."""
    # Browsers always send Origin on a WebSocket; a page of another site must not use the
    # visitor's cookies to act in their name.
    origin = request.headers.get("Origin")
    if not origin:
        return True
    allowed = {request.host}
    for setting in base_url_settings:
        if current_app.config.get(setting):
            allowed.add(urlsplit(current_app.config[setting]).netloc)
    return urlsplit(origin).netloc in allowed


def use_doorbells(app: Flask) -> None:
    """Make the app's sockets ring a `Doorbell` on every frame, from daemon reader threads."""
    options = dict(app.config.get("SOCK_SERVER_OPTIONS") or {})
    options.update(thread_class=_DaemonThread, event_class=Doorbell)
    app.config["SOCK_SERVER_OPTIONS"] = options


class Doorbell(threading.Event):
    """simple-websocket's "a frame arrived" event, which also wakes the socket's thread."""

    def __init__(self) -> None:
        super().__init__()
        self.ring: Any = None

    def set(self) -> None:
        super().set()
        if self.ring is not None:
            self.ring()


class _DaemonThread(threading.Thread):
    # Each socket has a reader thread; a socket left open must not keep a stopping worker alive.
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, daemon=True, **kwargs)
