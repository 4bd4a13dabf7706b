"""JSON API of the shopper app: status, registration and the integration endpoints."""

from __future__ import annotations

from typing import Any

from flask import request

from automation.runtime.errors import DeskError


def json_body() -> Any:
    """Return the request's JSON, or raise the API.md error for a missing or broken body."""
    if not request.is_json:
        raise DeskError("unsupported_media_type", "send Content-Type: application/json")
    data = request.get_json(silent=True)
    if data is None:
        raise DeskError("validation_error", "body: not valid JSON",
                        fields={"body": "not valid JSON"})
    return data
