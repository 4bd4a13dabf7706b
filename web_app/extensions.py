"""Flask extensions of the shopper app, created unbound and bound in the factory."""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf import CSRFProtect

from automation.runtime import limits_storage  # noqa: F401  (registers desk+sqlite://)

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def init_app(app: Flask) -> None:
    """Bind CSRF protection and the rate limiter; its counters are shared by every process
    (Redis when REDIS_URL is set, else a SQLite file on this machine)."""
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "desk")
    app.config.setdefault("RATELIMIT_ENABLED", not app.config.get("TESTING", False))
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
