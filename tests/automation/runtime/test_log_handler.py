"""WARNING+ log lines of every process become events: across processes, without recursion,
without ever failing the caller, and with floods cut."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event as sa_event, select

from automation.runtime import log_events, settings
from database import db, events
from database.models import Event
from web_app import create_app

ROOT = Path(__file__).resolve().parents[3]
LOGS_IN_ANOTHER_PROCESS = """
import logging
from web_app import create_app
create_app()  # LOG_EVENTS defaults to on, as in production
logging.getLogger("shop.payments").warning("card gateway slow: %s ms", 2300)
logging.getLogger("shop.payments").info("an info line stays out of the live log")
"""


@pytest.fixture
def handler(app) -> Iterator[log_events.EventLogHandler]:
    installed = log_events.install(app, source="test")
    yield installed
    log_events.uninstall()


def shop_log() -> logging.Logger:
    # Alembic's logging set-up (the migrations the fixtures run) disables existing loggers.
    logger = logging.getLogger("shop.test")
    logger.disabled = False
    return logger


def _log_events() -> list[Event]:
    db.session.expire_all()
    return list(db.session.scalars(select(Event).where(
        Event.kind.in_((events.LOG_WARNING, events.LOG_ERROR))).order_by(Event.id)))


def test_a_warning_logged_in_another_process_reaches_the_events_table(app, database_url,
                                                                     tmp_path):
    env = {**os.environ, "DATABASE_URL": database_url, "WARM_UP": "false",
           "JOBS_DB_PATH": str(tmp_path / "jobs.db"),
           "LIMITS_DB_PATH": str(tmp_path / "limits.db")}
    env.pop("REDIS_URL", None)
    env.pop("LOG_EVENTS", None)
    done = subprocess.run([sys.executable, "-c", LOGS_IN_ANOTHER_PROCESS], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    [line] = _log_events()
    assert (line.kind, line.level) == (events.LOG_WARNING, "warning")
    assert line.payload["message"] == "card gateway slow: 2300 ms"
    assert line.payload["logger"] == "shop.payments"
    assert line.payload["source"] == "web_app" and line.payload["pid"] != os.getpid()


def test_an_error_is_written_with_its_exception(handler):
    try:
        raise ValueError("bad order total")
    except ValueError:
        shop_log().exception("could not price the order")
    handler.flush()
    [line] = _log_events()
    assert (line.kind, line.level) == (events.LOG_ERROR, "error")
    assert line.payload["exception"] == "ValueError"
    assert "bad order total" in line.payload["traceback"]


def test_a_line_logged_while_writing_one_is_not_written_again(handler):
    def warn_on_insert(*_args) -> None:
        logging.getLogger("sqlalchemy.test").warning("logged by the write itself")

    sa_event.listen(Event, "before_insert", warn_on_insert)
    try:
        shop_log().warning("the one line")
        handler.flush()
    finally:
        sa_event.remove(Event, "before_insert", warn_on_insert)
    assert [line.payload["message"] for line in _log_events()] == ["the one line"]


def test_a_line_logged_while_formatting_one_is_dropped(handler):
    class Loud:
        def __str__(self) -> str:
            shop_log().warning("logged while formatting")
            return "loud value"

    logger = shop_log()
    handler.handle(logger.makeRecord(logger.name, logging.WARNING, __file__, 1, "price is %s",
                                     (Loud(),), None))
    handler.flush()
    assert [line.payload["message"] for line in _log_events()] == ["price is loud value"]


def test_logging_never_fails_when_the_database_is_down(app, handler, tmp_path):
    gone = tmp_path / "no" / "such" / "folder.db"
    handler.app = create_app(settings.TestConfig(f"sqlite:///{gone}"))
    shop_log().error("the database is gone")  # must not raise
    handler.flush()
    assert handler._queue.unfinished_tasks == 0
    handler.app = app
    shop_log().warning("back again")
    handler.flush()
    assert [line.payload["message"] for line in _log_events()] == ["back again"]


def test_a_flood_is_cut_and_the_lines_written_say_how_many_were_dropped(handler):
    handler.rate, handler.burst, handler._tokens = 0.0, 5, 5.0
    for n in range(50):
        shop_log().warning("flood %s", n)
    handler.flush()
    assert len(_log_events()) == 5
    handler.rate, handler._tokens = 20.0, 1.0
    shop_log().warning("calm again")
    handler.flush()
    lines = _log_events()
    assert lines[-1].payload["message"] == "calm again"
    assert sum(line.payload.get("dropped", 0) for line in lines) == 45
