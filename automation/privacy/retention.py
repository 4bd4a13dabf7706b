"""The retention schedule: conversations past the retention period are archived (compressed,
out of the live tables), and archives past the archive period are erased.

Both periods are settings (`retention_days`, default 90; `archive_days`, default 365). Runs
daily in the worker (automation.privacy.jobs) and on demand (`flask --app web_app privacy
retention`). Works in batches, one transaction each, so a large first run holds no long lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from automation.privacy.records import conversation_record, pack
from database import db, events
from database.privacy import (add_archive, delete_archives_before, delete_conversations,
                              messages_of, stale_conversations, ticket_references)

BATCH = 200


@dataclass(frozen=True)
class RetentionRun:
    """What one run did."""

    archived: int
    messages: int
    purged: int


def run(*, now: datetime, retention_days: int, archive_days: int) -> RetentionRun:
    """Archive conversations idle past `retention_days`, erase archives older than
    `archive_days`; audit each part that did something, and commit."""
    archived, messages = archive_stale(before=now - timedelta(days=retention_days))
    purged = purge_archives(before=now - timedelta(days=archive_days))
    return RetentionRun(archived=archived, messages=messages, purged=purged)


def archive_stale(*, before: datetime) -> tuple[int, int]:
    """Archive every closed or AI-held conversation idle since before `before`; return how
    many conversations and messages left the live tables."""
    archived = messages = 0
    while batch := stale_conversations(before, limit=BATCH):
        ids = [conversation.id for conversation in batch]
        by_conversation: dict[int, list] = {id_: [] for id_ in ids}
        for message in messages_of(ids):
            by_conversation[message.conversation_id].append(message)
        references = ticket_references(ids)
        for conversation in batch:
            record = conversation_record(conversation, by_conversation[conversation.id],
                                         tickets=references.get(conversation.id, []))
            add_archive(conversation_id=conversation.id, customer_id=conversation.customer_id,
                        channel=conversation.channel, started_at=conversation.started_at,
                        last_message_at=conversation.last_message_at,
                        message_count=len(by_conversation[conversation.id]),
                        data=pack(record))
        moved = delete_conversations(ids)
        events.record(events.RETENTION_ARCHIVED, payload={
            "conversations": len(ids), "messages": moved, "before": before.isoformat()})
        db.session.commit()
        for row in [*batch, *(m for ms in by_conversation.values() for m in ms)]:
            db.session.expunge(row)  # deleted: they must not linger in the identity map
        archived, messages = archived + len(ids), messages + moved
    return archived, messages


def purge_archives(*, before: datetime) -> int:
    """Erase archives made before `before`; return how many."""
    purged = delete_archives_before(before)
    if purged:
        events.record(events.RETENTION_PURGED, payload={"archives": purged,
                                                        "before": before.isoformat()})
    db.session.commit()
    return purged

