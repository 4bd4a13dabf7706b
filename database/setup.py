"""Binding the data layer to an app: engine options, SQLite pragmas, migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import Migrate
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

from database.base import db

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
migrate = Migrate(directory=str(MIGRATIONS))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the web, admin and worker processes read while one writes; busy_timeout makes
    # a writer wait for the lock instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def engine_options(database_url: str) -> dict[str, Any]:
    """Return SQLAlchemy engine options suited to the database behind `database_url`."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        # A connection per busy thread, never a wait for one: SQLite connections are cheap,
        # and a turn holding the process's writer lock must never queue behind a pool.
        return {"connect_args": {"check_same_thread": False, "timeout": 10},
                "pool_size": 10, "max_overflow": -1}
    options: dict[str, Any] = {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20}
    if url.get_driver_name() == "psycopg":
        # No server-side prepared statements: psycopg prepares a query on its sixth run, and
        # after five more PostgreSQL may keep one generic plan, blind to the values. Over
        # skewed data that plan can be a disaster: the generic plan of the dashboard's latest
        # circuit-breaker event reads the whole events table backwards by id, the kind being
        # rare (450 ms instead of 0.1), and 30 days of hourly counters through the wrong
        # index (15 ms instead of 7). Each query is planned for its values instead, as it is
        # on its first runs.
        options["connect_args"] = {"prepare_threshold": None}
    return options


def init_app(app: Flask) -> None:
    """Bind the SQLAlchemy extension and Flask-Migrate to `app`."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(url))
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite" and not event.contains(engine, "connect",
                                                                  _sqlite_pragmas):
            event.listen(engine, "connect", _sqlite_pragmas)
