"""Rate-limit counters every process of one machine shares, in a small SQLite file.

Embedded (no `REDIS_URL`), the web, admin and worker processes each run their own threads;
counters kept in memory would let each process allow the whole limit. This storage backs the
`limits` library (and so Flask-Limiter) with one SQLite file: a counter is a row, and one
UPSERT statement counts a hit atomically across processes. With Redis, Redis does this job.

    RATELIMIT_STORAGE_URI = "desk+sqlite:////path/to/limits.db"
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from limits.storage import Storage

SCHEMA = ("CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, count INTEGER NOT NULL, "
          "expires REAL NOT NULL)")
HIT = """
INSERT INTO counters (key, count, expires) VALUES (:key, :amount, :now + :expiry)
ON CONFLICT (key) DO UPDATE SET
  count = CASE WHEN expires <= :now THEN :amount ELSE count + :amount END,
  expires = CASE WHEN expires <= :now THEN :now + :expiry ELSE expires END
RETURNING count
"""


class SQLiteStorage(Storage):
    """Fixed-window counters in a SQLite file shared by the processes of one machine."""

    STORAGE_SCHEME = ["desk+sqlite"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: Any) -> None:
        path = uri.split("://", 1)[1]
        self.path = path[1:] if path.startswith("/") and path[1:2] == "/" else path
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        with self._connection() as connection:
            connection.execute(SCHEMA)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            # One connection per thread; WAL and a busy timeout let processes take turns.
            connection = sqlite3.connect(self.path, timeout=10, isolation_level=None,
                                         check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
        return connection

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count `amount` hits on `key` in its window (a new window once it expired)."""
        row = self._connection().execute(HIT, {"key": key, "amount": amount,
                                               "now": time.time(), "expiry": expiry}).fetchone()
        return int(row[0])

    def get(self, key: str) -> int:
        """Return the hits counted on `key` in its current window."""
        row = self._connection().execute(
            "SELECT count FROM counters WHERE key = ? AND expires > ?",
            (key, time.time())).fetchone()
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        """Return when the current window of `key` ends (now when there is none)."""
        row = self._connection().execute(
            "SELECT expires FROM counters WHERE key = ? AND expires > ?",
            (key, time.time())).fetchone()
        return float(row[0]) if row else time.time()

    def check(self) -> bool:
        """Tell whether the file can be read."""
        try:
            self._connection().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        """Forget every counter; return how many there were."""
        cursor = self._connection().execute("DELETE FROM counters")
        return cursor.rowcount

    def clear(self, key: str) -> None:
        """Forget one counter."""
        self._connection().execute("DELETE FROM counters WHERE key = ?", (key,))
