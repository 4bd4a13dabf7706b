"""The ticket sync, both ways: one cycle pulls leads' edits, then pushes the desk's changes.

Push reads the events table after the `notion` cursor: each ticket created or changed (or
whose conversation got a message) gets its page created or updated with just the properties
that differ from what the page last held. The cursor moves only once the batch is done, so an
outage of any length loses nothing; a page's creation is marked before it is asked for, so a
create whose answer was lost is found by reference instead of made twice.

Pull asks the data source for pages edited since the last pull (less a margin: Notion gives
edit times to the minute) and reconciles each (notion.reconcile).

One process at a time runs a cycle (a lease on the cursor); the worker runs one after commits
that touch tickets and every minute, the CLI on demand.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select

from automation.runtime.errors import DeskError
from database import db, events
from database.base import utcnow
from database.models import NotionPage, Ticket
from database.outbox import (acquire_lease, advance, get_cursor, latest_event_id,
                             read_batch, release_lease, renew_lease)
from notion.api import NotionAPI, NotionError
from notion.reconcile import Findings, parse_time, reconcile
from notion.schema import (BY_NAME, TRIAGE, desk_values, description_blocks, page_values,
                           to_notion)
from notion.setup import data_source_of

log = logging.getLogger(__name__)

CONSUMER = "notion"
LEASE_S = 300.0
MESSAGE_KINDS = frozenset({events.MESSAGE_RECEIVED, events.MESSAGE_REPLIED, events.MESSAGE_SENT})
PUSH_KINDS = frozenset({events.TICKET_CREATED, events.TICKET_UPDATED, events.TICKET_RESOLVED,
                        events.SLA_BREACHED}) | MESSAGE_KINDS
PULL_MARGIN = timedelta(minutes=2)
BACKFILL = timedelta(days=30)
BATCH = 500


@dataclass
class CycleResult:
    """What one cycle did, for the CLI, the logs and the tests."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    pulled: int = 0
    findings: Findings = field(default_factory=Findings)
    skipped: str | None = None
    error: str | None = None
    requests: int = 0

    def lines(self) -> list[str]:
        """Return what happened as lines for the terminal."""
        if self.skipped:
            return [f"Skipped: {self.skipped}."]
        lines = [f"Pushed: {self.created} pages created, {self.updated} updated, "
                 f"{self.unchanged} already up to date.",
                 f"Pulled: {self.pulled} pages edited since the last pull."]
        lines += [f"  applied {line}" for line in self.findings.applied]
        lines += [f"  conflict {line}" for line in self.findings.conflicts]
        lines += [f"  refused {line}" for line in self.findings.refused]
        lines.append(f"Notion requests: {self.requests}.")
        if self.error:
            lines.append(f"Error: {self.error} (nothing is lost: the next cycle goes on)")
        return lines


class NullSync:
    """The sync without NOTION_TOKEN: nothing leaves the desk, nothing breaks."""

    configured = False

    def cycle(self, *, pull: bool = True, wait_for_lease: bool = False) -> CycleResult:
        return CycleResult(skipped="NOTION_TOKEN is not set")


class NotionSync:
    """Tickets to the Notion database and leads' edits back, through a `NotionAPI`."""

    configured = True

    def __init__(self, api: NotionAPI, *, database_id: str | None,
                 admin_url: str | None = None) -> None:
        self.api = api
        self.database_id = database_id
        self.admin_url = admin_url
        self.data_source_id: str | None = None
        self.types: dict[str, str] = {}
        self._owner: str | None = None

    # --- a cycle -----------------------------------------------------------------------------

    def cycle(self, *, pull: bool = True, wait_for_lease: bool = False) -> CycleResult:
        """Pull (if asked), then push; record success or the error; never raise NotionError."""
        result = CycleResult()
        self._owner = self._lease(wait_for_lease)
        if self._owner is None:
            result.skipped = "another process is syncing with Notion"
            return result
        before = self.api.requests
        try:
            self._prepare()
            if pull:
                self.pull(result)
            self.push(result)
        except (NotionError, DeskError) as exc:
            db.session.rollback()
            result.error = str(exc) if isinstance(exc, NotionError) else exc.message
            self._failed(result.error, getattr(exc, "status", None))
        else:
            self._succeeded(pulled=pull)
        finally:
            result.requests = self.api.requests - before
            release_lease(CONSUMER, self._owner)
            self._owner = None
        return result

    def _lease(self, wait: bool) -> str | None:
        deadline = time.monotonic() + (60 if wait else 0)
        while True:
            owner = acquire_lease(CONSUMER, seconds=LEASE_S)
            if owner is not None or time.monotonic() >= deadline:
                return owner
            time.sleep(1)

    def _keep_lease(self) -> None:
        if self._owner is not None:
            renew_lease(CONSUMER, self._owner, seconds=LEASE_S)

    def _prepare(self) -> None:
        """Find the data source and the types of its properties (one or two requests)."""
        if not self.database_id:
            raise DeskError("not_configured", "NOTION_DATABASE_ID is not set: run "
                            "`flask --app web_app notion init` with NOTION_PARENT_PAGE_ID")
        cursor = get_cursor(CONSUMER)
        state = cursor.state or {}
        source = state.get("data_source_id") if state.get("database_id") == \
            self.database_id else None
        if source is None:
            source = data_source_of(self.api, self.database_id)
            cursor.state = {**state, "database_id": self.database_id,
                            "data_source_id": source}
            db.session.commit()
        self.data_source_id = source
        schema = self.api.retrieve_data_source(source).get("properties") or {}
        self.types = {name: p.get("type") for name, p in schema.items() if name in BY_NAME}
        missing = sorted(set(BY_NAME) - set(self.types))
        if missing != (cursor.state or {}).get("missing_properties", []):
            cursor.state = {**(cursor.state or {}), "missing_properties": missing}
            db.session.commit()
        if missing:
            log.warning("Notion database lacks %s: run `flask --app web_app notion init`",
                        ", ".join(missing))

    def _succeeded(self, *, pulled: bool) -> None:
        cursor = get_cursor(CONSUMER)
        state = dict(cursor.state or {})
        now = utcnow().isoformat()
        state["last_push_at"] = now
        if pulled:
            state["last_pull_at"] = now
        if state.get("failing_since"):
            events.record(events.NOTION_SYNC_RECOVERED,
                          payload={"failing_since": state["failing_since"]})
            state["failing_since"] = None
        cursor.state = state
        db.session.commit()

    def _failed(self, message: str, status: int | None) -> None:
        cursor = get_cursor(CONSUMER)
        state = dict(cursor.state or {})
        now = utcnow().isoformat()
        state["last_error"] = {"at": now, "message": message[:500], "status": status}
        if not state.get("failing_since"):
            state["failing_since"] = now
            events.record(events.NOTION_SYNC_FAILED, level="error",
                          payload={"error": message[:500], "status": status})
        cursor.state = state
        db.session.commit()
        log.warning("Notion sync failed: %s", message)

    # --- push --------------------------------------------------------------------------------

    def push(self, result: CycleResult) -> None:
        """Bring every page up to date with the tickets changed since the cursor."""
        cursor = get_cursor(CONSUMER)
        if not (cursor.state or {}).get("started_at"):
            self._backfill(result)
        while True:
            cursor = get_cursor(CONSUMER)
            batch = read_batch(cursor, kinds=PUSH_KINDS, limit=BATCH)
            for ticket_id in self._tickets_of(batch.events):
                ticket = db.session.get(Ticket, ticket_id)
                if ticket is not None:
                    self.push_ticket(ticket, result)
            if not advance(cursor, batch):
                db.session.rollback()
                continue
            db.session.commit()
            if batch.scanned < BATCH:
                return

    def _backfill(self, result: CycleResult) -> None:
        """On the first cycle: every open ticket, and those changed lately, get their page."""
        mark = latest_event_id()
        since = utcnow() - BACKFILL
        ids = db.session.scalars(select(Ticket.id).where(
            or_(Ticket.status.in_(("open", "pending")), Ticket.updated_at >= since))
            .order_by(Ticket.id)).all()
        for ticket_id in ids:
            self.push_ticket(db.session.get(Ticket, ticket_id), result)
        cursor = get_cursor(CONSUMER)
        cursor.last_event_id = max(cursor.last_event_id, mark)
        cursor.state = {**(cursor.state or {}), "started_at": utcnow().isoformat(),
                        "pulled_until": (cursor.state or {}).get("pulled_until")
                        or utcnow().isoformat()}
        db.session.commit()

    def _tickets_of(self, found: list[Any]) -> list[int]:
        ids: dict[int, None] = {}
        conversations = set()
        for event in found:
            if event.kind in MESSAGE_KINDS:
                if event.conversation_id is not None:
                    conversations.add(event.conversation_id)
            elif event.ticket_id is not None:
                ids[event.ticket_id] = None
        if conversations:
            for ticket_id in db.session.scalars(select(Ticket.id).where(
                    Ticket.conversation_id.in_(conversations),
                    Ticket.status.in_(("open", "pending")))):
                ids[ticket_id] = None
        return list(ids)

    def push_ticket(self, ticket: Ticket, result: CycleResult, *, again: bool = True,
                    page_read: bool = False) -> None:
        """Create or update the ticket's page with what differs; commit.

        `page_read`: the page was just read and reconciled, no need to read it again."""
        state = db.session.get(NotionPage, ticket.id)
        if state is None:
            state = NotionPage(ticket_id=ticket.id, synced={})
            db.session.add(state)
        wanted = self._wanted(ticket)
        try:
            if ticket.notion_page_id is None:
                if not self._create(ticket, state, wanted, result):
                    return
                wanted = self._wanted(ticket)
            diff = {k: v for k, v in wanted.items() if (state.synced or {}).get(k) != v}
            if diff.keys() & set(TRIAGE) and not page_read:
                # The desk changes what a lead may have changed: read the page first.
                page = self.api.retrieve_page(ticket.notion_page_id)
                self._reconcile(ticket, state, page, result)
                wanted = self._wanted(ticket)
                diff = {k: v for k, v in wanted.items() if (state.synced or {}).get(k) != v}
            if not diff:
                result.unchanged += 1
                db.session.commit()
                return
            page = self.api.update_page(ticket.notion_page_id,
                                        properties=to_notion(self.types, diff))
        except NotionError as exc:
            if again and (exc.not_found or exc.archived):
                self._forget_page(ticket, state, reason=str(exc))
                self.push_ticket(ticket, result, again=False)
                return
            raise
        state.synced = {**(state.synced or {}), **diff}
        state.synced_at = utcnow()
        state.page_edited_at = parse_time(page.get("last_edited_time")) or state.page_edited_at
        db.session.commit()
        result.updated += 1
        self._keep_lease()

    def _wanted(self, ticket: Ticket) -> dict[str, str | None]:
        values = desk_values(ticket, admin_url=self.admin_url)
        return {name: value for name, value in values.items() if name in self.types}

    def _create(self, ticket: Ticket, state: NotionPage, wanted: dict[str, str | None],
                result: CycleResult) -> bool:
        """Create the ticket's page (or find the one a lost answer created); commit.

        Return True when the page existed already and may still need an update."""
        page, found, attempt = None, False, 0
        while page is None:
            if state.creating_since is not None and "Reference" in self.types:
                page = self._find(ticket.reference)
                found = page is not None
                if found:
                    break
            state.creating_since = utcnow()
            db.session.commit()  # marked before asking: an answer lost is looked up later
            try:
                page = self.api.create_page(data_source_id=self.data_source_id,
                                            properties=to_notion(self.types, wanted),
                                            children=description_blocks(ticket.description))
            except NotionError as exc:
                wait = exc.retry_after_s if exc.retry_after_s is not None else 2 ** attempt
                if not exc.retryable or attempt >= self.api.max_retries \
                        or wait > self.api.max_wait_s:
                    raise  # the next cycle looks the page up before trying again
                attempt += 1
                self.api.sleep(wait)
                continue
            result.created += 1
        ticket.notion_page_id = page["id"]
        synced = page_values(page) if found else dict(wanted)
        state.synced = {k: v for k, v in synced.items() if k in self.types}
        state.creating_since = None
        state.synced_at = utcnow()
        state.page_edited_at = parse_time(page.get("last_edited_time"))
        db.session.commit()
        self._keep_lease()
        return found

    def _find(self, reference: str) -> dict[str, Any] | None:
        return next(self.api.query_pages(self.data_source_id, filter={
            "property": "Reference", "rich_text": {"equals": reference}}, page_size=10), None)

    def _forget_page(self, ticket: Ticket, state: NotionPage, *, reason: str) -> None:
        """A page deleted or trashed in Notion: the ticket gets a new one."""
        log.warning("Notion page of %s is gone (%s): making a new one", ticket.reference,
                    reason)
        ticket.notion_page_id = None
        state.synced, state.creating_since = {}, None
        db.session.commit()

    # --- pull --------------------------------------------------------------------------------

    def pull(self, result: CycleResult) -> None:
        """Apply leads' edits on pages changed since the last pull; commit page by page."""
        cursor = get_cursor(CONSUMER)
        state = cursor.state or {}
        since = parse_time(state.get("pulled_until")) or utcnow()
        latest = since
        query = {"timestamp": "last_edited_time",
                 "last_edited_time": {"on_or_after": _stamp(since - PULL_MARGIN)}}
        sorts = [{"timestamp": "last_edited_time", "direction": "ascending"}]
        for page in self.api.query_pages(self.data_source_id, filter=query, sorts=sorts):
            result.pulled += 1
            edited = parse_time(page.get("last_edited_time"))
            if edited is not None and edited > latest:
                latest = edited
            if page.get("in_trash") or page.get("archived") or page.get("is_archived"):
                continue
            ticket = db.session.scalar(select(Ticket)
                                       .where(Ticket.notion_page_id == page.get("id")))
            if ticket is None:
                continue  # a row a lead made in Notion: not a desk ticket
            row = db.session.get(NotionPage, ticket.id)
            if row is None:
                row = NotionPage(ticket_id=ticket.id, synced={})
                db.session.add(row)
            self._reconcile(ticket, row, page, result)
            # What the desk refused, or won, goes back to the page now.
            self.push_ticket(ticket, result, page_read=True)
            self._keep_lease()
        cursor = get_cursor(CONSUMER)
        cursor.state = {**(cursor.state or {}), "pulled_until": latest.isoformat()}
        db.session.commit()

    def _reconcile(self, ticket: Ticket, state: NotionPage, page: dict[str, Any],
                   result: CycleResult) -> None:
        findings = Findings()
        reconcile(ticket, state, page, types=self.types, admin_url=self.admin_url,
                  findings=findings)
        db.session.commit()
        for update in findings.updates:
            update.deliver()  # the shopper hears their ticket is resolved
        result.findings.applied += findings.applied
        result.findings.conflicts += findings.conflicts
        result.findings.refused += findings.refused


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
