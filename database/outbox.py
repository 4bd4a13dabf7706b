"""The events table as an outbox: each consumer's cursor, its lease, and commit wake-ups.

A consumer (the Notion sync, each webhook subscription) reads the events after its cursor,
does its work, and moves the cursor in the same transaction as what it recorded, so a crash
at any point repeats work rather than losing it. On PostgreSQL an id is taken at insert and
committed later, possibly after a higher one: ids skipped over are remembered as gaps and
read again for `GAP_WINDOW` (an id whose transaction rolled back simply never shows up).

    batch = read_batch(cursor, kinds={"ticket.created"})
    ...                                    # the consumer's work on batch.events
    advance(cursor, batch)                 # then the caller commits both
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from database.base import db, utcnow
from database.models import Event, OutboxCursor

log = logging.getLogger(__name__)

GAP_WINDOW = timedelta(minutes=15)   # far longer than any transaction the desk holds open
MAX_GAPS = 2000


def get_cursor(name: str, *, start_at_end: bool = False) -> OutboxCursor:
    """Return the consumer's cursor, creating it (at the first event, or after the last one)."""
    cursor = db.session.get(OutboxCursor, name)
    if cursor is not None:
        return cursor
    start = latest_event_id() if start_at_end else 0
    # Two processes may create it at the same instant: the first one's row stays.
    insert_ignore(OutboxCursor, [{"name": name, "last_event_id": start, "gaps": {},
                                  "state": {}, "updated_at": utcnow()}])
    return db.session.get(OutboxCursor, name, populate_existing=True)


def insert_ignore(model: type, rows: list[dict[str, Any]]) -> int:
    """Insert rows, skipping those a unique constraint already holds (no commit); return how
    many were inserted."""
    if not rows:
        return 0
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = model.__table__
    # RETURNING counts what went in: rowcount is not reliable for multi-row inserts.
    statement = insert(table).values(rows).on_conflict_do_nothing() \
        .returning(*table.primary_key.columns)
    return len(db.session.execute(statement).all())


def latest_event_id() -> int:
    """Return the highest event id so far (0 when there is none)."""
    return db.session.scalar(select(func.max(Event.id))) or 0


@dataclass
class Batch:
    """What one read of the outbox found: the events wanted, and where the cursor goes next."""

    events: list[Event]
    scanned: int                 # rows read, of every kind: fewer than the limit = the end
    top: int                     # the highest id read: the cursor's next mark
    missing: list[int]           # ids below `top` no committed event held when read
    filled: list[int]            # earlier gaps that turned out committed


def read_batch(cursor: OutboxCursor, *, kinds: Collection[str] | None = None,
               limit: int = 500, now: datetime | None = None) -> Batch:
    """Return the events after the cursor (and its gaps that filled in), oldest first.

    One statement reads the ids of every kind, so an id it does not see was not committed
    when it ran: it becomes a gap, never a hole the cursor jumps over.
    """
    now = now or utcnow()
    gaps = _live_gaps(cursor, now)
    condition = Event.id > cursor.last_event_id
    if gaps:
        condition = or_(condition, Event.id.in_([int(i) for i in gaps]))
    rows = db.session.execute(select(Event.id, Event.kind).where(condition)
                              .order_by(Event.id).limit(limit)).all()
    fresh = {row.id for row in rows if row.id > cursor.last_event_id}
    top = max(fresh, default=cursor.last_event_id)
    missing = [i for i in range(max(cursor.last_event_id + 1, top - MAX_GAPS), top)
               if i not in fresh]
    wanted = [row.id for row in rows if kinds is None or row.kind in kinds]
    found = list(db.session.scalars(select(Event).where(Event.id.in_(wanted))
                                    .order_by(Event.id))) if wanted else []
    filled = [row.id for row in rows if str(row.id) in gaps]
    return Batch(events=found, scanned=len(rows), top=top, missing=missing, filled=filled)


def advance(cursor: OutboxCursor, batch: Batch, *, now: datetime | None = None) -> bool:
    """Move the cursor past a batch its consumer has handled (no commit).

    Return False, changing nothing, when another process moved it since it was read: the
    caller rolls back (what it did is done, or being done, by the other).
    """
    now = now or utcnow()
    gaps = _live_gaps(cursor, now)
    for event_id in batch.filled:
        gaps.pop(str(event_id), None)
    stamp = now.isoformat()
    for event_id in batch.missing:
        gaps.setdefault(str(event_id), stamp)
    if len(gaps) > MAX_GAPS:  # a flood of rolled-back ids: keep the newest
        gaps = dict(sorted(gaps.items(), key=lambda item: int(item[0]))[-MAX_GAPS:])
    moved = db.session.execute(
        update(OutboxCursor)
        .where(OutboxCursor.name == cursor.name,
               OutboxCursor.last_event_id == cursor.last_event_id)
        .values(last_event_id=max(cursor.last_event_id, batch.top), gaps=gaps,
                updated_at=now)
        .execution_options(synchronize_session=False))
    db.session.expire(cursor)
    return moved.rowcount == 1


def skip_to_end(cursor: OutboxCursor) -> None:
    """Move the cursor past every event committed so far (no commit)."""
    cursor.last_event_id = max(cursor.last_event_id, latest_event_id())
    cursor.gaps = {}


def save_state(name: str, **values: Any) -> None:
    """Merge `values` into the consumer's state (no commit)."""
    cursor = get_cursor(name)
    cursor.state = {**(cursor.state or {}), **values}


def pending_count(cursor: OutboxCursor, *, kinds: Collection[str] | None = None) -> int:
    """Return how many events wait after the cursor."""
    query = select(func.count()).select_from(Event).where(Event.id > cursor.last_event_id)
    if kinds is not None:
        query = query.where(Event.kind.in_(sorted(kinds)))
    return db.session.scalar(query) or 0


def oldest_pending_at(cursor: OutboxCursor, *,
                      kinds: Collection[str] | None = None) -> datetime | None:
    """Return when the oldest event waiting after the cursor happened, or None."""
    query = select(func.min(Event.created_at)).where(Event.id > cursor.last_event_id)
    if kinds is not None:
        query = query.where(Event.kind.in_(sorted(kinds)))
    return db.session.scalar(query)


def _live_gaps(cursor: OutboxCursor, now: datetime) -> dict[str, str]:
    oldest = now - GAP_WINDOW
    return {key: seen for key, seen in (cursor.gaps or {}).items()
            if datetime.fromisoformat(seen) >= oldest}


# --- leases: one process at a time works for a consumer -------------------------------------

def acquire_lease(name: str, *, seconds: float, owner: str | None = None,
                  now: datetime | None = None) -> str | None:
    """Take the consumer's lease for `seconds` and commit; return the owner token, or None
    when another process holds it."""
    now = now or utcnow()
    owner = owner or uuid.uuid4().hex
    get_cursor(name)
    db.session.commit()
    taken = db.session.execute(
        update(OutboxCursor)
        .where(OutboxCursor.name == name,
               or_(OutboxCursor.lease_until.is_(None), OutboxCursor.lease_until < now,
                   OutboxCursor.lease_owner == owner))
        .values(lease_owner=owner, lease_until=now + timedelta(seconds=seconds))
        .execution_options(synchronize_session=False))
    db.session.commit()
    return owner if taken.rowcount == 1 else None


def renew_lease(name: str, owner: str, *, seconds: float, now: datetime | None = None) -> bool:
    """Extend a lease this owner holds (no commit); False when it was lost."""
    now = now or utcnow()
    renewed = db.session.execute(
        update(OutboxCursor)
        .where(OutboxCursor.name == name, OutboxCursor.lease_owner == owner)
        .values(lease_until=now + timedelta(seconds=seconds))
        .execution_options(synchronize_session=False))
    return renewed.rowcount == 1


def release_lease(name: str, owner: str) -> None:
    """Give the lease back and commit."""
    db.session.execute(
        update(OutboxCursor)
        .where(OutboxCursor.name == name, OutboxCursor.lease_owner == owner)
        .values(lease_owner=None, lease_until=None)
        .execution_options(synchronize_session=False))
    db.session.commit()


# --- wake-ups: consumers hear, after a commit, which kinds of events it added ----------------

_wakers: list[Callable[[frozenset[str]], None]] = []
_KINDS = "outbox_event_kinds"


def on_commit(waker: Callable[[frozenset[str]], None]) -> None:
    """Call `waker(kinds)` after every commit that added events (on the committing thread).

    A waker must be quick and must not use the session: it enqueues a job, nothing more.
    """
    if waker not in _wakers:
        _wakers.append(waker)
    if not sa_event.contains(Session, "after_flush", _note_kinds):
        sa_event.listen(Session, "after_flush", _note_kinds)
        sa_event.listen(Session, "after_commit", _wake)
        sa_event.listen(Session, "after_rollback", _forget)


def _note_kinds(session: Session, _context: Any) -> None:
    kinds = {obj.kind for obj in session.new if isinstance(obj, Event)}
    if kinds:
        session.info.setdefault(_KINDS, set()).update(kinds)


def _wake(session: Session) -> None:
    kinds = session.info.pop(_KINDS, None)
    if not kinds:
        return
    for waker in list(_wakers):
        try:
            waker(frozenset(kinds))
        except Exception:  # noqa: BLE001 - a wake-up lost costs latency: the sweep catches up
            log.exception("outbox wake-up failed")


def _forget(session: Session) -> None:
    session.info.pop(_KINDS, None)
