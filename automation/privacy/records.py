"""What privacy flows write: a conversation as one JSON record, archives packed, fingerprints."""

from __future__ import annotations

import hashlib
import hmac
import json
import zlib
from collections.abc import Sequence
from typing import Any

from database.models import Archive, Conversation, Message
from database.privacy import row_values


def conversation_record(conversation: Conversation, messages: Sequence[Message], *,
                        tickets: Sequence[str] = ()) -> dict[str, Any]:
    """Return a conversation with its messages, rating and ticket references."""
    record = row_values(conversation)
    record["messages"] = [row_values(message) for message in messages]
    record["tickets"] = list(tickets)
    return record


def pack(record: dict[str, Any]) -> bytes:
    """Return a record as compressed JSON (archives shrink about tenfold)."""
    return zlib.compress(json.dumps(record, ensure_ascii=False, default=str).encode(), 9)


def unpack(archive: Archive) -> dict[str, Any]:
    """Return the conversation record an archive holds."""
    return json.loads(zlib.decompress(archive.data).decode())


def fingerprint(email: str, secret_key: str) -> str:
    """Return a keyed hash of an email: the audit trail can confirm whom a request was about
    when asked with the address, without holding the address."""
    digest = hmac.new(secret_key.encode(), email.strip().lower().encode(), hashlib.sha256)
    return digest.hexdigest()[:24]
