"""The real notion-client against the local fake Notion API, over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from notion.api import NotionAPI
from notion.schema import PROPERTIES
from notion.sync import NotionSync
from tests.fakes.notion_api import TOKEN, FakeNotion

ADMIN_URL = "http://admin.test"


@pytest.fixture
def fake_notion() -> Iterator[FakeNotion]:
    with FakeNotion() as fake:
        yield fake


@pytest.fixture
def database_id(fake_notion: FakeNotion) -> str:
    """A ticket database with every property the desk needs (as `notion init` leaves it)."""
    return fake_notion.add_database({p.name: p.schema() for p in PROPERTIES})


class Waits(list):
    """The waits the client asked for (recorded, not slept: the tests stay fast)."""

    def __call__(self, seconds: float) -> None:
        self.append(round(seconds, 3))


@pytest.fixture
def waits() -> Waits:
    return Waits()


def make_api(fake: FakeNotion, waits: Waits | None = None, *, rate: float = 1000.0,
             timeout_s: float = 5.0) -> NotionAPI:
    return NotionAPI(TOKEN, base_url=fake.url, rate_per_s=rate, timeout_s=timeout_s,
                     sleep=waits if waits is not None else Waits())


@pytest.fixture
def sync(app, fake_notion: FakeNotion, database_id: str, waits: Waits) -> NotionSync:
    return NotionSync(make_api(fake_notion, waits), database_id=database_id,
                      admin_url=ADMIN_URL)
