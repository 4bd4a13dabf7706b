"""A local receiver of the desk's outbound webhooks: it keeps each request's raw bytes (the
signature is over them) and answers from a script: a status, a delay, a Retry-After, or a
hang until released (a worker killed mid-POST)."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    status: int = 200
    delay_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False       # wait until `release()` (or the client goes away)


@dataclass
class Received:
    path: str
    headers: dict[str, str]   # lower-cased names
    raw: bytes

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.raw)


class WebhookReceiver:
    """An HTTP server on 127.0.0.1 recording every POST; 200 unless scripted otherwise."""

    def __init__(self) -> None:
        self.script: deque[Reply] = deque()
        self.received: list[Received] = []
        self.default = Reply()
        self._lock = threading.Lock()
        self._released = threading.Event()
        self.got_request = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,),
                                        daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/hooks/desk"

    def reply(self, *replies: Reply) -> WebhookReceiver:
        self.script.extend(replies)
        return self

    def release(self) -> None:
        self._released.set()

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._released.set()
        self._server.shutdown()
        self._server.server_close()

    def _next(self, received: Received) -> Reply:
        with self._lock:
            self.received.append(received)
            self.got_request.set()
            return self.script.popleft() if self.script else self.default

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - the http.server naming
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                reply = receiver._next(Received(self.path, headers, raw))
                if reply.hang:
                    receiver._released.wait(60)
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                payload = b'{"ok": true}' if reply.status < 300 else b'{"error": "nope"}'
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(payload)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        return Handler
