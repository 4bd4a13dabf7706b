"""The desk's channels as a shopper reaches them: one session class per channel.

A session belongs to one simulated shopper. `open()` does what comes before the first
message (log in, connect) and is not timed; `send(text)` submits one message and returns
when its reply is observed, so its duration is the latency the shopper lives.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot_simulation.config import SIMULATION_HEADER, Settings
from bot_simulation.observers import ReplyBox
from bot_simulation.shoppers import Shopper


class ChannelError(Exception):
    """An exchange failed; `kind` is a short stable word for the report."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind, self.detail = kind, detail


@dataclass
class Reply:
    """The desk's answer to one message, and what is known about it."""

    text: str
    at: float                            # time.monotonic() when it was observed
    intent: str | None = None
    category: str | None = None
    language: str | None = None
    handoff: bool | None = None
    ticket: str | None = None
    actions: list[dict[str, Any]] = field(default_factory=list)
    conversation_id: int | None = None


@dataclass
class Outgoing:
    """One message a session submits, with the ids the simulator chose for it."""

    text: str
    number: int                 # the exchange's number in the run
    subject: str | None = None  # email only


@dataclass
class Context:
    """What every session of one run shares."""

    settings: Settings
    run_id: str
    http: httpx.AsyncClient
    box: ReplyBox
    timeout: float = 30.0
    whatsapp_provider: str = "auto"   # meta | twilio | auto (both configured: alternate)
    email_replies: str = "outbox"     # smtp | outbox
    outbox: Any = None                # the database poller (email replies from the outbox)

    @property
    def headers(self) -> dict[str, str]:
        return {SIMULATION_HEADER: self.run_id}

    def message_id(self, number: int) -> str:
        """Return the provider id of exchange `number`: `sim-<run id>-<n>`."""
        return f"sim-{self.run_id}-{number}"


class Session:
    """One shopper on one channel."""

    channel = ""

    def __init__(self, context: Context, shopper: Shopper) -> None:
        self.context, self.shopper = context, shopper
        self.provider: str | None = None
        self.db_key: tuple[str, str] | None = None  # (channel, channel_message_id) last sent

    async def open(self) -> None:
        """Get ready to write (log in, connect): not part of any latency."""

    async def send(self, message: Outgoing) -> Reply:
        """Submit one message; return its reply (raise ChannelError on failure)."""
        raise NotImplementedError

    async def close(self) -> None:
        """Let go of what `open` took."""

    async def _wait(self, future: asyncio.Future[Any], key: str, *,
                    deadline: float | None = None) -> Any:
        remaining = (deadline or time.monotonic() + self.context.timeout) - time.monotonic()
        try:
            return await asyncio.wait_for(asyncio.shield(future), max(0.01, remaining))
        except TimeoutError as exc:
            raise ChannelError("timeout", "no reply in time") from exc
        finally:
            if not future.done():
                future.cancel()
            self.context.box.forget(key, future)


def http_error(response: httpx.Response) -> ChannelError:
    """Return the error of a failed answer: its JSON error code, else `http_<status>`."""
    code = None
    try:
        code = response.json().get("error", {}).get("code")
    except (ValueError, AttributeError):
        pass
    return ChannelError(code or f"http_{response.status_code}",
                        f"HTTP {response.status_code}")


def transport_error(exc: Exception) -> ChannelError:
    """Return the error of a request that got no answer."""
    if isinstance(exc, httpx.TimeoutException):
        return ChannelError("timeout", str(exc) or type(exc).__name__)
    if isinstance(exc, httpx.ConnectError):
        return ChannelError("connect_error", str(exc))
    return ChannelError("transport_error", f"{type(exc).__name__}: {exc}")


def session_for(channel: str, context: Context, shopper: Shopper) -> Session:
    """Return a new session of `channel` for the shopper."""
    from bot_simulation.channels.api import ApiSession
    from bot_simulation.channels.email import EmailSession
    from bot_simulation.channels.web import WebSession
    from bot_simulation.channels.whatsapp import WhatsAppSession

    kinds: dict[str, type[Session]] = {"api": ApiSession, "web": WebSession,
                                       "whatsapp": WhatsAppSession, "email": EmailSession}
    return kinds[channel](context, shopper)
