"""Where replies that do not come back on the request are observed.

- `ReplyBox`: exchanges waiting for a reply, by key (a phone, a Message-ID), oldest first.
- `FakeProviders`: a local HTTP server shaped like Meta's Graph API and Twilio's REST API;
  the desk, started with `WHATSAPP_GRAPH_URL` / `TWILIO_API_URL` pointing here, "sends" its
  WhatsApp replies to it, and they are handed to the waiting exchanges.
- `SmtpSink`: a local SMTP server (aiosmtpd) the desk sends email replies to (`SMTP_URL`).
Both servers run on their own threads and hand replies to the event loop thread-safely.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass
class Observed:
    """A reply seen outside the request that caused it."""

    text: str
    at: float                       # time.monotonic() when it was seen
    raw: dict[str, Any] = field(default_factory=dict)


def digits(value: str | None) -> str:
    """Return only the digits of a phone (`whatsapp:+351 912…` → `351912…`)."""
    return re.sub(r"\D", "", value or "")


class ReplyBox:
    """Futures of exchanges waiting for a reply, per key, resolved oldest first."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.waiting: dict[str, deque[asyncio.Future[Observed]]] = defaultdict(deque)
        self.unexpected = 0   # replies nobody waited for (a late reply, an invitation)

    def expect(self, key: str) -> asyncio.Future[Observed]:
        """Return a future resolved by the next reply for `key` (call on the loop)."""
        future: asyncio.Future[Observed] = self.loop.create_future()
        self.waiting[key].append(future)
        return future

    def forget(self, key: str, future: asyncio.Future[Observed]) -> None:
        """Stop waiting with this future (it timed out, or the reply came another way)."""
        queue = self.waiting.get(key)
        if queue is not None and future in queue:
            queue.remove(future)
            if not queue:
                del self.waiting[key]

    def deliver(self, key: str, observed: Observed) -> None:
        """Hand a reply to the oldest exchange waiting on `key` (from any thread)."""
        self.loop.call_soon_threadsafe(self._deliver, key, observed)

    def _deliver(self, key: str, observed: Observed) -> None:
        queue = self.waiting.get(key)
        while queue:
            future = queue.popleft()
            if not future.done():
                future.set_result(observed)
                break
        else:
            self.unexpected += 1
        if queue is not None and not queue:
            self.waiting.pop(key, None)


_ids = itertools.count(1)


class FakeProviders:
    """Meta's `POST /{version}/{phone-id}/messages` and Twilio's `Messages.json`, locally."""

    def __init__(self, box: ReplyBox, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.box = box
        self.received = 0
        self._server = ThreadingHTTPServer((host, port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name="sim-fake-providers", daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def graph_url(self) -> str:
        return f"{self.url}/v24.0"

    def start(self) -> FakeProviders:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def graph_message(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Take a Cloud API message; answer as the Graph API does."""
        to = str(body.get("to") or "")
        text = _graph_text(body)
        self.box.deliver(digits(to), Observed(text, time.monotonic(), body))
        wamid = f"wamid.SIMOUT{next(_ids):010d}"
        return 200, {"messaging_product": "whatsapp",
                     "contacts": [{"input": to, "wa_id": digits(to)}],
                     "messages": [{"id": wamid}]}

    def twilio_message(self, path: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """Take a Twilio message resource; answer as Twilio's REST API does."""
        to, text = form.get("To", ""), form.get("Body", "")
        self.box.deliver(digits(to), Observed(text, time.monotonic(), dict(form)))
        parts = path.split("/")
        account = parts[3] if len(parts) > 3 else ""
        sid = f"SM{next(_ids):032d}"
        return 201, {"sid": sid, "account_sid": account, "status": "queued",
                     "from": form.get("From"), "to": to, "body": text,
                     "direction": "outbound-api", "api_version": "2010-04-01",
                     "num_media": "0", "num_segments": "1", "error_code": None,
                     "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                fake.received += 1
                path = self.path.split("?")[0]
                try:
                    if path.endswith("/Messages.json"):
                        form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                        status, answer = fake.twilio_message(path, form)
                    elif path.endswith("/messages"):
                        status, answer = fake.graph_message(json.loads(raw or b"{}"))
                    else:
                        status, answer = 404, {"error": {"message": "unknown path",
                                                         "type": "GraphMethodException",
                                                         "code": 100}}
                except ValueError:
                    status, answer = 400, {"error": {"message": "bad body", "code": 100}}
                self._answer(status, answer)

            def _answer(self, status: int, answer: dict[str, Any]) -> None:
                payload = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


def _graph_text(body: dict[str, Any]) -> str:
    if body.get("type") == "interactive":
        interactive = body.get("interactive") or {}
        text = str((interactive.get("body") or {}).get("text") or "")
        buttons = (interactive.get("action") or {}).get("buttons") or []
        titles = [str((b.get("reply") or {}).get("title") or "") for b in buttons]
        return text + ("\n" + " | ".join(titles) if titles else "")
    return str((body.get("text") or {}).get("body") or "")


class SmtpSink:
    """A local SMTP server that hands each email reply to the exchange it answers."""

    def __init__(self, box: ReplyBox, *, host: str = "127.0.0.1", port: int = 0) -> None:
        from aiosmtpd.controller import Controller  # only needed when a sink is asked for

        sink = self

        class _Controller(Controller):
            def _trigger_server(self) -> None:
                # Port 0: learn the port the system chose.
                self.port = self.server.sockets[0].getsockname()[1]
                super()._trigger_server()

        self.box = box
        self.received = 0
        self.controller = _Controller(sink, hostname=host, port=port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.controller.port}"

    def start(self) -> SmtpSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received += 1
        message: EmailMessage = message_from_bytes(envelope.original_content or
                                                   envelope.content, policy=default_policy)
        text = _plain_body(message)
        keys = str(message.get("In-Reply-To") or "").split()
        for key in keys[:1]:
            self.box.deliver(key.strip(), Observed(text, time.monotonic(),
                                                   {"message_id": str(message["Message-ID"]),
                                                    "subject": str(message["Subject"])}))
        return "250 2.0.0 accepted"


def _plain_body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content().strip() if part is not None else ""
