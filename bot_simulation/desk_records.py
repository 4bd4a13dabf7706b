"""What the desk's database says about a run (read only): replies waiting in the outbox,
and the outcome the engine stored for each message the simulator sent.

The simulator finds its messages by the provider ids it chose (`sim-<run id>-<n>`), so these
figures can be checked against the report.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, create_engine, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, aliased

from bot_simulation.config import sqlalchemy_url
from bot_simulation.observers import Observed, ReplyBox
from database.models import Message

log = logging.getLogger(__name__)
CHUNK = 400


def make_engine(database_url: str) -> Engine:
    """Return an engine for reading the desk's database."""
    url = sqlalchemy_url(database_url)
    options: dict[str, Any] = {}
    if url.startswith("sqlite"):
        options["connect_args"] = {"timeout": 10, "check_same_thread": False}
    return create_engine(url, **options)


def stored_replies(engine: Engine, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str],
                                                                           dict[str, Any]]:
    """Return, per (channel, provider id) stored, the reply the desk wrote to it (if any)."""
    inbound, reply = aliased(Message), aliased(Message)
    found: dict[tuple[str, str], dict[str, Any]] = {}
    keys = list(keys)
    with Session(engine) as session:
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start:start + CHUNK]
            condition = or_(*[and_(inbound.channel == c, inbound.channel_message_id == i)
                              for c, i in chunk])
            rows = session.execute(
                select(inbound.channel, inbound.channel_message_id, inbound.meta,
                       inbound.conversation_id, reply.body, reply.created_at, reply.sender)
                .outerjoin(reply, and_(reply.reply_to_id == inbound.id,
                                       reply.direction == "out"))
                .where(inbound.direction == "in", condition))
            for channel, external, meta, conversation, body, created, sender in rows:
                key = (channel, external)
                record = found.setdefault(key, {"outcome": (meta or {}).get("outcome"),
                                                "conversation_id": conversation,
                                                "reply": None})
                if body is not None and record["reply"] is None:
                    record["reply"] = {"body": body, "created_at": created, "sender": sender}
    return found


class OutboxPoller:
    """Find replies in the database for exchanges that wait on it (email without SMTP)."""

    def __init__(self, engine: Engine, box: ReplyBox, *, interval: float = 0.2) -> None:
        self.engine, self.box, self.interval = engine, box, interval
        self.pending: dict[str, str] = {}   # provider id -> channel
        self._task: asyncio.Task[None] | None = None

    def expect(self, channel: str, key: str) -> asyncio.Future[Observed]:
        """Return a future resolved when the reply to `key` is stored."""
        self.pending[key] = channel
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())
        return self.box.expect(key)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            waiting = {k: c for k, c in self.pending.items() if k in self.box.waiting}
            self.pending = dict(waiting)
            if not waiting:
                continue
            try:
                found = await asyncio.to_thread(
                    stored_replies, self.engine, [(c, k) for k, c in waiting.items()])
            except Exception:  # noqa: BLE001 - a busy database must not end the run
                log.warning("reading the outbox failed", exc_info=True)
                continue
            now = time.monotonic()
            for (channel, key), record in found.items():
                if record["reply"] is not None and key in self.pending:
                    del self.pending[key]
                    self.box.deliver(key, Observed(record["reply"]["body"], now))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
