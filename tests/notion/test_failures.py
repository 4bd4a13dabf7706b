"""Notion failing: rate limits with Retry-After, 529 overloads, 5xx, lost answers, and a long
outage after which every change arrives once."""

from __future__ import annotations

import time

import pytest

import notion
from automation.tickets.updates import update_ticket
from database import db, events
from database.models import Event, OutboxCursor, Ticket
from notion.sync import NotionSync
from tests import ticket_factories
from tests.fakes.notion_api import Fault
from tests.notion.conftest import ADMIN_URL, make_api


def _count(kind: str) -> int:
    return db.session.query(Event).filter_by(kind=kind).count()


def test_a_429_waits_for_retry_after_then_goes_on(sync, fake_notion, waits):
    ticket_factories.ticket()
    fake_notion.fail(Fault(429, "rate_limited", retry_after="2"))
    result = sync.cycle(pull=False)
    assert result.error is None and result.created == 1
    assert waits == [2.0]
    assert [c.status for c in fake_notion.calls][:2] == [429, 200]


@pytest.mark.parametrize("fault", [
    Fault(529, "service_overload"),          # the SDK neither knows nor retries it
    Fault(503, "service_unavailable"),
    Fault(502, html=True),                    # a proxy's HTML page
    Fault(500, "internal_server_error"),
    Fault(409, "conflict_error"),
])
def test_overloads_and_server_errors_are_retried_with_backoff(sync, fake_notion, waits, fault):
    ticket = ticket_factories.ticket()
    sync.cycle(pull=False)
    update_ticket(ticket.reference, status="pending", source="api", actor={})
    fake_notion.fail(fault, fault)
    result = sync.cycle(pull=True)
    assert result.error is None
    assert waits == [1.0, 2.0]
    assert fake_notion.value(ticket.notion_page_id, "Status") == "Pending"


def test_a_529_on_create_is_looked_up_before_a_second_create(sync, fake_notion, waits):
    ticket_factories.ticket()
    fake_notion.fail(Fault(200), Fault(200), Fault(529, "service_overload"))  # 2 reads pass
    result = sync.cycle(pull=False)
    assert result.error is None
    assert len(fake_notion.pages) == 1


def test_a_create_whose_answer_is_lost_makes_one_page(sync, fake_notion, database_id):
    ticket = ticket_factories.ticket()
    # Notion creates the page but the answer is a gateway timeout, three times over.
    fake_notion.fail(Fault(200), Fault(200), Fault(504, "gateway_timeout", processed=True))
    result = sync.cycle(pull=False)
    assert result.error is None
    assert len(fake_notion.pages_of(database_id)) == 1
    db.session.refresh(ticket)
    assert ticket.notion_page_id == next(iter(fake_notion.pages))
    lookups = [c for c in fake_notion.calls_to("POST", "/v1/data_sources")
               if c.body.get("filter", {}).get("property") == "Reference"]
    assert lookups and lookups[0].body["filter"] == {
        "property": "Reference", "rich_text": {"equals": ticket.reference}}


def test_a_persistent_failure_is_recorded_once_and_recovery_too(app, sync, fake_notion):
    ticket_factories.ticket()
    fake_notion.outage(Fault(503, "service_unavailable"))
    first, second = sync.cycle(pull=True), sync.cycle(pull=True)
    assert first.error and "503" in first.error and second.error
    assert _count(events.NOTION_SYNC_FAILED) == 1
    health = notion.status({"NOTION_TOKEN": "x", "NOTION_DATABASE_ID": sync.database_id})
    assert health["state"] == "degraded"
    assert "503" in health["last_error"]["message"] and health["failing_since"]
    assert health["pending_events"] == 0 or health["lag_s"] >= 0
    fake_notion.restore()
    assert sync.cycle(pull=True).error is None
    assert _count(events.NOTION_SYNC_RECOVERED) == 1
    health = notion.status({"NOTION_TOKEN": "x", "NOTION_DATABASE_ID": sync.database_id})
    assert health["state"] == "ok" and health["failing_since"] is None
    assert health["lag_s"] == 0 and health["pending_events"] == 0


def test_a_long_outage_loses_nothing_and_duplicates_nothing(sync, fake_notion, database_id):
    early = ticket_factories.ticket()
    assert sync.cycle(pull=True).created == 1
    fake_notion.outage()
    made = [ticket_factories.ticket(title=f"Ticket {n}") for n in range(5)]
    update_ticket(made[0].reference, priority="high", source="api", actor={})
    update_ticket(made[1].reference, status="resolved", source="api", actor={})
    update_ticket(early.reference, status="pending", source="api", actor={})
    for _ in range(6):  # an outage of many cycles, each one failing
        assert sync.cycle(pull=True).error is not None
    health = notion.status({"NOTION_TOKEN": "x", "NOTION_DATABASE_ID": database_id})
    assert health["pending_events"] >= 8 and health["lag_s"] >= 0
    fake_notion.restore()
    calls = len(fake_notion.calls)
    result = sync.cycle(pull=True)
    assert result.error is None and result.created == 5
    creates = [c for c in fake_notion.calls[calls:] if c.method == "POST"
               and c.path == "/v1/pages" and c.status == 200]
    assert len(creates) == 5
    pages = fake_notion.pages_of(database_id)
    assert len(pages) == 6
    assert sorted(fake_notion.value(p["id"], "Reference") for p in pages) == \
        sorted(t.reference for t in db.session.query(Ticket))
    for ticket in db.session.query(Ticket):
        status = {"open": "Open", "pending": "Pending", "resolved": "Resolved"}[ticket.status]
        assert fake_notion.value(ticket.notion_page_id, "Status") == status
        assert fake_notion.value(ticket.notion_page_id, "Priority") == \
            ticket.priority.capitalize()
    assert notion.status({"NOTION_TOKEN": "x", "NOTION_DATABASE_ID": database_id})[
        "pending_events"] == 0
    # And again: nothing left to send.
    calls = len(fake_notion.calls)
    sync.cycle(pull=False)
    assert not [c for c in fake_notion.calls[calls:] if c.method in ("POST", "PATCH")
                and not c.path.endswith("/query")]


def test_a_timeout_is_retried(app, fake_notion, database_id, waits):
    ticket_factories.ticket()
    sync = NotionSync(make_api(fake_notion, waits, timeout_s=0.3), database_id=database_id,
                      admin_url=ADMIN_URL)
    fake_notion.fail(Fault(200, delay_s=1.0))
    result = sync.cycle(pull=False)
    assert result.error is None and result.created == 1
    assert waits == [1.0]


def test_a_bad_token_is_an_error_not_retried(app, fake_notion, database_id, waits):
    from notion.api import NotionAPI

    ticket_factories.ticket()
    api = NotionAPI("ntn_wrong", base_url=fake_notion.url, rate_per_s=1000, sleep=waits)
    result = NotionSync(api, database_id=database_id).cycle(pull=False)
    assert result.error and "401" in result.error and waits == []


def test_at_most_three_requests_a_second(app, fake_notion, database_id):
    for n in range(7):
        ticket_factories.ticket(title=f"Ticket {n}")
    sync = NotionSync(make_api(fake_notion, rate=3.0), database_id=database_id)
    started = time.monotonic()
    assert sync.cycle(pull=False).created == 7
    times = [c.at for c in fake_notion.calls]
    assert len(times) == 9 and time.monotonic() - started >= 2.5
    for i in range(len(times) - 3):
        assert times[i + 3] - times[i] >= 0.95, "more than 3 requests within a second"


def test_two_processes_never_sync_at_once(app, sync, fake_notion):
    from database.outbox import acquire_lease, release_lease

    ticket_factories.ticket()
    owner = acquire_lease("notion", seconds=60)
    assert sync.cycle(pull=True).skipped
    assert fake_notion.calls == []
    release_lease("notion", owner)
    assert sync.cycle(pull=True).created == 1


def test_without_a_token_the_null_sync_does_nothing(app, client):
    sync = notion.connect({"NOTION_TOKEN": None})
    assert sync.configured is False
    assert sync.cycle(pull=True).skipped
    assert notion.status({})["state"] == "not_configured"
    ticket = ticket_factories.ticket()
    update_ticket(ticket.reference, status="resolved", source="api", actor={})
    assert db.session.get(OutboxCursor, "notion") is None
