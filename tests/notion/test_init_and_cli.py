"""`flask --app web_app notion init|sync|status`, against the fake over HTTP."""

from __future__ import annotations

import json

import pytest

from database import db
from notion.schema import PROPERTIES
from tests import factories, ticket_factories
from tests.fakes.notion_api import TOKEN
from tests.fakes.notion_shapes import property_schema


@pytest.fixture
def runner(app, fake_notion):
    import notion

    app.config.update(NOTION_TOKEN=TOKEN, NOTION_BASE_URL=fake_notion.url,
                      NOTION_RATE_PER_S=1000, ADMIN_BASE_URL="http://admin.test")
    notion.api_for(app.config).sleep = lambda seconds: None  # retries without the waits
    yield app.test_cli_runner()
    notion._apis.clear()


def test_init_creates_the_database_under_the_parent_page(app, runner, fake_notion):
    factories.staff(email="lea@demo.shop")
    parent = fake_notion.add_parent_page()
    app.config["NOTION_PARENT_PAGE_ID"] = parent
    result = runner.invoke(args=["notion", "init"])
    assert result.exit_code == 0, result.output
    (database_id,) = fake_notion.databases
    assert f"NOTION_DATABASE_ID={database_id}" in result.output
    create = fake_notion.calls_to("POST", "/v1/databases")[0].body
    assert create["parent"] == {"type": "page_id", "page_id": parent}
    assert create["title"][0]["text"]["content"] == "Support tickets"
    schema = create["initial_data_source"]["properties"]
    assert set(schema) == {p.name for p in PROPERTIES}
    assert [o["name"] for o in schema["Status"]["select"]["options"]] == \
        ["Open", "Pending", "Resolved", "Closed"]
    assert [o["name"] for o in schema["Assignee"]["select"]["options"]] == ["lea@demo.shop"]
    kinds = {n: p["type"] for n, p in fake_notion.source_of(database_id)["properties"].items()}
    assert kinds == {"Title": "title", "Reference": "rich_text", "Status": "select",
                     "Priority": "select", "Category": "select", "Channel": "select",
                     "Customer": "email", "Assignee": "select", "Conversation": "url",
                     "Created": "date", "SLA due": "date", "Last message": "date"}


def test_init_completes_an_existing_database_and_keeps_its_options(app, runner,
                                                                   fake_notion):
    database_id = fake_notion.add_database({
        "Name": {"title": {}},
        "Status": {"select": {"options": [{"name": "Open"}, {"name": "Waiting on shop"}]}},
        "Notes": {"rich_text": {}},
    })
    app.config["NOTION_DATABASE_ID"] = database_id
    result = runner.invoke(args=["notion", "init"])
    assert result.exit_code == 0, result.output
    assert "renamed Name → Title" in result.output
    assert "added property Priority" in result.output
    schema = fake_notion.source_of(database_id)["properties"]
    assert {p.name for p in PROPERTIES} <= set(schema) and "Notes" in schema
    options = [o["name"] for o in schema["Status"]["select"]["options"]]
    assert options[:2] == ["Open", "Waiting on shop"]
    assert {"Pending", "Resolved", "Closed"} <= set(options)
    again = runner.invoke(args=["notion", "init"])
    assert "nothing to change" in again.output
    assert len(fake_notion.calls_to("PATCH", "/v1/data_sources")) == 1


def test_init_refuses_to_change_a_property_of_another_type(app, runner, fake_notion):
    database_id = fake_notion.add_database({"Title": {"title": {}},
                                            "Priority": {"number": {}}})
    app.config["NOTION_DATABASE_ID"] = database_id
    result = runner.invoke(args=["notion", "init"])
    assert result.exit_code != 0
    assert "Priority: is number" in result.output
    assert fake_notion.calls_to("PATCH", "/v1/data_sources") == []


def test_init_accepts_a_status_property_with_the_options(app, runner, fake_notion, database_id):
    source = fake_notion.source_of(database_id)
    source["properties"]["Status"] = property_schema(
        "Status", {"status": {"options": [{"name": n} for n in
                                          ("Open", "Pending", "Resolved", "Closed")]}}, None)
    app.config["NOTION_DATABASE_ID"] = database_id
    assert runner.invoke(args=["notion", "init"]).exit_code == 0
    ticket = ticket_factories.ticket()
    assert runner.invoke(args=["notion", "sync"]).exit_code == 0
    db.session.refresh(ticket)
    assert fake_notion.pages[ticket.notion_page_id]["properties"]["Status"]["type"] == "status"
    fake_notion.edit(ticket.notion_page_id, {"Status": "Pending"})
    assert runner.invoke(args=["notion", "sync"]).exit_code == 0
    db.session.refresh(ticket)
    assert ticket.status == "pending"


def test_init_without_a_token_says_so(app):
    result = app.test_cli_runner().invoke(args=["notion", "init"])
    assert result.exit_code != 0 and "NOTION_TOKEN" in result.output


def test_sync_prints_what_it_did(app, runner, fake_notion, database_id):
    app.config["NOTION_DATABASE_ID"] = database_id
    ticket = ticket_factories.ticket()
    result = runner.invoke(args=["notion", "sync"])
    assert result.exit_code == 0, result.output
    assert "Pushed: 1 pages created" in result.output
    db.session.refresh(ticket)
    fake_notion.edit(ticket.notion_page_id, {"Status": "Resolved"})
    result = runner.invoke(args=["notion", "sync"])
    assert f"applied {ticket.reference} status: open → resolved" in result.output
    fake_notion.outage()
    failed = runner.invoke(args=["notion", "sync"])
    assert failed.exit_code == 1 and "Error: 503" in failed.output
    status = json.loads(runner.invoke(args=["notion", "status"]).output)
    assert status["state"] == "degraded" and status["last_error"]["status"] == 503


def test_sync_without_a_database_id_explains(app, runner):
    result = runner.invoke(args=["notion", "sync"])
    assert result.exit_code == 1 and "NOTION_DATABASE_ID is not set" in result.output
