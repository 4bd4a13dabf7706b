"""Slowing down password guessing, per account and per address, on both apps.

Failed logins are counted in the rate-limit storage every process shares (Redis, or the
machine's SQLite counters file), so a guesser gains nothing from hitting several workers.
Past the limit, even the right password waits for the window to end; the first refusal of a
window is audited as an `auth.throttled` event.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from limits import RateLimitItem, parse
from limits.storage import Storage
from limits.strategies import FixedWindowRateLimiter

from database import db, events

T = TypeVar("T")
PER_ACCOUNT = "5 per 15 minutes"
PER_ADDRESS = "20 per 15 minutes"


@dataclass(frozen=True)
class Refusal:
    """A login refused before its password is checked: wait `retry_after_s` seconds."""

    retry_after_s: int
    scope: str  # "account" or "address"


class LoginThrottle:
    """Counts failed logins and refuses more once an account or an address has too many."""

    def __init__(self, storage: Storage, *, per_account: str = PER_ACCOUNT,
                 per_address: str = PER_ADDRESS) -> None:
        self.limiter = FixedWindowRateLimiter(storage)
        self.per_account: RateLimitItem = parse(per_account)
        self.per_address: RateLimitItem = parse(per_address)

    def check(self, *, app: str, email: str, address: str) -> Refusal | None:
        """Return why a login must wait, or None when it may be tried."""
        for scope, item, key in self._keys(app, email, address):
            if not self.limiter.test(item, app, scope, key):
                reset = self.limiter.get_window_stats(item, app, scope, key).reset_time
                return Refusal(max(1, math.ceil(reset - time.time())), scope)
        return None

    def failed(self, *, app: str, email: str, address: str) -> Refusal | None:
        """Count a wrong password; return the refusal it starts, and audit it (commit)."""
        started = None
        for scope, item, key in self._keys(app, email, address):
            if not self.limiter.hit(item, app, scope, key) or not self.limiter.test(
                    item, app, scope, key):
                reset = self.limiter.get_window_stats(item, app, scope, key).reset_time
                started = started or Refusal(max(1, math.ceil(reset - time.time())), scope)
        if started is not None:
            events.record(events.AUTH_THROTTLED, level="warning",
                          payload={"app": app, "scope": started.scope,
                                   "account": email.strip().lower()[:254], "address": address,
                                   "retry_after_s": started.retry_after_s})
            db.session.commit()
        return started

    def succeeded(self, *, app: str, email: str) -> None:
        """Forget an account's failures once its owner logged in."""
        self.limiter.clear(self.per_account, app, "account", _digest(email))

    def _keys(self, app: str, email: str, address: str) -> list[tuple[str, RateLimitItem, str]]:
        return [("account", self.per_account, _digest(email)),
                ("address", self.per_address, address or "unknown")]


def attempt_login(throttle: LoginThrottle, authenticate: Callable[[str, str], T | None], *,
                  app: str, email: str, password: str, address: str
                  ) -> tuple[T | None, Refusal | None]:
    """Check a login against the throttle and the password: (the person, None) when it
    succeeds, (None, None) for a wrong password, (None, refusal) when it must wait."""
    refusal = throttle.check(app=app, email=email, address=address)
    if refusal is not None:
        return None, refusal
    person = authenticate(email, password)
    if person is not None:
        throttle.succeeded(app=app, email=email)
        return person, None
    return None, throttle.failed(app=app, email=email, address=address)


def _digest(email: str) -> str:
    # The counters never hold an email address in clear.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
