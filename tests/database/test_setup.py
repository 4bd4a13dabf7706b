"""Engine options per database."""

from __future__ import annotations

from database.setup import engine_options


def test_postgresql_plans_each_query_for_its_values():
    # No server-side prepared statements, so no generic plan blind to the values (a rare
    # event kind looked for by walking two million events).
    options = engine_options("postgresql+psycopg://desk@db.example/desk")
    assert options["connect_args"] == {"prepare_threshold": None}
    assert "prepare_threshold" not in engine_options("sqlite://")["connect_args"]
