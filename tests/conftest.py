"""Fixtures shared by the whole suite: both apps over SQLite and over PostgreSQL.

Every test that asks for `app`, `client`, `admin_app`… runs twice, once per database. The
schema comes from the real migrations (upgraded once per database and session); each test
starts from empty tables.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text

from automation.runtime.settings import TestConfig
from database import db

PG_ADMIN_DSN = os.environ.get("TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")


def _postgres_database() -> Iterator[str]:
    name = f"desk_test_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI and is not reachable: {exc}")
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    base = PG_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    yield f"{base}/{name}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A migrated, empty database of each kind, for the whole session."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'desk.db'}"
        generator = None
    else:
        generator = _postgres_database()
        url = next(generator)
    app = _make_web_app(url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield url
    if generator is not None:
        next(generator, None)


def _make_web_app(url: str, **overrides: object) -> Flask:
    from web_app import create_app

    return create_app(TestConfig(url, **overrides))


def _empty_tables() -> None:
    # DELETE beats TRUNCATE by far on small PostgreSQL tables; ids simply keep counting.
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(text(f"DELETE FROM {table.name}"))
    db.session.commit()


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """The shopper app on an empty database, inside an app context."""
    app = _make_web_app(database_url)
    with app.app_context():
        _empty_tables()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask):
    return app.test_client()


@pytest.fixture
def admin_app(app: Flask, database_url: str) -> Iterator[Flask]:
    """The staff app over the same database as `app`."""
    from admin_app import create_app

    admin = create_app(TestConfig(database_url))
    yield admin
    with admin.app_context():
        db.engine.dispose()


@pytest.fixture
def admin_client(admin_app: Flask):
    return admin_app.test_client()


@pytest.fixture
def csrf_app(database_url: str) -> Iterator[Flask]:
    """The shopper app with CSRF protection on, as in production."""
    app = _make_web_app(database_url, WTF_CSRF_ENABLED=True)
    with app.app_context():
        _empty_tables()
        yield app
        db.session.remove()
        db.engine.dispose()
