"""The worker's Notion jobs: a push a second after a ticket changes, pulls on the poll clock."""

from __future__ import annotations

import pytest

from database import db
from notion import jobs as notion_jobs
from tests import ticket_factories
from tests.fakes.notion_api import TOKEN
from tests.memory_queue import queued_jobs, waiting


@pytest.fixture
def queued():
    notion_jobs._next_wake = 0.0
    with queued_jobs() as queue:
        yield queue


def _runs(queue) -> list:
    return waiting(queue, "notion_sync")


def test_a_ticket_change_schedules_a_push_within_a_second(app, queued):
    app.config["NOTION_TOKEN"] = TOKEN
    ticket_factories.ticket()
    (run,) = _runs(queued)
    assert run.kwargs == {"pull": False} and run.eta is not None


def test_without_a_token_nothing_is_scheduled(app, queued):
    ticket_factories.ticket()
    assert _runs(queued) == []


def test_the_minute_job_pulls_and_adds_pulls_when_the_poll_is_shorter(app, queued,
                                                                     fake_notion, database_id):
    import notion

    app.config.update(NOTION_TOKEN=TOKEN, NOTION_BASE_URL=fake_notion.url,
                      NOTION_DATABASE_ID=database_id, NOTION_POLL_S=15,
                      NOTION_RATE_PER_S=1000)
    try:
        ticket = ticket_factories.ticket()
        queued.storage.flush_all()
        notion_jobs.notion_minute.call_local()
        db.session.refresh(ticket)
        assert ticket.notion_page_id in fake_notion.pages
        pulls = [t for t in _runs(queued) if t.kwargs == {"pull": True}]
        assert len(pulls) == 3  # at 15, 30 and 45 seconds
        assert fake_notion.calls_to("POST", "/v1/data_sources")  # it pulled (a query)
    finally:
        notion._apis.clear()
