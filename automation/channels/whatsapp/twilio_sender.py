"""Sending WhatsApp replies through Twilio's REST API: the one module importing `twilio.rest`.

It owns the timeouts and retries. A message create is not idempotent, so only failures that
cannot have created a message are retried: connection errors (the SDK's HTTP adapter) and
Twilio's 429 and 503 answers (with a short backoff).
"""

from __future__ import annotations

import logging
import time
from typing import Any, Protocol

from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from automation.channels.results import SendError, SendResult

log = logging.getLogger(__name__)

RETRY_STATUSES = (429, 503)


class TwilioSender(Protocol):
    """Anything that sends a WhatsApp text through Twilio."""

    configured: bool

    def send(self, *, to: str, from_: str | None, body: str,
             status_callback: str | None = None, content_sid: str | None = None,
             content_variables: str | None = None) -> SendResult:
        """Send `body` to `to` (a `whatsapp:+…` address), or the template `content_sid`."""
        ...


class RestTwilioSender:
    """The real sender: twilio.rest.Client, its API base URL a setting (tests use a fake)."""

    configured = True

    def __init__(self, *, account_sid: str, auth_token: str, default_from: str | None = None,
                 api_url: str | None = None, timeout: float = 10.0, retries: int = 2,
                 backoff: float = 0.5) -> None:
        # Connection failures are retried by the SDK's adapter (mounted for https only).
        http_client = TwilioHttpClient(timeout=timeout, max_retries=retries)
        self.client = Client(account_sid, auth_token, http_client=http_client)
        if api_url:
            # Every Api request URL is built from this domain's base_url (twilio/base/domain.py).
            self.client.api.base_url = api_url.rstrip("/")
        self.default_from = default_from
        self.retries, self.backoff = retries, backoff

    def send(self, *, to: str, from_: str | None, body: str,
             status_callback: str | None = None, content_sid: str | None = None,
             content_variables: str | None = None) -> SendResult:
        """Create the message; retry 429/503 a couple of times, raise SendError otherwise.

        With `content_sid` it is a template (Twilio's Content API), the only kind WhatsApp
        delivers past the 24-hour window.
        """
        sender = self.default_from or from_
        if not sender:
            raise SendError("no sender number: set TWILIO_WHATSAPP_NUMBER", permanent=True)
        what = ({"content_sid": content_sid, "content_variables": content_variables}
                if content_sid else {"body": body})
        for attempt in range(self.retries + 1):
            try:
                message = self.client.messages.create(from_=sender, to=to,
                                                      status_callback=status_callback, **what)
                return SendResult(provider_id=message.sid, status=message.status or "queued")
            except TwilioRestException as exc:
                if exc.status in RETRY_STATUSES and attempt < self.retries:
                    time.sleep(self.backoff * (2 ** attempt))
                    continue
                raise SendError(f"Twilio answered {exc.status}: {exc.msg}", status=exc.status,
                                code=exc.code) from exc
            except (TwilioException, OSError) as exc:  # requests' errors are OSErrors
                raise SendError(f"Twilio unreachable: {exc}") from exc
        raise SendError("Twilio kept refusing the message")  # pragma: no cover


class NullTwilioSender:
    """Used when Twilio is not configured: nothing is sent, and the logs say so."""

    configured = False

    def send(self, *, to: str, from_: str | None, body: str,
             status_callback: str | None = None, content_sid: str | None = None,
             content_variables: str | None = None) -> SendResult:
        """Send nothing; warn."""
        log.warning("WhatsApp reply to %s not sent: TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN unset",
                    to[-4:].rjust(len(to), "•"))
        return SendResult(provider_id=None, status="not_sent",
                          detail="WhatsApp via Twilio is not configured (TWILIO_ACCOUNT_SID)")


def build_twilio_sender(config: Any) -> TwilioSender:
    """Return the real sender when the account SID and auth token are set, else the null one."""
    sid, token = config.get("TWILIO_ACCOUNT_SID"), config.get("TWILIO_AUTH_TOKEN")
    if not (sid and token):
        return NullTwilioSender()
    return RestTwilioSender(account_sid=sid, auth_token=token,
                            default_from=config.get("TWILIO_WHATSAPP_NUMBER"),
                            api_url=config.get("TWILIO_API_URL"))
