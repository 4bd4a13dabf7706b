"""Background jobs on Huey: SQLite storage when embedded, Redis at scale, inline in tests.

Tasks are declared at import time on the module's `queue`; the app factory (or the worker CLI)
chooses the storage with `configure` and binds the app whose context each job runs in.
"""

from __future__ import annotations

import functools
import logging
import os
import socket
from pathlib import Path
from collections.abc import Callable
from typing import Any

from flask import Flask, has_app_context
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

log = logging.getLogger(__name__)
queue = Huey("desk", immediate=True, storage_class=MemoryStorage, utc=True)
_app: Flask | None = None


def configure(app: Flask, *, redis_url: str | None, sqlite_path: str,
              immediate: bool) -> None:
    """Point the queue at Redis or a SQLite file (or run jobs inline) for `app`."""
    global _app
    _app = app
    if immediate:
        queue.immediate = True
        return
    if not redis_url:
        # The queue's file may be the first thing written under data/ on a fresh clone.
        Path(sqlite_path).parent.mkdir(parents=True, exist_ok=True)
    queue.storage_class = RedisStorage if redis_url else SqliteStorage
    queue.storage_kwargs = {"url": redis_url} if redis_url else {"filename": sqlite_path}
    if queue.immediate:
        queue.immediate = False  # Huey builds the storage anew when it leaves immediate mode
    else:
        queue.storage = queue.create_storage()


def job(**options: Any) -> Callable:
    """Declare a background job; it runs inside the bound app's context."""

    def decorator(func: Callable) -> Any:
        @functools.wraps(func)
        def in_context(*args: Any, **kwargs: Any) -> Any:
            if has_app_context():
                # Run inline (immediate mode): the caller's app is the right one.
                return func(*args, **kwargs)
            if _app is None:
                raise RuntimeError("jobs.configure() was not called")
            with _app.app_context():
                return func(*args, **kwargs)

        return queue.task(**options)(in_context)

    return decorator


def every_minute(task: Any, *, name: str) -> Any:
    """Also run the job `task` once a minute on the worker (its clock, and the safety net for
    wake-ups lost with a crashed process); declare it as `x_every_minute = every_minute(…)`."""

    def tick() -> None:
        try:
            task.call_local()
        except RuntimeError as exc:  # the queue is not bound to an app in this process
            log.debug("%s skipped: %s", name, exc)

    return queue.periodic_task(crontab(minute="*"), name=name)(tick)


@queue.periodic_task(crontab(minute="*"))
def heartbeat() -> None:
    """Tell the health views that the worker is alive (once a minute)."""
    if _app is None:
        return
    with _app.app_context():
        from automation.runtime.health import beat

        beat("worker", info={"host": socket.gethostname(), "pid": os.getpid()})
