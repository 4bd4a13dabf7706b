"""Local fakes of Meta's Graph API and Twilio's REST API: every request recorded.

Each is an HTTP server on 127.0.0.1 (port 0), so the real senders (httpx, twilio.rest) are
driven end to end through their base-URL settings. Answers are shaped like the providers':
Graph `{"messages": [{"id": "wamid…"}]}`, Twilio's message resource with a `SM…` sid.
"""

from __future__ import annotations

import itertools
from base64 import b64decode
from typing import Any

from tests.fakes.http_server import Answer, Recorded, RecordingServer

_ids = itertools.count(1)


class FakeGraphAPI(RecordingServer):
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


class FakeTwilioAPI(RecordingServer):
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
