"""The one error shape of every JSON API (API.md), as an exception flows can raise."""

from __future__ import annotations

from typing import Any

STATUS_BY_CODE = {
    "validation_error": 400, "unauthorized": 401, "forbidden": 403, "not_registered": 403,
    "not_found": 404, "conflict": 409, "payload_too_large": 413, "unsupported_media_type": 415,
    "rate_limited": 429, "invalid_signature": 403, "internal_error": 500,
}


class DeskError(Exception):
    """A failure the caller should see, with a stable code, a message and field errors."""

    def __init__(self, code: str, message: str, *, fields: dict[str, str] | None = None,
                 status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.status = status or STATUS_BY_CODE.get(code, 400)

    def body(self) -> dict[str, Any]:
        """Return the JSON body of API.md."""
        return error_body(self.code, self.message, self.fields)


# The error code API.md gives each HTTP status the framework raises by itself.
CODE_BY_STATUS = {400: "validation_error", 401: "unauthorized", 403: "forbidden",
                  404: "not_found", 405: "validation_error", 409: "conflict",
                  413: "payload_too_large", 415: "unsupported_media_type", 429: "rate_limited",
                  500: "internal_error"}


def error_body(code: str, message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    """Return `{"error": {"code", "message", "fields"?}}`."""
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def validation_error(fields: dict[str, str]) -> DeskError:
    """Return a validation error naming every bad field."""
    message = "; ".join(f"{name}: {problem}" for name, problem in fields.items())
    return DeskError("validation_error", message, fields=fields)
