"""What the desk sends Notion, request by request, in the shapes Notion documents for API
version 2025-09-03 (developers.notion.com: create a page, update page properties, query a
data source, update data source properties)."""

from __future__ import annotations

from datetime import datetime

from automation.tickets.updates import update_ticket
from tests import ticket_factories


def _is_iso(value: str) -> bool:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def test_a_page_is_created_under_the_data_source_with_typed_values(sync, fake_notion):
    ticket_factories.ticket(description="First paragraph.\n\nSecond paragraph.")
    sync.cycle(pull=False)
    (create,) = fake_notion.calls_to("POST", "/v1/pages")
    body = create.body
    assert set(body) == {"parent", "properties", "children"}
    assert body["parent"]["type"] == "data_source_id"
    props = body["properties"]
    assert props["Title"] == {"title": [{"type": "text", "text": {"content": "Colis pas arrivé"}}]}
    assert set(props["Status"]) == {"select"} and props["Status"]["select"] == {"name": "Open"}
    assert set(props["Customer"]) == {"email"} and "@" in props["Customer"]["email"]
    assert set(props["Conversation"]) == {"url"}
    for name in ("Created", "SLA due", "Last message"):
        assert set(props[name]) == {"date"} and _is_iso(props[name]["date"]["start"])
    assert props["Assignee"] == {"select": None}  # nobody yet: an empty select, not ""
    assert [b["type"] for b in body["children"]] == ["paragraph", "paragraph"]
    assert body["children"][1]["paragraph"]["rich_text"][0]["text"]["content"] == \
        "Second paragraph."


def test_an_update_sends_only_properties(sync, fake_notion):
    ticket = ticket_factories.ticket()
    sync.cycle(pull=False)
    update_ticket(ticket.reference, status="pending", source="api", actor={})
    sync.cycle(pull=False)
    (patch,) = fake_notion.calls_to("PATCH", "/v1/pages")
    assert set(patch.body) == {"properties"}
    assert patch.body["properties"] == {"Status": {"select": {"name": "Pending"}}}
    assert patch.path == f"/v1/pages/{ticket.notion_page_id}"


def test_the_pull_queries_by_last_edited_time_a_page_at_a_time(sync, fake_notion):
    for _ in range(3):
        ticket_factories.ticket()
    sync.cycle(pull=False)
    before = len(fake_notion.calls)
    sync.cycle(pull=True)
    queries = [c for c in fake_notion.calls[before:] if c.path.endswith("/query")]
    body = queries[0].body
    assert set(body) == {"filter", "sorts", "page_size"}
    assert body["sorts"] == [{"timestamp": "last_edited_time", "direction": "ascending"}]
    assert body["page_size"] == 100
    condition = body["filter"]
    assert condition["timestamp"] == "last_edited_time"
    assert _is_iso(condition["last_edited_time"]["on_or_after"])


def test_long_texts_and_commas_stay_within_notions_limits(sync, fake_notion):
    ticket = ticket_factories.ticket(title="x" * 300, description="y" * 5000)
    ticket.category = "return_refund"
    from database import db

    db.session.commit()
    assert sync.cycle(pull=False).error is None
    body = fake_notion.calls_to("POST", "/v1/pages")[0].body
    texts = body["children"][0]["paragraph"]["rich_text"]
    assert [len(t["text"]["content"]) for t in texts] == [2000, 2000, 1000]
    assert "," not in body["properties"]["Category"]["select"]["name"]
