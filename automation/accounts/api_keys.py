"""Who may call the JSON APIs with a bearer key: the check both apps share."""

from __future__ import annotations

from automation.runtime.errors import DeskError
from database import db
from database.api_keys import find_api_key, touch_api_key
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
