"""A recording HTTP server on 127.0.0.1 for the fakes of outside APIs.

Each fake answers POSTs from a script (served in order) or from its `default_answer`, records
every request, and is used as a context manager; real SDKs reach it through base-URL settings.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass
class Answer:
    """One scripted HTTP answer; `delay_s` makes the fake slow (for client timeouts)."""

    status: int
    body: dict[str, Any] | str
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


@dataclass
class Recorded:
    """One request a fake received."""

    method: str
    path: str
    headers: dict[str, str]   # lower-cased names
    body: dict[str, Any]      # JSON, or form fields (first value of each)


class RecordingServer:
    """A threaded HTTP server answering POSTs from a script, else with `default_answer`."""

    def __init__(self) -> None:
        self.script: deque[Answer] = deque()
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,),
                                        daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return [r.body for r in self.requests]

    def answer(self, *answers: Answer) -> RecordingServer:
        """Queue answers, served in order before the default one."""
        self.script.extend(answers)
        return self

    def reset(self) -> RecordingServer:
        """Forget the script and the recorded requests (between tests)."""
        with self._lock:
            self.script.clear()
            self.requests.clear()
        return self

    def default_answer(self, recorded: Recorded) -> Answer:
        """Answer a request the script did not cover."""
        raise NotImplementedError

    def __enter__(self) -> RecordingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next(self, recorded: Recorded) -> Answer:
        with self._lock:
            self.requests.append(recorded)
            return self.script.popleft() if self.script else self.default_answer(recorded)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - the http.server naming
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                if "json" in headers.get("content-type", "json"):
                    body = json.loads(raw or b"{}")
                else:
                    body = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                answer = fake._next(Recorded(self.command, self.path, headers, body))
                if answer.delay_s:
                    time.sleep(answer.delay_s)
                payload = (answer.body if isinstance(answer.body, str)
                           else json.dumps(answer.body)).encode()
                try:
                    self.send_response(answer.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(payload)))
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (its timeout): nothing to answer

            def log_message(self, *args: Any) -> None:
                pass

        return Handler
