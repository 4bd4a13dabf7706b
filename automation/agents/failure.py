"""Why an agent gave up on a turn: a small set of reasons the desk can count and show."""

from __future__ import annotations

from typing import Any

# The reasons an outside agent fails; "internal" is a bug on our side (a failed tool, say).
REASONS = ("auth", "model_refused", "rate_limited", "overloaded", "server_error", "timeout",
           "connection",
           "bad_request", "malformed", "iteration_limit", "internal")


class AgentFailure(Exception):
    """An agent could not answer; the fallback agent answers instead."""

    def __init__(self, reason: str, detail: str = "", *, error_type: str | None = None,
                 request_id: str | None = None, status: int | None = None,
                 usage: dict[str, Any] | None = None) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason if reason in REASONS else "internal"
        self.detail = detail
        self.error_type = error_type      # the SDK's exception class, or the API's error type
        self.request_id = request_id
        self.status = status
        self.usage = usage or {}          # what the failed attempt spent, for the accounting

    def payload(self) -> dict[str, Any]:
        """Return what an `agent.error` event says about this failure."""
        return {"reason": self.reason, "error_type": self.error_type,
                "request_id": self.request_id, "status": self.status,
                "detail": self.detail[:500]}
