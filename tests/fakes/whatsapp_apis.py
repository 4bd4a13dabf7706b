"""Local fakes of Meta's Graph API and Twilio's REST API: every request recorded.

Each is an HTTP server on 127.0.0.1 (port 0), so the real senders (httpx, twilio.rest) are
driven end to end through their base-URL settings. Answers are shaped like the providers':
Graph `{"messages": [{"id": "wamid…"}]}`, Twilio's message resource with a `SM…` sid.
"""

from __future__ import annotations

import itertools
import json
import threading
from base64 import b64decode
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

_ids = itertools.count(1)


@dataclass
class Answer:
    """One scripted HTTP answer."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Recorded:
    """One request a fake received."""

    method: str
    path: str
    headers: dict[str, str]   # lower-cased names
    body: dict[str, Any]      # JSON, or form fields (first value of each)


class _RecordingServer:
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

    def answer(self, *answers: Answer) -> _RecordingServer:
        """Queue answers, served in order before the default one."""
        self.script.extend(answers)
        return self

    def reset(self) -> None:
        """Forget the script and the recorded requests."""
        with self._lock:
            self.script.clear()
            self.requests.clear()

    def __enter__(self) -> _RecordingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def default_answer(self, recorded: Recorded) -> Answer:
        raise NotImplementedError

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
                if "json" in headers.get("content-type", ""):
                    body = json.loads(raw or b"{}")
                else:
                    body = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                answer = fake._next(Recorded(self.command, self.path, headers, body))
                payload = json.dumps(answer.body).encode()
                self.send_response(answer.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


class FakeGraphAPI(_RecordingServer):
    """`POST /{phone-number-id}/messages` as the Cloud API answers it."""

    def default_answer(self, recorded: Recorded) -> Answer:
        to = str(recorded.body.get("to", ""))
        return Answer(200, {"messaging_product": "whatsapp",
                            "contacts": [{"input": to, "wa_id": to.lstrip("+")}],
                            "messages": [{"id": f"wamid.OUT{next(_ids):06d}"}]})

    @property
    def sent(self) -> list[dict[str, Any]]:
        """Return the message payloads posted to the messages endpoint."""
        return [r.body for r in self.requests if r.path.endswith("/messages")]


def graph_error(status: int, code: int, message: str) -> Answer:
    """Return a Graph API error answer."""
    return Answer(status, {"error": {"message": message, "type": "OAuthException",
                                     "code": code, "fbtrace_id": "AbCdEfGh"}})


class FakeTwilioAPI(_RecordingServer):
    """`POST /2010-04-01/Accounts/{sid}/Messages.json` as Twilio answers it."""

    def default_answer(self, recorded: Recorded) -> Answer:
        sid = f"SM{next(_ids):032d}"
        account = recorded.path.split("/")[3] if recorded.path.count("/") >= 3 else ""
        return Answer(201, {"sid": sid, "account_sid": account, "status": "queued",
                            "from": recorded.body.get("From"), "to": recorded.body.get("To"),
                            "body": recorded.body.get("Body"), "direction": "outbound-api",
                            "api_version": "2010-04-01", "num_media": "0",
                            "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json"})

    @property
    def sent(self) -> list[dict[str, Any]]:
        """Return the form fields of every message created."""
        return [r.body for r in self.requests if r.path.endswith("/Messages.json")]

    def basic_auth(self, index: int = -1) -> tuple[str, str]:
        """Return the (account sid, auth token) a request authenticated with."""
        value = self.requests[index].headers.get("authorization", "")
        user, _, password = b64decode(value.removeprefix("Basic ")).decode().partition(":")
        return user, password


def twilio_error(status: int, code: int, message: str) -> Answer:
    """Return a Twilio REST error answer."""
    return Answer(status, {"code": code, "message": message, "status": status,
                           "more_info": f"https://www.twilio.com/docs/errors/{code}"})
