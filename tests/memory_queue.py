"""The job queue as in production (jobs wait for a worker instead of running inline), kept in
memory, for tests that check what gets enqueued and when."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from huey.storage import MemoryStorage

from automation.runtime import jobs


@contextmanager
def queued_jobs() -> Iterator:
    """Yield the queue, not inline and in memory; put it back inline afterwards."""
    queue = jobs.queue
    saved = (queue.storage_class, queue.storage_kwargs, queue.storage)
    queue.storage_class, queue.storage_kwargs = MemoryStorage, {}
    queue._immediate = False
    queue.storage = queue.create_storage()
    try:
        yield queue
    finally:
        queue.storage_class, queue.storage_kwargs, queue.storage = saved
        queue.immediate = True


def waiting(queue, name: str) -> list:
    """Return the runs of a job waiting in the queue (with their time, if scheduled)."""
    return [t for t in [*queue.pending(), *queue.scheduled()] if t.name.endswith(name)]
