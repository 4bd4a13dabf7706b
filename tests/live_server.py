"""A real HTTP server around an app, for tests that need one (WebSockets, the browser)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from werkzeug.serving import make_server


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve `app` on a free port of 127.0.0.1 in a background thread; yield its base URL."""
    from web_app.chat_socket import open_sockets

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        # Socket threads notice their closed sockets within a tick: let them end before the
        # next test empties the tables under them.
        deadline = time.monotonic() + 5
        while open_sockets.count and time.monotonic() < deadline:
            time.sleep(0.05)
        app.extensions["live"].stop()
        server.server_close()
