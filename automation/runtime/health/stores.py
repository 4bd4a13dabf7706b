"""The stores the desk cannot work without: the database, and Redis when it is set."""

from __future__ import annotations

import time
from typing import Any

from database import db
from database.health import ping

SLOW_MS = 500.0
REDIS_TIMEOUT_S = 0.5


def database_part() -> dict[str, Any]:
    """Return the database's state and how long `SELECT 1` took."""
    started = time.perf_counter()
    try:
        ping()
    except Exception as error:  # noqa: BLE001 - the page must still say what is wrong
        db.session.rollback()
        return {"state": "down", "detail": f"unreachable: {str(error)[:200]}"}
    latency = round((time.perf_counter() - started) * 1000, 1)
    slow = latency > SLOW_MS
    return {"state": "degraded" if slow else "ok", "latency_ms": latency,
            "detail": f"{db.engine.dialect.name} answers in {latency} ms"
                      + (": slow" if slow else "")}


def redis_part(url: str | None) -> dict[str, Any]:
    """Return Redis's state (PING with a short timeout) when REDIS_URL is set."""
    if not url:
        return {"state": "not_configured",
                "detail": "not set: jobs, live updates and limits stay on this machine"}
    import redis

    client = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT_S,
                                  socket_connect_timeout=REDIS_TIMEOUT_S)
    started = time.perf_counter()
    try:
        client.ping()
    except redis.RedisError as error:
        return {"state": "down", "detail": f"unreachable: {str(error)[:200]}: jobs wait and "
                "live updates fall back to polling"}
    finally:
        client.close()
    latency = round((time.perf_counter() - started) * 1000, 1)
    return {"state": "ok", "latency_ms": latency, "detail": f"PING answered in {latency} ms"}
