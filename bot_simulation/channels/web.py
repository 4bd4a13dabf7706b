"""The web chat: log in as the shopper, open `/chat/ws`, send the chat form's JSON frames and
read the HTML fragments pushed back until the assistant's bubble arrives.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import time

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException

from bot_simulation.channels import (ChannelError, Outgoing, Reply, Session, http_error,
                                     transport_error)

# A message bubble: `<div id="msg-<id>" class="bubble from-<sender>" …>…<p>text</p>`
# (attributes in any order).
BUBBLE = re.compile(r'<div\b(?=[^>]*\bid="msg-(\d+)")(?=[^>]*\bfrom-(\w+))[^>]*>.*?'
                    r'<p\b[^>]*>(.*?)</p>', re.DOTALL)
NOTICE = re.compile(r'id="notice-(\w+)-')
CSRF = re.compile(r'name="csrf[-_]token"\s+(?:content|value)="([^"]+)"')
ANSWERS = ("ai", "agent", "system")
BUSY, POLICY = 1013, 1008       # the desk's close codes: worker full, refused
CONNECT_TRIES = 6


class WebSession(Session):
    channel = "web"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.ws: ClientConnection | None = None
        self.cookie = ""
        self.floor = 0   # the newest message id this page already shows

    async def open(self) -> None:
        password = self.context.settings.password
        if not password:
            raise ChannelError("no_password", "web needs the shoppers' password")
        await self._log_in(password)
        await self._connect()

    async def _log_in(self, password: str) -> None:
        context = self.context
        base = context.settings.target
        async with httpx.AsyncClient(headers=context.headers, timeout=context.timeout,
                                     follow_redirects=False) as client:
            try:
                page = await client.get(f"{base}/login")
                token = CSRF.search(page.text)
                response = await client.post(f"{base}/login", data={
                    "email": self.shopper.email, "password": password,
                    **({"csrf_token": token.group(1)} if token else {})})
            except httpx.HTTPError as exc:
                raise transport_error(exc) from exc
            if response.status_code == 429:
                raise ChannelError("rate_limited", "login")
            if response.status_code != 302:
                raise (http_error(response) if response.status_code >= 400 else
                       ChannelError("login_failed", self.shopper.email))
            self.cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())

    async def _connect(self) -> None:
        context = self.context
        url = context.settings.target.replace("http", "ws", 1) + "/chat/ws"
        delay = 0.25
        for attempt in range(CONNECT_TRIES):
            try:
                self.ws = await connect(url, additional_headers={**context.headers,
                                                                 "Cookie": self.cookie},
                                        origin=context.settings.target,
                                        open_timeout=context.timeout, ping_interval=None,
                                        max_size=2 ** 20)
                await self.ws.send(json.dumps({"type": "resume", "conversation_id": None,
                                               "after": 0}))
                frame = await asyncio.wait_for(self.ws.recv(), context.timeout)
                self.floor = max([int(b[0]) for b in BUBBLE.findall(str(frame))] or [0])
                return
            except ConnectionClosed as exc:
                code = exc.rcvd.code if exc.rcvd else None
                if code == POLICY:
                    raise ChannelError("ws_refused", exc.rcvd.reason) from exc
                if code != BUSY or attempt == CONNECT_TRIES - 1:
                    raise ChannelError("ws_busy" if code == BUSY else "ws_closed",
                                       str(exc)) from exc
            except InvalidStatus as exc:
                raise ChannelError(f"http_{exc.response.status_code}", "socket") from exc
            except TimeoutError as exc:
                raise ChannelError("timeout", "socket handshake") from exc
            except (OSError, WebSocketException) as exc:
                raise ChannelError("ws_error", f"{type(exc).__name__}: {exc}") from exc
            await asyncio.sleep(delay)  # as the page does: back off and try again
            delay *= 2

    async def send(self, message: Outgoing) -> Reply:
        if self.ws is None:
            await self._connect()
        client_id = self.context.message_id(message.number)
        self.db_key = ("web", f"{self.shopper.id}:{client_id}")
        deadline = time.monotonic() + self.context.timeout
        try:
            await self.ws.send(json.dumps({"message": message.text, "client_id": client_id}))
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ChannelError("timeout", "no reply in time")
                try:
                    frame = str(await asyncio.wait_for(self.ws.recv(), remaining))
                except TimeoutError as exc:
                    raise ChannelError("timeout", "no reply in time") from exc
                at = time.monotonic()
                if (notice := NOTICE.search(frame)) is not None:
                    raise ChannelError({"limit": "rate_limited", "long": "too_long"}.get(
                        notice.group(1), "chat_error"), notice.group(1))
                for number, sender, body in BUBBLE.findall(frame):
                    number = int(number)
                    if number <= self.floor:
                        continue
                    self.floor = number
                    if sender in ANSWERS:
                        return Reply(text=html.unescape(body).strip(), at=at)
        except ConnectionClosed as exc:
            self.ws = None
            raise ChannelError("ws_closed", str(exc)) from exc

    async def close(self) -> None:
        if self.ws is not None:
            try:
                await asyncio.wait_for(self.ws.close(), 2)
            except (TimeoutError, OSError, WebSocketException):
                pass
            self.ws = None
