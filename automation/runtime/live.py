"""Live updates across processes: one listener per process tails the events table by id.

Embedded, the listener polls the table (about every half second, and only while someone is
subscribed). At scale, every process that commits an event publishes a tiny wake-up carrying
its id on Redis pub/sub, and listeners read the table as soon as one arrives. Either way the
table is the truth, so a lost wake-up costs latency, never an event. Subscribers (the web
chat's sockets, later the admin live log) register a callback per conversation id, or "*".
Callbacks run on the listener thread: they must be quick (put the event on a queue).
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from database.models import Event

log = logging.getLogger(__name__)
EVENTS = Event.__table__
ALL = "*"


@dataclass(frozen=True)
class LiveEvent:
    """An event as subscribers get it: plain data, no ORM object."""

    id: int
    kind: str
    conversation_id: int | None = None
    customer_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)


Callback = Callable[[LiveEvent], None]


class EventTail:
    """Read the events committed since the last read, in id order.

    On PostgreSQL ids are taken at insert and committed in any order, so an id below the
    highest one read may still appear: missing ids are re-read for `gap_seconds`.
    """

    def __init__(self, engine: Engine, *, batch: int = 500, gap_seconds: float = 5.0) -> None:
        self.engine = engine
        self.batch = batch
        self.gap_seconds = gap_seconds
        self.last_id = 0
        self.gaps: dict[int, float] = {}

    def start_at_end(self) -> None:
        """Skip everything committed so far: subscribers load the present state themselves."""
        with self.engine.connect() as connection:
            self.last_id = connection.scalar(select(func.max(EVENTS.c.id))) or 0
        self.gaps.clear()

    def read(self) -> list[LiveEvent]:
        """Return the events committed since the previous read, oldest first."""
        now = time.monotonic()
        self.gaps = {i: seen for i, seen in self.gaps.items() if now - seen < self.gap_seconds}
        condition = EVENTS.c.id > self.last_id
        if self.gaps:
            condition = or_(condition, EVENTS.c.id.in_(list(self.gaps)))
        query = (select(EVENTS.c.id, EVENTS.c.kind, EVENTS.c.conversation_id,
                        EVENTS.c.customer_id, EVENTS.c.payload)
                 .where(condition).order_by(EVENTS.c.id).limit(self.batch))
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        found = [LiveEvent(row.id, row.kind, row.conversation_id, row.customer_id,
                           row.payload or {}) for row in rows]
        for live in found:
            self.gaps.pop(live.id, None)
            if live.id > self.last_id:
                for missing in range(self.last_id + 1, min(live.id, self.last_id + 1000)):
                    self.gaps.setdefault(missing, now)
                self.last_id = live.id
        return found


class Hub:
    """The process's one listener thread and its subscribers, keyed by conversation id or "*".

    The thread starts with the first subscriber and idles (no queries) while there is none.
    """

    def __init__(self, engine: Engine, *, redis_url: str | None = None,
                 channel: str = "desk:live", poll_interval: float = 0.5,
                 safety_interval: float = 5.0) -> None:
        self.tail = EventTail(engine)
        self.redis_url = redis_url
        self.channel = channel
        self.poll_interval = poll_interval
        self.safety_interval = safety_interval  # Redis mode: read anyway this often
        self._subscribers: dict[int | str, list[Callback]] = {}
        self._lock = threading.Condition()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def mode(self) -> str:
        """Return "redis" or "polling"."""
        return "redis" if self.redis_url else "polling"

    def subscribe(self, key: int | str, callback: Callback) -> None:
        """Call `callback` with every event of conversation `key` (or of all, with "*")."""
        with self._lock:
            if not self._subscribers:
                self.tail.start_at_end()  # before returning: the caller reads the present next
            self._subscribers.setdefault(key, []).append(callback)
            if self._thread is None or not self._thread.is_alive():
                self._stopping.clear()
                self._thread = threading.Thread(target=self._run, name="live-listener",
                                                daemon=True)
                self._thread.start()
            self._lock.notify_all()

    def unsubscribe(self, key: int | str, callback: Callback) -> None:
        """Stop calling `callback` for `key`."""
        with self._lock:
            callbacks = self._subscribers.get(key, [])
            if callback in callbacks:
                callbacks.remove(callback)
            if not callbacks:
                self._subscribers.pop(key, None)

    def subscriber_count(self) -> int:
        """Return how many callbacks are registered."""
        with self._lock:
            return sum(len(callbacks) for callbacks in self._subscribers.values())

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the listener thread (tests, shutdown)."""
        self._stopping.set()
        with self._lock:
            self._subscribers.clear()
            self._lock.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    # --- the listener thread ----------------------------------------------------------------

    def _active(self) -> bool:
        return bool(self._subscribers) and not self._stopping.is_set()

    def _run(self) -> None:
        while not self._stopping.is_set():
            with self._lock:
                while not self._subscribers and not self._stopping.is_set():
                    self._lock.wait()
            if self._stopping.is_set():
                return
            try:
                self._listen_redis() if self.redis_url else self._poll()
            except Exception:  # noqa: BLE001 - the listener must outlive a database hiccup
                log.exception("live listener failed; retrying")
                self._stopping.wait(max(self.poll_interval, 1.0))

    def _poll(self) -> None:
        while self._active():
            self._deliver(self.tail.read())
            self._stopping.wait(self.poll_interval)

    def _listen_redis(self) -> None:
        import redis

        client = redis.Redis.from_url(self.redis_url, socket_timeout=10,
                                      socket_connect_timeout=5)
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            pubsub.subscribe(self.channel)
            self._deliver(self.tail.read())  # what committed before the subscription took
            last_read = time.monotonic()
            while self._active():
                woken = pubsub.get_message(timeout=1.0) is not None
                while woken and pubsub.get_message(timeout=0) is not None:
                    pass  # one read serves every wake-up already queued
                if woken or time.monotonic() - last_read >= self.safety_interval:
                    self._deliver(self.tail.read())
                    last_read = time.monotonic()
        except redis.RedisError:
            log.warning("Redis pub/sub unavailable; reading the events table instead")
            self._deliver(self.tail.read())
            self._stopping.wait(self.poll_interval)
        finally:
            pubsub.close()
            client.close()

    def _deliver(self, found: list[LiveEvent]) -> None:
        for live in found:
            with self._lock:
                callbacks = [*self._subscribers.get(live.conversation_id or -1, []),
                             *self._subscribers.get(ALL, [])]
            for callback in callbacks:
                try:
                    callback(live)
                except Exception:  # noqa: BLE001 - one bad subscriber must not starve others
                    log.exception("live subscriber failed on event %s", live.id)


# --- wake-ups: publish the id of committed events on Redis -------------------------------------

_publishers: weakref.WeakKeyDictionary[Engine, Callable[[int], None]] = \
    weakref.WeakKeyDictionary()
_PENDING = "live_event_ids"


def publish_commits(engine: Engine, *, redis_url: str, channel: str) -> None:
    """After each commit on `engine` that added events, publish the highest id on `channel`."""
    import redis

    client = redis.Redis.from_url(redis_url, socket_timeout=1, socket_connect_timeout=1)

    def publish(event_id: int) -> None:
        try:
            client.publish(channel, str(event_id))
        except redis.RedisError as exc:  # listeners still read the table on their own
            log.warning("could not publish live wake-up %s: %s", event_id, exc)

    _publishers[engine] = publish
    if not sa_event.contains(Session, "after_flush", _note_events):
        sa_event.listen(Session, "after_flush", _note_events)
        sa_event.listen(Session, "after_commit", _publish_noted)
        sa_event.listen(Session, "after_rollback", _forget_noted)


def _note_events(session: Session, _flush_context: Any) -> None:
    if not _publishers:
        return
    ids = [obj.id for obj in session.new if isinstance(obj, Event) and obj.id is not None]
    if not ids:
        return
    engine = session.connection().engine
    if engine in _publishers:
        pending = session.info.setdefault(_PENDING, {})
        pending[engine] = max(pending.get(engine, 0), *ids)


def _publish_noted(session: Session) -> None:
    for engine, event_id in session.info.pop(_PENDING, {}).items():
        publish = _publishers.get(engine)
        if publish is not None:
            publish(event_id)


def _forget_noted(session: Session) -> None:
    session.info.pop(_PENDING, None)


def attach(engine: Engine, *, redis_url: str | None, channel: str,
           poll_interval: float = 0.5) -> Hub:
    """Return a hub for `engine` and, with Redis, publish a wake-up after each commit."""
    if redis_url:
        publish_commits(engine, redis_url=redis_url, channel=channel)
    return Hub(engine, redis_url=redis_url, channel=channel, poll_interval=poll_interval)
