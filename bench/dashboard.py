"""Benchmark of the dashboard on a big database: `python -m bench.dashboard`.

Times `GET /api/dashboard-data?range=…` (the whole request: figures, queue, health, JSON)
on the database of `DATABASE_URL`, as the staff app answers it, for every range; then the
same figures counted from the rows alone (no hourly counters), which is what the counters
save. Fill the database first with `flask --app web_app demo bulk --messages 1000000`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from sqlalchemy import func, select


def _timed(call, runs: int) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    ordered = sorted(samples)
    return {"median_ms": round(statistics.median(samples), 1),
            "max_ms": round(ordered[-1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--rows-only", action="store_true",
                        help="also time the figures counted from the rows (slow)")
    args = parser.parse_args()

    from admin_app import create_app
    from automation.runtime.settings import Config
    from database import db
    from database.api_keys import create_api_key
    from database.base import utcnow
    from database.metrics.hourly import count_hours
    from database.models import Event, Message

    os.environ.setdefault("WARM_UP", "false")  # the NLU is not needed to read figures
    app = create_app(Config())
    with app.app_context():
        messages = db.session.scalar(select(func.count()).select_from(Message))
        events = db.session.scalar(select(func.count()).select_from(Event))
        _, key = create_api_key("bench-dashboard", ["admin:read"])
        db.session.commit()
        print(f"{db.engine.dialect.name}: {messages} messages, {events} events")
        client = app.test_client()
        headers = {"Authorization": f"Bearer {key}"}
        for name in ("1h", "24h", "7d", "30d"):
            url = f"/api/dashboard-data?range={name}"
            assert client.get(url, headers=headers).status_code == 200  # warm
            print(f"  GET {url}: {_timed(lambda: client.get(url, headers=headers), args.runs)}")
        if args.rows_only:
            from datetime import timedelta

            now = utcnow()
            for name, span in (("24h", timedelta(hours=24)), ("30d", timedelta(days=30))):
                result = _timed(lambda: count_hours(now - span, now, now=now), 1)
                print(f"  rows only, {name}: {result}")
        db.session.rollback()


if __name__ == "__main__":
    main()
