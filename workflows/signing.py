"""Signatures of outbound webhooks: `X-Desk-Signature: t=<unix seconds>,v1=<hex>`, where the
hex is HMAC-SHA256(secret, "<t>.<raw body>"), as Stripe signs its webhooks.

A receiver recomputes it over the raw bytes it got (never re-serialised JSON), compares in
constant time, and refuses a timestamp too far from its clock (a replayed delivery).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

HEADER = "X-Desk-Signature"
TOLERANCE_S = 300
SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """Return a new signing secret (256 random bits)."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, body: bytes, timestamp: int) -> str:
    """Return the hex HMAC-SHA256 of `"<timestamp>.<body>"` under `secret`."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    """Return the value of the `X-Desk-Signature` header for `body`."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(secret, body, timestamp)}"


def verify(secret: str, header: str | None, body: bytes, *, now: float | None = None,
           tolerance_s: int = TOLERANCE_S) -> bool:
    """Tell whether `header` signs `body` with `secret`, recently enough."""
    if not header:
        return False
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        name, _, value = item.strip().partition("=")
        parts.setdefault(name, []).append(value)
    try:
        timestamp = int(parts.get("t", [""])[0])
    except ValueError:
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance_s:
        return False
    expected = signature(secret, body, timestamp)
    return any(hmac.compare_digest(expected, candidate) for candidate in parts.get("v1", []))
