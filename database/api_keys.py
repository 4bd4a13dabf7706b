"""Data functions for integration API keys: only the SHA-256 of a key is ever stored.

Keys are 256-bit random secrets, so a fast hash is enough: there is nothing to brute-force,
unlike a password.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence

from sqlalchemy import select

from database.base import db, utcnow
from database.models import ApiKey

SCOPES = ("messages:write", "catalog:write", "tickets:read", "tickets:write", "admin:read",
          "conversations:read", "conversations:write")
KEY_PREFIX = "sk_desk_"


def hash_key(raw_key: str) -> str:
    """Return the stored form of a key."""
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


def create_api_key(name: str, scopes: Iterable[str]) -> tuple[ApiKey, str]:
    """Add a new key to the session; return it and the raw key, which is never stored."""
    scopes = sorted(set(scopes))
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown:
        raise ValueError(f"unknown scope(s): {', '.join(unknown)}")
    secret = secrets.token_urlsafe(32)
    raw_key = f"{KEY_PREFIX}{secret}"
    api_key = ApiKey(name=name, prefix=raw_key[:16], key_hash=hash_key(raw_key), scopes=scopes)
    db.session.add(api_key)
    return api_key, raw_key


def find_api_key(raw_key: str) -> ApiKey | None:
    """Return the live key matching `raw_key`, or None if unknown or revoked."""
    api_key = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(raw_key)))
    if api_key is None or api_key.revoked_at is not None:
        return None
    return api_key


def touch_api_key(api_key: ApiKey) -> bool:
    """Note that the key was just used; return True if that changed the row.

    At most once a minute: a write on every request would cost the hot API path a commit.
    """
    now = utcnow()
    if api_key.last_used_at is not None and (now - api_key.last_used_at).total_seconds() < 60:
        return False
    api_key.last_used_at = now
    return True


def list_api_keys() -> Sequence[ApiKey]:
    """Return every key, live ones first, newest first."""
    return db.session.scalars(select(ApiKey).order_by(
        ApiKey.revoked_at.is_not(None), ApiKey.created_at.desc(), ApiKey.id.desc())).all()


def get_api_key(key_id: int) -> ApiKey | None:
    """Return the key with this id, or None."""
    return db.session.get(ApiKey, key_id)
