"""The live listener: events committed anywhere reach this process's subscribers, by polling
the events table (embedded) or on a Redis wake-up (at scale)."""

from __future__ import annotations

import os
import queue
import threading
import time
import uuid

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import insert

from automation.runtime import live
from automation.runtime.live import ALL, EventTail, Hub, LiveEvent
from database import db, events
from database.models import Event

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _record(kind: str = events.MESSAGE_SENT, *, conversation_id: int | None = 1) -> int:
    row = events.record(kind, conversation_id=conversation_id, payload={"n": 1})
    db.session.commit()
    return row.id


def _collector() -> tuple[queue.SimpleQueue, live.Callback]:
    got: queue.SimpleQueue[LiveEvent] = queue.SimpleQueue()
    return got, got.put


def _next(got: queue.SimpleQueue, timeout: float = 3.0) -> LiveEvent:
    return got.get(timeout=timeout)


@pytest.fixture
def hub(app):
    hub = Hub(db.engine, poll_interval=0.1)
    yield hub
    hub.stop()


def test_polling_delivers_each_conversation_its_own_events_and_star_gets_all(hub):
    mine, to_mine = _collector()
    everything, to_all = _collector()
    hub.subscribe(7, to_mine)
    hub.subscribe(ALL, to_all)
    other = _record(conversation_id=8)
    own = _record(events.AGENT_ASSIGNED, conversation_id=7)
    assert _next(mine).id == own
    assert [_next(everything).id, _next(everything).id] == [other, own]
    assert _next_or_none(mine, 0.3) is None


def _next_or_none(got: queue.SimpleQueue, timeout: float) -> LiveEvent | None:
    try:
        return got.get(timeout=timeout)
    except queue.Empty:
        return None


def test_a_new_subscriber_gets_what_comes_next_not_the_past(hub):
    _record(conversation_id=7)
    got, callback = _collector()
    hub.subscribe(7, callback)
    later = _record(conversation_id=7)
    assert _next(got).id == later


def test_the_listener_is_idle_while_nobody_listens(hub):
    got, callback = _collector()
    hub.subscribe(7, callback)
    _record(conversation_id=7)
    _next(got)
    hub.unsubscribe(7, callback)
    time.sleep(0.3)  # let the thread notice
    statements = []

    def count(*_args) -> None:
        statements.append(1)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        time.sleep(0.6)  # six poll intervals
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    assert statements == []
    assert hub.subscriber_count() == 0


def test_a_failing_subscriber_does_not_starve_the_others(hub):
    got, callback = _collector()

    def broken(_live: LiveEvent) -> None:
        raise RuntimeError("boom")

    hub.subscribe(7, broken)
    hub.subscribe(7, callback)
    own = _record(conversation_id=7)
    assert _next(got).id == own


def test_an_id_committed_late_below_the_highest_read_is_not_lost(app):
    tail = EventTail(db.engine)
    tail.start_at_end()
    base = tail.last_id
    # On PostgreSQL a transaction may commit id n+1 after another committed n+3.
    _insert_event(base + 3)
    assert [e.id for e in tail.read()] == [base + 3]
    _insert_event(base + 1)
    assert [e.id for e in tail.read()] == [base + 1]
    assert tail.read() == []


def _insert_event(event_id: int) -> None:
    db.session.execute(insert(Event).values(id=event_id, kind=events.MESSAGE_SENT, level="info",
                                            payload={}, conversation_id=7))
    db.session.commit()


# --- at scale: Redis pub/sub wake-ups ---------------------------------------------------------

@pytest.fixture
def redis_client():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required in CI and is not reachable: {exc}")
        pytest.skip(f"Redis not reachable: {exc}")
    yield client
    client.close()


@pytest.fixture
def channel() -> str:
    return f"test-live-{uuid.uuid4().hex}"  # tests never hear each other


def test_a_commit_publishes_one_wake_up_with_the_highest_event_id(app, redis_client, channel):
    live.publish_commits(db.engine, redis_url=REDIS_URL, channel=channel)
    pubsub = redis_client.pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(channel)
    events.record(events.MESSAGE_SENT, conversation_id=1)
    db.session.flush()
    assert pubsub.get_message(timeout=0.2) is None  # not before the commit
    second = events.record(events.AGENT_ASSIGNED, conversation_id=1)
    db.session.commit()
    message = pubsub.get_message(timeout=2)
    assert message["data"] == str(second.id).encode()
    events.record(events.MESSAGE_SENT, conversation_id=1)
    db.session.flush()
    db.session.rollback()
    assert pubsub.get_message(timeout=0.3) is None  # rolled back: nothing to wake up for
    pubsub.close()


def test_redis_wakes_the_listener_at_once(app, redis_client, channel):
    live.publish_commits(db.engine, redis_url=REDIS_URL, channel=channel)
    # No polling to speak of: only the wake-up can bring the event within the deadline.
    hub = Hub(db.engine, redis_url=REDIS_URL, channel=channel, safety_interval=60)
    got, callback = _collector()
    try:
        hub.subscribe(7, callback)
        time.sleep(0.3)  # the listener subscribes to the channel
        started = time.monotonic()
        own = _record(conversation_id=7)
        assert _next(got, timeout=2).id == own
        assert time.monotonic() - started < 0.5
        assert hub.mode == "redis"
    finally:
        hub.stop()


def test_a_commit_from_another_thread_reaches_the_redis_listener(app, redis_client, channel):
    live.publish_commits(db.engine, redis_url=REDIS_URL, channel=channel)
    hub = Hub(db.engine, redis_url=REDIS_URL, channel=channel, safety_interval=60)
    got, callback = _collector()
    ids: list[int] = []

    def other_process() -> None:  # its own app context and session, as another worker's
        with app.app_context():
            ids.append(_record(conversation_id=9))
            db.session.remove()

    try:
        hub.subscribe(ALL, callback)
        time.sleep(0.3)
        worker = threading.Thread(target=other_process)
        worker.start()
        worker.join()
        assert _next(got, timeout=2).id == ids[0]
    finally:
        hub.stop()


def test_commits_still_succeed_when_redis_is_down(app, channel):
    live.publish_commits(db.engine, redis_url="redis://127.0.0.1:1/0", channel=channel)
    event_id = _record(conversation_id=7)
    assert db.session.get(Event, event_id) is not None
