"""Who may call the JSON APIs with a bearer key: the check both apps share, and the keys
admins create and revoke (the raw key is shown once; only its hash is stored)."""

from __future__ import annotations

from collections.abc import Iterable

from automation.runtime.errors import DeskError
from database import db, events
from database.api_keys import (SCOPES, create_api_key, find_api_key, get_api_key,
                               touch_api_key)
from database.base import utcnow
from database.models import ApiKey


def authorise_bearer(header: str, scope: str) -> ApiKey:
    """Return the live key of an `Authorization: Bearer …` header holding `scope`, or raise.

    401 when the header is missing or the key unknown or revoked, 403 when it lacks the scope.
    """
    scheme, _, raw_key = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not raw_key.strip():
        raise DeskError("unauthorized", "missing bearer key")
    api_key = find_api_key(raw_key.strip())
    if api_key is None:
        raise DeskError("unauthorized", "unknown or revoked API key")
    if scope not in api_key.scopes:
        raise DeskError("forbidden", f"this key lacks the scope {scope}")
    if touch_api_key(api_key):
        db.session.commit()
    return api_key


def issue_api_key(name: str, scopes: Iterable[str], *, by: int | None) -> tuple[ApiKey, str]:
    """Create a key, audit it, and commit; return it and the raw key (never stored)."""
    name, scopes = (name or "").strip(), sorted(set(scopes))
    errors = {}
    if not 1 <= len(name) <= 120:
        errors["name"] = "1 to 120 characters"
    if not scopes or any(scope not in SCOPES for scope in scopes):
        errors["scopes"] = "one or more of " + ", ".join(SCOPES)
    if errors:
        raise DeskError("validation_error", "; ".join(f"{k}: {v}" for k, v in errors.items()),
                        fields=errors)
    api_key, raw_key = create_api_key(name, scopes)
    db.session.flush()
    events.record(events.API_KEY_CREATED, payload={"key_id": api_key.id, "name": name,
                                                   "prefix": api_key.prefix,
                                                   "scopes": api_key.scopes, "by": by})
    db.session.commit()
    return api_key, raw_key


def revoke_api_key(key_id: int, *, by: int | None) -> ApiKey:
    """Revoke a key at once (its next call gets 401), audit it, and commit."""
    api_key = get_api_key(key_id)
    if api_key is None:
        raise DeskError("not_found", f"no API key {key_id}")
    if api_key.revoked_at is None:
        api_key.revoked_at = utcnow()
        events.record(events.API_KEY_REVOKED, payload={"key_id": api_key.id,
                                                       "prefix": api_key.prefix, "by": by})
    db.session.commit()
    return api_key
