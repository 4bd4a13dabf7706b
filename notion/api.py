"""The Notion port: the one module that imports `notion_client` (Notion API 2025-09-03).

`NotionAPI` wraps the SDK with what it lacks for a long-running sync: at most three requests
a second (Notion's documented average), and its own retries. The SDK's retries are off
(`retry=False`): they sleep for real, never retry a POST on 5xx, and do not know 529. Here
429, 409, 5xx, 529, timeouts and connection errors are retried with exponential backoff or
the server's `Retry-After`, a few times; past that the error goes up as `NotionError`, the
caller keeps its cursor, and the next cycle tries again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
from notion_client import Client
from notion_client.errors import (APIResponseError, HTTPResponseError, RequestTimeoutError,
                                  is_notion_client_error)

log = logging.getLogger(__name__)

NOTION_VERSION = "2025-09-03"
RETRYABLE_STATUSES = frozenset({409, 429, 500, 502, 503, 504, 529})


class NotionError(Exception):
    """A request Notion did not take; `retryable` when trying later may work."""

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None,
                 retryable: bool = False, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.retryable = retryable
        self.retry_after_s = retry_after_s

    @property
    def not_found(self) -> bool:
        return self.status == 404 or self.code == "object_not_found"

    @property
    def archived(self) -> bool:
        return self.status == 400 and "archived" in str(self).lower()


class RateLimiter:
    """A token bucket: `rate` requests a second, spaced evenly (a burst of one by default)."""

    def __init__(self, rate: float, *, burst: int = 1, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.rate = max(rate, 0.01)
        self.burst = burst
        self.clock = clock
        self.sleep = sleep
        self._tokens = float(burst)
        self._at = clock()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Wait for a token; return how long it waited."""
        with self._lock:
            now = self.clock()
            self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
            self._at = now
            wait = 0.0 if self._tokens >= 1 else (1 - self._tokens) / self.rate
            self._tokens -= 1
            self._at = now
        if wait > 0:
            self.sleep(wait)
        return wait


class NotionAPI:
    """The calls the ticket sync makes, rate-limited and retried."""

    def __init__(self, token: str, *, base_url: str | None = None, timeout_s: float = 20.0,
                 rate_per_s: float = 3.0, max_retries: int = 3, max_wait_s: float = 30.0,
                 sleep: Callable[[float], None] = time.sleep,
                 limiter: RateLimiter | None = None) -> None:
        options: dict[str, Any] = {"auth": token, "timeout_ms": int(timeout_s * 1000),
                                   "notion_version": NOTION_VERSION, "retry": False,
                                   "log_level": logging.ERROR, "logger": log}
        if base_url:
            options["base_url"] = base_url.rstrip("/")
        self.client = Client(**options)
        self.sleep = sleep
        self.limiter = limiter or RateLimiter(rate_per_s)
        self.max_retries = max_retries
        self.max_wait_s = max_wait_s
        self.requests = 0

    # --- the calls ---------------------------------------------------------------------------

    def retrieve_database(self, database_id: str) -> dict[str, Any]:
        return self._call(self.client.databases.retrieve, database_id=database_id)

    def create_database(self, *, parent_page_id: str, title: str,
                        properties: dict[str, Any]) -> dict[str, Any]:
        return self._call(self.client.databases.create,
                          parent={"type": "page_id", "page_id": parent_page_id},
                          title=[{"type": "text", "text": {"content": title}}],
                          initial_data_source={"properties": properties})

    def retrieve_data_source(self, data_source_id: str) -> dict[str, Any]:
        return self._call(self.client.data_sources.retrieve, data_source_id=data_source_id)

    def update_data_source(self, data_source_id: str, *,
                           properties: dict[str, Any]) -> dict[str, Any]:
        return self._call(self.client.data_sources.update, data_source_id=data_source_id,
                          properties=properties)

    def create_page(self, *, data_source_id: str, properties: dict[str, Any],
                    children: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """Create a page; retried only when Notion says it did nothing (429).

        After any other failure the page may exist: the caller looks it up before trying
        again, so that a ticket never gets two pages.
        """
        body: dict[str, Any] = {"parent": {"type": "data_source_id",
                                           "data_source_id": data_source_id},
                                "properties": properties}
        if children:
            body["children"] = children
        return self._call(self.client.pages.create, _only_if_untouched=True, **body)

    def update_page(self, page_id: str, *, properties: dict[str, Any]) -> dict[str, Any]:
        return self._call(self.client.pages.update, page_id=page_id, properties=properties)

    def retrieve_page(self, page_id: str) -> dict[str, Any]:
        return self._call(self.client.pages.retrieve, page_id=page_id)

    def query_pages(self, data_source_id: str, *, filter: dict[str, Any] | None = None,
                    sorts: list[dict[str, Any]] | None = None,
                    page_size: int = 100) -> Iterator[dict[str, Any]]:
        """Yield every page the query finds, following `next_cursor`."""
        cursor = None
        while True:
            body: dict[str, Any] = {"page_size": page_size}
            if filter:
                body["filter"] = filter
            if sorts:
                body["sorts"] = sorts
            if cursor:
                body["start_cursor"] = cursor
            answer = self._call(self.client.data_sources.query,
                                data_source_id=data_source_id, **body)
            yield from (r for r in answer.get("results", []) if r.get("object") == "page")
            if not answer.get("has_more") or not answer.get("next_cursor"):
                return
            cursor = answer["next_cursor"]

    # --- rate and retries --------------------------------------------------------------------

    def _call(self, method: Callable[..., Any], *, _only_if_untouched: bool = False,
              **kwargs: Any) -> Any:
        attempt = 0
        while True:
            self.limiter.acquire()
            self.requests += 1
            try:
                return method(**kwargs)
            except Exception as exc:  # noqa: BLE001 - sorted out just below
                error = _as_notion_error(exc)
            if not error.retryable or attempt >= self.max_retries:
                raise error
            if _only_if_untouched and error.status != 429:
                raise error
            wait = error.retry_after_s if error.retry_after_s is not None \
                else min(2 ** attempt, self.max_wait_s)
            if wait > self.max_wait_s:
                raise error  # a long Retry-After: the next cycle comes back, no thread waits
            log.info("Notion %s (attempt %s): retrying in %.1f s", error, attempt + 1, wait)
            self.sleep(wait)
            attempt += 1


def _as_notion_error(exc: Exception) -> NotionError:
    if isinstance(exc, HTTPResponseError):
        status = exc.status
        code = exc.code.value if hasattr(exc.code, "value") else str(exc.code)
        if isinstance(exc, APIResponseError):
            message = f"{status} {code}: {exc}"
        else:  # 529 service_overload, or an HTML page from a proxy
            message = f"{status} {_error_code(exc.body) or code}: {str(exc)[:200]}"
        return NotionError(message, status=status, code=code,
                           retryable=status in RETRYABLE_STATUSES or status >= 500,
                           retry_after_s=_retry_after(exc.headers.get("retry-after")))
    if isinstance(exc, RequestTimeoutError):
        return NotionError("timeout: Notion did not answer in time", code="timeout",
                           retryable=True)
    if isinstance(exc, httpx.TransportError):
        return NotionError(f"unreachable: {type(exc).__name__}: {exc}", code="unreachable",
                           retryable=True)
    if is_notion_client_error(exc):
        return NotionError(str(exc), code=getattr(exc, "code", None))
    raise exc


def _error_code(body: str | None) -> str | None:
    import json

    try:
        return json.loads(body or "").get("code")
    except (ValueError, AttributeError):
        return None


def _retry_after(value: str | None) -> float | None:
    try:
        return max(float(value), 0.0) if value is not None else None
    except ValueError:
        return None
