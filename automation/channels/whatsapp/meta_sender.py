"""Sending WhatsApp messages through Meta's Graph API: the one module that calls it.

It owns the timeouts and retries: 429 and 5xx answers and failed connections are retried a
couple of times with a short backoff (honouring Retry-After, capped); a read timeout is not,
since the message may have gone out.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Protocol

import httpx

from automation.channels.results import SendError, SendResult

log = logging.getLogger(__name__)

MAX_RETRY_AFTER_S = 5.0


class MetaSender(Protocol):
    """Anything that posts a Cloud API message payload."""

    configured: bool

    def send(self, payload: dict[str, Any]) -> SendResult:
        """Send one message payload (`messaging_product`, `to`, `type`…)."""
        ...


class GraphSender:
    """The real sender: `POST {graph_url}/{phone_number_id}/messages` with a Bearer token."""

    configured = True

    def __init__(self, *, graph_url: str, phone_number_id: str, access_token: str,
                 timeout: float = 10.0, retries: int = 2, backoff: float = 0.5,
                 client: httpx.Client | None = None) -> None:
        self.url = f"{graph_url.rstrip('/')}/{phone_number_id}/messages"
        self.headers = {"Authorization": f"Bearer {access_token}"}
        self.client = client or httpx.Client(timeout=httpx.Timeout(timeout, connect=5.0))
        self.retries, self.backoff = retries, backoff

    def send(self, payload: dict[str, Any]) -> SendResult:
        """Post the payload; return the wamid, or raise SendError once retries are spent."""
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = self.client.post(self.url, json=payload, headers=self.headers)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                if last:
                    raise SendError(f"Graph API unreachable: {exc}") from exc
                self._wait(attempt, None)
                continue
            except httpx.HTTPError as exc:
                raise SendError(f"Graph API request failed: {exc}") from exc
            if response.status_code == 429 or response.status_code >= 500:
                if not last:
                    self._wait(attempt, response.headers.get("Retry-After"))
                    continue
            if response.is_success:
                return _result(response)
            raise _error(response)
        raise SendError("Graph API kept failing")  # pragma: no cover

    def _wait(self, attempt: int, retry_after: str | None) -> None:
        delay = self.backoff * (2 ** attempt)
        if retry_after and retry_after.isdigit():
            delay = min(float(retry_after), MAX_RETRY_AFTER_S)
        time.sleep(delay)


class NullMetaSender:
    """Used when the Cloud API is not configured: nothing is sent, and the logs say so."""

    configured = False

    def send(self, payload: dict[str, Any]) -> SendResult:
        """Send nothing; warn."""
        log.warning("WhatsApp reply not sent: WHATSAPP_ACCESS_TOKEN/WHATSAPP_PHONE_NUMBER_ID "
                    "unset")
        return SendResult(provider_id=None, status="not_sent",
                          detail="WhatsApp via Meta is not configured (WHATSAPP_ACCESS_TOKEN)")


def build_meta_sender(config: Any) -> MetaSender:
    """Return the Graph API sender when its token and phone number id are set, else null."""
    token, number_id = config.get("WHATSAPP_ACCESS_TOKEN"), config.get("WHATSAPP_PHONE_NUMBER_ID")
    if not (token and number_id):
        return NullMetaSender()
    return GraphSender(graph_url=config.get("WHATSAPP_GRAPH_URL")
                       or "https://graph.facebook.com/v24.0",
                       phone_number_id=number_id, access_token=token)


def _result(response: httpx.Response) -> SendResult:
    try:
        data = response.json()
        message = (data.get("messages") or [{}])[0]
    except (ValueError, AttributeError, IndexError) as exc:
        raise SendError(f"Graph API answered an unexpected body: {response.text[:200]}") from exc
    wamid = message.get("id")
    if not wamid:
        raise SendError("Graph API answered without a message id")
    return SendResult(provider_id=wamid, status=message.get("message_status") or "accepted")


def _error(response: httpx.Response) -> SendError:
    try:
        error = response.json().get("error") or {}
    except ValueError:
        error = {}
    message = error.get("message") or response.text[:200]
    return SendError(f"Graph API answered {response.status_code}: {message}",
                     status=response.status_code, code=error.get("code"))
