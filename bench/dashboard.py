"""Benchmark of the dashboard on a big database: `python -m bench.dashboard`.

Times `GET /api/dashboard-data?range=…` (the whole request: figures, queue, health, JSON)
on the database of `DATABASE_URL`, as the staff app answers it, for every range; with
`--busy-hour N`, after adding N messages to the current hour (counted from the rows on every
request); with `--rows-only`, the same figures counted from the rows alone (no counters),
which is what the counters save. Fill the database first with
`flask --app web_app demo bulk --messages 1000000`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import timedelta
from urllib.parse import quote

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
    parser.add_argument("--busy-hour", type=int, default=0, metavar="N",
                        help="first add N messages in the current hour (as a busy desk has)")
    parser.add_argument("--rows-only", action="store_true",
                        help="also time the figures counted from the rows (slow)")
    args = parser.parse_args()

    from admin_app import create_app
    from automation.runtime.heap import freeze_start_up
    from automation.runtime.settings import Config
    from database import db
    from database.api_keys import create_api_key
    from database.base import utcnow
    from database.demo.bulk import generate
    from database.metrics.hourly import count_hours
    from database.models import Event, Message

    os.environ.setdefault("WARM_UP", "false")  # the NLU is not needed to read figures
    app = create_app(Config())
    freeze_start_up()  # as gunicorn's post_worker_init does before a worker serves
    with app.app_context():
        messages = db.session.scalar(select(func.count()).select_from(Message))
        events = db.session.scalar(select(func.count()).select_from(Event))
        _, key = create_api_key("bench-dashboard", ["admin:read"])
        db.session.commit()
        now = utcnow()
        this_hour = now.replace(minute=0, second=0, microsecond=0)
        if args.busy_hour:
            generate(messages=args.busy_hour, now=now, span=now - this_hour,
                     seed=int(now.timestamp()))
        current = db.session.scalar(select(func.count()).select_from(Message)
                                    .where(Message.created_at >= this_hour))
        print(f"{db.engine.dialect.name}: {messages} messages, {events} events; "
              f"{current} messages in the current hour so far")
        client = app.test_client()
        headers = {"Authorization": f"Bearer {key}"}
        yesterday = (now - timedelta(days=1)).date()
        for query in ("range=1h", "range=24h", "range=7d", "range=30d",
                      f"from={yesterday - timedelta(days=29)}&to={yesterday}"):
            url = f"/api/dashboard-data?{quote(query, safe='=&')}"
            assert client.get(url, headers=headers).status_code == 200  # warm
            print(f"  GET ?{query}: {_timed(lambda: client.get(url, headers=headers), args.runs)}")
        if args.rows_only:
            for name, span in (("24h", timedelta(hours=24)), ("30d", timedelta(days=30))):
                result = _timed(lambda: count_hours(now - span, now, now=now), 1)
                print(f"  rows only, {name}: {result}")
        db.session.rollback()


if __name__ == "__main__":
    main()
