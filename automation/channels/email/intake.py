"""What happens to an inbound email the engine never sees: ignored, unknown or over the limit.

Each is an event, so the live log and the metrics show it; about an unknown sender the desk
keeps the domain only.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from database import db, events
from database.base import utcnow
from database.email_messages import unregistered_seen

SEEN_WINDOW = timedelta(days=7)  # inbound-parse services stop retrying well before this


def note_ignored(*, reason: str, domain: str, conversation_id: int | None = None,
                 customer_id: int | None = None) -> None:
    """Record that an automatic email (auto-reply, bounce, list, our own) was not answered."""
    events.record(events.EMAIL_IGNORED, conversation_id=conversation_id,
                  customer_id=customer_id,
                  payload={"channel": "email", "reason": reason, "domain": domain})
    db.session.commit()


def note_unregistered(*, domain: str, message_id: str) -> bool:
    """Record an email from an unknown sender and commit; False if this email was seen before.

    Inbound-parse services deliver an email more than once; only the first delivery gets the
    invitation. The Message-ID is kept as a digest: nothing that names the sender.
    """
    key = hashlib.sha256(message_id.encode()).hexdigest()[:32]
    if unregistered_seen(key, since=utcnow() - SEEN_WINDOW):
        return False
    events.record(events.MESSAGE_UNREGISTERED, level="warning",
                  payload={"channel": "email", "domain": domain, "message_key": key})
    db.session.commit()
    return True


def note_rate_limited(*, domain: str, customer_id: int | None = None,
                      conversation_id: int | None = None, message_id: int | None = None) -> None:
    """Record that a sender wrote more than the limit allows: stored, not answered."""
    events.record(events.MESSAGE_RATE_LIMITED, level="warning", customer_id=customer_id,
                  conversation_id=conversation_id,
                  payload={"channel": "email", "domain": domain, "message_id": message_id})
    db.session.commit()
