"""Log lines of WARNING or worse, from every process, appended to the events table.

The live log console tails that table, so a warning logged by any process on any host (web
app, admin app, worker) reaches it. The handler only queues the record; one thread per process
writes it in its own short session. A request therefore never waits for the write nor fails
with it, and a request thread holding SQLite's write lock cannot deadlock against its own log
line. What is logged while writing is dropped (no recursion); a flood is cut to `rate` lines a
second, and the next line written tells how many were dropped.
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import threading
import time
import traceback
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from database import db, events
from database.models import Event

MESSAGE_CHARS = 2000
TRACE_CHARS = 4000
QUEUE_SIZE = 1000


class EventLogHandler(logging.Handler):
    """Write each WARNING+ record as a `log.warning` / `log.error` event, in the background."""

    def __init__(self, app: Flask, *, source: str, rate: float = 20.0,
                 burst: int = 100) -> None:
        super().__init__(logging.WARNING)
        self.app = app
        self.source = source
        self.rate, self.burst = rate, burst
        self._tokens, self._refilled = float(burst), time.monotonic()
        self._dropped = 0
        self._counter_lock = threading.Lock()
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue(QUEUE_SIZE)
        self._writer = threading.local()
        self._emitting = threading.local()
        self._thread = threading.Thread(target=self._run, name="log-events", daemon=True)
        self._thread.start()

    def handle(self, record: logging.LogRecord) -> bool:
        """Filter and emit without the handler's lock: the queue is thread-safe, and a line
        logged by the write itself must be dropped before waiting on any lock."""
        if getattr(self._writer, "active", False) or getattr(self._emitting, "active", False):
            return False  # logged by the write itself, or while formatting a line: no loop
        if not self.filter(record):
            return False
        self._emitting.active = True
        try:
            self.emit(record)
        finally:
            self._emitting.active = False
        return True

    def emit(self, record: logging.LogRecord) -> None:
        """Queue the record as an event (never raises, never blocks)."""
        if not self._admit():
            return
        try:
            line = self._line(record)
        except Exception:  # noqa: BLE001 - a record that cannot be formatted is dropped
            return
        try:
            self._queue.put_nowait(line)
        except queue.Full:
            with self._counter_lock:
                self._dropped += 1

    def flush(self, timeout: float = 5.0) -> None:
        """Wait until the queued lines are written (or `timeout` passes)."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)

    def close(self) -> None:
        """Write what is queued, then stop the writing thread."""
        if self._thread.is_alive():
            self.flush()
            self._queue.put(None)
        super().close()

    def _admit(self) -> bool:
        with self._counter_lock:
            now = time.monotonic()
            self._tokens = min(self.burst, self._tokens + (now - self._refilled) * self.rate)
            self._refilled = now
            if self._tokens < 1:
                self._dropped += 1
                return False
            self._tokens -= 1
            return True

    def _line(self, record: logging.LogRecord) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "logger": record.name, "message": record.getMessage()[:MESSAGE_CHARS],
            "source": self.source, "pid": os.getpid(), "host": socket.gethostname(),
            "where": f"{record.module}:{record.lineno}"}
        if record.exc_info and record.exc_info[0] is not None:
            payload["exception"] = record.exc_info[0].__name__
            payload["traceback"] = "".join(
                traceback.format_exception(*record.exc_info))[-TRACE_CHARS:]
        error = record.levelno >= logging.ERROR
        return {"kind": events.LOG_ERROR if error else events.LOG_WARNING,
                "level": "error" if error else "warning", "payload": payload}

    def _run(self) -> None:
        self._writer.active = True
        while True:
            line = self._queue.get()
            if line is None:
                self._queue.task_done()
                return  # closed
            try:
                self._write(line)
            except Exception:  # noqa: BLE001 - the database is down: lose the line, not the app
                pass
            finally:
                self._queue.task_done()

    def _write(self, line: dict[str, Any]) -> None:
        with self._counter_lock:
            dropped, self._dropped = self._dropped, 0
        if dropped:
            line["payload"]["dropped"] = dropped
        # An ORM session of its own: the request's transaction is untouched, and the commit
        # still wakes live listeners (Redis) and the outbox like any other event's.
        with self.app.app_context(), Session(db.engine) as session:
            session.add(Event(kind=line["kind"], level=line["level"], payload=line["payload"]))
            session.commit()


_installed: EventLogHandler | None = None
_install_lock = threading.Lock()


def install(app: Flask, *, source: str) -> EventLogHandler:
    """Send this process's WARNING+ log lines to `app`'s events table (once per process; a
    later call only points the one handler at the latest app's database)."""
    global _installed
    with _install_lock:
        if _installed is None:
            _installed = EventLogHandler(app, source=source)
            logging.getLogger().addHandler(_installed)
        else:
            _installed.app, _installed.source = app, source
        return _installed


def uninstall() -> None:
    """Stop sending log lines to the events table (tests)."""
    global _installed
    with _install_lock:
        if _installed is not None:
            logging.getLogger().removeHandler(_installed)
            _installed.close()
            _installed = None


def rename_source(source: str) -> None:
    """Name this process in the lines it logs from now on (the worker runs the web app's)."""
    if _installed is not None:
        _installed.source = source
