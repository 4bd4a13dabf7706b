"""A circuit breaker for an outside agent: stop calling it while it keeps failing.

After `threshold` consecutive failures it opens: no call for `cool_down_s`. Then it lets one
trial call through (half-open): a success closes it, a failure opens it again. One breaker per
process (each holds its own engine); thread-safe; the clock is injectable for tests.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"


class CircuitBreaker:
    """Counts consecutive failures and decides whether the next call may go out."""

    def __init__(self, *, threshold: int = 3, cool_down_s: float = 60.0,
                 clock: Callable[[], float] = time.time) -> None:
        self.threshold = max(1, threshold)
        self.cool_down_s = cool_down_s
        self._clock = clock
        self._lock = threading.Lock()
        self._state = CLOSED
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_at: float | None = None

    def allow(self) -> bool:
        """Tell whether a call may go out now (in half-open state, only the one trial)."""
        with self._lock:
            if self._state == CLOSED:
                return True
            now = self._clock()
            if self._state == OPEN:
                if self._opened_at is not None and now - self._opened_at < self.cool_down_s:
                    return False
                self._state, self._trial_at = HALF_OPEN, now
                return True
            # A trial that never reported back (its thread died) is given up after a cool-down.
            if self._trial_at is None or now - self._trial_at >= self.cool_down_s:
                self._trial_at = now
                return True
            return False

    def record_success(self) -> bool:
        """Count a successful call; return True when this closed the breaker."""
        with self._lock:
            was_closed = self._state == CLOSED
            self._state, self._failures = CLOSED, 0
            self._opened_at = self._trial_at = None
            return not was_closed

    def record_failure(self) -> bool:
        """Count a failed call; return True when this opened (or re-opened) the breaker."""
        with self._lock:
            self._failures += 1
            tripped = self._state == HALF_OPEN or (
                self._state == CLOSED and self._failures >= self.threshold)
            if tripped:
                self._state, self._opened_at, self._trial_at = OPEN, self._clock(), None
            return tripped

    def state(self) -> dict[str, Any]:
        """Return what the dashboard shows: state, consecutive failures, when it opened."""
        with self._lock:
            state = self._state
            if state == OPEN and self._opened_at is not None \
                    and self._clock() - self._opened_at >= self.cool_down_s:
                state = HALF_OPEN  # the next call will be the trial
            opened_at = (datetime.fromtimestamp(self._opened_at, UTC).isoformat()
                         if self._opened_at is not None else None)
            return {"state": state, "failures": self._failures, "opened_at": opened_at,
                    "threshold": self.threshold, "cool_down_s": self.cool_down_s}
