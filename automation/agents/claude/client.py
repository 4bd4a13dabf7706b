"""The one module that imports the Anthropic SDK: the client, its timeouts, its retries, and
the translation of the SDK's errors into our failure reasons.

Nothing else in the desk imports `anthropic`; the agent sends plain dicts and reads the
response's content blocks, `stop_reason`, `usage` and `to_param()`.
"""

from __future__ import annotations

import logging
from typing import Any

import anthropic

from automation.agents.failure import AgentFailure

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 20.0
CONNECT_TIMEOUT_S = 5.0


class ClaudeClient:
    """A Messages API client with our timeout and retries; raises only `AgentFailure`."""

    def __init__(self, *, api_key: str, base_url: str | None = None,
                 timeout_s: float = DEFAULT_TIMEOUT_S, max_retries: int = 2) -> None:
        self.timeout_s = timeout_s
        # An explicit timeout also lifts the SDK's "streaming required" guard on max_tokens.
        self._sdk = anthropic.Anthropic(api_key=api_key, base_url=base_url or None,
                                        timeout=self._timeout(timeout_s),
                                        max_retries=max_retries)

    @staticmethod
    def _timeout(seconds: float) -> Any:
        return anthropic.Timeout(seconds, connect=min(CONNECT_TIMEOUT_S, seconds))

    def create(self, *, timeout_s: float | None = None, **params: Any) -> Any:
        """Send one Messages API request and return the SDK's `Message`."""
        timeout = self._timeout(timeout_s) if timeout_s is not None else anthropic.NOT_GIVEN
        try:
            return self._sdk.messages.create(**params, timeout=timeout)
        except anthropic.AnthropicError as exc:
            raise failure_from(exc) from exc
        except ValueError as exc:
            # A 200 whose body is not JSON reaches us as a bare decoding error.
            raise AgentFailure("malformed", str(exc)[:300],
                               error_type=type(exc).__name__) from exc

    def close(self) -> None:
        """Close the connection pool."""
        self._sdk.close()


def failure_from(exc: Exception) -> AgentFailure:
    """Return the failure reason for an SDK error (status first, then the error type)."""
    name = type(exc).__name__
    if isinstance(exc, anthropic.APIStatusError):
        status = exc.status_code
        kind = exc.type or name
        detail = exc.api_message or str(exc)
        return AgentFailure(_status_reason(status, exc.type, detail), detail[:500],
                            error_type=kind, request_id=exc.request_id, status=status)
    if isinstance(exc, anthropic.APITimeoutError):  # before its parent, APIConnectionError
        return AgentFailure("timeout", str(exc)[:200], error_type=name)
    if isinstance(exc, anthropic.APIConnectionError):
        return AgentFailure("connection", str(exc)[:200], error_type=name)
    if isinstance(exc, anthropic.APIResponseValidationError):
        return AgentFailure("malformed", str(exc)[:300], error_type=name,
                            status=exc.status_code)
    return AgentFailure("internal", str(exc)[:300], error_type=name)


def _status_reason(status: int, error_type: str | None, detail: str = "") -> str:
    if status == 404 or (status == 400 and "model" in detail.lower()):
        # A retired or unknown model id: every message would fall back until it is changed.
        return "model_refused"
    if status == 529 or error_type == "overloaded_error":
        return "overloaded"
    if status in (401, 402, 403):
        return "auth"  # a bad key, no credit or no access: nothing a retry will fix
    if status == 429:
        return "rate_limited"
    if status in (408, 504):
        return "timeout"
    if status >= 500:
        return "server_error"
    return "bad_request"


def deprecation(model: str) -> str | None:
    """Return the end-of-life date the SDK knows for a deprecated model, or None."""
    # The SDK keeps this table in a private module; a missing table just means no warning.
    try:
        from anthropic.resources.messages.messages import DEPRECATED_MODELS
    except ImportError:
        return None
    return DEPRECATED_MODELS.get(model)
